//! The native open and save dialogs, opened by the shell — and the set of paths they granted: a command that reads or writes a file takes only a path the user chose in one of them during this session.
//!
//! The web view never hands the shell a path of its own making: if it could, a script running in
//! it could read any file the user can, or write `~/.bashrc` through «save the error list». So the
//! dialogs run here (`tauri-plugin-dialog`'s Rust side, on a worker thread of an async command, as
//! blocking dialogs must not run on the main thread), each chosen path is recorded as granted for
//! reading (an open dialog) or for writing (a save dialog), and the file commands check the grant.
//! The capability file gives the web view no dialog permissions any more.
//!
//! End-to-end tests cannot click a GTK dialog: a debug build only, when `CPE_TEST_DIALOG_ANSWERS`
//! names a file, takes each dialog's answer from its next line (paths separated by `|`, an empty
//! line for «Отмена») — through the same grants. Release builds never read the variable.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cpe_core::{CoreError, Result};
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::state::AppState;

/// A filter of a dialog: «Таблица (XLSX, CSV)» with its extensions.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// The paths the user chose in this session.
#[derive(Default)]
pub struct Grants {
    read: HashSet<PathBuf>,
    write: HashSet<PathBuf>,
    /// Scripted answers taken so far (debug builds under test).
    answered: usize,
}

pub type GrantState = Mutex<Grants>;

fn grants(state: &AppState) -> std::sync::MutexGuard<'_, Grants> {
    state.grants.lock().unwrap_or_else(|p| {
        state.grants.clear_poison();
        p.into_inner()
    })
}

fn not_chosen(path: &Path, how: &str) -> CoreError {
    CoreError::field(
        "path",
        format!(
            "Файл {} не выбран в окне {how} в этом сеансе: нажмите кнопку выбора файла и укажите его там",
            path.display()
        ),
    )
}

impl Grants {
    /// Chosen in an open dialog (or a save dialog: a file the program wrote may be read back).
    fn check_read(&self, path: &Path) -> Result<()> {
        if self.read.contains(path) || self.write.contains(path) {
            Ok(())
        } else {
            Err(not_chosen(path, "выбора файла"))
        }
    }

    /// Chosen in a save dialog.
    fn check_write(&self, path: &Path) -> Result<()> {
        if self.write.contains(path) {
            Ok(())
        } else {
            Err(not_chosen(path, "«Сохранить как»"))
        }
    }
}

/// A path the user chose in an open dialog of this session.
pub fn check_read(state: &AppState, path: &Path) -> Result<()> {
    grants(state).check_read(path)
}

/// A path the user chose in a save dialog of this session.
pub fn check_write(state: &AppState, path: &Path) -> Result<()> {
    grants(state).check_write(path)
}

fn typed(path: &str) -> Result<PathBuf> {
    let path = path.trim();
    if path.is_empty() {
        return Err(CoreError::field("path", "Файл: выберите файл кнопкой выбора"));
    }
    Ok(PathBuf::from(path))
}

/// The path of a file to read, granted by an open dialog of this session.
pub fn readable(state: &AppState, path: &str) -> Result<PathBuf> {
    let path = typed(path)?;
    check_read(state, &path)?;
    Ok(path)
}

/// The path of a file to write, granted by a save dialog of this session.
pub fn writable(state: &AppState, path: &str) -> Result<PathBuf> {
    let path = typed(path)?;
    check_write(state, &path)?;
    Ok(path)
}

/// The next scripted answer when a test gives them (debug builds only).
fn scripted(state: &AppState) -> Option<Vec<PathBuf>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let file = std::env::var_os("CPE_TEST_DIALOG_ANSWERS")?;
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut g = grants(state);
    let line = text.lines().nth(g.answered).unwrap_or("").to_owned();
    g.answered += 1;
    Some(
        line.split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect(),
    )
}

fn with_filters<R: tauri::Runtime>(
    mut b: tauri_plugin_dialog::FileDialogBuilder<R>,
    title: &str,
    filters: &[FileFilter],
) -> tauri_plugin_dialog::FileDialogBuilder<R> {
    b = b.set_title(title);
    for f in filters {
        let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
        b = b.add_filter(&f.name, &exts);
    }
    b
}

fn with_extension(path: PathBuf, filters: &[FileFilter]) -> PathBuf {
    let Some(ext) = filters.first().and_then(|f| f.extensions.first()) else {
        return path;
    };
    let has_one = filters
        .iter()
        .flat_map(|f| &f.extensions)
        .any(|e| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e)));
    if has_one {
        path
    } else {
        let mut name = path.into_os_string();
        name.push(format!(".{ext}"));
        PathBuf::from(name)
    }
}

/// «Открыть»: one or several files; the chosen paths (none when the user closed the dialog),
/// granted for reading.
#[tauri::command]
pub async fn pick_open(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filters: Vec<FileFilter>,
    multiple: bool,
) -> Result<Vec<String>> {
    let chosen = match scripted(&state) {
        Some(paths) => paths,
        None => {
            let b = with_filters(app.dialog().file(), &title, &filters);
            let picked = if multiple {
                b.blocking_pick_files().unwrap_or_default()
            } else {
                b.blocking_pick_file().into_iter().collect()
            };
            picked.into_iter().filter_map(|p| p.into_path().ok()).collect()
        }
    };
    let mut g = grants(&state);
    g.read.extend(chosen.iter().cloned());
    Ok(chosen.iter().map(|p| p.display().to_string()).collect())
}

/// «Сохранить как»: the chosen path (none when the user closed the dialog), granted for writing.
#[tauri::command]
pub async fn pick_save(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filters: Vec<FileFilter>,
    default_name: Option<String>,
) -> Result<Option<String>> {
    let chosen = match scripted(&state) {
        Some(paths) => paths.into_iter().next(),
        None => {
            let mut b = with_filters(app.dialog().file(), &title, &filters);
            if let Some(name) = default_name.filter(|n| !n.trim().is_empty()) {
                b = b.set_file_name(name);
            }
            b.blocking_save_file().and_then(|p| p.into_path().ok())
        }
    };
    // A name typed without its extension gets the filter's: the file then opens with the right program.
    let chosen = chosen.map(|p| with_extension(p, &filters));
    if let Some(p) = &chosen {
        grants(&state).write.insert(p.clone());
    }
    Ok(chosen.map(|p| p.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: `sme_table_errors_save` could write any text to any path (`~/.bashrc`).
    #[test]
    fn only_paths_chosen_in_a_dialog_are_read_or_written() {
        let mut g = Grants::default();
        let bashrc = PathBuf::from("/home/anna/.bashrc");
        let e = g.check_write(&bashrc).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(e.message.contains("не выбран в окне"), "{}", e.message);
        assert!(g.check_read(&bashrc).is_err());
        g.read.insert(PathBuf::from("/home/anna/СМСП.xlsx"));
        g.write.insert(PathBuf::from("/home/anna/ошибки.csv"));
        assert!(g.check_read(Path::new("/home/anna/СМСП.xlsx")).is_ok());
        assert!(
            g.check_write(Path::new("/home/anna/СМСП.xlsx")).is_err(),
            "opened is not writable"
        );
        assert!(g.check_write(Path::new("/home/anna/ошибки.csv")).is_ok());
        assert!(
            g.check_read(Path::new("/home/anna/ошибки.csv")).is_ok(),
            "what was saved may be read back"
        );
        assert_eq!(typed("  ").unwrap_err().field.as_deref(), Some("path"));
    }

    #[test]
    fn a_saved_name_gets_the_extension_of_its_filter() {
        let pdf = [FileFilter {
            name: "PDF".into(),
            extensions: vec!["pdf".into()],
        }];
        assert_eq!(with_extension("/d/Отчёт".into(), &pdf), PathBuf::from("/d/Отчёт.pdf"));
        assert_eq!(
            with_extension("/d/Отчёт.PDF".into(), &pdf),
            PathBuf::from("/d/Отчёт.PDF")
        );
        assert_eq!(with_extension("/d/Отчёт".into(), &[]), PathBuf::from("/d/Отчёт"));
    }
}
