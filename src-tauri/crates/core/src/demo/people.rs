//! Invented but well-formed businesses and people for the demo data: obviously fictitious names («ООО «Демо-Амур»», surnames like Образцов or Примеров) with ИНН, ОГРН/ОГРНИП and КПП whose check digits are right (completed by `ident`'s own rules).

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::ident;
use crate::sme::{ExportExperience, SmeCategory, SmeInput, SmeKind};

/// Surnames that sound Russian and say "example" at once, so nobody mistakes a demo record for a real one.
const SURNAMES: &[&str] = &[
    "Образцов",
    "Примеров",
    "Макетов",
    "Шаблонов",
    "Вымыслов",
    "Выдумкин",
    "Пробников",
    "Эскизов",
    "Черновиков",
    "Набросков",
    "Опытов",
    "Образчиков",
    "Демкин",
    "Условнов",
    "Модельнов",
    "Пробкин",
];
/// (male, female) given names and the patronymic stem of the male one.
const NAMES: &[(&str, &str, &str)] = &[
    ("Иван", "Анна", "Иванов"),
    ("Пётр", "Мария", "Петров"),
    ("Сергей", "Ольга", "Сергеев"),
    ("Алексей", "Елена", "Алексеев"),
    ("Дмитрий", "Наталья", "Дмитриев"),
    ("Андрей", "Татьяна", "Андреев"),
    ("Николай", "Ирина", "Николаев"),
    ("Михаил", "Светлана", "Михайлов"),
    ("Виктор", "Юлия", "Викторов"),
    ("Олег", "Екатерина", "Олегов"),
];
const WORDS: &[&str] = &[
    "Амур",
    "Восток",
    "Тайга",
    "Океан",
    "Кедр",
    "Агро",
    "Пасека",
    "Транс",
    "Север",
    "Бурея",
    "Уссури",
    "Краб",
    "Лосось",
    "Соя",
    "Зерно",
    "Техно",
    "Лес",
    "Металл",
    "Ресурс",
    "Мёд",
    "Рыба",
    "Сервис",
    "Логистик",
    "Строй",
    "Маркет",
    "Эко",
    "Арт",
    "Софт",
    "Фарм",
    "Пром",
];
/// Products with their ОКВЭД and ТН ВЭД codes, so a card reads consistently.
const TRADES: &[(&str, &str, &str)] = &[
    ("Мороженая рыба и морепродукты", "10.20", "0303"),
    ("Пиломатериалы хвойных пород", "16.10", "4407"),
    ("Мёд натуральный", "01.49", "0409"),
    ("Соевые бобы", "01.11", "1201"),
    ("Кондитерские изделия", "10.82", "1806"),
    ("Программное обеспечение", "62.01", "8523"),
    ("Металлоконструкции", "25.11", "7308"),
    ("Мебель из массива", "31.09", "9403"),
    ("Биологически активные добавки", "10.89", "2106"),
    ("Изделия народных промыслов", "32.99", "4420"),
];
const COUNTRIES: &[&str] = &[
    "Китай",
    "Казахстан",
    "Монголия",
    "Вьетнам",
    "Индия",
    "ОАЭ",
    "Беларусь",
    "Узбекистан",
];

/// The centre's region in the demo (Хабаровский край); a few businesses come from elsewhere (§4.3.2).
pub const REGION: &str = "27";
const OTHER_REGIONS: &[&str] = &["25", "28", "79"];

pub struct Person {
    pub last: String,
    pub first: String,
    pub patronymic: String,
}

impl Person {
    pub fn full(&self) -> String {
        format!("{} {} {}", self.last, self.first, self.patronymic)
    }
}

pub fn person(rng: &mut ChaCha8Rng) -> Person {
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let (male, female, _) = NAMES[rng.random_range(0..NAMES.len())];
    let (_, _, stem) = NAMES[rng.random_range(0..NAMES.len())];
    if rng.random_bool(0.5) {
        Person {
            last: surname.into(),
            first: male.into(),
            patronymic: format!("{stem}ич"),
        }
    } else {
        Person {
            last: format!("{surname}а"),
            first: female.into(),
            patronymic: format!("{stem}на"),
        }
    }
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// The n-th demo business: its kind, category and identifiers follow from `n` and the stream.
/// `n` keeps INNs unique (the serial part is `n` itself); every date is before `start`, the day
/// the demo history begins (the day the records are entered).
pub fn sme(rng: &mut ChaCha8Rng, n: u32, start: NaiveDate) -> SmeInput {
    let roll = rng.random_range(0..100);
    let kind = match roll {
        0..55 => SmeKind::LegalEntity,
        55..80 => SmeKind::SoleProprietor,
        80..87 => SmeKind::FarmHead,
        _ => SmeKind::SelfEmployed,
    };
    let region = if rng.random_range(0..100) < 3 {
        OTHER_REGIONS[rng.random_range(0..OTHER_REGIONS.len())]
    } else {
        REGION
    };
    let office = 21 + n / 100_000;
    let year = rng.random_range(2005..start.year()) % 100;
    let (trade, okved, hs) = TRADES[rng.random_range(0..TRADES.len())];
    let mut s = match kind {
        SmeKind::LegalEntity => {
            let w1 = WORDS[rng.random_range(0..WORDS.len())];
            let w2 = WORDS[rng.random_range(0..WORDS.len())];
            let brand = if w1 == w2 {
                format!("Демо-{w1}")
            } else {
                format!("Демо-{w1} {w2}")
            };
            let (form, long) = if rng.random_range(0..5) == 0 {
                ("АО", "Акционерное общество")
            } else {
                ("ООО", "Общество с ограниченной ответственностью")
            };
            let inn = ident::complete_inn10(&format!("{region}{office:02}{:05}", n % 100_000));
            let head = person(rng);
            let mut s = SmeInput::new(kind, &format!("{long} «{brand}»"), &inn);
            s.short_name = format!("{form} «{brand}»");
            s.ogrn = ident::complete_ogrn(&format!("1{year:02}{region}{:07}", n));
            s.kpp = format!("{}01001", &inn[..4]);
            s.head_position = "Генеральный директор".into();
            s.head_name = head.full();
            s
        }
        _ => {
            let p = person(rng);
            let inn = ident::complete_inn12(&format!("{region}{office:02}{:06}", n % 1_000_000));
            let full = match kind {
                SmeKind::SoleProprietor => format!("Индивидуальный предприниматель {}", p.full()),
                SmeKind::FarmHead => format!("Глава КФХ {}", p.full()),
                _ => p.full(),
            };
            let mut s = SmeInput::new(kind, &full, &inn);
            if kind != SmeKind::SelfEmployed {
                s.ogrn = ident::complete_ogrn(&format!("3{year:02}{region}{:09}", n));
            }
            s.last_name = p.last;
            s.first_name = p.first;
            s.patronymic = p.patronymic;
            s.pd_consent_on = Some(start);
            s
        }
    };
    if kind != SmeKind::SelfEmployed {
        s.category = Some(match rng.random_range(0..100) {
            0..70 => SmeCategory::Micro,
            70..92 => SmeCategory::Small,
            _ => SmeCategory::Medium,
        });
        s.registry_included_on = NaiveDate::from_ymd_opt(2000 + year, 8, 10);
    }
    s.region_code = region.into();
    s.legal_address = format!(
        "{region}0{:03}, г. Демоград, ул. Примерная, д. {}",
        rng.random_range(0..1000),
        rng.random_range(1..120)
    );
    s.okved_main = okved.into();
    s.products = trade.into();
    s.hs_codes = hs.into();
    s.target_countries = COUNTRIES[rng.random_range(0..COUNTRIES.len())].into();
    s.export_experience = match rng.random_range(0..3) {
        0 => ExportExperience::None,
        1 => ExportExperience::OneOff,
        _ => ExportExperience::Regular,
    };
    s.contact_person = person(rng).full();
    s.phone = format!("+7 (4212) {}-{}-{}", digits(rng, 2), digits(rng, 2), digits(rng, 2));
    s.email = format!("demo{n}@example.ru");
    s.notes = "Демонстрационные данные: организация вымышлена".into();
    s
}

/// Name of a fictitious contractor organisation.
pub fn contractor_name(n: usize) -> String {
    const TRADES: &[&str] = &[
        "Демо-Сертификат",
        "Демо-Патент",
        "Демо-Маркетинг",
        "Демо-Логистика",
        "Демо-Перевод",
        "Демо-Выставка",
        "Демо-Право",
        "Демо-Веб",
    ];
    format!("ООО «{}»", TRADES[n % TRADES.len()])
}
