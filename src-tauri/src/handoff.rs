//! Files the program hands to other programs (the PDF viewer, the printer): written into a folder private to the user, never into the shared temp folder, and cleaned of files older than a day at start.
//!
//! `/tmp/cpe-documents` with predictable names let another local user read a centre's documents
//! or plant a link there that the program would then write through. The folder here is the
//! user's own cache folder (`~/.cache/cpe-desktop/open` on Linux, the local AppData on Windows),
//! created 0700 on Unix; every file gets a fresh subfolder and is created with `create_new`, so
//! nothing that already exists is ever written through.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use cpe_core::{CoreError, ErrorCode, Result};

/// Files older than this are removed at start: long enough to keep a document open all day.
const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

fn fail(e: impl std::fmt::Display) -> CoreError {
    CoreError::new(
        ErrorCode::Storage,
        format!("Не удалось подготовить файл для просмотра: {e}"),
    )
}

/// The private folder (created on first use).
pub fn folder() -> Result<PathBuf> {
    let app = if cfg!(debug_assertions) {
        "cpe-desktop-dev"
    } else {
        "cpe-desktop"
    };
    let base = directories::ProjectDirs::from("ru", "CPE", app)
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join("open");
    private_dir(&dir)?;
    Ok(dir)
}

fn private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(fail)?;
    let meta = std::fs::symlink_metadata(dir).map_err(fail)?;
    if !meta.is_dir() {
        return Err(fail(format!("{} — не папка", dir.display())));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid has no preconditions.
        if meta.uid() != unsafe { libc::geteuid() } {
            return Err(fail(format!(
                "папка {} принадлежит другому пользователю",
                dir.display()
            )));
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
    }
    Ok(())
}

/// Writes `bytes` as `name` in a fresh subfolder of the private folder; the path to open.
pub fn write(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    write_in(&folder()?, name, bytes)
}

fn write_in(root: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let sub = root.join(format!(
        "{:x}-{:x}-{:x}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&sub).map_err(fail)?;
    // Only the file's own name: a name with a path in it must not leave the subfolder.
    let safe: String = name
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '\0') { '_' } else { c })
        .collect();
    let path = sub.join(safe);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    Ok(path)
}

/// Removes what was handed over more than a day ago (called at start; errors are ignored —
/// a file still open in a viewer on Windows stays until the next start).
pub fn clean() {
    if let Ok(dir) = folder() {
        clean_in(&dir, SystemTime::now());
    }
}

fn clean_in(dir: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > KEEP);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_private_fresh_and_cleaned_after_a_day() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("open");
        private_dir(&dir).unwrap();
        let a = write_in(&dir, "Соглашение 1/2025-С.pdf", b"%PDF-a").unwrap();
        let b = write_in(&dir, "Соглашение 1/2025-С.pdf", b"%PDF-b").unwrap();
        assert_ne!(a, b, "each file in its own fresh subfolder");
        assert_eq!(a.file_name().unwrap(), "Соглашение 1_2025-С.pdf");
        assert_eq!(std::fs::read(&b).unwrap(), b"%PDF-b");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&a), 0o600);
        }
        clean_in(&dir, SystemTime::now());
        assert!(a.exists(), "a fresh file stays");
        clean_in(&dir, SystemTime::now() + KEEP + Duration::from_secs(60));
        assert!(!a.exists() && !b.exists(), "files of yesterday are removed");
        assert!(dir.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_in_place_of_the_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("elsewhere");
        std::fs::create_dir(&target).unwrap();
        let planted = root.path().join("open");
        std::os::unix::fs::symlink(&target, &planted).unwrap();
        assert!(private_dir(&planted).is_err());
    }
}
