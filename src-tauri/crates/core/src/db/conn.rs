//! The storage seam: `Db`, the connection every domain module queries through, with one API for both engines — SQL written once, values converted here.
//!
//! The domain modules write portable SQL (`?1` placeholders, `INSERT … RETURNING id`,
//! `ON CONFLICT`, `COALESCE`) and call `execute`, `query_row`, `query_opt`, `query_map` and
//! `for_each`; a row is read with `Row::get` into Rust types (`value.rs`). A change is made inside
//! `Db::write`, the only way to begin a transaction.

use std::ops::Deref;

use sha2::Digest;

use super::postgres::{self as pg, PgConn};
use super::value::{FromSql, Params, ValueRef};
use crate::error::{CoreError, Result};

/// A connection to the centre's database: the embedded SQLite file, or the centre's PostgreSQL
/// server (office mode).
pub struct Db {
    inner: Inner,
    /// A form's save: the record it was opened on must not have changed since (see
    /// [`Db::expect_unchanged`]); checked and forgotten by the next [`Db::write`].
    unchanged: Option<(String, String, i64)>,
    /// Readings kept until the data changes ([`Db::memo`]).
    pub(super) memo: super::memo::Memo,
}

enum Inner {
    Sqlite(rusqlite::Connection),
    // Boxed: the server's client and statement cache are several times a SQLite handle's size.
    Postgres(Box<PgConn>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.engine())
    }
}

/// The engine behind a `Db`, for the few places where the engines truly differ (search index,
/// change detection, locks, schema version, backups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The key of the server's one write lock (`pg_advisory_xact_lock`): every change of the centre's
/// data takes it, as SQLite's `BEGIN IMMEDIATE` takes the file's — see [`Db::write`].
const WRITE_LOCK: i64 = 0x0043_5045; // "CPE"

impl Db {
    pub fn from_sqlite(conn: rusqlite::Connection) -> Db {
        Db {
            inner: Inner::Sqlite(conn),
            unchanged: None,
            memo: Default::default(),
        }
    }

    pub(crate) fn from_postgres(client: postgres::Client) -> Db {
        Db {
            inner: Inner::Postgres(Box::new(PgConn::new(client))),
            unchanged: None,
            memo: Default::default(),
        }
    }

    /// Remembers how a server connection was made (see [`super::server::password_is`]).
    pub(crate) fn with_config(mut self, config: postgres::Config) -> Db {
        if let Inner::Postgres(pg) = &mut self.inner {
            pg.config = Some(config);
        }
        self
    }

    pub(crate) fn pg_config(&self) -> Option<&postgres::Config> {
        match &self.inner {
            Inner::Postgres(pg) => pg.config.as_ref(),
            Inner::Sqlite(_) => None,
        }
    }

    /// True when the server's connection is known to be gone (an earlier call found its socket
    /// closed); asks nothing, so cheap enough before every call.
    pub fn is_closed(&self) -> bool {
        match &self.inner {
            Inner::Postgres(pg) => pg.client.borrow().is_closed(),
            Inner::Sqlite(_) => false,
        }
    }

    /// True when the server's connection is gone (a network break, a restart of the server); asks
    /// the server, so called only after a failure.
    pub fn is_broken(&self) -> bool {
        match &self.inner {
            // Closed, or not answering: a failed call may not have noticed the socket is gone.
            Inner::Postgres(pg) => self.is_closed() || pg.client.borrow_mut().simple_query("").is_err(),
            Inner::Sqlite(_) => false,
        }
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) => Engine::Sqlite,
            Inner::Postgres(_) => Engine::Postgres,
        }
    }

    /// Inside BEGIN … COMMIT (a change, a snapshot).
    pub fn in_transaction(&self) -> bool {
        match &self.inner {
            Inner::Sqlite(c) => !c.is_autocommit(),
            Inner::Postgres(p) => p.in_tx.get(),
        }
    }

    /// The SQLite connection, for the engine-specific places.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// The same, to write a whole database into it (a restore).
    pub(crate) fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// Something that changes whenever the data may have changed, by this connection or another:
    /// what the search keeps its matches against. SQLite: `PRAGMA data_version` (other
    /// connections' commits) and this connection's own `total_changes`. PostgreSQL: the current
    /// snapshot (`xmin:xmax:in-progress ids`), which moves on when any connection's writing
    /// transaction starts and again when it ends — a change is never seen only half.
    pub fn change_stamp(&self) -> Result<(i64, u64)> {
        match &self.inner {
            Inner::Sqlite(c) => {
                let version: i64 = self.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                Ok((version, c.total_changes()))
            }
            Inner::Postgres(_) => {
                use std::hash::{Hash, Hasher};
                let snapshot: String = self.query_row("SELECT pg_current_snapshot()::text", [], |r| r.get(0))?;
                let mut h = std::collections::hash_map::DefaultHasher::new();
                snapshot.hash(&mut h);
                Ok((h.finish() as i64, 0))
            }
        }
    }

    /// The program's tables, by name (not the engine's own, nor the search index's).
    pub fn tables(&self) -> Result<Vec<String>> {
        let sql = match self.engine() {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT LIKE 'sme_fts%' ORDER BY name"
            }
            Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
            }
        };
        self.query_map(sql, [], |r| r.get(0))
    }

    /// The stored columns of `table` in their order (not the file's generated ones, which the
    /// server computes otherwise).
    pub fn columns(&self, table: &str) -> Result<Vec<String>> {
        let sql = match self.engine() {
            Engine::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Engine::Postgres => {
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1 AND is_generated = 'NEVER'
                 ORDER BY ordinal_position"
            }
        };
        self.query_map(sql, [table], |r| r.get(0))
    }

    /// Every row of `table` as text, sorted: a table's content to compare (a restored backup, a
    /// copy to the other engine, the same demo seed twice). Values print the same on both engines.
    pub fn dump(&self, table: &str) -> Result<Vec<String>> {
        let columns = self.columns(table)?.join(", ");
        let mut lines = self.query_map(&format!("SELECT {columns} FROM {table}"), [], |r| {
            let mut line = String::new();
            for i in 0..r.column_count() {
                line.push_str(&match r.get::<_, super::Value>(i)? {
                    ValueRef::Null => "∅".to_owned(),
                    ValueRef::Integer(n) => n.to_string(),
                    ValueRef::Real(f) => f.to_string(),
                    ValueRef::Text(t) => format!("{t:?}"),
                    ValueRef::Blob(b) => format!("<{} байт {:x}>", b.len(), sha2::Sha256::digest(&b[..])),
                });
                line.push('|');
            }
            Ok(line)
        })?;
        lines.sort();
        Ok(lines)
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let values = params.values();
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                Ok(st.execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Inner::Postgres(p) => p.execute(sql, &values),
        }
    }

    /// Runs statements without arguments (schema changes).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(p) => p.batch(sql),
        }
    }

    /// The first row of the result; an error when there is none.
    pub fn query_row<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| CoreError::storage(format!("Ошибка базы данных: запрос не вернул строк ({})", brief(sql))))
    }

    /// The first row of the result, if any.
    pub fn query_opt<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row) -> Result<T>) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.for_each(sql, params, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    /// Every row of the result, each made into a `T`.
    pub fn query_map<T>(&self, sql: &str, params: impl Params, mut f: impl FnMut(&Row) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, params, |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Walks the rows as they come, without holding them all; `f` returns false to stop.
    pub fn for_each(&self, sql: &str, params: impl Params, mut f: impl FnMut(&Row) -> Result<bool>) -> Result<()> {
        let values = params.values();
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows = st.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row(RowInner::Sqlite(r)))? {
                        break;
                    }
                }
                Ok(())
            }
            Inner::Postgres(p) => p.for_each(sql, &values, |r| f(&Row(RowInner::Postgres(r)))),
        }
    }

    /// Begins a change: the only way the core begins a transaction. On SQLite `BEGIN IMMEDIATE`
    /// takes the write lock at once, so a change that reads first (an INN's uniqueness, a budget's
    /// remainder) waits its turn behind a colleague's write for the busy timeout; a deferred
    /// transaction would instead fail with «База данных занята» at its first write whenever
    /// another connection wrote since it read (in WAL mode its snapshot can no longer be upgraded).
    /// On the server the change takes the centre's one write lock (`pg_advisory_xact_lock`) first:
    /// changes of the whole team are made one after another, as on SQLite, so what a change reads
    /// (a cap's remainder, the budget's, the next agreement number) is still true when it commits.
    /// Nothing is kept unless [`Tx::commit`] is called.
    ///
    /// `right` is what the change needs: the role of `ctx` is checked first, so a change the role
    /// may not make is refused before it reads or writes anything — there is no other way to
    /// begin a write.
    pub fn write(&mut self, ctx: &crate::audit::Ctx, right: crate::staff::Right) -> Result<Tx<'_>> {
        ctx.require(right)?;
        let unchanged = self.unchanged.take();
        let tx = self.write_unchecked()?;
        if let Some((entity, id, seen)) = unchanged {
            crate::audit::unchanged_since(&tx, &entity, &id, seen)?;
        }
        Ok(tx)
    }

    /// The next change is a form's save on the record `entity`/`id` that was opened at the journal
    /// mark `seen` ([`crate::audit::last_change`]): it is refused with a conflict if a colleague
    /// changed the record since — checked inside that change, under the write lock, so whatever
    /// the domain function does, it never saves over a change it did not see. `None` clears it.
    pub fn expect_unchanged(&mut self, record: Option<(&str, i64, i64)>) {
        self.unchanged = record.map(|(entity, id, seen)| (entity.to_owned(), id.to_string(), seen));
    }

    /// `save` as a form's save on the record `entity`/`id` opened at the journal mark `seen` (none:
    /// save regardless, «поверх»): [`Db::expect_unchanged`] for its change, cleared after it
    /// whatever happened.
    pub fn save_seen<T>(
        &mut self,
        entity: &str,
        id: i64,
        seen: Option<i64>,
        save: impl FnOnce(&mut Db) -> Result<T>,
    ) -> Result<T> {
        self.expect_unchanged(seen.map(|seen| (entity, id, seen)));
        let outcome = save(self);
        self.expect_unchanged(None);
        outcome
    }

    /// A write that is not a person's change: a login's bookkeeping, the first setup, the
    /// migrations' helpers. Kept inside the core.
    pub(crate) fn write_unchecked(&mut self) -> Result<Tx<'_>> {
        match self.engine() {
            Engine::Sqlite => self.begin("BEGIN IMMEDIATE"),
            Engine::Postgres => {
                let tx = self.begin("BEGIN")?;
                tx.execute("SELECT pg_advisory_xact_lock(?1)", [WRITE_LOCK])?;
                Ok(tx)
            }
        }
    }

    /// A consistent view for reading a whole database (a copy of the server's data): every query
    /// inside sees the same moment, whatever colleagues commit meanwhile; nothing can be written.
    pub fn snapshot(&mut self) -> Result<Tx<'_>> {
        match self.engine() {
            Engine::Sqlite => self.begin("BEGIN"),
            Engine::Postgres => {
                let tx = self.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                if let Inner::Postgres(p) = &tx.db.inner {
                    p.streaming.set(true);
                }
                Ok(tx)
            }
        }
    }

    /// A change that no other connection may even read alongside (a schema upgrade).
    pub(crate) fn exclusive(&mut self) -> Result<Tx<'_>> {
        match self.engine() {
            Engine::Sqlite => self.begin("BEGIN EXCLUSIVE"),
            Engine::Postgres => self.write_unchecked(),
        }
    }

    fn begin(&mut self, sql: &str) -> Result<Tx<'_>> {
        self.execute_batch(sql)?;
        self.mark_tx(true);
        Ok(Tx { db: self, open: true })
    }

    fn mark_tx(&self, open: bool) {
        if let Inner::Postgres(p) = &self.inner {
            p.in_tx.set(open);
            if !open {
                p.streaming.set(false);
            }
        }
    }
}

/// A change in progress. Every query of `Db` runs inside it; dropped without [`Tx::commit`], it
/// is rolled back — on an error returned with `?` as much as on a panic.
pub struct Tx<'a> {
    db: &'a mut Db,
    open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.db.execute_batch("COMMIT")?;
        self.open = false;
        self.db.mark_tx(false);
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to report to: the change is lost either way, and a connection whose
            // rollback failed has no transaction left to keep.
            let _ = self.db.execute_batch("ROLLBACK");
            self.db.mark_tx(false);
        }
    }
}

impl Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

/// A column position from 0 (a trait of its own so that a literal `0` is taken as one).
pub trait ColumnIndex {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of a result.
pub struct Row<'a>(RowInner<'a>);

enum RowInner<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    pub fn column_count(&self) -> usize {
        match &self.0 {
            RowInner::Sqlite(r) => r.as_ref().column_count(),
            RowInner::Postgres(r) => r.len(),
        }
    }

    /// Column `idx` (from 0) as a `T`; a value of another kind is an error naming the column.
    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        let value = match &self.0 {
            RowInner::Sqlite(r) => {
                use rusqlite::types::ValueRef as S;
                match r.get_ref(idx)? {
                    S::Null => ValueRef::Null,
                    S::Integer(i) => ValueRef::Integer(i),
                    S::Real(f) => ValueRef::Real(f),
                    S::Text(t) => ValueRef::Text(String::from_utf8_lossy(t)),
                    S::Blob(b) => ValueRef::Blob(b.into()),
                }
            }
            RowInner::Postgres(r) => pg::column(r, idx).map_err(|reason| {
                CoreError::storage(format!("Данные сервера не читаются (столбец {}): {reason}", idx + 1))
            })?,
        };
        T::from_sql(value).map_err(|reason| {
            CoreError::storage(format!(
                "Данные в базе не читаются (столбец {}): {reason}. Проверьте базу командой «cpe check»",
                idx + 1
            ))
        })
    }
}

impl rusqlite::ToSql for ValueRef<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as S};
        Ok(ToSqlOutput::Borrowed(match self {
            ValueRef::Null => S::Null,
            ValueRef::Integer(i) => S::Integer(*i),
            ValueRef::Real(f) => S::Real(*f),
            ValueRef::Text(t) => S::Text(t.as_bytes()),
            ValueRef::Blob(b) => S::Blob(b),
        }))
    }
}

/// The start of a statement, for a message.
fn brief(sql: &str) -> String {
    let flat: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;

    fn db() -> Db {
        let db = Db::from_sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount TEXT, on_day TEXT)")
            .unwrap();
        db
    }

    #[test]
    fn queries_read_and_write_through_the_seam() {
        let mut db = db();
        let tx = db.write_unchecked().unwrap();
        let id: i64 = tx
            .query_row(
                "INSERT INTO t (name, amount, on_day) VALUES (?1, ?2, ?3) RETURNING id",
                params![
                    "ООО «Ромашка»",
                    rust_decimal::Decimal::new(125_000_050, 2),
                    chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
                ],
                |r| r.get(0),
            )
            .unwrap();
        tx.commit().unwrap();
        let (name, amount, day): (String, rust_decimal::Decimal, Option<chrono::NaiveDate>) = db
            .query_row("SELECT name, amount, on_day FROM t WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(
            (name.as_str(), amount.to_string().as_str()),
            ("ООО «Ромашка»", "1250000.50")
        );
        assert_eq!(day, chrono::NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(
            db.query_opt("SELECT id FROM t WHERE id = ?1", [id + 1], |r| r.get::<_, i64>(0))
                .unwrap(),
            None
        );
        let names = db
            .query_map("SELECT name FROM t", [], |r| r.get::<_, String>(0))
            .unwrap();
        assert_eq!(names, ["ООО «Ромашка»"]);
    }

    #[test]
    fn a_change_not_committed_is_rolled_back() {
        let mut db = db();
        {
            let tx = db.write_unchecked().unwrap();
            tx.execute("INSERT INTO t (name) VALUES (?1)", ["x"]).unwrap();
        }
        assert_eq!(
            db.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            0
        );
        let err = db
            .query_row("SELECT name FROM t", [], |r| r.get::<_, String>(0))
            .unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Storage);
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_its_column() {
        let db = db();
        db.execute("INSERT INTO t (name, amount) VALUES ('a', 'много')", [])
            .unwrap();
        let err = db
            .query_row("SELECT name, amount FROM t", [], |r| {
                r.get::<_, rust_decimal::Decimal>(1)
            })
            .unwrap_err();
        assert!(
            err.message.contains("столбец 2") && err.message.contains("много"),
            "{}",
            err.message
        );
    }
}
