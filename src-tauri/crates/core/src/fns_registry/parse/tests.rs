//! Tests of `fns_registry/parse.rs`.
use super::*;

fn read_all(xml: &[u8]) -> Result<Vec<Result<FnsRecord, String>>, CoreError> {
    let mut r = DocumentReader::new(xml, "файл test.xml".into())?;
    let mut out = Vec::new();
    while let Some(doc) = r.next_document()? {
        out.push(doc.to_record().map(|(_, rec)| rec));
    }
    Ok(out)
}

const UL: &str = r#"<Документ ИдДок="1" ДатаСост="10.02.2019" ДатаВклМСП="01.08.2016" ВидСубМСП="1" КатСубМСП="2" Новое="x"><ОргВклМСП НаимОрг="ООО &quot;РОМАШКА&quot;" НаимОргСокр="ООО РОМАШКА" ИННЮЛ="7707083893" ОГРН="1027700132195"/><СведМН КодРегион="27"><Регион Тип="КРАЙ" Наим="ХАБАРОВСКИЙ"/></СведМН><Неизвестный/><СвОКВЭД><СвОКВЭДОсн КодОКВЭД="10.20"/><СвОКВЭДДоп КодОКВЭД="46.38"/><СвОКВЭДДоп КодОКВЭД="03.11"/></СвОКВЭД></Документ>"#;

fn file(docs: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Файл ВерсФорм="4.05" КолДок="1"><ИдОтпр><ФИООтв Фамилия="-" Имя="-"/></ИдОтпр>{docs}</Файл>"#
    )
}

#[test]
fn reads_a_legal_entity_with_unknown_elements() {
    let recs = read_all(file(UL).as_bytes()).unwrap();
    let r = recs[0].as_ref().unwrap();
    assert_eq!(r.kind, SmeKind::LegalEntity);
    assert_eq!(r.full_name, "ООО \"РОМАШКА\"");
    assert_eq!(r.category, SmeCategory::Small);
    assert_eq!(r.region_code, "27");
    assert_eq!(r.okved_main, "10.20");
    assert_eq!(r.okved_extra, "46.38, 03.11");
    assert_eq!(r.included_on, NaiveDate::from_ymd_opt(2016, 8, 1));
    assert_eq!(r.ogrn, "1027700132195");
}

#[test]
fn reads_windows_1251() {
    let text = file(UL).replace("UTF-8", "windows-1251");
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!bad);
    assert_ne!(bytes.as_ref(), text.as_bytes(), "really re-encoded");
    let recs = read_all(&bytes).unwrap();
    assert_eq!(recs[0].as_ref().unwrap().full_name, "ООО \"РОМАШКА\"");
}

#[test]
fn a_bad_inn_is_a_skipped_record_not_a_file_error() {
    let bad = UL.replace("7707083893", "7707083890");
    let recs = read_all(file(&format!("{bad}{UL}")).as_bytes()).unwrap();
    assert!(
        recs[0].as_ref().unwrap_err().contains("контрольная сумма"),
        "{:?}",
        recs[0]
    );
    assert!(recs[1].is_ok());
}

#[test]
fn a_person_gets_the_name_from_fioip() {
    let ip = r#"<Документ ДатаСост="10.05.2023" ВидСубМСП="2" КатСубМСП="1"><ИПВклМСП ИННФЛ="500100732259" ОГРНИП="304500116000157"><ФИОИП Фамилия="ПЕТРОВ" Имя="ПЁТР" Отчество="ПЕТРОВИЧ"/></ИПВклМСП><СведМН КодРегион="50"/></Документ>"#;
    let recs = read_all(file(ip).as_bytes()).unwrap();
    let r = recs[0].as_ref().unwrap();
    assert_eq!(
        (r.kind, r.full_name.as_str(), r.last_name.as_str()),
        (SmeKind::SoleProprietor, "ПЕТРОВ ПЁТР ПЕТРОВИЧ", "ПЕТРОВ")
    );
    let kfh = ip.replace(r#"ВидСубМСП="2""#, r#"ВидСубМСП="3""#);
    assert_eq!(
        read_all(file(&kfh).as_bytes()).unwrap()[0].as_ref().unwrap().kind,
        SmeKind::FarmHead
    );
    let wrong = ip.replace(r#"ВидСубМСП="2""#, r#"ВидСубМСП="1""#);
    assert!(read_all(file(&wrong).as_bytes()).unwrap()[0].is_err());
}

#[test]
fn malformed_xml_names_the_file_and_position() {
    let broken = file(UL).replace("</ОргВклМСП>", "").replace("/><СведМН", "><СведМН");
    let err = read_all(broken.as_bytes()).unwrap_err();
    assert_eq!(err.code, ErrorCode::File);
    assert!(
        err.message.starts_with("файл test.xml: ошибка в XML около байта "),
        "{}",
        err.message
    );
    // Cut inside a two-byte letter, as a broken download would.
    let whole = file(UL);
    let err = read_all(&whole.as_bytes()[..300]).unwrap_err();
    assert!(err.message.contains("test.xml"), "{}", err.message);
}

#[test]
fn old_or_foreign_files_are_refused() {
    let old = file(UL).replace("4.05", "3.00");
    assert!(read_all(old.as_bytes())
        .unwrap_err()
        .message
        .contains("версия формата «3.00»"));
    let foreign = r#"<?xml version="1.0"?><html/>"#;
    assert!(read_all(foreign.as_bytes())
        .unwrap_err()
        .message
        .contains("ожидается «Файл»"));
}

/// Issue 14: memory grew with the largest text node (a ZIP of 1 MB holding 1 GB of whitespace took
/// 1.07 GB) or an unclosed attribute (300 MB → 326 MB). A token longer than [`MAX_TOKEN`] is
/// refused with the file and the position; the reader never holds more than one token.
#[test]
fn an_overlong_token_is_refused_with_the_file_and_position() {
    struct Endless(u8, u64);
    impl std::io::Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.1 == 0 {
                return Ok(0);
            }
            let n = out.len().min(self.1 as usize);
            out[..n].fill(self.0);
            self.1 -= n as u64;
            Ok(n)
        }
    }
    let head = file("").replace("</Файл>", "");
    let cases: [(&str, u8); 2] = [("<Документ ИдДок=\"", b'7'), ("<Документ ИдДок=\"1\">", b' ')];
    for (open, fill) in cases {
        let prefix = format!("{head}{open}");
        let input = std::io::BufReader::new(std::io::Read::chain(prefix.as_bytes(), Endless(fill, 3 * MAX_TOKEN)));
        let e = read_all_from(input).unwrap_err();
        assert!(
            e.message.contains("файл test.xml")
                && e.message.contains("около байта")
                && e.message.contains("8 МБ")
                && !e.message.contains("I/O error"),
            "{}",
            e.message
        );
    }
    // Whitespace between records, a little at a time, is no token at all.
    let spaced = file(&format!("{UL}{}{UL}", " ".repeat(64 * 1024)));
    assert_eq!(read_all(spaced.as_bytes()).unwrap().len(), 2);
}

fn read_all_from<R: std::io::BufRead>(input: R) -> Result<usize, CoreError> {
    let mut r = DocumentReader::new(input, "файл test.xml".into())?;
    let mut n = 0;
    while r.next_document()?.is_some() {
        n += 1;
    }
    Ok(n)
}
