//! Reading and writing one year of the production calendar in the xmlcalendar XML format, the format the shipped calendars and the files staff import use.
//!
//! ```xml
//! <calendar year="2025" lang="ru" date="2024.10.04" country="ru" source="…" provisional="0">
//!   <holidays><holiday id="1" title="Новогодние каникулы"/>…</holidays>
//!   <days><day d="01.01" t="1" h="1"/><day d="05.02" t="1" f="01.04"/><day d="11.01" t="2"/>…</days>
//! </calendar>
//! ```
//! `t="1"` is a day off, `t="2"` a shortened working day, `t="3"` a full working day on a
//! weekend; days not listed follow the five-day week. `source` and `provisional` are this app's
//! additions (the decree the year comes from; not yet official) and are optional on import.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{DayKind, SpecialDay, YearCalendar};
use crate::error::{CoreError, ErrorCode, Result};

fn bad(message: impl std::fmt::Display) -> CoreError {
    CoreError::new(ErrorCode::File, format!("Файл производственного календаря: {message}"))
}

/// A `<day>` as written, resolved once the year and the holiday titles are known.
struct RawDay {
    line: usize,
    attrs: HashMap<String, String>,
}

/// [`parse`] of a text kept in the app or the database: the calendar is loaded for every
/// deadline counted, and each of its years is parsed once per process.
pub(crate) fn parse_kept(text: &str) -> Result<YearCalendar> {
    static PARSED: crate::parsed::ParsedTexts<YearCalendar> = crate::parsed::ParsedTexts::new(16);
    PARSED.get(text, parse)
}

/// Parses one year. Every problem is reported with the line and what to fix; nothing is guessed.
pub fn parse(text: &str) -> Result<YearCalendar> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut lines = crate::xmltext::Lines::new(text);

    let mut calendar: Option<HashMap<String, String>> = None;
    let mut titles: HashMap<String, String> = HashMap::new();
    let mut raw_days: Vec<RawDay> = Vec::new();
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let line = lines.at(pos);
                match e.local_name().as_ref() {
                    "calendar" => calendar = Some(attributes(&e, line)?),
                    "holiday" => {
                        let a = attributes(&e, line)?;
                        if let (Some(id), Some(title)) = (a.get("id"), a.get("title")) {
                            titles.insert(id.clone(), title.clone());
                        }
                    }
                    "day" => raw_days.push(RawDay {
                        line,
                        attrs: attributes(&e, line)?,
                    }),
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Err(err) => {
                let line = lines.at(reader.error_position());
                return Err(bad(format!("это не корректный XML (строка {line}): {err}")));
            }
            Ok(_) => {}
        }
    }

    let Some(cal) = calendar else {
        return Err(bad(
            "нет элемента <calendar year=\"…\">; это не производственный календарь в формате xmlcalendar",
        ));
    };
    let year = match cal.get("year").map(|y| y.trim().parse::<i32>()) {
        Some(Ok(y)) if (1990..=2200).contains(&y) => y,
        Some(_) => return Err(bad(format!("год «{}» в атрибуте year не похож на год", cal["year"]))),
        None => return Err(bad("у элемента <calendar> нет атрибута year с годом календаря")),
    };
    if let Some(country) = cal.get("country") {
        if !country.eq_ignore_ascii_case("ru") {
            return Err(bad(format!(
                "это календарь другой страны (country=\"{country}\"), нужен календарь России (ru)"
            )));
        }
    }
    if raw_days.is_empty() {
        return Err(bad(format!(
            "в календаре на {year} год нет ни одного дня <day>: праздники и переносы не указаны"
        )));
    }

    let mut days = BTreeMap::new();
    for raw in raw_days {
        let (date, day) = resolve_day(year, &raw, &titles)?;
        if days.insert(date, day).is_some() {
            return Err(bad(format!(
                "строка {}: день {} указан дважды",
                raw.line,
                date.format("%d.%m.%Y")
            )));
        }
    }
    let provisional = matches!(cal.get("provisional").map(|s| s.trim()), Some("1") | Some("true"));
    Ok(YearCalendar {
        year,
        source: cal.get("source").map(|s| s.trim().to_owned()).unwrap_or_default(),
        provisional,
        published: cal.get("date").cloned().unwrap_or_default(),
        days,
    })
}

fn resolve_day(year: i32, raw: &RawDay, titles: &HashMap<String, String>) -> Result<(NaiveDate, SpecialDay)> {
    let line = raw.line;
    let d = raw.attrs.get("d").ok_or_else(|| {
        bad(format!(
            "строка {line}: у элемента <day> нет атрибута d с датой «ММ.ДД»"
        ))
    })?;
    let date = month_day(year, d).ok_or_else(|| {
        bad(format!(
            "строка {line}: дата d=\"{d}\" — нужна существующая дата {year} года в виде «ММ.ДД», например «05.09»"
        ))
    })?;
    let kind = match raw.attrs.get("t").map(|t| t.trim()) {
        Some("1") => DayKind::DayOff,
        Some("2") => DayKind::Shortened,
        Some("3") => DayKind::Working,
        other => {
            return Err(bad(format!(
            "строка {line}: у дня {d} тип t=\"{}\"; ожидается 1 (выходной), 2 (сокращённый рабочий) или 3 (рабочий)",
            other.unwrap_or("")
        )))
        }
    };
    let moved_from = match raw.attrs.get("f") {
        None => None,
        Some(f) => Some(month_day(year, f).ok_or_else(|| {
            bad(format!(
                "строка {line}: у дня {d} дата переноса f=\"{f}\" — нужна дата {year} года в виде «ММ.ДД»"
            ))
        })?),
    };
    let holiday = raw.attrs.get("h").and_then(|h| titles.get(h)).cloned();
    Ok((
        date,
        SpecialDay {
            kind,
            holiday,
            moved_from,
        },
    ))
}

fn month_day(year: i32, s: &str) -> Option<NaiveDate> {
    let (m, d) = s.trim().split_once('.')?;
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

fn attributes(e: &BytesStart, line: usize) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| bad(format!("строка {line}: неверный атрибут: {err}")))?;
        let key = attr.key.local_name().as_ref().to_owned();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| bad(format!("строка {line}: неверное значение атрибута {key}: {err}")))?;
        out.insert(key, value.into_owned());
    }
    Ok(out)
}

/// Writes the year back in the xmlcalendar format (with this app's `source` and `provisional`),
/// so that `parse(&to_xml(y)) == y`.
pub fn to_xml(y: &YearCalendar) -> String {
    use quick_xml::escape::escape;
    let mut titles: Vec<&str> = Vec::new();
    for day in y.days.values() {
        if let Some(t) = &day.holiday {
            if !titles.contains(&t.as_str()) {
                titles.push(t);
            }
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out += &format!(
        "<calendar year=\"{}\" lang=\"ru\" date=\"{}\" country=\"ru\" provisional=\"{}\" source=\"{}\">\n  <holidays>\n",
        y.year,
        escape(y.published.as_str()),
        u8::from(y.provisional),
        escape(y.source.as_str())
    );
    for (i, t) in titles.iter().enumerate() {
        out += &format!("    <holiday id=\"{}\" title=\"{}\"/>\n", i + 1, escape(*t));
    }
    out += "  </holidays>\n  <days>\n";
    for (date, day) in &y.days {
        let t = match day.kind {
            DayKind::DayOff => 1,
            DayKind::Shortened => 2,
            DayKind::Working => 3,
        };
        out += &format!("    <day d=\"{}\" t=\"{t}\"", date.format("%m.%d"));
        if let Some(h) = &day.holiday {
            let id = titles.iter().position(|x| x == h).expect("collected above") + 1;
            out += &format!(" h=\"{id}\"");
        }
        if let Some(f) = day.moved_from {
            out += &format!(" f=\"{}\"", f.format("%m.%d"));
        }
        out += "/>\n";
    }
    out += "  </days>\n</calendar>\n";
    out
}
