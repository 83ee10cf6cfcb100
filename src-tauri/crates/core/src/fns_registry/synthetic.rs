//! A generated registry file in the tax service's format 4.04, as large as asked: for the import benchmark and for tests that need an import long enough to cancel.

use std::fs::File;
use std::io::{BufWriter, Write};

use chrono::{Days, NaiveDate};

use crate::ident;

const OKVED: &[(&str, &str)] = &[
    ("47.11", "Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах"),
    ("43.39", "Производство прочих отделочных и завершающих работ"),
    ("49.41", "Деятельность автомобильного грузового транспорта"),
    ("62.01", "Разработка компьютерного программного обеспечения"),
    ("10.20", "Переработка и консервирование рыбы, ракообразных и моллюсков"),
];

/// A registry file of the tax service's format 4.04 (as in the open-data archive), written as a
/// stream until it reaches `size` bytes: regions 01–89 in turn, every INN and ОГРН/ОГРНИП valid.
pub fn write_synthetic(path: &std::path::Path, size: u64) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut written = 0u64;
    fn put(w: &mut BufWriter<File>, written: &mut u64, s: &str) -> std::io::Result<()> {
        *written += s.len() as u64;
        w.write_all(s.as_bytes())
    }
    put(
        &mut w,
        &mut written,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Файл ИдФайл=\"VO_RRMSPSV_0000_9965_20250610_bench\" ВерсФорм=\"4.04\" \
         ТипИнф=\"РЕЕСТРМСП\" КолДок=\"0\"><ИдОтпр><ФИООтв Фамилия=\"-\" Имя=\"-\"/></ИдОтпр>",
    )?;
    let state = NaiveDate::from_ymd_opt(2025, 6, 10).expect("a date");
    let mut n = 0u64;
    let mut doc = String::with_capacity(2048);
    while written < size {
        n += 1;
        let region = 1 + n % 89;
        let (okved, okved_name) = OKVED[(n % OKVED.len() as u64) as usize];
        let included = (state - Days::new(n % 3000)).format("%d.%m.%Y");
        doc.clear();
        let who = if n % 3 == 0 {
            let inn = ident::complete_inn10(&format!("{region:02}{:07}", n % 10_000_000));
            let ogrn = ident::complete_ogrn(&format!("1{:02}{region:02}{:07}", 5 + n % 20, n % 10_000_000));
            format!(
                "<ОргВклМСП НаимОрг=\"ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ &quot;ДЕМО-{n}&quot;\" НаимОргСокр=\"ООО &quot;ДЕМО-{n}&quot;\" ИННЮЛ=\"{inn}\" ОГРН=\"{ogrn}\"/>"
            )
        } else {
            let inn = ident::complete_inn12(&format!("{region:02}{:08}", n % 100_000_000));
            let ogrn = ident::complete_ogrn(&format!("3{:02}{region:02}{:09}", 5 + n % 20, n % 1_000_000_000));
            format!(
                "<ИПВклМСП ИННФЛ=\"{inn}\" ОГРНИП=\"{ogrn}\"><ФИОИП Фамилия=\"ОБРАЗЦОВ\" Имя=\"ИВАН\" Отчество=\"ПЕТРОВИЧ\"/></ИПВклМСП>"
            )
        };
        use std::fmt::Write as _;
        let _ = write!(
            doc,
            "<Документ ИдДок=\"bench-{n}\" ДатаСост=\"{}\" ДатаВклМСП=\"{included}\" ВидСубМСП=\"{}\" КатСубМСП=\"{}\" \
             ПризНовМСП=\"2\" СведСоцПред=\"2\">{who}<СведМН КодРегион=\"{region:02}\"><Регион Тип=\"КРАЙ\" Наим=\"ДЕМОНСТРАЦИОННЫЙ\"/>\
             <Город Тип=\"Г.\" Наим=\"ДЕМОГРАД\"/></СведМН><СвОКВЭД><СвОКВЭДОсн КодОКВЭД=\"{okved}\" НаимОКВЭД=\"{okved_name}\" \
             ВерсОКВЭД=\"2014\"/></СвОКВЭД></Документ>",
            state.format("%d.%m.%Y"),
            if n % 3 == 0 { 1 } else { 2 },
            1 + n % 3,
        );
        put(&mut w, &mut written, &doc)?;
    }
    put(&mut w, &mut written, "</Файл>")?;
    w.flush()?;
    Ok(written)
}
