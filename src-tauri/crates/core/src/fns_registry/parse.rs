//! Streaming reader of one XML file of the tax service's SME registry: yields `Документ` records one by one in constant memory, whatever the file's size and declared encoding.
//!
//! No DOM: quick-xml events are read into one reused buffer and the few attributes we need are
//! copied into one reused [`RawDocument`]. Unknown elements and attributes are ignored, so newer
//! format versions (4.02, 4.04, …) that add fields still import.

use std::io::{self, BufRead, Read};

use chrono::NaiveDate;
use quick_xml::encoding::DecodingReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::FnsRecord;
use crate::error::{CoreError, ErrorCode};
use crate::ident::{self, InnKind};
use crate::sme::{SmeCategory, SmeKind};

/// The oldest format version (`ВерсФорм`) whose layout this reader knows.
const OLDEST_FORMAT: (u32, u32) = (4, 1);

/// Counts the bytes and line breaks the parser has consumed, to report progress and to point
/// at the place of an error in a file that a person can open in an editor.
struct Tracked<R> {
    inner: R,
    consumed: u64,
    lines: u64,
    /// Bytes since the last `<` or `>`: the length of the token being read.
    token: u64,
}

/// The longest text, tag or attribute the reader takes. quick-xml keeps a whole token in memory,
/// so a ZIP of 1 MB holding 1 GB of whitespace in one text node took 1.07 GB; a real record is a
/// few kilobytes, so anything this long is a damaged or hostile file and is refused.
pub(crate) const MAX_TOKEN: u64 = 8 << 20;

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.token > MAX_TOKEN {
            return Err(io::Error::other(format!(
                "текст или элемент длиннее {} МБ без разметки — так не бывает в выгрузке ФНС",
                MAX_TOKEN >> 20
            )));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            // `fill_buf` after a successful one returns the same buffered bytes without reading.
            let taken = &buf[..amt.min(buf.len())];
            self.lines += taken.iter().filter(|&&b| b == b'\n').count() as u64;
            self.token = match taken.iter().rposition(|&b| b == b'<' || b == b'>') {
                Some(at) => (taken.len() - at - 1) as u64,
                None => self.token + taken.len() as u64,
            };
        }
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

/// The attributes of one `Документ` as written in the file, before any checking. Reused from
/// record to record so that reading allocates nothing in the steady state.
#[derive(Debug, Default)]
pub(crate) struct RawDocument {
    pub doc_id: String,
    pub state_date: String,
    pub included_on: String,
    pub kind: String,
    pub category: String,
    /// Which child held the identity: `ОргВклМСП` (organisation) or `ИПВклМСП` (person).
    pub organisation: bool,
    pub person: bool,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub ogrn: String,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: String,
    pub region_code: String,
    pub okved_main: String,
    pub okved_extra: String,
}

impl RawDocument {
    fn clear(&mut self) {
        for s in [
            &mut self.doc_id,
            &mut self.state_date,
            &mut self.included_on,
            &mut self.kind,
            &mut self.category,
            &mut self.full_name,
            &mut self.short_name,
            &mut self.inn,
            &mut self.ogrn,
            &mut self.last_name,
            &mut self.first_name,
            &mut self.patronymic,
            &mut self.region_code,
            &mut self.okved_main,
            &mut self.okved_extra,
        ] {
            s.clear();
        }
        self.organisation = false;
        self.person = false;
    }

    /// Checks the record and turns it into a typed one; the error is the Russian reason a record
    /// is skipped (shown to the user among the skipped examples).
    pub fn to_record(&self) -> Result<(NaiveDate, FnsRecord), String> {
        let state_date = parse_date(&self.state_date)
            .ok_or_else(|| format!("дата состояния «{}» не в виде ДД.ММ.ГГГГ", self.state_date))?;
        let included_on = if self.included_on.is_empty() {
            None
        } else {
            Some(
                parse_date(&self.included_on)
                    .ok_or_else(|| format!("дата включения в реестр «{}» не в виде ДД.ММ.ГГГГ", self.included_on))?,
            )
        };
        let kind = match (self.kind.as_str(), self.organisation, self.person) {
            ("1", true, false) | ("", true, false) => SmeKind::LegalEntity,
            ("2", false, true) | ("", false, true) => SmeKind::SoleProprietor,
            // Not in the 4.01/4.04 samples; later formats mark heads of peasant farms with 3.
            ("3", false, true) => SmeKind::FarmHead,
            (k, _, _) => return Err(format!("вид субъекта МСП «{k}» не соответствует сведениям о лице")),
        };
        let category = match self.category.as_str() {
            "1" => SmeCategory::Micro,
            "2" => SmeCategory::Small,
            "3" => SmeCategory::Medium,
            c => {
                return Err(format!(
                    "категория субъекта МСП «{c}» неизвестна (ожидается 1, 2 или 3)"
                ))
            }
        };
        match (ident::validate_inn(&self.inn)?, kind) {
            (InnKind::Organisation, SmeKind::LegalEntity) => {}
            (InnKind::Person, k) if k != SmeKind::LegalEntity => {}
            _ => return Err(format!("ИНН {} не соответствует виду субъекта", self.inn)),
        }
        if !self.ogrn.is_empty() {
            if kind == SmeKind::LegalEntity {
                ident::validate_ogrn(&self.ogrn)?;
            } else {
                ident::validate_ogrnip(&self.ogrn)?;
            }
        }
        ident::validate_region_code(&self.region_code)?;
        let full_name = if kind == SmeKind::LegalEntity {
            self.full_name.trim().to_owned()
        } else {
            [&self.last_name, &self.first_name, &self.patronymic]
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if full_name.is_empty() {
            return Err("не указано наименование или ФИО".into());
        }
        Ok((
            state_date,
            FnsRecord {
                inn: self.inn.clone(),
                kind,
                category,
                included_on,
                full_name,
                short_name: self.short_name.trim().to_owned(),
                last_name: self.last_name.trim().to_owned(),
                first_name: self.first_name.trim().to_owned(),
                patronymic: self.patronymic.trim().to_owned(),
                ogrn: self.ogrn.clone(),
                region_code: self.region_code.clone(),
                okved_main: self.okved_main.clone(),
                okved_extra: self.okved_extra.clone(),
            },
        ))
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d.%m.%Y").ok()
}

/// The encoding named by the XML declaration at the start of `head` (after an optional BOM):
/// `Ok(None)` when there is no declaration or it names none (UTF-8 by the XML rules), `Err` with
/// the name when the name is unknown.
///
/// The decoder must be chosen before the parser reads anything: quick-xml's `DecodingReader`
/// decodes its first 64 bytes as UTF-8 unless told otherwise, and the root element of a
/// windows-1251 file starts within them.
pub(crate) fn declared_encoding(head: &[u8]) -> Result<Option<&'static encoding_rs::Encoding>, String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(rest) = head.strip_prefix(b"<?xml") else {
        return Ok(None);
    };
    let Some(end) = rest.windows(2).position(|w| w == b"?>") else {
        return Ok(None);
    };
    let decl = &rest[..end];
    let Some(at) = decl.windows(8).position(|w| w == b"encoding") else {
        return Ok(None);
    };
    let after = decl[at + 8..].trim_ascii_start();
    let Some(after) = after.strip_prefix(b"=") else {
        return Ok(None);
    };
    let after = after.trim_ascii_start();
    let Some((&quote, value)) = after.split_first() else {
        return Ok(None);
    };
    if quote != b'"' && quote != b'\'' {
        return Ok(None);
    }
    let Some(len) = value.iter().position(|&b| b == quote) else {
        return Ok(None);
    };
    let name = &value[..len];
    encoding_rs::Encoding::for_label(name)
        .map(Some)
        .ok_or_else(|| String::from_utf8_lossy(name).into_owned())
}

type XmlReader<R> = Reader<Tracked<DecodingReader<R>>>;

/// Reads the `Документ` records of one file in order.
pub(crate) struct DocumentReader<R: BufRead> {
    reader: XmlReader<R>,
    buf: Vec<u8>,
    state: State,
}

/// What the reader knows of the file so far; separate from the event buffer so that an event
/// borrowed from the buffer can update it.
struct State {
    doc: RawDocument,
    /// Where the file came from, as shown in messages: «файл X» or «файл X в архиве Y».
    label: String,
    depth: usize,
    in_document: bool,
    root_seen: bool,
    format_version: String,
}

fn malformed<R: BufRead>(reader: &XmlReader<R>, label: &str, offset: u64, what: impl std::fmt::Display) -> CoreError {
    let line = reader.get_ref().lines + 1;
    CoreError::new(
        ErrorCode::File,
        format!(
            "{label}: ошибка в XML около байта {offset} (строка {line}): {what}. \
             Файл повреждён или это не выгрузка реестра МСП; загрузка отменена, ранее загруженные выгрузки не изменены."
        ),
    )
}

impl<R: BufRead> DocumentReader<R> {
    /// A reader of `input`, which is decoded from the encoding its XML declaration names.
    pub fn new(mut input: R, label: String) -> Result<Self, CoreError> {
        let declared = match input.fill_buf() {
            Ok(head) => declared_encoding(head),
            Err(e) => {
                return Err(CoreError::new(
                    ErrorCode::File,
                    format!("{label}: не удаётся прочитать ({e})"),
                ))
            }
        };
        let mut decoding = DecodingReader::new(input);
        match declared {
            Ok(Some(encoding)) => decoding.set_encoding(encoding),
            Ok(None) => {}
            Err(name) => {
                return Err(CoreError::new(
                    ErrorCode::File,
                    format!(
                        "{label}: неизвестная кодировка «{name}» в заголовке XML — ожидается UTF-8 или windows-1251"
                    ),
                ))
            }
        }
        let tracked = Tracked {
            inner: decoding,
            consumed: 0,
            lines: 0,
            token: 0,
        };
        let mut reader = Reader::from_reader(tracked);
        reader.config_mut().check_end_names = true;
        Ok(DocumentReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            state: State {
                doc: RawDocument::default(),
                label,
                depth: 0,
                in_document: false,
                root_seen: false,
                format_version: String::new(),
            },
        })
    }

    /// Bytes of XML (as UTF-8) read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.get_ref().consumed
    }

    /// `ВерсФорм` of the root element (empty before the root is read).
    pub fn format_version(&self) -> &str {
        &self.state.format_version
    }

    /// The next `Документ`, or `None` at the end of the file. A malformed file is an error;
    /// a well-formed but wrong record is returned as is and checked by [`RawDocument::to_record`].
    pub fn next_document(&mut self) -> Result<Option<&RawDocument>, CoreError> {
        let DocumentReader { reader, buf, state } = self;
        loop {
            buf.clear();
            let event = match reader.read_event_into(buf) {
                Ok(e) => e,
                // A refusal of our own (an over-long token) comes wrapped as an I/O error: its
                // message is the Russian text, its place where reading stopped.
                Err(quick_xml::Error::Io(io)) => {
                    return Err(malformed(reader, &state.label, reader.buffer_position(), io))
                }
                Err(e) => return Err(malformed(reader, &state.label, reader.error_position(), e)),
            };
            match event {
                Event::Decl(decl) => {
                    // The decoder was set from the declaration before reading (see `new`); a
                    // declaration it could not see there (far from the start) must agree with it.
                    let current = reader.get_ref().inner.encoding();
                    if let Some(Ok(name)) = decl.encoding() {
                        if decl.encoder() != Some(current) {
                            let what = format!("кодировка «{name}» объявлена не в начале файла или неизвестна");
                            return Err(malformed(reader, &state.label, reader.buffer_position(), what));
                        }
                    }
                }
                Event::Start(e) => {
                    state.depth += 1;
                    state.start(reader, &e)?;
                }
                Event::Empty(e) => state.start(reader, &e)?,
                Event::End(e) => {
                    state.depth = state.depth.saturating_sub(1);
                    if e.name().as_ref() == "Документ" && state.in_document {
                        state.in_document = false;
                        return Ok(Some(&state.doc));
                    }
                }
                Event::Eof => {
                    if state.depth > 0 {
                        let at = reader.buffer_position();
                        return Err(malformed(
                            reader,
                            &state.label,
                            at,
                            "файл оборван — не закрыты элементы",
                        ));
                    }
                    if !state.root_seen {
                        return Err(malformed(reader, &state.label, 0, "нет корневого элемента «Файл»"));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

impl State {
    fn start<R: BufRead>(&mut self, reader: &XmlReader<R>, e: &BytesStart) -> Result<(), CoreError> {
        let name = e.name();
        let name = name.as_ref();
        if !self.root_seen {
            if name != "Файл" {
                return Err(malformed(
                    reader,
                    &self.label,
                    0,
                    format!("корневой элемент «{name}», а ожидается «Файл»"),
                ));
            }
            self.root_seen = true;
            let mut version = String::new();
            self.attrs(reader, e, |key, v| {
                if key == "ВерсФорм" {
                    version.push_str(v);
                }
            })?;
            self.format_version = version;
            return self.check_version();
        }
        if name == "Документ" {
            self.doc.clear();
            self.in_document = true;
        } else if !self.in_document {
            return Ok(());
        }
        // Borrow the record apart from the rest of the state for the attribute callbacks.
        let mut doc = std::mem::take(&mut self.doc);
        let d = &mut doc;
        let outcome = match name {
            "Документ" => self.attrs(reader, e, |key, v| match key {
                "ИдДок" => d.doc_id.push_str(v),
                "ДатаСост" => d.state_date.push_str(v),
                "ДатаВклМСП" => d.included_on.push_str(v),
                "ВидСубМСП" => d.kind.push_str(v),
                "КатСубМСП" => d.category.push_str(v),
                _ => {}
            }),
            "ОргВклМСП" => {
                d.organisation = true;
                self.attrs(reader, e, |key, v| match key {
                    "НаимОрг" => d.full_name.push_str(v),
                    "НаимОргСокр" => d.short_name.push_str(v),
                    "ИННЮЛ" => d.inn.push_str(v),
                    "ОГРН" => d.ogrn.push_str(v),
                    _ => {}
                })
            }
            "ИПВклМСП" => {
                d.person = true;
                self.attrs(reader, e, |key, v| match key {
                    "ИННФЛ" => d.inn.push_str(v),
                    "ОГРНИП" => d.ogrn.push_str(v),
                    _ => {}
                })
            }
            "ФИОИП" => self.attrs(reader, e, |key, v| match key {
                "Фамилия" => d.last_name.push_str(v),
                "Имя" => d.first_name.push_str(v),
                "Отчество" => d.patronymic.push_str(v),
                _ => {}
            }),
            "СведМН" => self.attrs(reader, e, |key, v| {
                if key == "КодРегион" {
                    d.region_code.push_str(v)
                }
            }),
            "СвОКВЭДОсн" => self.attrs(reader, e, |key, v| {
                if key == "КодОКВЭД" {
                    d.okved_main.push_str(v)
                }
            }),
            "СвОКВЭДДоп" => self.attrs(reader, e, |key, v| {
                if key == "КодОКВЭД" {
                    if !d.okved_extra.is_empty() {
                        d.okved_extra.push_str(", ");
                    }
                    d.okved_extra.push_str(v)
                }
            }),
            _ => Ok(()),
        };
        self.doc = doc;
        outcome
    }

    fn check_version(&self) -> Result<(), CoreError> {
        let v = self.format_version.trim();
        let mut parts = v.split('.').map(|p| p.parse::<u32>());
        let parsed = match (parts.next(), parts.next()) {
            (Some(Ok(major)), Some(Ok(minor))) => Some((major, minor)),
            (Some(Ok(major)), None) => Some((major, 0)),
            _ => None,
        };
        match parsed {
            Some(found) if found >= OLDEST_FORMAT => Ok(()),
            _ => Err(CoreError::new(
                ErrorCode::File,
                format!(
                    "{}: версия формата «{v}» не поддерживается — загружаются выгрузки реестра МСП версии 4.01 и новее. \
                     Скачайте актуальную выгрузку на сайте ФНС.",
                    self.label
                ),
            )),
        }
    }

    fn attrs<R: BufRead>(
        &self,
        reader: &XmlReader<R>,
        e: &BytesStart,
        mut f: impl FnMut(&str, &str),
    ) -> Result<(), CoreError> {
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| malformed(reader, &self.label, reader.buffer_position(), err))?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| malformed(reader, &self.label, reader.buffer_position(), err))?;
            f(attr.key.as_ref(), &value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
