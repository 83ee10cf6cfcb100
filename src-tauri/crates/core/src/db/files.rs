//! The database's files are private to the user who runs the program: phones, e-mails and names of sole proprietors must not be readable by another account on the same PC.
//!
//! On Unix the data folder the program creates is 0700 and every file of the database (the file,
//! its `-wal` and `-shm`, backup copies) 0600. SQLite creates `-wal`, `-shm` and journals with the
//! permissions of the database file itself, so making that file 0600 before SQLite first opens it
//! covers them. An existing database is tightened when it is opened. A folder the user chose
//! (`--data-dir`) that existed before is left as it is — it may be their own documents folder —
//! while the files in it are still made private. On Windows the data folder is inside the user's
//! profile, which other users cannot read; nothing is changed there.

use std::path::Path;

use crate::error::{CoreError, Result};

/// Creates `dir` (private) if it is missing; `own` says it is the program's own folder, which is
/// made private even if it existed.
pub fn prepare_dir(dir: &Path, own: bool) -> Result<()> {
    let existed = dir.exists();
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::storage(format!("Не удалось создать папку данных {}: {e}", dir.display())))?;
    if !existed || own {
        restrict(dir, 0o700);
    }
    Ok(())
}

/// Makes the database file at `path` private, creating it empty (already private) when missing,
/// and its companions `-wal`, `-shm`, `-journal` when they exist.
pub fn prepare_db_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if !path.exists() {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| CoreError::storage(format!("Не удалось создать файл базы {}: {e}", path.display())))?;
    }
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        restrict(Path::new(&name), 0o600);
    }
    Ok(())
}

/// Sets `mode` on Unix when the path exists and belongs to this user (a failure — someone else's
/// file — leaves it as it is: the program does not own it).
pub fn restrict(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o777 != mode {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::super::{open_in, DB_FILE};

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_database_is_private_with_every_companion_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("данные");
        let mut db = open_in(&data).unwrap();
        let tx = db.write_unchecked().unwrap();
        tx.execute("INSERT INTO staff (full_name) VALUES ('Петрова')", [])
            .unwrap();
        tx.commit().unwrap();
        assert_eq!(mode(&data), 0o700);
        for name in [DB_FILE.to_owned(), format!("{DB_FILE}-wal"), format!("{DB_FILE}-shm")] {
            assert_eq!(mode(&data.join(&name)), 0o600, "{name}");
        }
    }

    #[test]
    fn an_existing_open_database_is_tightened_and_a_chosen_folder_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        drop(open_in(dir.path()).unwrap());
        let file = dir.path().join(DB_FILE);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(open_in(dir.path()).unwrap());
        assert_eq!(mode(&file), 0o600);
        assert_eq!(
            mode(dir.path()),
            0o755,
            "a folder chosen with --data-dir that existed is not changed"
        );
    }
}
