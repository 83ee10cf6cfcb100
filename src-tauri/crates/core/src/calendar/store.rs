//! Storage of the calendar changes staff make — imported years and single-day edits — each in one transaction with its audit entry, and loading the calendar in use from them.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::{Datelike, NaiveDate};

use super::{xml, Calendar, CalendarYearInfo, DayEdit, DayKind, ImportRecord, YearCalendar, SHIPPED};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};

const YEAR_ENTITY: &str = "calendar_year";
const DAY_ENTITY: &str = "calendar_day";

/// The calendar in use: the shipped years, each replaced by its imported file if any, with the
/// single-day edits on top.
pub fn load(conn: &Db) -> Result<Calendar> {
    let mut years: std::collections::BTreeMap<i32, (YearCalendar, Option<ImportRecord>)> = Default::default();
    for (_, text) in SHIPPED {
        let y = xml::parse_kept(text)?;
        years.insert(y.year, (y, None));
    }
    let rows = conn.query_map(
        "SELECT year, xml, file_name, source, provisional, imported_at, imported_by FROM calendar_year",
        [],
        |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                ImportRecord {
                    file_name: r.get(2)?,
                    imported_at: r.get(5)?,
                    imported_by: r.get(6)?,
                },
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        },
    )?;
    for row in rows {
        let (year, text, record, source, provisional) = row;
        let mut y = xml::parse_kept(&text).map_err(|e| {
            CoreError::storage(format!(
                "Сохранённый календарь на {year} год не читается ({}). Загрузите его заново.",
                e.message
            ))
        })?;
        // The stored columns are what staff saw on import; the file may lack them.
        y.source = source;
        y.provisional = provisional;
        years.insert(year, (y, Some(record)));
    }
    Ok(Calendar::new(years.into_values().collect(), day_edits(conn)?))
}

fn day_edits(conn: &Db) -> Result<Vec<DayEdit>> {
    let rows = conn.query_map(
        "SELECT date, kind, note, set_at, set_by FROM calendar_day ORDER BY date",
        [],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (date, kind, note, set_at, set_by) = row;
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| CoreError::storage(format!("В календаре сохранена неверная дата «{date}»")))?;
        let kind = DayKind::from_db(&kind)
            .ok_or_else(|| CoreError::storage(format!("В календаре сохранён неизвестный вид дня «{kind}»")))?;
        out.push(DayEdit {
            date,
            kind,
            note,
            set_at,
            set_by,
        });
    }
    Ok(out)
}

/// Imports one year from an xmlcalendar file, replacing that year (shipped or imported before)
/// together with the single-day edits staff made in it: a newly imported official calendar is
/// the whole truth for its year. Returns the year as now in use. Nothing is saved if the file
/// has any problem.
pub fn import_year(conn: &mut Db, ctx: &Ctx, text: &str, file_name: &str) -> Result<CalendarYearInfo> {
    let parsed = xml::parse(text)?;
    let year = parsed.year;
    let source = if parsed.source.is_empty() {
        let published = if parsed.published.is_empty() {
            String::new()
        } else {
            format!(" от {}", parsed.published)
        };
        format!("Загружен из файла «{file_name}»{published}")
    } else {
        parsed.source.clone()
    };

    let tx = conn.write(ctx, Right::Settings)?;
    let before = load(&tx)?.year_info(year).ok().cloned();
    let edits: Vec<DayEdit> = day_edits(&tx)?.into_iter().filter(|e| e.date.year() == year).collect();
    for e in &edits {
        tx.execute("DELETE FROM calendar_day WHERE date = ?1", params![e.date.to_string()])?;
        audit::record(&tx, ctx, DAY_ENTITY, e.date, AuditAction::Delete, Some(e), None)?;
    }
    tx.execute(
        "INSERT INTO calendar_year (year, xml, file_name, source, provisional, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (year) DO UPDATE SET xml = excluded.xml, file_name = excluded.file_name, source = excluded.source,
             provisional = excluded.provisional, imported_at = excluded.imported_at, imported_by = excluded.imported_by",
        params![
            year,
            text,
            file_name,
            source,
            parsed.provisional,
            ctx.stamp(),
            ctx.actor
        ],
    )?;
    let after = load(&tx)?.year_info(year)?.clone();
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(&tx, ctx, YEAR_ENTITY, year, action, before.as_ref(), Some(&after))?;
    tx.commit()?;
    Ok(after)
}

/// Reads an xmlcalendar file from disk and imports it ([`import_year`]); the desktop app and the
/// CLI both take a path the user chose, so the reading and its Russian messages live here once.
pub fn import_file(conn: &mut Db, ctx: &Ctx, path: &std::path::Path) -> Result<CalendarYearInfo> {
    let bytes = std::fs::read(path).map_err(|e| {
        CoreError::new(
            ErrorCode::File,
            format!("Не удалось прочитать файл {}: {e}", path.display()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CoreError::new(
            ErrorCode::File,
            format!("Файл {} не в кодировке UTF-8; сохраните его в UTF-8", path.display()),
        )
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_year(conn, ctx, &text, &name)
}

/// Drops the imported file of a year: the shipped calendar of that year (if the app has one)
/// is used again. Single-day edits stay.
pub fn remove_import(conn: &mut Db, ctx: &Ctx, year: i32) -> Result<()> {
    let tx = conn.write(ctx, Right::Settings)?;
    let before = load(&tx)?.year_info(year).ok().cloned();
    let removed = tx.execute("DELETE FROM calendar_year WHERE year = ?1", params![year])?;
    if removed == 0 {
        return Err(CoreError::not_found(format!(
            "Календарь на {year} год не загружался из файла: удалять нечего"
        )));
    }
    let after = load(&tx)?.year_info(year).ok().cloned();
    audit::record(
        &tx,
        ctx,
        YEAR_ENTITY,
        year,
        AuditAction::Delete,
        before.as_ref(),
        after.as_ref(),
    )?;
    tx.commit()?;
    Ok(())
}

/// Sets one day as working, shortened or day off over the year's calendar (e.g. a regional
/// holiday). The year must be in the calendar: a day cannot be edited in a year it lacks.
pub fn set_day(conn: &mut Db, ctx: &Ctx, date: NaiveDate, kind: DayKind, note: &str) -> Result<DayEdit> {
    crate::fields::check_text("note", note)?;
    let tx = conn.write(ctx, Right::Settings)?;
    load(&tx)?.year_info(date.year())?;
    let before = existing_edit(&tx, date)?;
    let edit = DayEdit {
        date,
        kind,
        note: note.trim().to_owned(),
        set_at: ctx.stamp(),
        set_by: ctx.actor.clone(),
    };
    tx.execute(
        "INSERT INTO calendar_day (date, kind, note, set_at, set_by) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, note = excluded.note, set_at = excluded.set_at,
             set_by = excluded.set_by",
        params![date.to_string(), kind.as_str(), edit.note, edit.set_at, edit.set_by],
    )?;
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(&tx, ctx, DAY_ENTITY, date, action, before.as_ref(), Some(&edit))?;
    tx.commit()?;
    Ok(edit)
}

/// Removes a single-day edit: the day follows the year's calendar again.
pub fn clear_day(conn: &mut Db, ctx: &Ctx, date: NaiveDate) -> Result<()> {
    let tx = conn.write(ctx, Right::Settings)?;
    let Some(before) = existing_edit(&tx, date)? else {
        return Err(CoreError::not_found(format!(
            "День {} не менялся вручную: сбрасывать нечего",
            date.format("%d.%m.%Y")
        )));
    };
    tx.execute("DELETE FROM calendar_day WHERE date = ?1", params![date.to_string()])?;
    audit::record(&tx, ctx, DAY_ENTITY, date, AuditAction::Delete, Some(&before), None)?;
    tx.commit()?;
    Ok(())
}

fn existing_edit(conn: &Db, date: NaiveDate) -> Result<Option<DayEdit>> {
    let row = conn.query_opt(
        "SELECT kind, note, set_at, set_by FROM calendar_day WHERE date = ?1",
        params![date.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        },
    )?;
    let Some((kind, note, set_at, set_by)) = row else {
        return Ok(None);
    };
    let kind = DayKind::from_db(&kind)
        .ok_or_else(|| CoreError::storage(format!("В календаре сохранён неизвестный вид дня «{kind}»")))?;
    Ok(Some(DayEdit {
        date,
        kind,
        note,
        set_at,
        set_by,
    }))
}
