//! Values crossing the storage seam: what a query is given (`ToSql`, `Params`) and what a row gives back (`FromSql`), the same on both engines.
//!
//! Both engines store the same five kinds of value (NULL, integer, real, text, bytes); money is
//! TEXT holding a `Decimal`, dates are ISO TEXT, booleans are integers 0/1. A row's value is
//! converted to the Rust type the caller asks for, leniently where the engines differ in typing
//! (PostgreSQL answers `SUM` of integers as NUMERIC and comparisons as BOOLEAN; SQLite has no such
//! types) and strictly where a wrong value would be a wrong figure (an integer out of range, a
//! malformed date or amount is an error, never a default).

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// A value as given to a query or read from a row. Borrowed where the caller's data can be used
/// as it is.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

/// An owned value: for argument lists built at run time (filters, search words).
pub type Value = ValueRef<'static>;

impl ValueRef<'_> {
    fn kind(&self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Integer(_) => "целое число",
            ValueRef::Real(_) => "дробное число",
            ValueRef::Text(_) => "текст",
            ValueRef::Blob(_) => "двоичные данные",
        }
    }

    /// The owned copy, for keeping beyond the borrowed data.
    pub fn into_owned(self) -> Value {
        match self {
            ValueRef::Null => ValueRef::Null,
            ValueRef::Integer(i) => ValueRef::Integer(i),
            ValueRef::Real(f) => ValueRef::Real(f),
            ValueRef::Text(t) => ValueRef::Text(Cow::Owned(t.into_owned())),
            ValueRef::Blob(b) => ValueRef::Blob(Cow::Owned(b.into_owned())),
        }
    }
}

/// A Rust value that can be given to a query.
pub trait ToSql {
    fn to_sql(&self) -> ValueRef<'_>;
}

/// A Rust value that can be read from a row. The error is the reason, in Russian; the row adds
/// the column.
pub trait FromSql: Sized {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String>;
}

fn wrong(expected: &str, got: &ValueRef<'_>) -> String {
    format!("ожидалось {expected}, в базе {}", got.kind())
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> ValueRef<'_> {
        (**self).to_sql()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.to_sql(),
            None => ValueRef::Null,
        }
    }
}

impl ToSql for ValueRef<'_> {
    fn to_sql(&self) -> ValueRef<'_> {
        match self {
            ValueRef::Null => ValueRef::Null,
            ValueRef::Integer(i) => ValueRef::Integer(*i),
            ValueRef::Real(f) => ValueRef::Real(*f),
            ValueRef::Text(t) => ValueRef::Text(Cow::Borrowed(t)),
            ValueRef::Blob(b) => ValueRef::Blob(Cow::Borrowed(b)),
        }
    }
}

macro_rules! integer_to_sql {
    ($($t:ty)*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::from(*self))
            }
        }
    )*};
}
integer_to_sql!(i8 i16 i32 i64 u8 u16 u32 bool);

impl ToSql for usize {
    fn to_sql(&self) -> ValueRef<'_> {
        // No collection of the program comes near i64::MAX elements.
        ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToSql for f64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

impl ToSql for str {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(Cow::Borrowed(self))
    }
}

impl ToSql for String {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(Cow::Borrowed(self))
    }
}

impl ToSql for [u8] {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(Cow::Borrowed(self))
    }
}

impl ToSql for Vec<u8> {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(Cow::Borrowed(self))
    }
}

/// Money is stored as the `Decimal`'s text: exact, and the same on both engines.
impl ToSql for Decimal {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(Cow::Owned(self.to_string()))
    }
}

/// `YYYY-MM-DD`, as every date column holds.
impl ToSql for NaiveDate {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(Cow::Owned(self.format("%F").to_string()))
    }
}

/// `YYYY-MM-DD HH:MM:SS[.f]`: what rusqlite wrote for databases made before the seam.
impl ToSql for NaiveDateTime {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(Cow::Owned(self.format("%F %T%.f").to_string()))
    }
}

/// A value as it is, for keys read back into a query (the search's cursor).
impl FromSql for Value {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(value.into_owned())
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::from_sql(v).map(Some),
        }
    }
}

impl FromSql for i64 {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Integer(i) => Ok(i),
            // PostgreSQL's NUMERIC (a SUM of integers) arrives as its text.
            ValueRef::Text(ref t) => t.parse().map_err(|_| wrong("целое число", &value)),
            v => Err(wrong("целое число", &v)),
        }
    }
}

macro_rules! integer_from_sql {
    ($($t:ty)*) => {$(
        impl FromSql for $t {
            fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
                let i = i64::from_sql(value)?;
                <$t>::try_from(i).map_err(|_| format!("число {i} вне допустимого диапазона"))
            }
        }
    )*};
}
integer_from_sql!(i32 u32 u16 u8 usize);

impl FromSql for bool {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(i64::from_sql(value)? != 0)
    }
}

impl FromSql for f64 {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Real(f) => Ok(f),
            ValueRef::Integer(i) => Ok(i as f64),
            ValueRef::Text(ref t) => t.parse().map_err(|_| wrong("число", &value)),
            v => Err(wrong("число", &v)),
        }
    }
}

impl FromSql for String {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(t) => Ok(t.into_owned()),
            v => Err(wrong("текст", &v)),
        }
    }
}

impl FromSql for Vec<u8> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Blob(b) => Ok(b.into_owned()),
            v => Err(wrong("двоичные данные", &v)),
        }
    }
}

/// An amount stored as TEXT (or an integer count of roubles from an aggregate). A value above
/// [`crate::money::MAX_STORED`] was not written by the program and is refused here, so that no
/// sum or product of stored values can overflow (and panic) further on.
impl FromSql for Decimal {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        let d = match value {
            ValueRef::Text(ref t) => t.parse().map_err(|_| format!("«{t}» не является суммой"))?,
            ValueRef::Integer(i) => Decimal::from(i),
            v => return Err(wrong("сумму", &v)),
        };
        if d.abs() > crate::money::MAX_STORED {
            return Err(format!(
                "сумма {d} вне допустимых пределов (не больше 10¹⁵); запись внесена в файл не программой"
            ));
        }
        Ok(d)
    }
}

impl FromSql for NaiveDate {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(ref t) => {
                NaiveDate::parse_from_str(t, "%F").map_err(|_| format!("«{t}» не является датой ГГГГ-ММ-ДД"))
            }
            v => Err(wrong("дату", &v)),
        }
    }
}

impl FromSql for NaiveDateTime {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(ref t) => {
                let fmt = if t.as_bytes().get(10) == Some(&b'T') {
                    "%FT%T%.f"
                } else {
                    "%F %T%.f"
                };
                NaiveDateTime::parse_from_str(t, fmt).map_err(|_| format!("«{t}» не является датой и временем"))
            }
            v => Err(wrong("дату и время", &v)),
        }
    }
}

/// What a query is given: `[]`, an array of one type, `params![a, b]` for mixed types, or a
/// `Vec<Value>` built at run time. Placeholders are `?1`, `?2`, … (or `?` in order).
pub trait Params {
    fn values(&self) -> Vec<ValueRef<'_>>;
}

impl Params for () {
    fn values(&self) -> Vec<ValueRef<'_>> {
        Vec::new()
    }
}

/// `[]`: no arguments (a typed empty array, so that the literal `[]` needs no annotation).
impl Params for [&dyn ToSql; 0] {
    fn values(&self) -> Vec<ValueRef<'_>> {
        Vec::new()
    }
}

/// `params![…]` (a slice of `&dyn ToSql`), `&ids[..]`, `&values`.
impl<T: ToSql> Params for [T] {
    fn values(&self) -> Vec<ValueRef<'_>> {
        self.iter().map(ToSql::to_sql).collect()
    }
}

impl<T: ToSql> Params for Vec<T> {
    fn values(&self) -> Vec<ValueRef<'_>> {
        self.iter().map(ToSql::to_sql).collect()
    }
}

impl<P: Params + ?Sized> Params for &P {
    fn values(&self) -> Vec<ValueRef<'_>> {
        (**self).values()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn values(&self) -> Vec<ValueRef<'_>> {
                self.iter().map(ToSql::to_sql).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Arguments of mixed types: `params![id, name, date]`.
#[macro_export]
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::db::ToSql]
    };
    ($($v:expr),+ $(,)?) => {
        &[$(&$v as &dyn $crate::db::ToSql),+] as &[&dyn $crate::db::ToSql]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_is_strict_where_a_wrong_value_would_be_a_wrong_figure() {
        assert_eq!(i64::from_sql(ValueRef::Text("42".into())), Ok(42), "PostgreSQL NUMERIC");
        assert!(u32::from_sql(ValueRef::Integer(-1)).is_err());
        assert!(i32::from_sql(ValueRef::Integer(i64::MAX)).is_err());
        assert!(Decimal::from_sql(ValueRef::Text("12,5".into())).is_err());
        assert!(Decimal::from_sql(ValueRef::Text("50000000000000000000000000000".into())).is_err());
        assert_eq!(
            Decimal::from_sql(ValueRef::Text("12.50".into())).unwrap().to_string(),
            "12.50"
        );
        assert!(NaiveDate::from_sql(ValueRef::Text("2025-02-30".into())).is_err());
        assert_eq!(Option::<String>::from_sql(ValueRef::Null), Ok(None));
        assert!(String::from_sql(ValueRef::Null).is_err());
        assert_eq!(bool::from_sql(ValueRef::Integer(1)), Ok(true));
    }

    #[test]
    fn dates_and_times_keep_the_text_forms_already_stored() {
        let t = NaiveDate::from_ymd_opt(2025, 3, 3)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(t.to_sql(), ValueRef::Text("2025-03-03 09:05:00".into()));
        for stored in ["2025-03-03 09:05:00", "2025-03-03T09:05:00"] {
            assert_eq!(NaiveDateTime::from_sql(ValueRef::Text(stored.into())), Ok(t));
        }
    }
}
