//! Print-ready documents (agreements, acts, refusals, registry extracts): the small document model every kind is built from, laid out by `layout`/`table` and written by `pdf` — the only file that knows printpdf.
//!
//! A document is a list of sections; each section starts on a new page and numbers its own pages
//! («Страница N из M» from page 2), so many acts in one file still read as separate acts.

pub mod acts;
pub mod agreement;
pub mod archive;
#[cfg(test)]
mod archive_tests;
pub mod chart;
pub mod dates;
pub mod extract;
mod fonts;
pub mod items;
mod layout;
pub mod parties;
mod pdf;
pub mod records;
pub mod refusal;
mod table;
pub mod template;
pub mod typo;
pub mod words;

use chrono::NaiveDateTime;

use crate::error::Result;

pub use table::{Cell, Row, Table};

/// Document properties written into the PDF's information dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    /// The centre that issues the document.
    pub author: String,
    pub subject: String,
    /// The real moment of generation, passed in (rules never read the clock).
    pub created: NaiveDateTime,
}

/// Horizontal alignment of a paragraph or cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Centre,
    Right,
    /// Both edges flush: words are placed apart, the last line stays left.
    Justify,
}

/// Vertical alignment of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VAlign {
    #[default]
    Top,
    Middle,
    Bottom,
}

/// A piece of text in one weight. Words split across spans without a space stay glued.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            bold: false,
        }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            bold: true,
        }
    }
}

/// A paragraph. `\n` inside a span is a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub spans: Vec<Span>,
    pub align: Align,
    /// Font size in points.
    pub size: f32,
    /// First-line indent in millimetres.
    pub indent: f32,
    /// Space above, in points.
    pub before: f32,
    /// Space below, in points.
    pub after: f32,
    /// A heading: never the last thing on a page, it moves to the next page with the text it heads.
    pub keep_with_next: bool,
}

impl Para {
    pub fn new(align: Align, spans: Vec<Span>) -> Self {
        Para {
            spans,
            align,
            size: 12.0,
            indent: 0.0,
            before: 0.0,
            after: 4.0,
            keep_with_next: false,
        }
    }
    pub fn text(align: Align, text: impl Into<String>) -> Self {
        Self::new(align, vec![Span::plain(text)])
    }
    pub fn size(mut self, size: f32) -> Self {
        self.size = size;
        self
    }
    pub fn indent(mut self, mm: f32) -> Self {
        self.indent = mm;
        self
    }
    pub fn heading(mut self) -> Self {
        self.keep_with_next = true;
        self
    }
    pub fn spacing(mut self, before: f32, after: f32) -> Self {
        self.before = before;
        self.after = after;
        self
    }
}

/// A unit of the document flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Para),
    Table(Table),
    /// Vertical space in points.
    Space(f32),
    /// Laid out on one page: moved to the next page whole if it does not fit the rest of this one.
    KeepTogether(Vec<Block>),
    /// Two texts on one line, one flush left and one flush right (e.g. city and date).
    LeftRight {
        left: String,
        right: String,
        size: f32,
    },
    /// A chart drawn as vector graphics.
    Chart(chart::Chart),
    PageBreak,
}

/// A document: sections, each starting on a new page with its own page numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub sections: Vec<Vec<Block>>,
}

/// A4 portrait and the margins of the issue, in millimetres.
pub mod page {
    pub const WIDTH: f32 = 210.0;
    pub const HEIGHT: f32 = 297.0;
    pub const LEFT: f32 = 30.0;
    pub const RIGHT: f32 = 10.0;
    pub const TOP: f32 = 20.0;
    pub const BOTTOM: f32 = 20.0;
    /// The width text may take.
    pub const TEXT_WIDTH: f32 = WIDTH - LEFT - RIGHT;
}

/// Lays the document out and writes it as PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let pages = layout::compose(doc);
    pdf::write(&doc.meta, &pages)
}

/// A fingerprint of what the document shows — every drawing operation of every page, the title,
/// author and subject — without the creation date and the random ids printpdf writes into the file,
/// so the same content always gives the same fingerprint (the archive keys its versions on it).
pub fn content_fingerprint(doc: &Document) -> String {
    let pages = layout::compose(doc);
    let text = format!(
        "{:?}|{}|{}|{}",
        pages, doc.meta.title, doc.meta.author, doc.meta.subject
    );
    archive::sha256_hex(text.as_bytes())
}

/// The number of pages the document takes (the same layout `render` writes).
pub fn page_count(doc: &Document) -> usize {
    layout::compose(doc).len()
}

#[cfg(test)]
mod tests {
    use super::template::{Schema, Template};

    const README: &str = include_str!("../../../../../assets/templates/README.md");

    fn kinds() -> Vec<(Schema, &'static str)> {
        vec![
            (super::agreement::schema(), super::agreement::DEFAULT_TEMPLATE),
            (super::acts::schema(), super::acts::DEFAULT_TEMPLATE),
            (super::refusal::schema(), super::refusal::DEFAULT_TEMPLATE),
            (super::extract::schema(), super::extract::DEFAULT_TEMPLATE),
        ]
    }

    #[test]
    fn default_templates_parse_and_every_field_is_documented() {
        for (schema, source) in kinds() {
            Template::parse(&schema, source).unwrap_or_else(|e| panic!("{}", e.message));
            for (field, _) in &schema.fields {
                assert!(
                    README.contains(&format!("`{{{field}}}`")),
                    "README lacks {{{field}}} of {}",
                    schema.kind
                );
            }
            for (insert, _) in schema.inserts {
                assert!(
                    README.contains(&format!("`.вставка {insert}`")),
                    "README lacks .вставка {insert}"
                );
            }
        }
    }
}
