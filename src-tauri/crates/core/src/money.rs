//! Money as people read it: roubles with kopecks in `Decimal`, printed `1 250 000,00 ₽` (non-breaking thousand separators, decimal comma) and parsed from what staff type.

use rust_decimal::{Decimal, RoundingStrategy};

/// Non-breaking space: keeps `1 250 000,00 ₽` on one line in documents and tables.
pub const NBSP: char = '\u{00A0}';

/// The largest sum in roubles the program accepts anywhere: 999 999 999 999,99 ₽ — a thousand times
/// a large region's yearly export support budget, so no real amount is near it, while sums of
/// millions of such amounts and their products with a share or a rate stay far inside `Decimal`'s
/// range (about 7.9·10²⁸), where `+` and `*` cannot overflow.
pub const MAX_RUB: Decimal = Decimal::from_parts(0x107A_3FFF, 0x5AF3, 0, false, 2);

/// The largest amount in a foreign currency (a contract, a year's volume): 10¹⁵ − 0,01 units,
/// enough for contracts in currencies with small units (10 000 донгов ≈ 30 ₽).
pub const MAX_FOREIGN: Decimal = Decimal::from_parts(0x5D89_FFFF, 0x0163_4578, 0, false, 2);

/// No value of money or rate the program writes is above this; a larger one read from the file
/// was put there by other means and is refused on reading ([`crate::db::FromSql`] for `Decimal`),
/// so arithmetic on stored values never meets a number it could overflow on.
pub const MAX_STORED: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// A sum in roubles as the program accepts it: not negative, whole kopecks, at most [`MAX_RUB`].
/// The reason names the amount; callers put the field's label in front.
pub fn check_rub(d: Decimal) -> Result<Decimal, String> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("{} — сумма не может быть отрицательной", format_amount(d)));
    }
    if d.normalize().scale() > 2 {
        return Err(format!(
            "{d} — больше двух знаков после запятой; укажите сумму с точностью до копейки"
        ));
    }
    if d > MAX_RUB {
        return Err(format!(
            "{} — больше допустимого ({}); проверьте, не лишние ли цифры",
            format_plain_big(d),
            format_rub(MAX_RUB)
        ));
    }
    Ok(kopecks(d))
}

/// An amount in a foreign currency as accepted: positive or zero, at most [`MAX_FOREIGN`], to
/// two decimals.
pub fn check_foreign(d: Decimal) -> Result<Decimal, String> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("{d} — сумма не может быть отрицательной"));
    }
    if d.normalize().scale() > 2 {
        return Err(format!("{d} — больше двух знаков после запятой"));
    }
    if d > MAX_FOREIGN {
        return Err(format!(
            "{} — больше допустимого ({}); проверьте, не лишние ли цифры",
            format_plain_big(d),
            format_amount(MAX_FOREIGN)
        ));
    }
    Ok(d)
}

/// Parses an amount in a foreign currency as typed (`1 250 000,50`), bounded by [`MAX_FOREIGN`].
pub fn parse_foreign(text: &str) -> Result<Decimal, String> {
    match parse_decimal(text) {
        Some(d) if d > Decimal::ZERO => check_foreign(d),
        Some(_) => Err(format!("«{}» — укажите положительную сумму", text.trim())),
        None if text.chars().filter(char::is_ascii_digit).count() > 17 => Err(format!(
            "«{}» — больше допустимого ({}); проверьте, не лишние ли цифры",
            text.trim(),
            format_amount(MAX_FOREIGN)
        )),
        None => Err(format!(
            "«{}» — не сумма; укажите сумму в валюте контракта, например 1 250 000,00",
            text.trim()
        )),
    }
}

/// A huge number as typed, for a message (grouping it would hide the extra digits).
fn format_plain_big(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// Rounds to whole kopecks, half away from zero, and always keeps two decimals (`250000.00`).
pub fn kopecks(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Rounds up (towards +∞) to whole kopecks: a minimum share is never below the exact product.
pub fn kopecks_up(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity);
    r.rescale(2);
    r
}

/// `1 250 000,00` — digits grouped by three with non-breaking spaces, decimal comma.
pub fn format_amount(d: Decimal) -> String {
    let k = kopecks(d);
    let negative = k.is_sign_negative() && !k.is_zero();
    let text = k.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 * 2);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(NBSP);
        }
        grouped.push(ch);
    }
    format!("{}{grouped},{frac}", if negative { "−" } else { "" })
}

/// A count as people read it: `200 000` (non-breaking spaces between groups of three).
pub fn format_count(n: u64) -> String {
    format_amount(Decimal::from(n)).trim_end_matches(",00").to_owned()
}

/// `1 250 000,00 ₽`.
pub fn format_rub(d: Decimal) -> String {
    format!("{}{NBSP}₽", format_amount(d))
}

/// The amount as a plain decimal string with two decimals (`250000.00`): for JSON and files.
pub fn plain(d: Decimal) -> String {
    kopecks(d).to_string()
}

/// Parses an amount as typed: `1250000`, `1 250 000,50`, `1250000.50`, with or without `₽`/`руб.`.
/// Refuses fractions of a kopeck instead of silently rounding them away.
pub fn parse_rub(text: &str) -> Result<Decimal, String> {
    let cleaned: String = text
        .trim()
        .trim_end_matches("руб.")
        .trim_end_matches('₽')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != NBSP && *c != '\u{202F}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Err("сумма не указана".to_owned());
    }
    let d: Decimal = cleaned.parse().map_err(|_| {
        format!(
            "«{}» — не сумма; укажите рубли и копейки, например 1250000,00",
            text.trim()
        )
    })?;
    check_rub(d)
}

/// Parses a decimal as typed, at any precision (exchange rates, foreign-currency amounts):
/// `92,5058`, `1 250 000.5`. `None` when it is not a number.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != NBSP && *c != '\u{202F}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('+') {
        return None;
    }
    // Beyond Decimal's 28 digits `parse` would round silently (0,000…0001 → 0): refuse instead.
    let digits = cleaned.chars().filter(char::is_ascii_digit).count();
    if digits > 28 {
        return None;
    }
    cleaned.parse::<Decimal>().ok()
}

/// Reads an amount stored as TEXT in column `idx` (every money column of the database).
pub(crate) fn column(r: &crate::db::Row, idx: usize) -> crate::Result<Decimal> {
    r.get(idx)
}

/// SQL for the sum of a money column in whole kopecks (INTEGER, 0 for no rows), for totals counted
/// inside a query. Each stored amount has at most two decimals, so ROUND(x * 100) of it is exact,
/// and the integer sum stays exact (a REAL sum would not); read it back with `Decimal::new(k, 2)`.
pub(crate) fn sql_sum_kopecks(column: &str) -> String {
    format!("COALESCE(SUM(CAST(ROUND(CAST({column} AS DOUBLE PRECISION) * 100) AS BIGINT)), 0)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Issue 14: amounts had no upper bound, and Decimal arithmetic panicked on overflow later.
    #[test]
    fn amounts_are_bounded_where_they_are_typed() {
        assert_eq!(MAX_RUB, d("999999999999.99"));
        assert_eq!(MAX_FOREIGN, d("999999999999999.99"));
        assert_eq!(MAX_STORED, d("1000000000000000"));
        assert_eq!(parse_rub("999 999 999 999,99").unwrap(), MAX_RUB);
        for huge in [
            "1 000 000 000 000",
            "50000000000000000000000000000",
            "79228162514264337593543950335",
        ] {
            let e = parse_rub(huge).unwrap_err();
            assert!(
                e.contains("больше допустимого") || e.contains("не сумма"),
                "{huge}: {e}"
            );
        }
        assert!(parse_rub("-5").unwrap_err().contains("отрицательной"));
        assert_eq!(
            parse_decimal("0,0000000000000000000000000001"),
            None,
            "29 digits would be rounded away"
        );
        assert_eq!(parse_decimal("0,0001"), Some(d("0.0001")));
        assert!(check_foreign(d("1000000000000000")).is_err());
        // Sums of a million of the largest amounts and their products with a share stay in range.
        let sum = (0..1_000_000).fold(Decimal::ZERO, |s, _| s + MAX_STORED);
        assert!(sum.checked_mul(Decimal::ONE).is_some());
    }

    #[test]
    fn formats_with_non_breaking_groups_and_comma() {
        assert_eq!(format_rub(d("1250000")), "1\u{a0}250\u{a0}000,00\u{a0}₽");
        assert_eq!(format_amount(d("0")), "0,00");
        assert_eq!(format_amount(d("999.5")), "999,50");
        assert_eq!(format_amount(d("1000")), "1\u{a0}000,00");
        assert_eq!(format_amount(d("100000.005")), "100\u{a0}000,01");
        assert_eq!(format_amount(d("-1234.5")), "−1\u{a0}234,50");
    }

    #[test]
    fn rounds_up_to_the_kopeck() {
        assert_eq!(kopecks_up(d("0.001")).to_string(), "0.01");
        assert_eq!(kopecks_up(d("250000")).to_string(), "250000.00");
        assert_eq!(kopecks_up(d("333.3333")).to_string(), "333.34");
    }

    #[test]
    fn parses_typed_amounts() {
        assert_eq!(parse_rub("1 250 000,50 ₽").unwrap(), d("1250000.50"));
        assert_eq!(parse_rub("1250000").unwrap().to_string(), "1250000.00");
        assert_eq!(parse_rub("40000.5").unwrap(), d("40000.50"));
        assert!(parse_rub("12,345").unwrap_err().contains("копейки"));
        assert!(parse_rub("abc").unwrap_err().contains("не сумма"));
        assert!(parse_rub("-5").unwrap_err().contains("отрицательной"));
        assert!(parse_rub("").is_err());
    }

    proptest! {
        #[test]
        fn formatting_round_trips(k in 0i64..1_000_000_000_000) {
            let amount = Decimal::new(k, 2);
            let text = format_rub(amount);
            prop_assert_eq!(parse_rub(&text).unwrap(), amount);
        }
    }
}
