//! Tables of documents: fixed column widths, column spans, wrapped cells, vertical alignment, a shaded header repeated on every page the table continues on.

use super::fonts::LINE_HEIGHT;
use super::layout::{break_lines, Composer, Draw, Line, MM, WIDTH, X0, Y0, Y1};
use super::{Align, Span, VAlign};

/// Cell padding, in points.
const PAD_X: f32 = 3.0;
const PAD_Y: f32 = 2.5;
const HEADER_GREY: f32 = 0.9;

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub spans: Vec<Span>,
    pub align: Align,
    pub valign: VAlign,
    /// How many columns the cell takes (at least 1).
    pub colspan: usize,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            spans: vec![Span::plain(text)],
            align: Align::Left,
            valign: VAlign::Top,
            colspan: 1,
        }
    }
    pub fn bold(mut self) -> Self {
        for s in &mut self.spans {
            s.bold = true;
        }
        self
    }
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }
    pub fn centre(mut self) -> Self {
        self.align = Align::Centre;
        self
    }
    pub fn middle(mut self) -> Self {
        self.valign = VAlign::Middle;
        self
    }
    pub fn span(mut self, columns: usize) -> Self {
        self.colspan = columns.max(1);
        self
    }
}

/// A row of cells; their spans add up to the number of columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Self {
        Row { cells }
    }
}

/// A table. `widths` are in millimetres; when they do not add up to the text width they are scaled to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub widths: Vec<f32>,
    /// Rows repeated at the top of every page the table takes, drawn shaded.
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
    /// Font size in points.
    pub size: f32,
    /// Draw the grid (a requisites table of two columns has none).
    pub borders: bool,
}

impl Table {
    pub fn new(widths: Vec<f32>, header: Vec<Row>, rows: Vec<Row>) -> Self {
        Table {
            widths,
            header,
            rows,
            size: 10.0,
            borders: true,
        }
    }
}

/// A row laid out: each cell's x, width, lines and alignment.
struct Laid {
    cells: Vec<(f32, f32, Vec<Line>, VAlign)>,
    height: f32,
}

fn lay_row(row: &Row, cols: &[f32], size: f32, pad_x: f32) -> Laid {
    let lh = size * LINE_HEIGHT;
    let mut x = 0.0;
    let mut col = 0;
    let mut cells = Vec::with_capacity(row.cells.len());
    let mut height: f32 = 0.0;
    for cell in &row.cells {
        let end = (col + cell.colspan).min(cols.len());
        let w: f32 = cols[col.min(cols.len())..end].iter().sum();
        let lines = break_lines(&cell.spans, size, (w - 2.0 * pad_x).max(1.0), 0.0, cell.align);
        height = height.max(lines.len() as f32 * lh + 2.0 * PAD_Y);
        cells.push((x, w, lines, cell.valign));
        x += w;
        col = end;
    }
    Laid { cells, height }
}

fn draw_row(c: &mut Composer, laid: &Laid, size: f32, shade: bool, borders: bool, pad_x: f32) {
    let lh = size * LINE_HEIGHT;
    let top = c.y;
    for (x, w, lines, valign) in &laid.cells {
        if shade {
            c.draw(Draw::Fill {
                x: X0 + x,
                y: top,
                w: *w,
                h: laid.height,
                grey: HEADER_GREY,
            });
        }
        let text_h = lines.len() as f32 * lh;
        let dy = match valign {
            VAlign::Top => PAD_Y,
            VAlign::Middle => (laid.height - text_h) / 2.0,
            VAlign::Bottom => laid.height - text_h - PAD_Y,
        };
        c.draw_lines(lines, X0 + x + pad_x, top + dy, size);
        if borders {
            let (x0, x1, y1) = (X0 + x, X0 + x + w, top + laid.height);
            for (a, b, cc, d) in [
                (x0, top, x1, top),
                (x0, y1, x1, y1),
                (x0, top, x0, y1),
                (x1, top, x1, y1),
            ] {
                c.draw(Draw::Line {
                    x1: a,
                    y1: b,
                    x2: cc,
                    y2: d,
                    width: 0.5,
                });
            }
        }
    }
    c.y += laid.height;
}

/// Cuts a laid-out row into the lines of each cell that fit into `room` and the rest; both parts
/// are aligned to the top, as the cut runs through the text.
fn split_row(laid: Laid, room: f32, size: f32) -> (Laid, Laid) {
    let lh = size * LINE_HEIGHT;
    let fit = (((room - 2.0 * PAD_Y) / lh).floor().max(1.0)) as usize;
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    let (mut first_h, mut rest_h): (f32, f32) = (0.0, 0.0);
    for (x, w, mut lines, _) in laid.cells {
        let tail = lines.split_off(fit.min(lines.len()));
        first_h = first_h.max(lines.len() as f32 * lh + 2.0 * PAD_Y);
        rest_h = rest_h.max(tail.len() as f32 * lh + 2.0 * PAD_Y);
        first.push((x, w, lines, VAlign::Top));
        rest.push((x, w, tail, VAlign::Top));
    }
    (
        Laid {
            cells: first,
            height: first_h,
        },
        Laid {
            cells: rest,
            height: rest_h,
        },
    )
}

/// The height the table's start takes: the gap above it, its header and its first row.
pub(crate) fn lead_height(t: &Table) -> f32 {
    let cols = columns(t);
    let pad_x = if t.borders { PAD_X } else { 0.0 };
    let header: f32 = t.header.iter().map(|r| lay_row(r, &cols, t.size, pad_x).height).sum();
    3.0 + header + t.rows.first().map_or(0.0, |r| lay_row(r, &cols, t.size, pad_x).height)
}

/// Column widths in points: `widths` scaled to the text width.
fn columns(t: &Table) -> Vec<f32> {
    let total: f32 = t.widths.iter().sum();
    let scale = if total > 0.0 { WIDTH / (total * MM) } else { 1.0 };
    t.widths.iter().map(|w| w * MM * scale).collect()
}

/// Places the table, starting a new page (with the header again) whenever the next row does not fit.
pub(crate) fn compose(c: &mut Composer, t: &Table) {
    let cols = columns(t);
    // Without a grid the text lines up with the margins instead of sitting inside invisible cells.
    let pad_x = if t.borders { PAD_X } else { 0.0 };
    let header: Vec<Laid> = t.header.iter().map(|r| lay_row(r, &cols, t.size, pad_x)).collect();
    let header_h: f32 = header.iter().map(|l| l.height).sum();
    let draw_header = |c: &mut Composer| {
        for h in &header {
            draw_row(c, h, t.size, true, t.borders, pad_x);
        }
    };
    let mut first = t.rows.first().map(|r| lay_row(r, &cols, t.size, pad_x));
    if !c.at_top() {
        c.y += 3.0;
    }
    // The header never stands alone at the foot of a page.
    if !c.at_top() && header_h + first.as_ref().map_or(0.0, |l| l.height) > c.room() {
        c.new_page();
    }
    draw_header(c);
    let page_room = Y1 - Y0 - header_h;
    for (n, row) in t.rows.iter().enumerate() {
        let laid = match first.take() {
            Some(l) if n == 0 => l,
            _ => lay_row(row, &cols, t.size, pad_x),
        };
        let mut laid = laid;
        if laid.height > c.room() && laid.height <= page_room + 0.01 {
            c.new_page();
            draw_header(c);
        }
        // A row taller than a whole page is cut between lines: what fits here, the rest on the
        // next pages under the repeated header (a page starts with at least two lines of it).
        let mut fresh = false;
        while laid.height > c.room() + 0.01 {
            if c.room() < 2.0 * t.size * LINE_HEIGHT + 2.0 * PAD_Y && !fresh {
                c.new_page();
                draw_header(c);
                fresh = true;
                continue;
            }
            fresh = true;
            let (part, rest) = split_row(laid, c.room(), t.size);
            draw_row(c, &part, t.size, false, t.borders, pad_x);
            c.new_page();
            draw_header(c);
            laid = rest;
        }
        draw_row(c, &laid, t.size, false, t.borders, pad_x);
    }
    c.y += 6.0;
}
