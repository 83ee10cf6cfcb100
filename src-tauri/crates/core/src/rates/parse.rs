//! Reading the Central Bank's XML files of official exchange rates: the daily file (`XML_daily.asp`: `ValCurs Date` → `Valute`) and the dynamic series of one currency (`XML_dynamic.asp`: `ValCurs ID` → `Record Date`), in the encoding their declaration names (the Bank's files are windows-1251).

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;
use rust_decimal::Decimal;

use super::RateFileKind;
use crate::error::{CoreError, ErrorCode, Result};
use crate::fns_registry::declared_encoding;
use crate::oksm;

/// One rate as the file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRate {
    pub date: NaiveDate,
    pub char_code: String,
    pub nominal: i64,
    /// Roubles for `nominal` units.
    pub value: Decimal,
    /// Roubles for one unit: `VunitRate` where the file has it (files since 2022), otherwise
    /// `value / nominal`.
    pub unit_rate: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    pub kind: RateFileKind,
    pub rates: Vec<ParsedRate>,
}

fn bad(message: impl std::fmt::Display) -> CoreError {
    CoreError::new(ErrorCode::File, format!("Файл курсов ЦБ: {message}"))
}

/// Bytes → text in the declared encoding (UTF-8 when none is declared).
pub fn decode(bytes: &[u8]) -> Result<String> {
    let encoding = declared_encoding(&bytes[..bytes.len().min(200)])
        .map_err(|name| bad(format!("неизвестная кодировка «{name}» в заголовке XML")))?
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(bad(format!(
            "текст не читается в кодировке {}; сохраните файл заново с сайта ЦБ",
            encoding.name()
        )));
    }
    Ok(text.into_owned())
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%d.%m.%Y").ok()
}

/// "92,5058" → 92.5058. The Bank writes a decimal comma.
fn number(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(',', ".");
    // More digits than Decimal holds would be rounded silently: refuse instead.
    if s.chars().filter(char::is_ascii_digit).count() > 28 {
        return None;
    }
    let d: Decimal = s.parse().ok()?;
    (d > Decimal::ZERO).then_some(d)
}

/// What one `Valute` / `Record` element collected.
#[derive(Default)]
struct Entry {
    line: usize,
    date: Option<String>,
    id: Option<String>,
    char_code: Option<String>,
    nominal: Option<String>,
    value: Option<String>,
    unit_rate: Option<String>,
}

impl Entry {
    fn finish(self, kind: RateFileKind, file_date: Option<NaiveDate>, series: Option<&str>) -> Result<ParsedRate> {
        let line = self.line;
        let at = |what: &str| bad(format!("строка {line}: {what}"));
        let date = match kind {
            RateFileKind::Daily => file_date.ok_or_else(|| at("нет даты в атрибуте Date элемента ValCurs"))?,
            RateFileKind::Dynamic => {
                let raw = self.date.clone().unwrap_or_default();
                date(&raw).ok_or_else(|| at(&format!("дата «{raw}» в атрибуте Date не в формате ДД.ММ.ГГГГ")))?
            }
        };
        let char_code = match kind {
            RateFileKind::Daily => self.char_code.clone().unwrap_or_default().trim().to_uppercase(),
            RateFileKind::Dynamic => {
                let id = self.id.as_deref().or(series).unwrap_or_default();
                oksm::currency_by_cbr_id(id)
                    .map(|c| c.char_code.clone())
                    .ok_or_else(|| {
                        at(&format!(
                            "код валюты ЦБ «{id}» неизвестен программе (нет в assets/oksm/currencies.csv)"
                        ))
                    })?
            }
        };
        if char_code.len() != 3 || !char_code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(at(&format!("«{char_code}» — не буквенный код валюты (CharCode)")));
        }
        let raw_nominal = self.nominal.unwrap_or_default();
        let nominal = raw_nominal
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                at(&format!(
                    "номинал «{raw_nominal}» ({char_code}) — не целое положительное число"
                ))
            })?;
        let raw_value = self.value.unwrap_or_default();
        let value = number(&raw_value).ok_or_else(|| at(&format!("курс «{raw_value}» ({char_code}) — не число")))?;
        if !(1..=super::MAX_NOMINAL).contains(&nominal) {
            return Err(at(&format!("номинал {nominal} ({char_code}) — больше 1 000 000")));
        }
        let unit_rate = match self.unit_rate {
            Some(raw) => number(&raw).ok_or_else(|| at(&format!("VunitRate «{raw}» ({char_code}) — не число")))?,
            None => value / Decimal::from(nominal),
        };
        super::check_rate(nominal, value, unit_rate.normalize())
            .map_err(|reason| at(&format!("{char_code}: {reason}")))?;
        Ok(ParsedRate {
            date,
            char_code,
            nominal,
            value,
            unit_rate,
        })
    }
}

/// Parses either kind of file. Every problem names the line; nothing is guessed.
pub fn parse(bytes: &[u8]) -> Result<ParsedFile> {
    let text = decode(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = Reader::from_str(text);
    let mut lines = crate::xmltext::Lines::new(text);
    let mut content = crate::xmltext::Text::default();

    let mut kind: Option<RateFileKind> = None;
    let mut file_date: Option<NaiveDate> = None;
    let mut series: Option<String> = None;
    let mut entry: Option<Entry> = None;
    let mut field: Option<String> = None;
    let mut rates = Vec::new();
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let line = lines.at(pos);
                content.clear();
                let name = e.local_name().as_ref().to_owned();
                let mut attrs = std::collections::HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| bad(format!("строка {line}: неверный атрибут: {err}")))?;
                    let key = a.key.local_name().as_ref().to_owned();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| bad(format!("строка {line}: {err}")))?;
                    attrs.insert(key, value.into_owned());
                }
                match name.as_str() {
                    "ValCurs" => {
                        if let Some(id) = attrs.get("ID") {
                            kind = Some(RateFileKind::Dynamic);
                            series = Some(id.clone());
                        } else if let Some(d) = attrs.get("Date") {
                            kind = Some(RateFileKind::Daily);
                            file_date = Some(date(d).ok_or_else(|| {
                                bad(format!(
                                    "строка {line}: дата «{d}» в атрибуте Date не в формате ДД.ММ.ГГГГ"
                                ))
                            })?);
                        } else {
                            return Err(bad(format!(
                                "строка {line}: у элемента ValCurs нет ни Date (файл на дату), ни ID (динамика курса)"
                            )));
                        }
                    }
                    "Valute" | "Record" => {
                        entry = Some(Entry {
                            line,
                            date: attrs.get("Date").cloned(),
                            id: attrs.get("Id").or(attrs.get("ID")).cloned(),
                            ..Entry::default()
                        })
                    }
                    other => field = Some(other.to_owned()),
                }
            }
            // An element's text comes in pieces cut at references: gathered until its end.
            Ok(Event::Text(t)) => content.push(&t),
            Ok(Event::GeneralRef(r)) => content
                .push_ref(&r)
                .map_err(|why| bad(format!("строка {}: {why}", lines.at(pos))))?,
            Ok(Event::End(e)) => {
                let name = e.local_name().as_ref().to_owned();
                if let (Some(en), Some(f)) = (entry.as_mut(), field.as_deref()) {
                    let value = content.take();
                    match f {
                        "CharCode" => en.char_code = Some(value),
                        "Nominal" => en.nominal = Some(value),
                        "Value" => en.value = Some(value),
                        "VunitRate" => en.unit_rate = Some(value),
                        _ => {}
                    }
                }
                if name == "Valute" || name == "Record" {
                    let Some(k) = kind else {
                        return Err(bad("элемент Valute/Record вне ValCurs"));
                    };
                    if let Some(en) = entry.take() {
                        rates.push(en.finish(k, file_date, series.as_deref())?);
                    }
                }
                field = None;
            }
            Ok(Event::Eof) => break,
            Err(err) => {
                let line = lines.at(reader.error_position());
                return Err(bad(format!("это не корректный XML (строка {line}): {err}")));
            }
            Ok(_) => {}
        }
    }
    let Some(kind) = kind else {
        return Err(bad(
            "нет элемента ValCurs; это не файл курсов валют ЦБ РФ (XML_daily или XML_dynamic)",
        ));
    };
    Ok(ParsedFile { kind, rates })
}
