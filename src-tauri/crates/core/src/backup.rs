//! Backups the centre can rely on: a consistent copy once a day and before every risky step (a restore, an import of the tax service's registry, a schema upgrade), kept by a rotation, in a folder the head can move to a network drive; and the restore that checks a copy before it replaces anything.
//!
//! A copy is SQLite's online backup of the live database (safe while the app and colleagues
//! work), written under a temporary name, checked with `integrity_check`, then renamed, so a copy
//! in the folder is always whole. Its name says when and why it was made:
//! `cpe-2026-12-02_091500-daily.sqlite3`. The rotation ([`keep`], a pure rule) keeps the newest
//! daily copy of each of the last `daily` days that have one, of each of the last `weekly` ISO
//! weeks and of each of the last `monthly` months, and the newest `other` copies of every other
//! kind; it never touches a file that is not one of its own.

use crate::staff::Right;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::db::{self, Db};
use crate::error::{CoreError, ErrorCode, Result};

/// Why a copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// The first start of a day.
    Daily,
    /// «Создать копию сейчас» / `cpe backup create`.
    Manual,
    BeforeRestore,
    BeforeImport,
    BeforeMigration,
}

impl BackupKind {
    const ALL: [BackupKind; 5] = [
        BackupKind::Daily,
        BackupKind::Manual,
        BackupKind::BeforeRestore,
        BackupKind::BeforeImport,
        BackupKind::BeforeMigration,
    ];

    fn slug(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before-restore",
            BackupKind::BeforeImport => "before-import",
            BackupKind::BeforeMigration => "before-migration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BackupKind::Daily => "ежедневная",
            BackupKind::Manual => "созданная вручную",
            BackupKind::BeforeRestore => "перед восстановлением",
            BackupKind::BeforeImport => "перед загрузкой реестра МСП",
            BackupKind::BeforeMigration => "перед обновлением программы",
        }
    }
}

/// One copy in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    pub kind: BackupKind,
    pub created_at: NaiveDateTime,
    #[ts(type = "number")]
    pub size: u64,
}

/// Where copies go and how many are kept (setting `backup.settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct BackupSettings {
    /// The folder of copies; empty = `backups` in the data folder.
    pub folder: String,
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
    /// Copies made by hand and before each risky step: the newest this many of each kind.
    pub other: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            folder: String::new(),
            daily: 7,
            weekly: 4,
            monthly: 12,
            other: 10,
        }
    }
}

const SETTINGS_KEY: &str = "backup.settings";
const PREFIX: &str = "cpe-";
const SUFFIX: &str = ".sqlite3";

pub fn settings(conn: &Db) -> Result<BackupSettings> {
    let v: Option<String> = conn.query_opt("SELECT value FROM setting WHERE key = ?1", [SETTINGS_KEY], |r| r.get(0))?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// Saves the folder and rotation (the head's decision); the folder must be writable.
pub fn save_settings(conn: &mut Db, ctx: &Ctx, data_dir: &Path, s: &BackupSettings) -> Result<BackupSettings> {
    let mut s = s.clone();
    s.folder = s.folder.trim().to_owned();
    crate::fields::check_text("folder", &s.folder)?;
    if s.daily == 0 && s.weekly == 0 && s.monthly == 0 {
        return Err(CoreError::field(
            "daily",
            "Хранение копий: оставьте хотя бы одну ежедневную, еженедельную или ежемесячную копию",
        ));
    }
    if [s.daily, s.weekly, s.monthly, s.other].iter().any(|n| *n > 1000) {
        return Err(CoreError::field(
            "daily",
            "Хранение копий: не больше 1000 копий каждого вида",
        ));
    }
    writable(&folder_of(&s, data_dir))?;
    let tx = conn.write(ctx, Right::Settings)?;
    let before = settings(&tx)?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [SETTINGS_KEY, &serde_json::to_string(&s).expect("settings serialise")],
    )?;
    audit::record(
        &tx,
        ctx,
        "setting",
        SETTINGS_KEY,
        AuditAction::Update,
        Some(&before),
        Some(&s),
    )?;
    tx.commit()?;
    Ok(s)
}

fn folder_of(s: &BackupSettings, data_dir: &Path) -> PathBuf {
    if s.folder.is_empty() {
        data_dir.join("backups")
    } else {
        PathBuf::from(&s.folder)
    }
}

/// The folder copies of this database go to.
pub fn folder(conn: &Db, data_dir: &Path) -> Result<PathBuf> {
    Ok(folder_of(&settings(conn)?, data_dir))
}

fn writable(folder: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        CoreError::field(
            "folder",
            format!(
                "Папка резервных копий {}: в неё нельзя записать ({e}). Проверьте, что сетевой диск подключён и есть права на запись.",
                folder.display()
            ),
        )
    };
    std::fs::create_dir_all(folder).map_err(fail)?;
    let probe = folder.join(format!(".cpe-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(fail)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// What copies of the centre's server are made with: its administrator's tools, not the app.
pub const SERVER_COPIES: &str = "Папку копий базы на сервере центра ведёт и восстанавливает администратор сервера \
     (pg_dump -Fc и pg_restore, см. README, раздел «Работа нескольких сотрудников»); копию данных сервера в файл \
     делает «cpe backup ФАЙЛ»";

/// Makes a copy of the live database now, checks it, and rotates the folder.
pub fn create(conn: &Db, data_dir: &Path, kind: BackupKind, now: NaiveDateTime) -> Result<BackupFile> {
    let s = settings(conn)?;
    let folder = folder_of(&s, data_dir);
    writable(&folder)?;
    let sqlite = conn.sqlite().ok_or_else(|| CoreError::storage(SERVER_COPIES))?;
    let file = copy_to(sqlite, &folder, kind, now)?;
    rotate(&folder, &s, now)?;
    Ok(file)
}

fn copy_to(src: &Connection, folder: &Path, kind: BackupKind, now: NaiveDateTime) -> Result<BackupFile> {
    let name = format!("{PREFIX}{}-{}", now.format("%Y-%m-%d_%H%M%S"), kind.slug());
    let (path, partial) = claim_name(folder, &name)?;
    let written = db::copy_into(src, &partial).and_then(|()| verify(&partial));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &path)?;
    drop_wal_files(&partial);
    parse(&path).ok_or_else(|| CoreError::storage("Копия записана под неожиданным именем"))
}

/// The copy keeps the live database's WAL mode, so checking it read-only leaves an empty `-wal`
/// and a `-shm` beside the temporary name, which no connection removes: two stray files next to
/// every copy in the folder the staff look into. Removed once nothing has the copy open; a `-wal`
/// that holds anything is never touched (it would be part of the copy).
fn drop_wal_files(partial: &Path) {
    let sibling = |suffix: &str| {
        let mut name = partial.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let wal = sibling("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(&wal);
    }
    if !wal.exists() {
        let _ = std::fs::remove_file(sibling("-shm"));
    }
}

/// A free name for a copy (`name`, `name-2`, … — two copies in one second, or two programs making
/// one at once) and its temporary file, created empty and held by this program alone.
fn claim_name(folder: &Path, name: &str) -> Result<(PathBuf, PathBuf)> {
    for n in 1..1000 {
        let stem = if n == 1 { name.to_owned() } else { format!("{name}-{n}") };
        let path = folder.join(format!("{stem}{SUFFIX}"));
        let partial = folder.join(format!("{stem}.partial"));
        if !path.exists() && claim_file(&partial)? {
            return Ok((path, partial));
        }
    }
    Err(CoreError::storage(format!(
        "В папке {} не нашлось свободного имени для копии",
        folder.display()
    )))
}

/// A copy of a database about to be upgraded (opened read-only, before anything is written).
/// Its settings may predate the backup settings: then the default folder is used.
pub(crate) fn before_migration(src: &Connection, data_dir: &Path, now: NaiveDateTime) -> Result<()> {
    let s: BackupSettings = src
        .query_row("SELECT value FROM setting WHERE key = ?1", [SETTINGS_KEY], |r| {
            r.get::<_, String>(0)
        })
        .ok()
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    let folder = folder_of(&s, data_dir);
    writable(&folder)?;
    copy_to(src, &folder, BackupKind::BeforeMigration, now)?;
    rotate(&folder, &s, now)
}

/// The copy of today if none was made today; `None` when there is one.
pub fn daily_if_due(conn: &Db, data_dir: &Path, now: NaiveDateTime) -> Result<Option<BackupFile>> {
    let folder = folder(conn, data_dir)?;
    let today = now.date();
    let done = |folder: &Path| -> Result<bool> {
        Ok(list_in(folder)?
            .iter()
            .any(|b| b.kind == BackupKind::Daily && b.created_at.date() == today))
    };
    if done(&folder)? {
        return Ok(None);
    }
    // Several programs starting at once (colleagues' CLI runs, two windows) make one copy: the
    // first to claim the day makes it, the others go on without waiting.
    writable(&folder)?;
    let claim = folder.join(format!(".daily-{today}.claim"));
    if !claim_file(&claim)? || done(&folder)? {
        return Ok(None);
    }
    create(conn, data_dir, BackupKind::Daily, now).map(Some)
}

/// Creates `path` exclusively; false when another program holds it. A claim left by a program that
/// died (older than an hour) is taken over.
fn claim_file(path: &Path) -> Result<bool> {
    for _ in 0..2 {
        match private_new(path) {
            Ok(()) => return Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let stale = std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > STALE_CLAIM);
                if !stale {
                    return Ok(false);
                }
                let _ = std::fs::remove_file(path);
            }
            Err(e) => {
                return Err(CoreError::storage(format!(
                    "Не удалось создать файл {}: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(false)
}

/// How old a claim or a partial copy must be to be taken for one left by a program that died.
const STALE_CLAIM: std::time::Duration = std::time::Duration::from_secs(3600);

/// A new empty file only this user can read; fails if the name exists.
fn private_new(path: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path).map(drop)
}

/// The copies in the folder, the newest first.
pub fn list(conn: &Db, data_dir: &Path) -> Result<Vec<BackupFile>> {
    list_in(&folder(conn, data_dir)?)
}

fn list_in(folder: &Path) -> Result<Vec<BackupFile>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(out);
    };
    for entry in entries.flatten() {
        if let Some(b) = parse(&entry.path()) {
            out.push(b);
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// A file of ours: `cpe-YYYY-MM-DD_HHMMSS-KIND[-N].sqlite3`.
fn parse(path: &Path) -> Option<BackupFile> {
    let file_name = path.file_name()?.to_str()?.to_owned();
    let body = file_name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, rest) = body.split_at_checked(17)?;
    let created_at = NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H%M%S").ok()?;
    let rest = rest.strip_prefix('-')?;
    let kind = BackupKind::ALL
        .into_iter()
        .find(|k| rest == k.slug() || rest.strip_prefix(k.slug()).is_some_and(|n| n.starts_with('-')))?;
    Some(BackupFile {
        path: path.display().to_string(),
        file_name,
        kind,
        created_at,
        size: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}

/// Which copies the rotation keeps (by file name), given every copy and the settings.
pub fn keep(files: &[BackupFile], s: &BackupSettings) -> BTreeSet<String> {
    let mut kept = BTreeSet::new();
    let mut newest = files.to_vec();
    newest.sort_by_key(|b| std::cmp::Reverse(b.created_at));
    let daily: Vec<&BackupFile> = newest.iter().filter(|b| b.kind == BackupKind::Daily).collect();
    // The newest copy of each period, for the most recent `n` periods that have one.
    let mut per_period = |key: &dyn Fn(&BackupFile) -> (i32, u32), n: u32| {
        let mut seen: BTreeMap<(i32, u32), ()> = BTreeMap::new();
        for b in &daily {
            let k = key(b);
            if seen.contains_key(&k) {
                continue;
            }
            if seen.len() as u32 >= n {
                break;
            }
            seen.insert(k, ());
            kept.insert(b.file_name.clone());
        }
    };
    per_period(&|b| (b.created_at.year(), b.created_at.ordinal()), s.daily);
    per_period(
        &|b| {
            let w = b.created_at.iso_week();
            (w.year(), w.week())
        },
        s.weekly,
    );
    per_period(&|b| (b.created_at.year(), b.created_at.month()), s.monthly);
    for kind in BackupKind::ALL.into_iter().filter(|k| *k != BackupKind::Daily) {
        for b in newest.iter().filter(|b| b.kind == kind).take(s.other as usize) {
            kept.insert(b.file_name.clone());
        }
    }
    kept
}

fn rotate(folder: &Path, s: &BackupSettings, now: NaiveDateTime) -> Result<()> {
    let files = list_in(folder)?;
    let kept = keep(&files, s);
    for b in files.iter().filter(|b| !kept.contains(&b.file_name)) {
        let _ = std::fs::remove_file(&b.path);
    }
    // Claims of earlier days, and copies a program that died left half-written.
    let today_claim = format!(".daily-{}.claim", now.date());
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(PREFIX) && name.ends_with(".partial");
        let old_claim = name.starts_with(".daily-") && name.ends_with(".claim") && name != today_claim;
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_CLAIM);
        if old_claim || (ours && stale) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// A copy fit to be restored: whole, a database of this program, not from a newer version.
fn verify(path: &Path) -> Result<u32> {
    let bad = |why: String| {
        CoreError::new(
            ErrorCode::File,
            format!(
                "Файл {} нельзя восстановить: {why}. Текущая база не изменена.",
                path.display()
            ),
        )
    };
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(format!("не открывается ({e})")))?;
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| bad("это не файл базы данных ЦПЭ".into()))?;
    if ok != "ok" {
        return Err(bad(format!("файл повреждён ({ok})")));
    }
    let version: u32 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    let ours: bool = c
        .query_row(
            "SELECT count(*) = 3 FROM sqlite_master WHERE type = 'table' AND name IN ('centre', 'sme', 'audit_log')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| bad(e.to_string()))?;
    if !ours || version == 0 {
        return Err(bad("это не база данных программы ЦПЭ".into()));
    }
    if version > db::schema_version() {
        return Err(bad(format!(
            "копия сделана более новой версией программы (версия схемы {version}, эта программа знает до {})",
            db::schema_version()
        )));
    }
    Ok(version)
}

/// Replaces the live database with the copy in `file`: the copy is checked first, the current
/// database is copied aside (kind «перед восстановлением»), then the copy is written into the open
/// database in one step (SQLite's backup into the live connection), upgraded if it is older, and
/// the journal of the restored database records who restored what.
pub fn restore(conn: &mut Db, ctx: &Ctx, data_dir: &Path, file: &Path) -> Result<BackupFile> {
    ctx.require(Right::Restore)?;
    verify(file)?;
    let aside = create(conn, data_dir, BackupKind::BeforeRestore, ctx.now)?;
    let live = conn.sqlite_mut().ok_or_else(|| CoreError::storage(SERVER_COPIES))?;
    let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    {
        let backup = rusqlite::backup::Backup::new(&src, live)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
    }
    db::upgrade(conn)?;
    let tx = conn.write(ctx, Right::Restore)?;
    let note = serde_json::json!({"file": file.display().to_string(), "copy_of_replaced": aside.path});
    audit::record(&tx, ctx, "database", "restore", AuditAction::Update, None, Some(&note))?;
    tx.commit()?;
    Ok(aside)
}

/// The copies in the default folder, for when the database cannot be opened at all (its own
/// settings of the folder are then unreadable).
pub fn list_default(data_dir: &Path) -> Result<Vec<BackupFile>> {
    list_in(&data_dir.join("backups"))
}

/// Puts the copy in `file` in place of a database that cannot be opened (damaged): the damaged
/// file and its `-wal`/`-shm` are moved aside as `cpe.sqlite3.broken-…` (kept, never deleted), the
/// copy is checked and written as the database. The next open upgrades it if it is older.
pub fn restore_over(data_dir: &Path, file: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    verify(file)?;
    let db_path = data_dir.join(db::DB_FILE);
    let aside = data_dir.join(format!("{}.broken-{}", db::DB_FILE, now.format("%Y%m%d-%H%M%S")));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db_path.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{suffix}", aside.display()))?;
        }
    }
    let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    db::backup_connection(&src, &db_path)?;
    Ok(aside)
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
