//! Sample documents shared by the document tests and the document benchmark: a realistic centre, businesses and services.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use cpe_core::centre::CentreSettings;
use cpe_core::document::acts::{ActDoc, ActKind};
use cpe_core::document::agreement::AgreementDoc;
use cpe_core::document::extract::{ExtractDoc, ExtractRow};
use cpe_core::document::items::ItemLine;
use cpe_core::document::parties::SmeParty;
use cpe_core::document::refusal::{RefusalDoc, RefusalReason};
use rust_decimal::Decimal;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn created() -> NaiveDateTime {
    date(2025, 3, 15).and_hms_opt(10, 30, 0).unwrap()
}

pub fn rub(kopecks: i64) -> Decimal {
    Decimal::new(kopecks, 2)
}

pub fn centre() -> CentreSettings {
    CentreSettings {
        full_name: "Автономная некоммерческая организация «Центр поддержки экспорта Хабаровского края»".into(),
        short_name: "АНО «ЦПЭ Хабаровского края»".into(),
        inn: "2721234567".into(),
        kpp: "272101001".into(),
        ogrn: "1172700001234".into(),
        region_code: "27".into(),
        city: "г. Хабаровск".into(),
        legal_address: "680000, г. Хабаровск, ул. Муравьёва-Амурского, д. 5, оф. 301".into(),
        postal_address: "680000, г. Хабаровск, ул. Муравьёва-Амурского, д. 5, оф. 301".into(),
        phone: "+7 (4212) 00-00-00".into(),
        email: "info@export27.ru".into(),
        bank_name: "Дальневосточный банк ПАО Сбербанк".into(),
        bik: "040813608".into(),
        settlement_account: "40703810070000001234".into(),
        correspondent_account: "30101810600000000608".into(),
        head_position: "директор".into(),
        head_name: "Петрова Анна Сергеевна".into(),
    }
}

pub fn sme() -> SmeParty {
    SmeParty {
        full_name: "Общество с ограниченной ответственностью «Амурские деликатесы»".into(),
        short_name: "ООО «Амурские деликатесы»".into(),
        inn: "2723456789".into(),
        kpp: "272301001".into(),
        ogrn: "1152723001122".into(),
        address: "680009, г. Хабаровск, ул. Промышленная, д. 12".into(),
        phone: "+7 (4212) 11-22-33".into(),
        email: "sales@amur-deli.ru".into(),
        bank_name: "АО «Альфа-Банк»".into(),
        bik: "044525593".into(),
        settlement_account: "40702810900000012345".into(),
        correspondent_account: "30101810200000000593".into(),
        signer_position: "генеральный директор".into(),
        signer_name: "Иванов Пётр Николаевич".into(),
        signer_basis: "Устава".into(),
    }
}

pub fn standalone_items() -> Vec<ItemLine> {
    vec![ItemLine {
        code: "4.2".into(),
        title: "Приведение продукции в соответствие с требованиями, необходимыми для экспорта (сертификация)".into(),
        base: None,
        cost: rub(125_000_000),
        sme_share: rub(25_000_000),
        centre_share: rub(100_000_000),
    }]
}

pub fn complex_items() -> Vec<ItemLine> {
    vec![
        ItemLine {
            code: "5.2.b1".into(),
            title: "Поиск и подбор иностранного покупателя".into(),
            base: Some(true),
            cost: rub(30_000_000),
            sme_share: rub(0),
            centre_share: rub(30_000_000),
        },
        ItemLine {
            code: "5.2.a1".into(),
            title: "Создание и продвижение сайта на иностранном языке".into(),
            base: Some(false),
            cost: rub(18_750_050),
            sme_share: rub(3_750_010),
            centre_share: rub(15_000_040),
        },
        ItemLine {
            code: "5.2.a3".into(),
            title: "Организация переговоров с иностранным покупателем, включая услуги переводчика".into(),
            base: Some(false),
            cost: rub(4_500_000),
            sme_share: rub(0),
            centre_share: rub(4_500_000),
        },
    ]
}

pub fn agreement(complex: bool) -> AgreementDoc {
    AgreementDoc {
        centre: centre(),
        sme: sme(),
        number: if complex { "27-К/2025-014" } else { "27-С/2025-007" }.into(),
        date: date(2025, 3, 15),
        service_code: if complex { "5.2" } else { "4.2" }.into(),
        service_title: if complex {
            "Содействие в поиске и подборе иностранного покупателя"
        } else {
            "Приведение продукции в соответствие с требованиями, необходимыми для экспорта"
        }
        .into(),
        complex,
        items: if complex { complex_items() } else { standalone_items() },
        payment_days: 10,
        deadline: date(2025, 12, 20),
    }
}

pub fn act(kind: ActKind) -> ActDoc {
    let complex = kind != ActKind::Standalone;
    let a = agreement(complex);
    let items = match &kind {
        ActKind::Stage { .. } => a.items[..1].to_vec(),
        _ => a.items.clone(),
    };
    ActDoc {
        centre: a.centre,
        sme: a.sme,
        number: "А-2025-0123".into(),
        date: date(2025, 11, 28),
        agreement_number: a.number,
        agreement_date: a.date,
        service_code: a.service_code,
        service_title: a.service_title,
        kind,
        event: None,
        items,
    }
}

pub fn refusal() -> RefusalDoc {
    RefusalDoc {
        centre: centre(),
        sme: sme(),
        number: "ЦПЭ-0456".into(),
        date: date(2025, 4, 2),
        application_number: "З-2025-0789".into(),
        application_date: date(2025, 3, 28),
        service_code: "4.4".into(),
        service_title: "Проведение индивидуального маркетингового исследования иностранного рынка".into(),
        reason: RefusalReason::NoExportResult,
        details: "Акты № А-2022-0101, А-2023-0050 и А-2024-0077; экспортные контракты не сообщены.".into(),
    }
}

pub fn extract(rows: usize) -> ExtractDoc {
    let titles = [
        ("4.2", "Сертификация продукции"),
        ("4.4", "Маркетинговое исследование иностранного рынка"),
        ("5.2", "Поиск иностранного покупателя"),
        ("5.7", "Участие в международной выставке (индивидуальный стенд)"),
    ];
    ExtractDoc {
        centre: centre(),
        sme: sme(),
        sme_category: "малое предприятие".into(),
        date: date(2025, 12, 31),
        rows: (0..rows)
            .map(|n| {
                let (code, title) = titles[n % titles.len()];
                let cost = rub(10_000_000 + n as i64 * 12_345);
                let sme_share = rub(2_000_000 + n as i64 * 2_469);
                ExtractRow {
                    service_code: code.into(),
                    service_title: title.into(),
                    agreement_number: format!("27/{:04}", n + 1),
                    agreement_date: date(2020 + (n / 60) as i32 % 6, (n % 12) as u32 + 1, 10),
                    act: (n % 7 != 3).then(|| {
                        (
                            format!("А-{:04}", n + 1),
                            date(2020 + (n / 60) as i32 % 6, (n % 12) as u32 + 1, 25),
                        )
                    }),
                    cost,
                    sme_share,
                    centre_share: cost - sme_share,
                }
            })
            .collect(),
    }
}
