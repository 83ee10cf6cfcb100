//! The Russian production calendar (производственный календарь): which days are working, shortened or off, and the working-day arithmetic every deadline of the app uses.
//!
//! A year's calendar is the plain five-day week changed by the non-working holidays of Labour
//! Code art. 112, the government's yearly transfer decree and the shortened pre-holiday days of
//! art. 95. The app ships the years in `assets/calendar/` (xmlcalendar XML) as defaults; staff can
//! replace a year by importing a file and change single days ([`store`]). The resulting
//! [`Calendar`] is a plain value: its methods never touch the database or the clock.
//!
//! A date in a year the calendar does not have is an error (`ErrorCode::Rule`), never guessed
//! as "weekdays only": a deadline computed on a wrong calendar is worse than no deadline.

pub mod store;
pub mod xml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode, Result};

pub use store::{clear_day, import_file, import_year, load, remove_import, set_day};

/// The calendars shipped with the app, one xmlcalendar file per year, with the decree each
/// comes from inside the file. Embedded so a fresh install works offline.
pub const SHIPPED: &[(i32, &str)] = &[
    (2024, include_str!("../../../../../assets/calendar/2024.xml")),
    (2025, include_str!("../../../../../assets/calendar/2025.xml")),
    (2026, include_str!("../../../../../assets/calendar/2026.xml")),
    (2027, include_str!("../../../../../assets/calendar/2027.xml")),
];

/// What a day is for counting deadlines and working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DayKind {
    /// A full working day.
    Working,
    /// A working day one hour shorter, before a non-working holiday (art. 95). Counts as working.
    Shortened,
    /// A weekend, a non-working holiday or a day off moved by a decree.
    DayOff,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        !matches!(self, DayKind::DayOff)
    }

    /// The Russian label shown in the UI and printed by the CLI.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Working => "рабочий",
            DayKind::Shortened => "сокращённый рабочий",
            DayKind::DayOff => "выходной",
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DayKind::Working => "working",
            DayKind::Shortened => "shortened",
            DayKind::DayOff => "day_off",
        }
    }

    pub(crate) fn from_db(s: &str) -> Option<DayKind> {
        match s {
            "working" => Some(DayKind::Working),
            "shortened" => Some(DayKind::Shortened),
            "day_off" => Some(DayKind::DayOff),
            _ => None,
        }
    }

    /// The kind of a day no calendar entry mentions: the five-day week.
    fn plain(date: NaiveDate) -> DayKind {
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayKind::DayOff,
            _ => DayKind::Working,
        }
    }
}

/// A day a year's calendar file lists: it differs from the plain five-day week or is a holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub kind: DayKind,
    /// The holiday's name (`<holiday title>`), when the day is one.
    pub holiday: Option<String>,
    /// For a day off moved by a decree or by art. 112: the day it was moved from.
    pub moved_from: Option<NaiveDate>,
}

/// One year of the production calendar as read from an xmlcalendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCalendar {
    pub year: i32,
    /// Where the calendar comes from (the decree), as shown to staff. Empty when the file does not say.
    pub source: String,
    /// The file says it is not official yet (built without the year's transfer decree).
    pub provisional: bool,
    /// The `date` attribute of the file (when it was published), as written there.
    pub published: String,
    /// The days that differ from the plain five-day week, or are holidays.
    pub days: BTreeMap<NaiveDate, SpecialDay>,
}

/// Where a year of the calendar in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CalendarOrigin {
    /// Shipped with the app (`assets/calendar/`).
    Shipped,
    /// Imported by staff from a file; replaces the shipped year.
    Imported,
}

/// A single day set by staff; it wins over the year's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayEdit {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// Why (e.g. the regional law or the centre's order).
    pub note: String,
    pub set_at: String,
    pub set_by: String,
}

/// A year of the calendar in use, for the settings screen and for warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarYearInfo {
    pub year: i32,
    /// The decree the year comes from, e.g. «Постановление Правительства РФ от 04.10.2024 № 1335 …».
    pub source: String,
    /// Not official yet: the UI warns next to every deadline that falls in this year.
    pub provisional: bool,
    pub origin: CalendarOrigin,
    /// For an imported year: the file's name, when and by whom.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_by: Option<String>,
    /// Counts after single-day edits. Working days include shortened ones.
    pub working_days: u32,
    pub shortened_days: u32,
    pub days_off: u32,
    /// Number of days of the year set by staff.
    pub edited_days: u32,
}

/// One day of a year as the calendar screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<NaiveDate>,
    /// Set by staff over the year's calendar.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit: Option<DayEdit>,
}

/// The metadata of an imported year, as stored beside its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub file_name: String,
    pub imported_at: String,
    pub imported_by: String,
}

struct LoadedYear {
    info: CalendarYearInfo,
    base: YearCalendar,
    edits: BTreeMap<NaiveDate, DayEdit>,
    /// The resolved kind of every day of the year, indexed by `ordinal0`.
    kinds: Vec<DayKind>,
}

/// The production calendar in use: shipped years overlaid with imported years and single-day
/// edits. Load it with [`store::load`]; all its methods are pure.
pub struct Calendar {
    years: BTreeMap<i32, LoadedYear>,
}

/// The error for a date in a year the calendar does not have.
pub fn missing_year(year: i32) -> CoreError {
    CoreError::new(
        ErrorCode::Rule,
        format!("нет производственного календаря на {year} год: загрузите календарь этого года из файла в формате xmlcalendar"),
    )
}

impl Calendar {
    /// Builds the calendar from whole years (each with its import record, `None` for shipped)
    /// and single-day edits. Edits of years not given are ignored: a day cannot be edited in a
    /// year the calendar lacks.
    pub fn new(years: Vec<(YearCalendar, Option<ImportRecord>)>, edits: Vec<DayEdit>) -> Calendar {
        let mut by_year: BTreeMap<i32, BTreeMap<NaiveDate, DayEdit>> = BTreeMap::new();
        for e in edits {
            by_year.entry(e.date.year()).or_default().insert(e.date, e);
        }
        let years = years
            .into_iter()
            .map(|(base, import)| {
                let edits = by_year.remove(&base.year).unwrap_or_default();
                (base.year, LoadedYear::new(base, import, edits))
            })
            .collect();
        Calendar { years }
    }

    /// The calendars shipped with the app, without anything staff changed.
    pub fn shipped() -> Result<Calendar> {
        let years = SHIPPED
            .iter()
            .map(|(_, text)| xml::parse_kept(text).map(|y| (y, None)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Calendar::new(years, Vec::new()))
    }

    /// The years the calendar has, in order.
    pub fn years(&self) -> Vec<CalendarYearInfo> {
        self.years.values().map(|y| y.info.clone()).collect()
    }

    pub fn year_info(&self, year: i32) -> Result<&CalendarYearInfo> {
        self.year(year).map(|y| &y.info)
    }

    /// The year's calendar before single-day edits (shipped or imported), e.g. to export it.
    pub fn base(&self, year: i32) -> Result<&YearCalendar> {
        self.year(year).map(|y| &y.base)
    }

    /// Whether the date falls in a year whose calendar is not official yet (the UI warns).
    pub fn is_provisional(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.year_info(date.year())?.provisional)
    }

    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind> {
        let y = self.year(date.year())?;
        Ok(y.kinds[date.ordinal0() as usize])
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.day_kind(date)?.is_working())
    }

    pub fn is_shortened(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.day_kind(date)? == DayKind::Shortened)
    }

    /// The `n`-th working day after `date`, counting from the day after the event: a deadline of
    /// 2 working days after Friday 2025-03-14 is Tuesday 2025-03-18. The event day itself never
    /// counts, whether or not it is a working day. `n = 0` returns `date` itself (nothing to
    /// add), so that `working_days_between(date, add_working_days(date, n)) == n` for every `n`.
    /// Fails when the count runs into a year the calendar lacks.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        self.year(date.year())?;
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The number of working days after `a` up to and including `b` — the `n` for which
    /// `add_working_days(a, n) == b` when `b` is a working day. Negative when `b` is before `a`
    /// (`-working_days_between(b, a)`), so an overdue deadline gives a negative number.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64> {
        if b < a {
            return self.working_days_between(b, a).map(|n| -n);
        }
        self.year(a.year())?;
        self.year(b.year())?;
        let mut count = 0i64;
        for year in a.year()..=b.year() {
            let y = self.year(year)?;
            let from = if year == a.year() { a.ordinal0() as usize + 1 } else { 0 };
            let to = if year == b.year() {
                b.ordinal0() as usize + 1
            } else {
                y.kinds.len()
            };
            count += y.kinds[from.min(to)..to].iter().filter(|k| k.is_working()).count() as i64;
        }
        Ok(count)
    }

    /// Every day of the year, for the calendar screen.
    pub fn days(&self, year: i32) -> Result<Vec<CalendarDay>> {
        let y = self.year(year)?;
        Ok(y.kinds
            .iter()
            .enumerate()
            .map(|(i, &kind)| {
                let date = first_of_year(year) + Duration::days(i as i64);
                let special = y.base.days.get(&date);
                CalendarDay {
                    date,
                    kind,
                    holiday: special.and_then(|s| s.holiday.clone()),
                    moved_from: special.and_then(|s| s.moved_from),
                    edit: y.edits.get(&date).cloned(),
                }
            })
            .collect())
    }

    fn year(&self, year: i32) -> Result<&LoadedYear> {
        self.years.get(&year).ok_or_else(|| missing_year(year))
    }
}

impl LoadedYear {
    fn new(base: YearCalendar, import: Option<ImportRecord>, edits: BTreeMap<NaiveDate, DayEdit>) -> LoadedYear {
        let first = first_of_year(base.year);
        let len = if NaiveDate::from_ymd_opt(base.year, 2, 29).is_some() {
            366
        } else {
            365
        };
        let kinds: Vec<DayKind> = (0..len)
            .map(|i| {
                let date = first + Duration::days(i);
                edits
                    .get(&date)
                    .map(|e| e.kind)
                    .or_else(|| base.days.get(&date).map(|s| s.kind))
                    .unwrap_or_else(|| DayKind::plain(date))
            })
            .collect();
        let count = |k: DayKind| kinds.iter().filter(|&&x| x == k).count() as u32;
        let info = CalendarYearInfo {
            year: base.year,
            source: base.source.clone(),
            provisional: base.provisional,
            origin: if import.is_some() {
                CalendarOrigin::Imported
            } else {
                CalendarOrigin::Shipped
            },
            file_name: import.as_ref().map(|i| i.file_name.clone()),
            imported_at: import.as_ref().map(|i| i.imported_at.clone()),
            imported_by: import.as_ref().map(|i| i.imported_by.clone()),
            working_days: count(DayKind::Working) + count(DayKind::Shortened),
            shortened_days: count(DayKind::Shortened),
            days_off: count(DayKind::DayOff),
            edited_days: edits.len() as u32,
        };
        LoadedYear {
            info,
            base,
            edits,
            kinds,
        }
    }
}

fn first_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("calendar years are validated to 1990..=2200")
}

fn next_day(date: NaiveDate) -> Result<NaiveDate> {
    date.succ_opt().ok_or_else(|| missing_year(date.year() + 1))
}
