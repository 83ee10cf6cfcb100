//! Centre settings (реквизиты ЦПЭ) and its staff (сотрудники): used by every document and by the audit log's "who".

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Problems, Result};
use crate::ident;

/// The centre's requisites. Empty strings mean "not filled yet": a new centre fills them in over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CentreSettings {
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    /// Two-digit code of the centre's region; decides "registered in the centre's region" (§4.3.2).
    pub region_code: String,
    /// City shown in document headers («г. Хабаровск»).
    pub city: String,
    pub legal_address: String,
    pub postal_address: String,
    pub phone: String,
    pub email: String,
    pub bank_name: String,
    pub bik: String,
    pub settlement_account: String,
    pub correspondent_account: String,
    pub head_position: String,
    pub head_name: String,
}

impl CentreSettings {
    /// The name the centre goes by: its short name, else its full name.
    pub fn shown_name(&self) -> &str {
        if self.short_name.trim().is_empty() {
            &self.full_name
        } else {
            &self.short_name
        }
    }
}

/// Field names and their Russian labels, in form order. The CLI's `settings set KEY` accepts these keys.
pub const FIELDS: &[(&str, &str)] = &[
    ("full_name", "Полное наименование"),
    ("short_name", "Краткое наименование"),
    ("inn", "ИНН"),
    ("kpp", "КПП"),
    ("ogrn", "ОГРН"),
    ("region_code", "Код региона"),
    ("city", "Город"),
    ("legal_address", "Юридический адрес"),
    ("postal_address", "Почтовый адрес"),
    ("phone", "Телефон"),
    ("email", "Электронная почта"),
    ("bank_name", "Банк"),
    ("bik", "БИК"),
    ("settlement_account", "Расчётный счёт"),
    ("correspondent_account", "Корреспондентский счёт"),
    ("head_position", "Должность руководителя"),
    ("head_name", "ФИО руководителя"),
];

const COLUMNS: &str = "full_name, short_name, inn, kpp, ogrn, region_code, city, legal_address, postal_address, \
     phone, email, bank_name, bik, settlement_account, correspondent_account, head_position, head_name";

pub fn get(conn: &Db) -> Result<CentreSettings> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM centre WHERE id = 1"), [], |r| {
        Ok(CentreSettings {
            full_name: r.get(0)?,
            short_name: r.get(1)?,
            inn: r.get(2)?,
            kpp: r.get(3)?,
            ogrn: r.get(4)?,
            region_code: r.get(5)?,
            city: r.get(6)?,
            legal_address: r.get(7)?,
            postal_address: r.get(8)?,
            phone: r.get(9)?,
            email: r.get(10)?,
            bank_name: r.get(11)?,
            bik: r.get(12)?,
            settlement_account: r.get(13)?,
            correspondent_account: r.get(14)?,
            head_position: r.get(15)?,
            head_name: r.get(16)?,
        })
    })
}

/// A plausible e-mail address: something@domain.tld, no spaces. Shared by every form with an e-mail.
pub(crate) fn validate_email(value: &str) -> std::result::Result<(), String> {
    let ok = value.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    }) && !value.contains(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "«{value}» не похоже на адрес электронной почты (пример: info@export27.ru)"
        ))
    }
}

/// Every problem of the form at once. Filled fields must be well-formed; empty ones are allowed.
pub fn validate(s: &CentreSettings) -> Vec<CoreError> {
    let mut p = Problems(crate::fields::check_record(s));
    let filled = |v: &str| !v.trim().is_empty();
    if filled(&s.inn) {
        p.check(
            "inn",
            "ИНН",
            ident::validate_inn(&s.inn).and_then(|k| match k {
                ident::InnKind::Organisation => Ok(()),
                ident::InnKind::Person => Err("у организации ИНН из 10 цифр, а введено 12".into()),
            }),
        );
    }
    if filled(&s.kpp) {
        p.check("kpp", "КПП", ident::validate_kpp(&s.kpp));
    }
    if filled(&s.ogrn) {
        p.check("ogrn", "ОГРН", ident::validate_ogrn(&s.ogrn));
    }
    if filled(&s.region_code) {
        p.check(
            "region_code",
            "Код региона",
            ident::validate_region_code(&s.region_code),
        );
    }
    if filled(&s.email) {
        p.check("email", "Электронная почта", validate_email(&s.email));
    }
    if filled(&s.bik) {
        p.check("bik", "БИК", ident::validate_bik(&s.bik));
    }
    if filled(&s.settlement_account) {
        p.check(
            "settlement_account",
            "Расчётный счёт",
            ident::validate_settlement_account(&s.settlement_account, &s.bik),
        );
    }
    if filled(&s.correspondent_account) {
        p.check(
            "correspondent_account",
            "Корреспондентский счёт",
            ident::validate_correspondent_account(&s.correspondent_account, &s.bik),
        );
    }
    p.0
}

fn trimmed(s: &CentreSettings) -> CentreSettings {
    let mut v = serde_json::to_value(s).expect("settings serialise");
    for (_, field) in v.as_object_mut().expect("a struct").iter_mut() {
        if let Some(text) = field.as_str() {
            *field = text.trim().into();
        }
    }
    serde_json::from_value(v).expect("same shape")
}

/// Saves the whole form in one transaction with an audit entry; nothing is written when any field is wrong.
pub fn save(conn: &mut Db, ctx: &Ctx, settings: &CentreSettings) -> Result<CentreSettings> {
    let new = trimmed(settings);
    if let Some(e) = validate(&new).into_iter().next() {
        return Err(e);
    }
    let tx = conn.write(ctx, Right::Settings)?;
    write_row(&tx, ctx, &new)?;
    tx.commit()?;
    Ok(new)
}

/// Writes the requisites (already checked) with an audit entry when anything changed; inside the
/// caller's transaction (the settings form, the first setup).
pub(crate) fn write_row(conn: &Db, ctx: &Ctx, new: &CentreSettings) -> Result<()> {
    let old = get(conn)?;
    if old != *new {
        conn.execute(
            "UPDATE centre SET full_name = ?1, short_name = ?2, inn = ?3, kpp = ?4, ogrn = ?5, region_code = ?6,
             city = ?7, legal_address = ?8, postal_address = ?9, phone = ?10, email = ?11, bank_name = ?12, bik = ?13,
             settlement_account = ?14, correspondent_account = ?15, head_position = ?16, head_name = ?17 WHERE id = 1",
            params![
                new.full_name,
                new.short_name,
                new.inn,
                new.kpp,
                new.ogrn,
                new.region_code,
                new.city,
                new.legal_address,
                new.postal_address,
                new.phone,
                new.email,
                new.bank_name,
                new.bik,
                new.settlement_account,
                new.correspondent_account,
                new.head_position,
                new.head_name
            ],
        )?;
        audit::record(conn, ctx, "centre", 1, AuditAction::Update, Some(&old), Some(new))?;
    }
    Ok(())
}

/// Sets one field by its key (the CLI's `settings set KEY VALUE`).
pub fn set_field(conn: &mut Db, ctx: &Ctx, key: &str, value: &str) -> Result<CentreSettings> {
    if !FIELDS.iter().any(|(k, _)| *k == key) {
        let keys = FIELDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
        return Err(CoreError::new(
            ErrorCode::Validation,
            format!("Неизвестный параметр «{key}». Допустимые: {keys}"),
        ));
    }
    let mut v = serde_json::to_value(get(conn)?).expect("settings serialise");
    v[key] = value.into();
    save(conn, ctx, &serde_json::from_value(v).expect("same shape"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    fn ctx() -> Ctx {
        Ctx::new(
            "Иванова А. А.",
            chrono::NaiveDate::from_ymd_opt(2025, 3, 15)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        )
    }

    #[test]
    fn saves_settings_with_an_audit_entry() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(dir.path()).unwrap();
        let mut s = get(&conn).unwrap();
        s.full_name = "  АНО «Центр поддержки экспорта Хабаровского края»  ".into();
        s.inn = ident::complete_inn10("272199999");
        s.bik = "040813608".into();
        save(&mut conn, &ctx(), &s).unwrap();
        let back = get(&conn).unwrap();
        assert_eq!(back.full_name, "АНО «Центр поддержки экспорта Хабаровского края»");
        let log = audit::list(&conn, Some("centre"), None, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].actor, "Иванова А. А.");
        assert!(log[0].after_json.as_ref().unwrap().contains("Хабаровского"));
    }

    #[test]
    fn a_wrong_field_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(dir.path()).unwrap();
        let mut s = get(&conn).unwrap();
        s.full_name = "ЦПЭ".into();
        s.kpp = "12345".into();
        s.email = "нет".into();
        assert_eq!(validate(&s).len(), 2);
        let err = save(&mut conn, &ctx(), &s).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("kpp"));
        assert_eq!(get(&conn).unwrap().full_name, "");
        assert!(audit::list(&conn, None, None, 10).unwrap().is_empty());
        let err = set_field(&mut conn, &ctx(), "colour", "red").unwrap_err();
        assert!(err.message.contains("Неизвестный параметр"));
    }
}
