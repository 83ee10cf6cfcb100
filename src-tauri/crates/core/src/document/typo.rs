//! Russian typesetting rules applied to every paragraph: non-breaking spaces where a line break would split what belongs together (`№ 12`, `2025 г.`, `И. И. Иванов`, `500 руб.`).

use crate::money::NBSP;

/// Words that stay on the line of the number before them.
const AFTER_NUMBER: &[&str] = &[
    "г.", "гг.", "руб.", "коп.", "₽", "%", "тыс.", "млн", "млрд", "м²", "шт.",
];

/// Replaces the ordinary spaces that must not break by non-breaking ones.
pub fn nbsp(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, w) in words.iter().enumerate() {
        out.push_str(w);
        if i + 1 == words.len() {
            break;
        }
        let next = words[i + 1];
        let glue = *w == "№"
            || *w == "§"
            || (is_initial(w) && !starts_lower(next))
            || (is_initial(next) && starts_upper(w) && !w.ends_with('.') && !is_initial(w))
            || (ends_with_digit(w) && AFTER_NUMBER.iter().any(|a| next.starts_with(a)))
            || (ends_with_digit(w) && starts_with_digit(next) && next.len() == 3);
        out.push(if glue { NBSP } else { ' ' });
    }
    out
}

/// `И.` — one capital letter and a dot (an initial).
fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(l), Some('.'), None) if l.is_uppercase())
}

fn starts_lower(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn ends_with_digit(w: &str) -> bool {
    w.chars().last().is_some_and(|c| c.is_ascii_digit())
}

fn starts_with_digit(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glues_what_belongs_together() {
        assert_eq!(nbsp("Акт № 12 от 2025 г."), "Акт №\u{a0}12 от 2025\u{a0}г.");
        assert_eq!(nbsp("директор И. И. Иванов"), "директор И.\u{a0}И.\u{a0}Иванов");
        assert_eq!(nbsp("Иванов И. И. подписал"), "Иванов\u{a0}И.\u{a0}И. подписал");
        assert_eq!(nbsp("сумма 500 руб. оплачена"), "сумма 500\u{a0}руб. оплачена");
        assert_eq!(nbsp("по п. 6.1 Порядка"), "по п. 6.1 Порядка");
        assert_eq!(nbsp("итого 1 250 000 ₽"), "итого 1\u{a0}250\u{a0}000\u{a0}₽");
    }
}
