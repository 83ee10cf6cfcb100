//! The embedded Liberation Serif faces (SIL OFL, metrics of Times New Roman) and their glyph advances, parsed once: text is measured with exactly the widths the PDF will draw.

use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/LiberationSerif-Regular.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/LiberationSerif-Bold.ttf");
/// Liberation Serif has no rouble sign (U+20BD): it comes from DejaVu Serif, cut down to that one glyph.
pub(crate) static RUBLE_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/DejaVuSerif-Ruble.ttf");
pub(crate) static RUBLE_BOLD_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/DejaVuSerif-Bold-Ruble.ttf");

/// Which face draws a run: 0 regular, 1 bold, 2 and 3 their fallbacks for glyphs Liberation lacks.
pub(crate) type FaceId = u8;

/// One face: its bytes, character → glyph map and advances in font units.
pub(crate) struct Face {
    pub bytes: &'static [u8],
    pub name: &'static str,
    pub units_per_em: f32,
    glyphs: HashMap<char, (u16, u16)>,
    notdef_advance: u16,
}

impl Face {
    fn parse(bytes: &'static [u8], name: &'static str) -> Face {
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .expect("the embedded Liberation Serif font parses");
        let advance = |gid: u16| parsed.glyph_widths.get(&gid).copied().unwrap_or(0);
        let glyphs = parsed
            .codepoint_to_glyph
            .iter()
            .filter_map(|(cp, gid)| char::from_u32(*cp).map(|c| (c, (*gid, advance(*gid)))))
            .collect();
        Face {
            bytes,
            name,
            units_per_em: parsed.units_per_em as f32,
            glyphs,
            notdef_advance: advance(0),
        }
    }

    /// The glyph id of a character (0, `.notdef`, when the font lacks it).
    pub fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(&c).map_or(0, |g| g.0)
    }

    pub fn has(&self, c: char) -> bool {
        self.glyphs.contains_key(&c)
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.glyphs.get(&c).map_or(self.notdef_advance, |g| g.1) as u32)
            .sum();
        units as f32 * size / self.units_per_em
    }
}

/// The faces every document uses.
pub(crate) struct Fonts {
    faces: [Face; 4],
}

impl Fonts {
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id as usize & 3]
    }

    /// Splits text into runs by the face that has its glyphs (Liberation first, then the fallback).
    pub fn runs(&self, text: &str, bold: bool) -> Vec<(String, FaceId)> {
        let main = bold as FaceId;
        let mut out: Vec<(String, FaceId)> = Vec::new();
        for c in text.chars() {
            let id = if self.face(main).has(c) || !self.face(main + 2).has(c) {
                main
            } else {
                main + 2
            };
            match out.last_mut() {
                Some((run, last)) if *last == id => run.push(c),
                _ => out.push((c.to_string(), id)),
            }
        }
        out
    }
}

/// Parsed on first use and kept for the life of the process.
pub(crate) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        faces: [
            Face::parse(REGULAR_TTF, "LiberationSerif"),
            Face::parse(BOLD_TTF, "LiberationSerif-Bold"),
            Face::parse(RUBLE_TTF, "DejaVuSerif"),
            Face::parse(RUBLE_BOLD_TTF, "DejaVuSerif-Bold"),
        ],
    })
}

/// Line metrics shared by paragraphs and cells: the baseline sits this far below the line's top,
/// and lines advance by `LINE_HEIGHT × size`.
pub(crate) const ASCENT: f32 = 0.891;
pub(crate) const LINE_HEIGHT: f32 = 1.15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_cyrillic_and_document_signs() {
        let f = fonts();
        for c in "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№«»—–\u{a0}".chars()
        {
            assert_ne!(f.face(0).glyph(c), 0, "regular lacks {c:?}");
            assert_ne!(f.face(1).glyph(c), 0, "bold lacks {c:?}");
        }
        // Times metrics: bold is wider, and a 12 pt "М" is about 10.7 pt wide.
        assert!(f.face(1).width("Акт", 12.0) > f.face(0).width("Акт", 12.0));
        assert!((f.face(0).width("М", 12.0) - 10.67).abs() < 0.5);
        // The rouble sign comes from the fallback face.
        assert_eq!(
            f.runs("100\u{a0}₽", false),
            vec![("100\u{a0}".to_owned(), 0), ("₽".to_owned(), 2)]
        );
        assert_eq!(f.runs("₽", true), vec![("₽".to_owned(), 3)]);
        assert_ne!(f.face(3).glyph('₽'), 0);
    }
}
