//! The only file that knows printpdf: turns laid-out pages into PDF bytes with the two Liberation Serif faces subset and embedded, and the document's metadata.
//!
//! printpdf is built without `text_layout` (that feature pulls the azul layout stack and adds
//! minutes to a clean build), which also switches off its subsetting; so the faces are subset here
//! with the same allsorts crate printpdf already depends on, and handed to printpdf as ordinary fonts
//! whose glyph ids are the subset's.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use chrono::{Datelike, Timelike};
use printpdf::{
    Color, FontId, Greyscale, Line as PdfLine, LinePoint, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use super::fonts::{fonts, Face};
use super::layout::{Draw, Page};
use super::{page, Meta};
use crate::error::{CoreError, ErrorCode, Result};

const PAGE_H: f32 = page::HEIGHT * 72.0 / 25.4;

/// Writes the pages as a PDF.
pub(crate) fn write(meta: &Meta, pages: &[Page]) -> Result<Vec<u8>> {
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for p in pages {
        for d in p {
            if let Draw::Text { text, face, .. } = d {
                used[*face as usize & 3].extend(text.chars());
            }
        }
    }
    let mut doc = PdfDocument::new(&meta.title);
    let f = fonts();
    let ids = [
        add_subset(&mut doc, f.face(0), &used[0])?,
        add_subset(&mut doc, f.face(1), &used[1])?,
        add_subset(&mut doc, f.face(2), &used[2])?,
        add_subset(&mut doc, f.face(3), &used[3])?,
    ];
    let info = &mut doc.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "cpe".into();
    info.producer = "cpe-core (printpdf)".into();
    let created = pdf_date(meta.created);
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;

    let pdf_pages: Vec<PdfPage> = pages
        .iter()
        .map(|p| PdfPage::new(mm(page::WIDTH), mm(page::HEIGHT), ops(p, &ids)))
        .collect();
    doc.with_pages(pdf_pages);
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    Ok(doc.save(&opts, &mut warnings))
}

fn mm(v: f32) -> printpdf::Mm {
    printpdf::Mm(v)
}

/// Subsets one face to the characters used and registers it; the name carries the `XXXXXX+` subset tag.
fn add_subset(doc: &mut PdfDocument, face: &Face, chars: &BTreeSet<char>) -> Result<Option<FontId>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    if chars.is_empty() {
        return Ok(None);
    }
    let fail = |e: String| CoreError::new(ErrorCode::File, format!("Не удалось встроить шрифт {}: {e}", face.name));
    // Glyph 0 (.notdef) first; a subset glyph's new id is its position in this list.
    let mut gids: Vec<u16> = vec![0];
    let mut by_gid: BTreeMap<u16, Vec<char>> = BTreeMap::new();
    for &c in chars {
        let g = face.glyph(c);
        if g != 0 {
            by_gid.entry(g).or_default().push(c);
        }
    }
    gids.extend(by_gid.keys().copied());
    let file = ReadScope::new(face.bytes)
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.to_string()))?;
    let provider = file.table_provider(0).map_err(|e| fail(e.to_string()))?;
    let bytes = subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|e| fail(e.to_string()))?;
    let mut warnings = Vec::new();
    let mut parsed =
        ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| fail("subset unreadable".into()))?;
    parsed.codepoint_to_glyph.clear();
    for (new, old) in gids.iter().enumerate().skip(1) {
        for c in &by_gid[old] {
            parsed.codepoint_to_glyph.insert(*c as u32, new as u16);
        }
    }
    parsed.font_name = Some(format!("{}+{}", tag(&gids), face.name));
    Ok(Some(doc.add_font(&parsed)))
}

/// Six capital letters derived from the glyph set (PDF 9.6.4): the same subset always gets the same tag.
fn tag(gids: &[u16]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    gids.hash(&mut h);
    let mut v = h.finish();
    (0..6)
        .map(|_| {
            let c = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            c
        })
        .collect()
}

fn pdf_date(t: chrono::NaiveDateTime) -> printpdf::OffsetDateTime {
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date {
            year: t.year(),
            month: t.month() as u8,
            day: t.day() as u8,
        },
        printpdf::Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
            millisecond: 0,
        },
        printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

fn ops(p: &Page, ids: &[Option<FontId>; 4]) -> Vec<Op> {
    let mut out = Vec::with_capacity(p.len() * 3 + 8);
    // Shapes first (header shading under the text), then all text in one text object.
    for d in p {
        match d {
            Draw::Fill { x, y, w, h, grey } => {
                out.push(Op::SetFillColor { col: grey_col(*grey) });
                out.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_H - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(printpdf::PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Draw::Line { x1, y1, x2, y2, width } => {
                out.push(Op::SetOutlineThickness { pt: Pt(*width) });
                out.push(Op::DrawLine {
                    line: PdfLine {
                        points: vec![point(*x1, *y1), point(*x2, *y2)],
                        is_closed: false,
                    },
                });
            }
            Draw::Rect { x, y, w, h, rgb } => {
                out.push(Op::SetFillColor { col: rgb_col(*rgb) });
                out.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_H - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(printpdf::PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Draw::Stroke {
                x1,
                y1,
                x2,
                y2,
                width,
                rgb,
            } => {
                out.push(Op::SetOutlineColor { col: rgb_col(*rgb) });
                out.push(Op::SetOutlineThickness { pt: Pt(*width) });
                out.push(Op::DrawLine {
                    line: PdfLine {
                        points: vec![point(*x1, *y1), point(*x2, *y2)],
                        is_closed: false,
                    },
                });
                // Table rules drawn after a chart stay black.
                out.push(Op::SetOutlineColor { col: grey_col(0.0) });
            }
            Draw::Text { .. } => {}
        }
    }
    out.push(Op::SetFillColor { col: grey_col(0.0) });
    out.push(Op::StartTextSection);
    let mut current: Option<(u8, f32)> = None;
    for d in p {
        if let Draw::Text { x, y, size, face, text } = d {
            let Some(id) = &ids[*face as usize & 3] else { continue };
            if current != Some((*face, *size)) {
                out.push(Op::SetFont {
                    font: PdfFontHandle::External(id.clone()),
                    size: Pt(*size),
                });
                current = Some((*face, *size));
            }
            out.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_H - y)),
            });
            out.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    out.push(Op::EndTextSection);
    out
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_H - y),
        },
        bezier: false,
    }
}

fn rgb_col([r, g, b]: [f32; 3]) -> Color {
    Color::Rgb(printpdf::Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn grey_col(g: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: g,
        icc_profile: None,
    })
}
