//! Charts as vector drawings in documents: columns per label (e.g. acts per month) and horizontal bars (e.g. budget execution per item), laid out with the same fonts and measurements as the text so labels never overlap the bars.
//!
//! Values are `f64`: a chart is geometry, not money — the exact amounts are printed in the tables
//! beside it, and a bar a hundredth of a point off is invisible.

use super::layout::{draw_text, text_width, Composer, Draw, MM, WIDTH, X0};

/// An RGB colour, each channel 0…1.
pub type Rgb = [f32; 3];

/// One series of values, one per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub colour: Rgb,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical columns, the series side by side within each label's slot.
    Columns,
    /// Horizontal bars, one row per label: the first series is drawn full length as the
    /// background (e.g. the budget), the others stacked on top of it from the left (spent, committed).
    Bars,
}

/// A chart block. `notes` (for `Bars`) are printed at the right end of each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub notes: Vec<String>,
    /// Height of the plot area in millimetres (`Columns`); `Bars` take a row per label.
    pub height: f32,
}

const TICK: f32 = 8.0;
const GRID_GREY: Rgb = [0.82, 0.82, 0.82];
const AXIS: Rgb = [0.35, 0.35, 0.35];
const BAR_ROW: f32 = 16.0;
const LEGEND_H: f32 = 16.0;

impl Chart {
    /// The height the chart takes on the page, in points.
    pub(crate) fn height_pt(&self) -> f32 {
        match self.kind {
            ChartKind::Columns => self.height * MM + TICK * 2.5 + LEGEND_H,
            ChartKind::Bars => self.labels.len() as f32 * BAR_ROW + LEGEND_H + 4.0,
        }
    }
}

/// The axis maximum and step: 1, 2 or 5 times a power of ten, four to six steps.
pub(crate) fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 5.0;
    let pow = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow);
    ((max / step).ceil() * step, step)
}

/// `1 250`, `2,5`: short numbers for axes and bar tops.
pub(crate) fn short(v: f64) -> String {
    let text = if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{:.1}", v).replace('.', ",")
    };
    let (sign, digits) = text.split_at(if text.starts_with('-') { 1 } else { 0 });
    let (int, frac) = digits.split_once(',').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = sign.to_owned();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// The text cut with «…» to fit `width` points.
fn fit(label: &str, size: f32, width: f32) -> String {
    if text_width(label, size) <= width {
        return label.to_owned();
    }
    let mut chars: Vec<char> = label.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let cut = format!("{}…", chars.iter().collect::<String>().trim_end());
        if text_width(&cut, size) <= width {
            return cut;
        }
    }
    "…".to_owned()
}

fn rect(c: &mut Composer, x: f32, y: f32, w: f32, h: f32, rgb: Rgb) {
    if w > 0.01 && h > 0.01 {
        c.draw(Draw::Rect { x, y, w, h, rgb });
    }
}

fn line(c: &mut Composer, x1: f32, y1: f32, x2: f32, y2: f32, rgb: Rgb, width: f32) {
    c.draw(Draw::Stroke {
        x1,
        y1,
        x2,
        y2,
        width,
        rgb,
    });
}

fn text(c: &mut Composer, x: f32, baseline: f32, size: f32, t: &str) {
    draw_text(c.pages.last_mut().expect("a page"), x, baseline, size, t);
}

fn legend(c: &mut Composer, series: &[Series], top: f32) {
    let mut x = X0;
    for s in series {
        rect(c, x, top + 4.0, 8.0, 8.0, s.colour);
        text(c, x + 11.0, top + 11.0, 8.5, &s.name);
        x += 11.0 + text_width(&s.name, 8.5) + 14.0;
    }
}

fn columns(c: &mut Composer, ch: &Chart) {
    let top = c.y;
    let plot_h = ch.height * MM;
    let max = ch
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let (mut axis_max, mut step) = nice_scale(max);
    // Counts are whole: no «0,2 акта» on the axis.
    if step < 1.0 && ch.series.iter().all(|s| s.values.iter().all(|v| v.fract() == 0.0)) {
        step = 1.0;
        axis_max = max.ceil().max(1.0);
    }
    let label_w = (0..=((axis_max / step).round() as usize))
        .map(|i| text_width(&short(i as f64 * step), 7.5))
        .fold(0.0, f32::max)
        + 4.0;
    let (px, pw) = (X0 + label_w, WIDTH - label_w);
    let bottom = top + plot_h;
    let y_of = |v: f64| bottom - (v / axis_max) as f32 * plot_h;
    let mut v = 0.0;
    while v <= axis_max + step / 2.0 {
        let y = y_of(v);
        line(c, px, y, px + pw, y, if v == 0.0 { AXIS } else { GRID_GREY }, 0.4);
        let t = short(v);
        text(c, px - 3.0 - text_width(&t, 7.5), y + 2.5, 7.5, &t);
        v += step;
    }
    let n = ch.labels.len().max(1);
    let slot = pw / n as f32;
    let k = ch.series.len().max(1) as f32;
    let bar_w = slot * 0.72 / k;
    for (i, label) in ch.labels.iter().enumerate() {
        let x0 = px + i as f32 * slot + slot * 0.14;
        for (j, s) in ch.series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0.0);
            let x = x0 + j as f32 * bar_w;
            let y = y_of(value);
            rect(c, x, y, bar_w * 0.92, bottom - y, s.colour);
            if value > 0.0 {
                let t = short(value);
                let tw = text_width(&t, 6.5);
                text(c, x + (bar_w * 0.92 - tw) / 2.0, y - 2.0, 6.5, &t);
            }
        }
        let lw = text_width(label, 7.5);
        text(
            c,
            px + i as f32 * slot + (slot - lw) / 2.0,
            bottom + TICK + 2.0,
            7.5,
            label,
        );
    }
    legend(c, &ch.series, bottom + TICK * 2.5);
    c.y = top + ch.height_pt();
}

fn bars(c: &mut Composer, ch: &Chart) {
    let top = c.y;
    let label_w = WIDTH * 0.3;
    let note_w = ch
        .notes
        .iter()
        .map(|n| text_width(n, 7.5))
        .fold(0.0, f32::max)
        .min(WIDTH * 0.4)
        + 6.0;
    let (bx, bw) = (X0 + label_w, WIDTH - label_w - note_w);
    let max = ch
        .labels
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let background = ch.series.first().and_then(|s| s.values.get(i)).copied().unwrap_or(0.0);
            let stacked: f64 = ch.series.iter().skip(1).filter_map(|s| s.values.get(i)).sum();
            background.max(stacked)
        })
        .fold(0.0, f64::max);
    let scale = if max > 0.0 { bw as f64 / max } else { 0.0 };
    for (i, label) in ch.labels.iter().enumerate() {
        let y = top + i as f32 * BAR_ROW;
        let shown = fit(label, 8.0, label_w - 4.0);
        text(c, X0, y + 11.0, 8.0, &shown);
        let mut x = bx;
        for (j, s) in ch.series.iter().enumerate() {
            let w = (s.values.get(i).copied().unwrap_or(0.0) * scale) as f32;
            if j == 0 {
                rect(c, bx, y + 3.0, w, BAR_ROW - 6.0, s.colour);
            } else {
                rect(c, x, y + 5.0, w, BAR_ROW - 10.0, s.colour);
                x += w;
            }
        }
        if let Some(note) = ch.notes.get(i) {
            text(c, bx + bw + 6.0, y + 11.0, 7.5, note);
        }
    }
    line(c, bx, top, bx, top + ch.labels.len() as f32 * BAR_ROW, AXIS, 0.5);
    legend(c, &ch.series, top + ch.labels.len() as f32 * BAR_ROW + 2.0);
    c.y = top + ch.height_pt();
}

/// Places the chart, on the next page when it does not fit the rest of this one.
pub(crate) fn compose(c: &mut Composer, ch: &Chart) {
    if !c.at_top() {
        c.y += 4.0;
    }
    if ch.height_pt() > c.room() && !c.at_top() {
        c.new_page();
    }
    match ch.kind {
        ChartKind::Columns => columns(c, ch),
        ChartKind::Bars => bars(c, ch),
    }
    c.y += 6.0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_cover_the_maximum() {
        assert_eq!(nice_scale(7.0), (8.0, 2.0));
        assert_eq!(nice_scale(93.0), (100.0, 20.0));
        assert_eq!(nice_scale(1250.0), (1500.0, 500.0));
        assert_eq!(nice_scale(0.0), (1.0, 0.25));
        assert_eq!(short(2.5), "2,5");
        assert_eq!(short(12500.0), "12\u{a0}500");
    }

    #[test]
    fn bars_never_leave_the_text_width_and_a_chart_that_does_not_fit_moves_to_the_next_page() {
        let ch = Chart {
            kind: ChartKind::Columns,
            labels: (1..=12).map(|m| m.to_string()).collect(),
            series: vec![Series {
                name: "Акты".into(),
                colour: [0.2, 0.4, 0.7],
                values: (1..=12).map(|m| m as f64).collect(),
            }],
            notes: vec![],
            height: 60.0,
        };
        let mut c = Composer::new(super::super::layout::Y1);
        c.y = super::super::layout::Y1 - 50.0;
        compose(&mut c, &ch);
        assert_eq!(c.pages.len(), 2, "moved whole to a new page");
        for d in &c.pages[1] {
            if let Draw::Rect { x, w, .. } = d {
                assert!(
                    *x >= X0 - 0.01 && x + w <= X0 + WIDTH + 0.01,
                    "bar {x}+{w} outside the text width"
                );
            }
        }
        let bars = c.pages[1].iter().filter(|d| matches!(d, Draw::Rect { .. })).count();
        assert_eq!(bars, 12 + 1, "twelve columns and the legend swatch");
    }
}
