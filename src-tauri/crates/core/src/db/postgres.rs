//! The PostgreSQL side of the storage seam: the same SQL text the domain modules write for SQLite, with `?N` placeholders renumbered as `$N`, values converted to whatever type the server inferred for each placeholder, and prepared statements kept per connection.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::error::Error;

use postgres::error::SqlState;
use postgres::types::{IsNull, Kind, ToSql as PgToSql, Type};
use postgres::{Client, Statement};
use rust_decimal::Decimal;

use super::value::ValueRef;
use crate::error::{CoreError, Result};

/// Statements kept prepared per connection. SQL made at run time (search filters) varies, so the
/// cache is emptied when it grows past this, rather than growing without end.
const STATEMENT_CACHE: usize = 256;

pub(super) struct PgConn {
    pub(super) client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// Statements whose placeholders the server cannot type by itself.
    typed: RefCell<HashSet<String>>,
    /// Inside BEGIN … COMMIT: a failed attempt to prepare must not abort the change.
    pub(super) in_tx: Cell<bool>,
    /// Inside a read-only snapshot (a copy of the whole database): `for_each` reads through a
    /// cursor in batches, so a table of scans is never held in memory at once.
    pub(super) streaming: Cell<bool>,
    /// Cursors open now (a `for_each` inside another's closure gets the next name).
    cursors: Cell<u32>,
    /// How the connection was made (without its password): to check a password against the server.
    pub(super) config: Option<postgres::Config>,
}

impl PgConn {
    pub(super) fn new(client: Client) -> PgConn {
        PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            typed: RefCell::new(HashSet::new()),
            in_tx: Cell::new(false),
            streaming: Cell::new(false),
            cursors: Cell::new(0),
            config: None,
        }
    }

    /// The statement for `sql`, prepared once. The server infers each placeholder's type from
    /// where it stands; where it cannot (`?1 IS NULL OR x = ?1`, a placeholder compared with
    /// another), the statement is prepared again with the types of the values given (integer,
    /// real, text, bytes) and a NULL given written as the literal NULL, kept per combination.
    fn prepare(&self, sql: &str, values: &[ValueRef<'_>]) -> Result<Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let typed_key = || {
            let kinds: String = values.iter().map(kind_letter).collect();
            format!("{sql}\u{0}{kinds}")
        };
        if self.typed.borrow().contains(sql) {
            let key = typed_key();
            if let Some(st) = self.statements.borrow().get(&key) {
                return Ok(st.clone());
            }
            let types: Vec<Type> = values.iter().map(type_of).collect();
            let nulls: Vec<bool> = values.iter().map(|v| matches!(v, ValueRef::Null)).collect();
            let st = self
                .client
                .borrow_mut()
                .prepare_typed(&translate_with(sql, &nulls), &types)
                .map_err(error)?;
            self.keep(key, &st);
            return Ok(st);
        }
        // Inside a change a failed attempt would abort it: the attempt is made under a savepoint.
        let guarded = self.in_tx.get();
        if guarded {
            self.batch("SAVEPOINT cpe_prepare")?;
        }
        let prepared = self.client.borrow_mut().prepare(&translate(sql));
        match prepared {
            Ok(st) => {
                if guarded {
                    self.batch("RELEASE SAVEPOINT cpe_prepare")?;
                }
                self.keep(sql.to_owned(), &st);
                Ok(st)
            }
            Err(e) if matches!(e.code(), Some(c) if *c == SqlState::AMBIGUOUS_PARAMETER || *c == SqlState::INDETERMINATE_DATATYPE) =>
            {
                if guarded {
                    self.batch("ROLLBACK TO SAVEPOINT cpe_prepare; RELEASE SAVEPOINT cpe_prepare")?;
                }
                self.typed.borrow_mut().insert(sql.to_owned());
                self.prepare(sql, values)
            }
            Err(e) => Err(error(e)),
        }
    }

    fn keep(&self, key: String, st: &Statement) {
        let mut cache = self.statements.borrow_mut();
        if cache.len() >= STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(key, st.clone());
    }

    pub(super) fn execute(&self, sql: &str, values: &[ValueRef<'_>]) -> Result<usize> {
        let st = self.prepare(sql, values)?;
        let args: Vec<Arg> = values.iter().map(Arg).collect();
        let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as &(dyn PgToSql + Sync)).collect();
        let n = self.client.borrow_mut().execute(&st, &refs).map_err(error)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(error)
    }

    /// Runs a query and hands its rows to `f` one at a time until it returns false. The rows are
    /// fetched first: `f` may query the same connection (as it may on SQLite), which the client
    /// cannot do while a result is still streaming in.
    pub(super) fn for_each(
        &self,
        sql: &str,
        values: &[ValueRef<'_>],
        mut f: impl FnMut(&postgres::Row) -> Result<bool>,
    ) -> Result<()> {
        if self.streaming.get() {
            return self.for_each_batched(sql, values, f);
        }
        let st = self.prepare(sql, values)?;
        let args: Vec<Arg> = values.iter().map(Arg).collect();
        let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as &(dyn PgToSql + Sync)).collect();
        let rows = self.client.borrow_mut().query(&st, &refs).map_err(error)?;
        for row in &rows {
            if !f(row)? {
                break;
            }
        }
        Ok(())
    }

    /// [`Self::for_each`] inside a snapshot: the query as a cursor of the transaction, fetched
    /// [`BATCH`] rows at a time; `f` may still query the connection between fetches.
    fn for_each_batched(
        &self,
        sql: &str,
        values: &[ValueRef<'_>],
        mut f: impl FnMut(&postgres::Row) -> Result<bool>,
    ) -> Result<()> {
        const BATCH: usize = 500;
        let depth = self.cursors.get();
        let name = format!("cpe_cursor_{depth}");
        let st = self.prepare(&format!("DECLARE {name} NO SCROLL CURSOR FOR {sql}"), values)?;
        let args: Vec<Arg> = values.iter().map(Arg).collect();
        let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as &(dyn PgToSql + Sync)).collect();
        self.client.borrow_mut().execute(&st, &refs).map_err(error)?;
        self.cursors.set(depth + 1);
        let outcome = (|| loop {
            let rows = self
                .client
                .borrow_mut()
                .query(&format!("FETCH {BATCH} FROM {name}"), &[])
                .map_err(error)?;
            for row in &rows {
                if !f(row)? {
                    return Ok(());
                }
            }
            if rows.len() < BATCH {
                return Ok(());
            }
        })();
        self.cursors.set(depth);
        if outcome.is_ok() {
            self.client
                .borrow_mut()
                .batch_execute(&format!("CLOSE {name}"))
                .map_err(error)?;
        }
        outcome
    }
}

fn kind_letter(v: &ValueRef<'_>) -> char {
    match v {
        ValueRef::Null => 'n',
        ValueRef::Integer(_) => 'i',
        ValueRef::Real(_) => 'r',
        ValueRef::Text(_) => 't',
        ValueRef::Blob(_) => 'b',
    }
}

fn type_of(v: &ValueRef<'_>) -> Type {
    match v {
        ValueRef::Null | ValueRef::Text(_) => Type::TEXT,
        ValueRef::Integer(_) => Type::INT8,
        ValueRef::Real(_) => Type::FLOAT8,
        ValueRef::Blob(_) => Type::BYTEA,
    }
}

/// `?N` → `$N` and a bare `?` → the next number, outside string literals, quoted names and comments.
pub(super) fn translate(sql: &str) -> String {
    translate_with(sql, &[])
}

/// [`translate`], with the placeholders whose value is NULL (`nulls[n - 1]`) written as `NULL`.
fn translate_with(sql: &str, nulls: &[bool]) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break; // a doubled quote reopens at once: the next iteration copies it again
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else if let Ok(n) = digits.parse::<u32>() {
                    next = next.max(n);
                }
                let n: usize = digits.parse().unwrap_or(0);
                if n >= 1 && nulls.get(n - 1) == Some(&true) {
                    out.push_str("NULL");
                } else {
                    out.push('$');
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A value given to the server as the type it inferred for the placeholder: the domain SQL is
/// written once, so an integer may meet a TEXT column and a text a BIGINT one. A conversion that
/// would change the value (text that is not a number into a number column) is refused.
#[derive(Debug)]
struct Arg<'a>(&'a ValueRef<'a>);

type BoxError = Box<dyn Error + Sync + Send>;

fn refuse(ty: &Type, v: &ValueRef<'_>) -> BoxError {
    format!("значение {v:?} не подходит для типа {ty} на сервере").into()
}

impl PgToSql for Arg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> std::result::Result<IsNull, BoxError> {
        let v = self.0;
        if matches!(v, ValueRef::Null) {
            return Ok(IsNull::Yes);
        }
        let as_i64 = || -> std::result::Result<i64, BoxError> {
            match v {
                ValueRef::Integer(i) => Ok(*i),
                ValueRef::Text(t) => t.trim().parse().map_err(|_| refuse(ty, v)),
                ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
                _ => Err(refuse(ty, v)),
            }
        };
        match *ty {
            Type::INT8 => as_i64()?.to_sql(ty, out),
            Type::INT4 => i32::try_from(as_i64()?).map_err(|_| refuse(ty, v))?.to_sql(ty, out),
            Type::INT2 => i16::try_from(as_i64()?).map_err(|_| refuse(ty, v))?.to_sql(ty, out),
            Type::OID => u32::try_from(as_i64()?).map_err(|_| refuse(ty, v))?.to_sql(ty, out),
            Type::BOOL => (as_i64()? != 0).to_sql(ty, out),
            Type::FLOAT8 | Type::FLOAT4 => {
                let f = match v {
                    ValueRef::Real(f) => *f,
                    ValueRef::Integer(i) => *i as f64,
                    ValueRef::Text(t) => t.trim().parse().map_err(|_| refuse(ty, v))?,
                    _ => return Err(refuse(ty, v)),
                };
                if *ty == Type::FLOAT4 {
                    (f as f32).to_sql(ty, out)
                } else {
                    f.to_sql(ty, out)
                }
            }
            Type::NUMERIC => {
                let d = match v {
                    ValueRef::Integer(i) => Decimal::from(*i),
                    ValueRef::Text(t) => t.trim().parse::<Decimal>().map_err(|_| refuse(ty, v))?,
                    ValueRef::Real(f) => Decimal::try_from(*f).map_err(|_| refuse(ty, v))?,
                    _ => return Err(refuse(ty, v)),
                };
                d.to_sql(ty, out)
            }
            Type::BYTEA => match v {
                ValueRef::Blob(b) => b.as_ref().to_sql(ty, out),
                _ => Err(refuse(ty, v)),
            },
            _ if is_text(ty) => match v {
                ValueRef::Text(t) => t.as_ref().to_sql(&Type::TEXT, out),
                ValueRef::Integer(i) => i.to_string().as_str().to_sql(&Type::TEXT, out),
                ValueRef::Real(f) => f.to_string().as_str().to_sql(&Type::TEXT, out),
                _ => Err(refuse(ty, v)),
            },
            _ => Err(refuse(ty, v)),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
    ) || matches!(ty.kind(), Kind::Domain(t) if is_text(t))
}

/// Column `idx` of a server row as the seam's value.
pub(super) fn column(row: &postgres::Row, idx: usize) -> std::result::Result<ValueRef<'_>, String> {
    let ty = row
        .columns()
        .get(idx)
        .ok_or_else(|| format!("нет столбца {}", idx + 1))?
        .type_()
        .clone();
    let fail = |e: postgres::Error| e.to_string();
    let v = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(idx).map_err(fail)?.map(ValueRef::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(idx)
            .map_err(fail)?
            .map(|i| ValueRef::Integer(i.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(idx)
            .map_err(fail)?
            .map(|i| ValueRef::Integer(i.into())),
        Type::OID => row
            .try_get::<_, Option<u32>>(idx)
            .map_err(fail)?
            .map(|i| ValueRef::Integer(i.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(idx)
            .map_err(fail)?
            .map(|b| ValueRef::Integer(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(idx).map_err(fail)?.map(ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(idx)
            .map_err(fail)?
            .map(|f| ValueRef::Real(f.into())),
        Type::NUMERIC => row
            .try_get::<_, Option<Decimal>>(idx)
            .map_err(fail)?
            .map(|d| ValueRef::Text(d.normalize().to_string().into())),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(idx)
            .map_err(fail)?
            .map(|b| ValueRef::Blob(b.into())),
        ref t if is_text(t) => row
            .try_get::<_, Option<&str>>(idx)
            .map_err(fail)?
            .map(|s| ValueRef::Text(s.into())),
        ref t => return Err(format!("тип {t} не поддерживается")),
    };
    Ok(v.unwrap_or(ValueRef::Null))
}

/// A server error as the core's error: what the user can act on, in Russian.
pub(super) fn error(e: postgres::Error) -> CoreError {
    let code = e.code().cloned();
    // The server went away: closed by it (a restart, an administrator), or the network.
    let gone = code.as_ref().is_some_and(|c| {
        [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
        ]
        .contains(c)
            || c.code().starts_with("08")
    });
    // An error of the socket itself (the server gone mid-answer) has no SQL state.
    let io = e.source().is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed() || gone || io {
        return super::server::no_link();
    }
    // The program's own server functions refuse in Russian, for the user (RAISE EXCEPTION).
    if let Some(d) = e.as_db_error().filter(|d| *d.code() == SqlState::RAISE_EXCEPTION) {
        return CoreError::storage(format!("{}. Изменения не сохранены.", d.message()));
    }
    // A server error's own text: `Display` of the client's error says only «db error».
    let e = match e.as_db_error() {
        Some(d) => format!("{} [{}]", d.message(), d.code().code()),
        None => e.to_string(),
    };
    let message = match code {
        Some(c) if c == SqlState::INSUFFICIENT_PRIVILEGE => format!(
            "Сервер базы данных отказал: у вашей учётной записи нет прав на это действие — это право другой роли \
             (Настройки → Сотрудники; права ролей на сервере совпадают с таблицей прав программы). Ответ сервера: {e}"
        ),
        Some(c) if c == SqlState::UNIQUE_VIOLATION => format!("Такая запись уже есть: {e}"),
        Some(c) if c == SqlState::T_R_SERIALIZATION_FAILURE || c == SqlState::T_R_DEADLOCK_DETECTED => {
            "Сервер базы данных занят изменением коллеги. Повторите действие.".to_owned()
        }
        // The lock timeout of the program's sessions (`server::config`): a colleague's change holds
        // the centre's write lock longer than that — a long one, or one whose computer went silent
        // in its middle, which the server ends within a minute.
        Some(c) if c == SqlState::LOCK_NOT_AVAILABLE => {
            "Изменение коллеги ещё не завершено, сервер базы данных ждал его \
            10 секунд: изменения не сохранены. Повторите через минуту."
                .to_owned()
        }
        Some(c) if c == SqlState::DISK_FULL => {
            "На сервере базы данных закончилось место: изменения не сохранены.".to_owned()
        }
        _ => format!("Ошибка сервера базы данных: {e}. Изменения не сохранены."),
    };
    CoreError::storage(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    /// Against a real server when `CPE_TEST_DATABASE_URL` names one (`make test` starts a
    /// throw-away cluster): values of either kind meet columns of the other, aggregates come back.
    #[test]
    fn values_meet_the_types_the_server_inferred() {
        let Ok(url) = std::env::var("CPE_TEST_DATABASE_URL") else {
            return;
        };
        let pg = PgConn::new(Client::connect(&url, postgres::NoTls).unwrap());
        pg.batch("CREATE TEMP TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n INTEGER, amount TEXT, flag INTEGER, data BYTEA)")
            .unwrap();
        let ins = "INSERT INTO t (n, amount, flag, data) VALUES (?1, ?2, ?3, ?4)";
        let blob = [1u8, 2, 3];
        pg.execute(
            ins,
            &[
                ValueRef::Text("7".into()),
                ValueRef::Integer(1250),
                ValueRef::Integer(1),
                ValueRef::Blob(blob[..].into()),
            ],
        )
        .unwrap();
        pg.execute(
            ins,
            &[
                ValueRef::Integer(5),
                ValueRef::Text("0.50".into()),
                ValueRef::Integer(0),
                ValueRef::Null,
            ],
        )
        .unwrap();
        let err = pg
            .execute(
                ins,
                &[
                    ValueRef::Text("семь".into()),
                    ValueRef::Null,
                    ValueRef::Null,
                    ValueRef::Null,
                ],
            )
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Storage);
        let mut got = Vec::new();
        pg.for_each(
            "SELECT SUM(n), COUNT(*), n > ?1, amount, data, 1.5 * 2 FROM t WHERE flag = ?2 GROUP BY n, amount, data",
            &[ValueRef::Integer(6), ValueRef::Integer(1)],
            |r| {
                got.push((0..6).map(|i| column(r, i).unwrap().into_owned()).collect::<Vec<_>>());
                Ok(true)
            },
        )
        .unwrap();
        assert_eq!(
            got,
            vec![vec![
                ValueRef::Integer(7),
                ValueRef::Integer(1),
                ValueRef::Integer(1),
                ValueRef::Text("1250".into()),
                ValueRef::Blob(blob.to_vec().into()),
                ValueRef::Text("3".into()),
            ]]
        );
    }

    #[test]
    fn placeholders_are_renumbered_outside_quotes_and_comments() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = $12"
        );
        assert_eq!(translate("SELECT ? , ?"), "SELECT $1 , $2");
        assert_eq!(
            translate("SELECT '?1', \"a?\" -- ?3\n, ?2"),
            "SELECT '?1', \"a?\" -- ?3\n, $2"
        );
        assert_eq!(translate("SELECT 'it''s ?', ?1"), "SELECT 'it''s ?', $1");
    }
}
