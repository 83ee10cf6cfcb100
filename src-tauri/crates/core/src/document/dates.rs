//! Dates as Russian documents print them: `«15» марта 2025 г.` in running text and `15.03.2025` in tables.

use chrono::{Datelike, NaiveDate};

use crate::money::NBSP;

const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// `«15» марта 2025 г.` (non-breaking spaces keep it on one line).
pub fn long(d: NaiveDate) -> String {
    format!(
        "«{:02}»{NBSP}{}{NBSP}{}{NBSP}г.",
        d.day(),
        MONTHS_GENITIVE[d.month0() as usize],
        d.year()
    )
}

/// `15.03.2025`.
pub fn short(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        assert_eq!(long(d).replace(NBSP, " "), "«15» марта 2025 г.");
        assert_eq!(short(d), "15.03.2025");
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(long(d).replace(NBSP, " "), "«01» декабря 2026 г.");
        assert_eq!(short(d), "01.12.2026");
    }
}
