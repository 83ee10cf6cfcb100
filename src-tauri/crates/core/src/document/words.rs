//! Amounts in Russian words for acts and agreements: `Один миллион двести пятьдесят тысяч рублей 00 копеек`, with the genders and plural forms Russian grammar wants.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money::{format_rub, kopecks};

/// Grammatical gender of the counted noun: `один рубль`, `одна тысяча`, `одно место`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
    Neuter,
}

/// The three forms of a counted noun: for 1, for 2–4, for 5–20 (`рубль`, `рубля`, `рублей`).
pub type Forms = [&'static str; 3];

pub const RUBLE: Forms = ["рубль", "рубля", "рублей"];
pub const KOPECK: Forms = ["копейка", "копейки", "копеек"];

/// The form of a noun that agrees with `n`: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль.
pub fn plural(n: u64, forms: Forms) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => forms[2],
        (1, _) => forms[0],
        (2..=4, _) => forms[1],
        _ => forms[2],
    }
}

const HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];
const TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const UNITS: [&str; 10] = [
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];

fn triple(n: u64, gender: Gender, out: &mut Vec<&'static str>) {
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    if h > 0 {
        out.push(HUNDREDS[h as usize]);
    }
    if t == 1 {
        out.push(TEENS[u as usize]);
        return;
    }
    if t > 1 {
        out.push(TENS[t as usize]);
    }
    match (u, gender) {
        (0, _) => {}
        (1, Gender::Feminine) => out.push("одна"),
        (2, Gender::Feminine) => out.push("две"),
        (1, Gender::Neuter) => out.push("одно"),
        _ => out.push(UNITS[u as usize]),
    }
}

/// A whole number in words, lower case, agreeing with a noun of `gender` (`двадцать одна`).
pub fn number(n: u64, gender: Gender) -> String {
    if n == 0 {
        return "ноль".into();
    }
    const SCALES: [(u64, Forms, Gender); 4] = [
        (
            1_000_000_000_000,
            ["триллион", "триллиона", "триллионов"],
            Gender::Masculine,
        ),
        (
            1_000_000_000,
            ["миллиард", "миллиарда", "миллиардов"],
            Gender::Masculine,
        ),
        (1_000_000, ["миллион", "миллиона", "миллионов"], Gender::Masculine),
        (1_000, ["тысяча", "тысячи", "тысяч"], Gender::Feminine),
    ];
    let mut out = Vec::new();
    let mut rest = n;
    for (scale, forms, g) in SCALES {
        let k = rest / scale;
        if k > 0 {
            triple(k % 1000, g, &mut out);
            out.push(plural(k % 1000, forms));
            rest %= scale;
        }
    }
    triple(rest, gender, &mut out);
    out.join(" ")
}

/// `Один миллион двести пятьдесят тысяч рублей 00 копеек`: roubles in words, kopecks in digits.
pub fn amount_in_words(amount: Decimal) -> String {
    let k = kopecks(amount.abs());
    let rub = k.trunc().to_u64().unwrap_or(0);
    let kop = ((k - k.trunc()) * Decimal::ONE_HUNDRED).to_u64().unwrap_or(0);
    let mut words = number(rub, Gender::Masculine);
    if let Some(first) = words.get(..words.chars().next().map_or(0, char::len_utf8)) {
        words = first.to_uppercase() + &words[first.len()..];
    }
    format!("{words} {} {kop:02} {}", plural(rub, RUBLE), plural(kop, KOPECK))
}

/// `1 250 000,00 ₽ (Один миллион двести пятьдесят тысяч рублей 00 копеек)`.
pub fn rub_with_words(amount: Decimal) -> String {
    format!("{} ({})", format_rub(amount), amount_in_words(amount))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_example_of_the_issue() {
        assert_eq!(
            rub_with_words(d("1250000")).replace('\u{a0}', " "),
            "1 250 000,00 ₽ (Один миллион двести пятьдесят тысяч рублей 00 копеек)"
        );
    }

    #[test]
    fn fixed_amounts() {
        let cases = [
            ("0", "Ноль рублей 00 копеек"),
            ("0.01", "Ноль рублей 01 копейка"),
            ("1", "Один рубль 00 копеек"),
            ("2.02", "Два рубля 02 копейки"),
            ("5.05", "Пять рублей 05 копеек"),
            ("11.11", "Одиннадцать рублей 11 копеек"),
            ("21.21", "Двадцать один рубль 21 копейка"),
            ("112", "Сто двенадцать рублей 00 копеек"),
            ("1000", "Одна тысяча рублей 00 копеек"),
            ("2000", "Две тысячи рублей 00 копеек"),
            ("5000", "Пять тысяч рублей 00 копеек"),
            ("11000", "Одиннадцать тысяч рублей 00 копеек"),
            ("21000", "Двадцать одна тысяча рублей 00 копеек"),
            ("1000000", "Один миллион рублей 00 копеек"),
            ("2000000", "Два миллиона рублей 00 копеек"),
            ("5000000", "Пять миллионов рублей 00 копеек"),
            ("1001001", "Один миллион одна тысяча один рубль 00 копеек"),
            ("300000.5", "Триста тысяч рублей 50 копеек"),
            ("999999999.99", "Девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек"),
        ];
        for (amount, words) in cases {
            assert_eq!(amount_in_words(d(amount)), words, "{amount}");
        }
    }

    #[test]
    fn all_genders() {
        let cases: [(u64, [&str; 3]); 8] = [
            (1, ["один", "одна", "одно"]),
            (2, ["два", "две", "два"]),
            (5, ["пять", "пять", "пять"]),
            (11, ["одиннадцать", "одиннадцать", "одиннадцать"]),
            (21, ["двадцать один", "двадцать одна", "двадцать одно"]),
            (1000, ["одна тысяча", "одна тысяча", "одна тысяча"]),
            (2000, ["две тысячи", "две тысячи", "две тысячи"]),
            (1_000_000, ["один миллион", "один миллион", "один миллион"]),
        ];
        for (n, [m, f, ne]) in cases {
            assert_eq!(number(n, Gender::Masculine), m);
            assert_eq!(number(n, Gender::Feminine), f);
            assert_eq!(number(n, Gender::Neuter), ne);
        }
        assert_eq!(plural(1, RUBLE), "рубль");
        assert_eq!(plural(3, RUBLE), "рубля");
        assert_eq!(plural(12, RUBLE), "рублей");
        assert_eq!(plural(111, KOPECK), "копеек");
        assert_eq!(plural(101, KOPECK), "копейка");
    }

    proptest! {
        #[test]
        fn every_amount_gives_a_phrase(k in 0i64..100_000_000_000) {
            let amount = Decimal::new(k, 2);
            let words = amount_in_words(amount);
            prop_assert!(words.chars().next().unwrap().is_uppercase());
            prop_assert!(!words.contains("  "));
            let kop = format!(" {:02} ", k % 100);
            prop_assert!(words.contains(&kop), "{} lacks{}", words, kop);
            prop_assert!(words.ends_with("копейка") || words.ends_with("копейки") || words.ends_with("копеек"));
            prop_assert!(words.contains("рубл"));
            prop_assert!(words.split(' ').all(|w| !w.is_empty()));
        }
    }
}
