//! The reminder list: SMEs whose 3-year reporting window (§5.5.2, `export_reporting_obligation`) is open on a day and who have reported no export contract for a set number of days, the staff's contacts that work it off, and its printout.

use crate::db::Db;
use crate::params;
use crate::sme::shown_name_sql;
use crate::staff::Right;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::centre;
use crate::document::{self, dates, Align, Block, Cell, Document, Meta, Para, Row, Table};
use crate::error::{CoreError, Result};

const SETTINGS_KEY: &str = "export.reminders";

/// **Interpretation** (the regulation sets no period): an SME is listed when it has reported
/// nothing for `silent_days` since its window opened or its last report; a contact recorded within
/// `contact_pause_days` takes it off the list for that long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderSettings {
    pub silent_days: u32,
    pub contact_pause_days: u32,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            silent_days: 90,
            contact_pause_days: 30,
        }
    }
}

pub fn get_reminder_settings(conn: &Db) -> Result<ReminderSettings> {
    let v: Option<String> = conn.query_opt("SELECT value FROM setting WHERE key = ?1", [SETTINGS_KEY], |r| r.get(0))?;
    match v {
        None => Ok(ReminderSettings::default()),
        Some(v) => serde_json::from_str(&v)
            .map_err(|e| CoreError::storage(format!("Настройка напоминаний повреждена ({e}). Сохраните её заново."))),
    }
}

pub fn save_reminder_settings(conn: &mut Db, ctx: &Ctx, s: &ReminderSettings) -> Result<ReminderSettings> {
    if !(1..=1095).contains(&s.silent_days) {
        return Err(CoreError::field(
            "silent_days",
            "Срок без сообщений: от 1 до 1095 дней (3 года)",
        ));
    }
    if s.contact_pause_days > 365 {
        return Err(CoreError::field(
            "contact_pause_days",
            "Пауза после связи: от 0 до 365 дней",
        ));
    }
    let tx = conn.write(ctx, Right::Settings)?;
    let before = get_reminder_settings(&tx)?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![SETTINGS_KEY, serde_json::to_string(s).expect("settings serialise")],
    )?;
    audit::record(
        &tx,
        ctx,
        "setting",
        SETTINGS_KEY,
        AuditAction::Update,
        Some(&before),
        Some(s),
    )?;
    tx.commit()?;
    Ok(*s)
}

/// One SME on the reminder list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportReminder {
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    pub phone: String,
    pub email: String,
    /// Numbers of the completed complex-service agreements whose window is open.
    pub agreements: Vec<String>,
    /// The latest end of an open window.
    pub window_ends_on: NaiveDate,
    pub last_report_on: Option<NaiveDate>,
    /// Days since the last report (or since the window opened).
    pub silent_days: i64,
    pub last_contact_on: Option<NaiveDate>,
    pub last_contact_comment: String,
}

/// A call or letter to the SME about its export results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderContactInput {
    pub sme_id: i64,
    pub contacted_on: NaiveDate,
    #[serde(default)]
    pub comment: String,
}

#[derive(Serialize)]
struct ContactRecord<'a> {
    sme_id: i64,
    contacted_on: NaiveDate,
    comment: &'a str,
}

pub fn add_contact(conn: &mut Db, ctx: &Ctx, input: &ReminderContactInput) -> Result<()> {
    crate::fields::refuse_bad(input)?;
    if input.contacted_on > ctx.now.date() {
        return Err(CoreError::field(
            "contacted_on",
            "Дата связи: не может быть позже сегодняшнего дня",
        ));
    }
    let tx = conn.write(ctx, Right::Registry)?;
    let found: Option<i64> = tx.query_opt("SELECT id FROM sme WHERE id = ?1", [input.sme_id], |r| r.get(0))?;
    if found.is_none() {
        return Err(CoreError::not_found(format!("СМСП № {} не найден", input.sme_id)));
    }
    let id: i64 = tx.query_row(
        "INSERT INTO export_reminder_contact (sme_id, contacted_on, comment, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![
            input.sme_id,
            input.contacted_on,
            input.comment.trim(),
            ctx.actor,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    let rec = ContactRecord {
        sme_id: input.sme_id,
        contacted_on: input.contacted_on,
        comment: input.comment.trim(),
    };
    audit::record(
        &tx,
        ctx,
        "export_reminder_contact",
        id,
        AuditAction::Create,
        None,
        Some(&rec),
    )?;
    tx.commit()?;
    Ok(())
}

/// The SMEs to remind on `today`, the longest silent first.
pub fn reminders(conn: &Db, today: NaiveDate, s: &ReminderSettings) -> Result<Vec<ExportReminder>> {
    type Raw = (
        i64,
        String,
        String,
        String,
        String,
        String,
        NaiveDate,
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let raw: Vec<Raw> = conn.query_map(
        concat!(
            "SELECT o.sme_id, ",
            shown_name_sql!("s"),
            ", s.inn, s.phone, s.email,
                string_agg(a.number, ', '), min(o.starts_on), max(o.ends_on),
                (SELECT max(c.reported_on) FROM export_contract c WHERE c.sme_id = o.sme_id AND c.cancelled_at IS NULL),
                (SELECT max(k.contacted_on) FROM export_reminder_contact k WHERE k.sme_id = o.sme_id)
         FROM export_reporting_obligation o JOIN sme s ON s.id = o.sme_id JOIN agreement a ON a.id = o.agreement_id
         WHERE o.starts_on <= ?1 AND o.ends_on >= ?1
         GROUP BY o.sme_id, s.id"
        ),
        [today],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for (sme_id, sme_name, inn, phone, email, numbers, starts, ends, last_report, last_contact) in raw {
        let since = last_report.map_or(starts, |r| r.max(starts));
        let silent = (today - since).num_days();
        if silent < i64::from(s.silent_days) {
            continue;
        }
        if last_contact.is_some_and(|c| (today - c).num_days() < i64::from(s.contact_pause_days)) {
            continue;
        }
        let comment: String = match last_contact {
            Some(c) => conn.query_row(
                "SELECT comment FROM export_reminder_contact WHERE sme_id = ?1 AND contacted_on = ?2
                 ORDER BY id DESC LIMIT 1",
                params![sme_id, c],
                |r| r.get(0),
            )?,
            None => String::new(),
        };
        out.push(ExportReminder {
            sme_id,
            sme_name,
            inn,
            phone,
            email,
            agreements: numbers.split(", ").map(str::to_owned).collect(),
            window_ends_on: ends,
            last_report_on: last_report,
            silent_days: silent,
            last_contact_on: last_contact,
            last_contact_comment: comment,
        });
    }
    out.sort_by(|a, b| b.silent_days.cmp(&a.silent_days).then(a.sme_name.cmp(&b.sme_name)));
    Ok(out)
}

fn short(d: Option<NaiveDate>) -> String {
    d.map(dates::short).unwrap_or_else(|| "—".to_owned())
}

/// The list as a printable A4 PDF: the centre, the day, the rule, one row per SME.
pub fn reminders_pdf(conn: &Db, today: NaiveDate, s: &ReminderSettings, now: NaiveDateTime) -> Result<Vec<u8>> {
    let list = reminders(conn, today, s)?;
    let centre = centre::get(conn)?;
    let centre_name = centre.shown_name().to_owned();
    let header = vec![Row::new(
        [
            "№",
            "СМСП, ИНН, контакты",
            "Соглашения",
            "Окно до",
            "Последнее сообщение",
            "Дней без сообщений",
            "Последняя связь",
        ]
        .into_iter()
        .map(|h| Cell::new(h).bold().centre())
        .collect(),
    )];
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let contacts = [r.phone.as_str(), r.email.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let contact = match r.last_contact_on {
                Some(d) if r.last_contact_comment.is_empty() => dates::short(d),
                Some(d) => format!("{}: {}", dates::short(d), r.last_contact_comment),
                None => "—".to_owned(),
            };
            Row::new(vec![
                Cell::new((i + 1).to_string()).centre(),
                Cell::new(format!(
                    "{}\nИНН {}{}",
                    r.sme_name,
                    r.inn,
                    if contacts.is_empty() {
                        String::new()
                    } else {
                        format!("\n{contacts}")
                    }
                )),
                Cell::new(r.agreements.join(", ")),
                Cell::new(dates::short(r.window_ends_on)).centre(),
                Cell::new(short(r.last_report_on)).centre(),
                Cell::new(r.silent_days.to_string()).right(),
                Cell::new(contact),
            ])
        })
        .collect();
    let mut blocks = vec![
        Block::Para(Para::text(Align::Centre, centre_name.clone()).size(11.0)),
        Block::Para(
            Para::text(Align::Centre, "Напоминания об экспортных контрактах")
                .size(14.0)
                .heading()
                .spacing(6.0, 2.0),
        ),
        Block::Para(
            Para::text(
                Align::Centre,
                format!(
                    "СМСП с открытым трёхлетним сроком отчётности (п. 5.5.2), не сообщавшие об экспортных контрактах {} дней и более, на {}",
                    s.silent_days,
                    dates::short(today)
                ),
            )
            .size(10.0)
            .spacing(0.0, 8.0),
        ),
    ];
    if list.is_empty() {
        blocks.push(Block::Para(Para::text(Align::Left, "Таких СМСП нет.")));
    } else {
        blocks.push(Block::Table(Table::new(
            vec![8.0, 48.0, 24.0, 20.0, 22.0, 24.0, 24.0],
            header,
            rows,
        )));
    }
    blocks.push(Block::Para(
        Para::text(Align::Left, format!("Всего: {}", list.len())).spacing(8.0, 0.0),
    ));
    let doc = Document {
        meta: Meta {
            title: format!("Напоминания об экспортных контрактах на {}", dates::short(today)),
            author: centre_name,
            subject: "Напоминания об экспортных контрактах".to_owned(),
            created: now,
        },
        sections: vec![blocks],
    };
    document::render(&doc)
}
