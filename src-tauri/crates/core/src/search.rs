//! Text search shared by every list of the app: how text is folded for searching, and how a typed word becomes a literal SQL pattern.
//!
//! Searching is case-insensitive for Russian and literal. Both halves are done in Rust because
//! the database cannot be trusted with them: SQLite's `lower()` folds ASCII only («китай» never
//! found «Китай»), and a `%` or `_` typed by a user would otherwise be a wildcard. So every
//! searchable table keeps a `search_text` column folded by [`fold`] when the record is written,
//! and a query compares it with [`contains_pattern`] of each folded word under `ESCAPE '\'`.

/// Text as stored in a `search_text` column and as searched: lower case (Unicode), and «ё»
/// written as «е» because people type «Семенов» for «Семёнов».
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// The folded words of what a user typed, in order.
pub fn words(typed: &str) -> Vec<String> {
    fold(typed).split_whitespace().map(str::to_owned).collect()
}

/// A `LIKE … ESCAPE '\'` pattern matching `word` anywhere, literally: `%`, `_` and `\` in it
/// match only themselves.
pub fn contains_pattern(word: &str) -> String {
    format!("%{}%", escape_like(word))
}

/// A `LIKE … ESCAPE '\'` pattern matching text that starts with `prefix`, literally.
pub fn prefix_pattern(prefix: &str) -> String {
    format!("{}%", escape_like(prefix))
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn like(text: &str, pattern: &str) -> bool {
        let conn = Connection::open_in_memory().unwrap();
        conn.query_row("SELECT ?1 LIKE ?2 ESCAPE '\\'", [text, pattern], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn folds_cyrillic_capitals_and_yo() {
        assert_eq!(fold("Китай, ПРИМЁРОВ"), "китай, примеров");
        assert_eq!(words("  ООО   Ёлка "), ["ооо", "елка"]);
    }

    #[test]
    fn patterns_are_literal() {
        assert!(like(&fold("Поставка в Китай"), &contains_pattern("китай")));
        assert!(like("скидка 100%", &contains_pattern("100%")));
        assert!(!like("скидка 1000", &contains_pattern("100%")));
        assert!(!like("a-b", &contains_pattern("a_b")));
        assert!(like("a_b", &contains_pattern("a_b")));
        assert!(like("c:\\x", &contains_pattern("\\x")));
        assert!(like("0409, 2007", &prefix_pattern("04")));
        assert!(!like("0409, 2007", &prefix_pattern("0_")));
        assert!(!like("0409", &prefix_pattern("%")));
    }
}
