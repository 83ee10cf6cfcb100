//! The layout layer: breaks paragraphs into lines with the font's own glyph advances, places them on A4 pages, keeps blocks together and adds «Страница N из M» in a second pass.

use super::fonts::{fonts, FaceId, ASCENT, LINE_HEIGHT};
use super::{page, typo, Align, Block, Document, Span};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// What the PDF writer draws. Coordinates in points from the page's top-left corner; `y` of text is its baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Draw {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: FaceId,
        text: String,
    },
    /// A grey filled rectangle (0 black … 1 white).
    Fill { x: f32, y: f32, w: f32, h: f32, grey: f32 },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A filled rectangle in colour (charts).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [f32; 3],
    },
    /// A line in colour (chart axes and grid).
    Stroke {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        rgb: [f32; 3],
    },
}

pub(crate) type Page = Vec<Draw>;

/// One laid-out line: pieces of text at offsets from the left edge of the column.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub pieces: Vec<(f32, String, FaceId)>,
}

/// A word: pieces in their weights, glued without spaces.
#[derive(Debug, Clone, Default)]
struct Word {
    /// Text, face, width in points.
    pieces: Vec<(String, FaceId, f32)>,
    width: f32,
    /// A hard break (`\n`) follows this word.
    hard_break: bool,
}

fn words_of(spans: &[Span], size: f32) -> Vec<Word> {
    let f = fonts();
    let mut words: Vec<Word> = Vec::new();
    let mut cur = Word::default();
    for span in spans {
        let text = typo::nbsp(&span.text);
        let mut piece = String::new();
        let flush_piece = |piece: &mut String, cur: &mut Word| {
            for (run, face) in f.runs(&std::mem::take(piece), span.bold) {
                let w = f.face(face).width(&run, size);
                cur.width += w;
                cur.pieces.push((run, face, w));
            }
        };
        for c in text.chars() {
            match c {
                ' ' | '\t' | '\n' => {
                    flush_piece(&mut piece, &mut cur);
                    if !cur.pieces.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                    if c == '\n' {
                        match words.last_mut() {
                            Some(w) if !w.hard_break => w.hard_break = true,
                            _ => words.push(Word {
                                hard_break: true,
                                ..Word::default()
                            }),
                        }
                    }
                }
                _ => piece.push(c),
            }
        }
        flush_piece(&mut piece, &mut cur);
    }
    if !cur.pieces.is_empty() {
        words.push(cur);
    }
    words
}

/// Splits a word wider than the line into parts that fit (a hard break inside the word).
fn split_long(word: Word, width: f32, size: f32) -> Vec<Word> {
    let f = fonts();
    let mut parts = Vec::new();
    let mut cur = Word::default();
    for (text, id, _) in word.pieces {
        let face = f.face(id);
        let mut piece = String::new();
        let mut piece_w = 0.0;
        for c in text.chars() {
            let mut buf = [0u8; 4];
            let w = face.width(c.encode_utf8(&mut buf), size);
            if cur.width + w > width && cur.width > 0.0 {
                if !piece.is_empty() {
                    cur.pieces.push((std::mem::take(&mut piece), id, piece_w));
                    piece_w = 0.0;
                }
                parts.push(std::mem::take(&mut cur));
            }
            piece.push(c);
            piece_w += w;
            cur.width += w;
        }
        if !piece.is_empty() {
            cur.pieces.push((piece, id, piece_w));
        }
    }
    cur.hard_break = word.hard_break;
    parts.push(cur);
    parts
}

/// Breaks spans into lines of at most `width` points (the first line `indent` narrower) and aligns them.
pub(crate) fn break_lines(spans: &[Span], size: f32, width: f32, indent: f32, align: Align) -> Vec<Line> {
    let space = fonts().face(0).width(" ", size);
    let mut words = Vec::new();
    for w in words_of(spans, size) {
        if w.width > width - indent {
            words.extend(split_long(w, width - indent, size));
        } else {
            words.push(w);
        }
    }
    let mut lines = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let avail = if lines.is_empty() { width - indent } else { width };
        let start = i;
        let mut used = words[i].width;
        i += 1;
        while i < words.len() && !words[i - 1].hard_break && used + space + words[i].width <= avail + 0.01 {
            used += space + words[i].width;
            i += 1;
        }
        let last = i == words.len() || words[i - 1].hard_break;
        let line_words = &words[start..i];
        let offset = if lines.is_empty() { indent } else { 0.0 };
        lines.push(place(line_words, used, avail, offset, space, align, last));
    }
    if lines.is_empty() {
        lines.push(Line::default());
    }
    lines
}

fn place(words: &[Word], used: f32, avail: f32, offset: f32, space: f32, align: Align, last: bool) -> Line {
    let free = (avail - used).max(0.0);
    let gaps = words.len().saturating_sub(1);
    let (mut x, gap) = match align {
        Align::Left => (offset, space),
        Align::Centre => (offset + free / 2.0, space),
        Align::Right => (offset + free, space),
        Align::Justify if last || gaps == 0 => (offset, space),
        Align::Justify => (offset, space + free / gaps as f32),
    };
    let mut line = Line::default();
    let justified = align == Align::Justify && !last && gaps > 0;
    for (n, w) in words.iter().enumerate() {
        for (pi, (text, face, width)) in w.pieces.iter().enumerate() {
            // Unjustified lines keep one text run per weight: fewer operators, the same look.
            match line.pieces.last_mut() {
                Some((_, prev, b)) if !justified && *b == *face && n > 0 && pi == 0 => {
                    prev.push(' ');
                    prev.push_str(text);
                }
                _ => line.pieces.push((x, text.clone(), *face)),
            }
            x += width;
        }
        x += gap;
    }
    line
}

/// The text area of a page, in points.
pub(crate) const X0: f32 = page::LEFT * MM;
pub(crate) const WIDTH: f32 = page::TEXT_WIDTH * MM;
pub(crate) const Y0: f32 = page::TOP * MM;
pub(crate) const Y1: f32 = (page::HEIGHT - page::BOTTOM) * MM;

/// Places blocks onto pages.
pub(crate) struct Composer {
    pub pages: Vec<Page>,
    pub y: f32,
    /// Page height for measuring (a huge page never breaks).
    pub bottom: f32,
}

impl Composer {
    pub fn new(bottom: f32) -> Self {
        Composer {
            pages: vec![Vec::new()],
            y: Y0,
            bottom,
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = Y0;
    }

    pub fn at_top(&self) -> bool {
        self.y <= Y0 + 0.01
    }

    pub fn room(&self) -> f32 {
        self.bottom - self.y
    }

    pub fn draw(&mut self, d: Draw) {
        self.pages.last_mut().expect("a page").push(d);
    }

    /// Draws laid-out lines at column `x`, starting at the line top `y`.
    pub fn draw_lines(&mut self, lines: &[Line], x: f32, y: f32, size: f32) {
        for (n, line) in lines.iter().enumerate() {
            let base = y + n as f32 * size * LINE_HEIGHT + size * ASCENT;
            for (dx, text, face) in &line.pieces {
                self.draw(Draw::Text {
                    x: x + dx,
                    y: base,
                    size,
                    face: *face,
                    text: text.clone(),
                });
            }
        }
    }

    /// Places blocks in order; a heading kept with the next block looks at what that block needs.
    pub fn blocks(&mut self, blocks: &[Block]) {
        for (i, b) in blocks.iter().enumerate() {
            self.block_before(b, blocks.get(i + 1));
        }
    }

    /// The least height the start of `next` needs on the page its heading is on: a table's header
    /// and first row, a paragraph's first three lines, anything else whole (up to a page).
    fn lead_of(next: Option<&Block>) -> f32 {
        match next {
            Some(Block::Table(t)) => super::table::lead_height(t),
            Some(Block::Para(p)) => {
                let lines = break_lines(&p.spans, p.size, WIDTH, p.indent * MM, p.align);
                p.before + lines.len().min(3) as f32 * p.size * LINE_HEIGHT
            }
            Some(b @ (Block::Chart(_) | Block::KeepTogether(_) | Block::LeftRight { .. })) => {
                measure(std::slice::from_ref(b)).min(Y1 - Y0)
            }
            _ => 3.0 * 12.0 * LINE_HEIGHT,
        }
    }

    fn block_before(&mut self, block: &Block, next: Option<&Block>) {
        match block {
            Block::Para(p) => {
                if !self.at_top() {
                    self.y += p.before;
                }
                let lines = break_lines(&p.spans, p.size, WIDTH, p.indent * MM, p.align);
                let lh = p.size * LINE_HEIGHT;
                // A heading needs room for itself and the start of what follows it.
                if p.keep_with_next
                    && !self.at_top()
                    && self.room() < lines.len() as f32 * lh + p.after + Self::lead_of(next)
                {
                    self.new_page();
                }
                let mut rest = &lines[..];
                while !rest.is_empty() {
                    let fit = ((self.room() + 0.01) / lh).floor() as usize;
                    // Never leave a single line of a paragraph alone at the foot or the head of a page.
                    let fit = if fit == 1 && rest.len() > 1 || (rest.len() > fit && rest.len() - fit == 1 && fit > 1) {
                        fit - 1
                    } else {
                        fit
                    };
                    if fit == 0 {
                        if self.at_top() {
                            // A line taller than a page: draw it anyway rather than loop.
                            self.draw_lines(&rest[..1], X0, self.y, p.size);
                            self.y += lh;
                            rest = &rest[1..];
                        } else {
                            self.new_page();
                        }
                        continue;
                    }
                    let n = fit.min(rest.len());
                    self.draw_lines(&rest[..n], X0, self.y, p.size);
                    self.y += n as f32 * lh;
                    rest = &rest[n..];
                    if !rest.is_empty() {
                        self.new_page();
                    }
                }
                self.y += p.after;
            }
            Block::Table(t) => super::table::compose(self, t),
            Block::Space(pt) => {
                if !self.at_top() {
                    self.y += pt;
                }
            }
            Block::KeepTogether(blocks) => {
                let h = measure(blocks);
                if h > self.room() && !self.at_top() && h <= Y1 - Y0 {
                    self.new_page();
                }
                self.blocks(blocks);
            }
            Block::LeftRight { left, right, size } => {
                let lh = size * LINE_HEIGHT;
                if self.room() < lh {
                    self.new_page();
                }
                let base = self.y + size * ASCENT;
                let right = typo::nbsp(right);
                let rw = text_width(&right, *size);
                draw_text(
                    self.pages.last_mut().expect("a page"),
                    X0,
                    base,
                    *size,
                    &typo::nbsp(left),
                );
                draw_text(
                    self.pages.last_mut().expect("a page"),
                    X0 + WIDTH - rw,
                    base,
                    *size,
                    &right,
                );
                self.y += lh + 4.0;
            }
            Block::Chart(ch) => super::chart::compose(self, ch),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
        }
    }
}

/// Width of plain (regular) text, with fallback glyphs measured in their own face.
pub(crate) fn text_width(text: &str, size: f32) -> f32 {
    let f = fonts();
    f.runs(text, false)
        .iter()
        .map(|(t, id)| f.face(*id).width(t, size))
        .sum()
}

/// Draws one line of plain text at a baseline.
pub(crate) fn draw_text(page: &mut Page, mut x: f32, y: f32, size: f32, text: &str) {
    let f = fonts();
    for (run, face) in f.runs(text, false) {
        let w = f.face(face).width(&run, size);
        page.push(Draw::Text {
            x,
            y,
            size,
            face,
            text: run,
        });
        x += w;
    }
}

/// The height blocks take when laid out without page breaks.
pub(crate) fn measure(blocks: &[Block]) -> f32 {
    let mut c = Composer::new(f32::MAX / 4.0);
    c.blocks(blocks);
    c.y - Y0
}

/// Lays out the whole document and numbers the pages of each section from its page 2.
pub(crate) fn compose(doc: &Document) -> Vec<Page> {
    let mut all = Vec::new();
    for section in &doc.sections {
        let mut c = Composer::new(Y1);
        c.blocks(section);
        let mut pages = c.pages;
        while pages.len() > 1 && pages.last().is_some_and(|p| p.is_empty()) {
            pages.pop();
        }
        let total = pages.len();
        if total > 1 {
            for (n, p) in pages.iter_mut().enumerate().skip(1) {
                let text = format!("Страница {} из {}", n + 1, total);
                let size = 10.0;
                let w = text_width(&text, size);
                draw_text(p, X0 + WIDTH - w, (page::HEIGHT - 12.0) * MM, size, &text);
            }
        }
        all.extend(pages);
    }
    if all.is_empty() {
        all.push(Vec::new());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.pieces.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn breaks_within_width_and_justifies_to_the_edge() {
        let spans = [Span::plain("Субъект МСП обязуется в течение трёх лет сообщать Центру о каждом экспортном контракте, заключённом в результате оказания услуги.")];
        let width = 200.0;
        let lines = break_lines(&spans, 12.0, width, 0.0, Align::Justify);
        assert!(lines.len() > 2);
        let f = fonts();
        for l in &lines[..lines.len() - 1] {
            let (x, t, id) = l.pieces.last().unwrap();
            let end = x + f.face(*id).width(t, 12.0);
            assert!((end - width).abs() < 0.05, "justified line ends at {end}");
        }
        assert_eq!(
            texts(&lines).join(" ").split_whitespace().count(),
            spans[0].text.split_whitespace().count()
        );
    }

    #[test]
    fn breaks_an_over_long_word_and_respects_hard_breaks() {
        let long = "Ж".repeat(60);
        let lines = break_lines(&[Span::plain(format!("а {long}\nб"))], 12.0, 100.0, 0.0, Align::Left);
        assert!(lines.len() >= 4);
        assert_eq!(texts(&lines).last().unwrap(), "б");
        let w = fonts().face(0).width("ааааа №", 12.0) + 1.0;
        let lines = break_lines(&[Span::plain("ааааа № 12")], 12.0, w, 0.0, Align::Left);
        assert_eq!(texts(&lines), ["ааааа", "№\u{a0}12"], "№ stays with its number");
    }

    #[test]
    fn right_and_centre_alignment() {
        let f = fonts();
        let l = &break_lines(&[Span::plain("Итого")], 12.0, 300.0, 0.0, Align::Right)[0];
        assert!((l.pieces[0].0 + f.face(0).width("Итого", 12.0) - 300.0).abs() < 0.01);
        let l = &break_lines(&[Span::plain("Итого")], 12.0, 300.0, 0.0, Align::Centre)[0];
        assert!((l.pieces[0].0 * 2.0 + f.face(0).width("Итого", 12.0) - 300.0).abs() < 0.01);
    }

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            meta: super::super::Meta {
                title: String::new(),
                author: String::new(),
                subject: String::new(),
                created: chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
            },
            sections: vec![blocks],
        }
    }

    fn page_texts(p: &Page) -> String {
        p.iter()
            .filter_map(|d| match d {
                Draw::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_heading_goes_to_the_next_page_with_the_header_and_first_row_of_its_table() {
        use super::super::table::{Cell, Row, Table};
        // Wherever the page ends, the heading's page also has the table's first (tall) row.
        for filler in 25..50 {
            let mut blocks: Vec<Block> = (0..filler)
                .map(|n| Block::Para(super::super::Para::text(Align::Left, format!("строка {n}"))))
                .collect();
            blocks.push(Block::Para(
                super::super::Para::text(Align::Left, "Заголовок таблицы").heading(),
            ));
            let tall = "первая строка таблицы\nвторая\nтретья\nчетвёртая\nпятая\nшестая\nседьмая";
            blocks.push(Block::Table(Table::new(
                vec![50.0, 50.0],
                vec![Row::new(vec![Cell::new("Графа\nпервая"), Cell::new("Графа\nвторая")])],
                vec![Row::new(vec![Cell::new(tall), Cell::new("1")])],
            )));
            let pages = compose(&doc(blocks));
            let at = pages
                .iter()
                .position(|p| page_texts(p).contains("Заголовок таблицы"))
                .expect("the heading is laid out");
            let page = page_texts(&pages[at]);
            assert!(page.contains("седьмая"), "{filler} lines before: {page}");
        }
    }

    #[test]
    fn a_keep_together_block_moves_whole_and_pages_are_numbered_from_two() {
        let filler = |n: usize| Block::Para(super::super::Para::text(Align::Left, format!("строка {n}")));
        let mut blocks: Vec<Block> = (0..40).map(filler).collect();
        blocks.push(Block::KeepTogether(vec![
            Block::Para(super::super::Para::text(Align::Left, "Последний абзац")),
            Block::Para(super::super::Para::text(Align::Left, "Подпись\nМ. П.")),
        ]));
        let pages = compose(&doc(blocks));
        assert_eq!(pages.len(), 2);
        let (one, two) = (page_texts(&pages[0]), page_texts(&pages[1]));
        assert!(!one.contains("Последний") && !one.contains("Страница"), "{one}");
        assert!(
            two.contains("Последний абзац") && two.contains("М. П.") && two.contains("Страница 2 из 2"),
            "{two}"
        );
    }
}
