//! Tests of the foreign buyers' database: validation of codes, search and filters, links, export.

use super::*;
use crate::agreement::fixture::{ctx, eligible_sme, open};
use crate::db::Db;
use crate::error::ErrorCode;

fn buyer(name: &str, country: &str, hs: &str) -> ForeignBuyerInput {
    ForeignBuyerInput {
        name: name.into(),
        country_code: country.into(),
        city: "Алматы".into(),
        address: String::new(),
        contact_person: "Айгерим Сапарова".into(),
        phone: "+7 727 000 00 00".into(),
        email: "buy@example.kz".into(),
        website: String::new(),
        products: "Мёд, джемы".into(),
        hs_codes: hs.into(),
        source_kind: BuyerSource::Event,
        source_agreement_id: None,
        source_text: "Выставка «Продэкспо-2025»".into(),
        notes: String::new(),
        sme_ids: vec![],
    }
}

#[test]
fn hs_codes_are_two_to_ten_digits() {
    assert_eq!(normalize_hs_codes(" 0409; 2007 0409 ").unwrap(), "0409, 2007");
    assert!(normalize_hs_codes("4").unwrap_err().contains("«4»"));
    assert!(normalize_hs_codes("04091234567").is_err());
    assert!(normalize_hs_codes("04a9").is_err());
    let mut b = buyer("X", "999", "1");
    b.source_kind = BuyerSource::Service;
    let fields: Vec<_> = validate(&b).into_iter().filter_map(|e| e.field).collect();
    assert_eq!(fields, vec!["country_code", "hs_codes", "source_agreement_id"]);
}

#[test]
fn buyers_are_found_by_words_country_code_prefix_and_sme() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let kz = add(
        &mut conn,
        &ctx("2025-03-03"),
        &ForeignBuyerInput {
            sme_ids: vec![sme],
            ..buyer("ТОО «Медовый Дом»", "398", "0409, 2007")
        },
    )
    .unwrap();
    let cn = add(
        &mut conn,
        &ctx("2025-03-03"),
        &buyer("Harbin Sweet Trading", "156", "1704"),
    )
    .unwrap();
    assert_eq!(kz.country_name, "Казахстан");
    let dup = add(&mut conn, &ctx("2025-03-03"), &buyer("тоо «медовый дом»", "398", "")).unwrap_err();
    assert_eq!(dup.code, ErrorCode::Duplicate);
    let names = |conn: &Db, q: BuyerQuery| list(conn, &q).unwrap().into_iter().map(|b| b.id).collect::<Vec<_>>();
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                text: "МЕДОВЫЙ алматы".into(),
                ..Default::default()
            }
        ),
        vec![kz.id]
    );
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                text: "harbin".into(),
                ..Default::default()
            }
        ),
        vec![cn.id]
    );
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                country_code: "156".into(),
                ..Default::default()
            }
        ),
        vec![cn.id]
    );
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                hs_prefix: "20".into(),
                ..Default::default()
            }
        ),
        vec![kz.id]
    );
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                hs_prefix: "07".into(),
                ..Default::default()
            }
        ),
        Vec::<i64>::new()
    );
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                sme_id: Some(sme),
                ..Default::default()
            }
        ),
        vec![kz.id]
    );

    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("buyers.csv");
    assert_eq!(export(&conn, &BuyerQuery::default(), &csv_path).unwrap(), 2);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        text.starts_with('\u{feff}') && text.contains("ТОО «Медовый Дом»;398;Казахстан"),
        "{text}"
    );
    let xlsx = dir.path().join("buyers.xlsx");
    assert_eq!(
        export(
            &conn,
            &BuyerQuery {
                country_code: "398".into(),
                ..Default::default()
            },
            &xlsx
        )
        .unwrap(),
        1
    );
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("Иностранные покупатели").unwrap();
    assert_eq!(range.get_value((1, 1)).unwrap().to_string(), "398");
    assert_eq!(range.get_value((1, 10)).unwrap().to_string(), "0409, 2007");

    let updated = update(
        &mut conn,
        &ctx("2025-03-04"),
        cn.id,
        &ForeignBuyerInput {
            city: "Харбин".into(),
            ..cn.input.clone()
        },
    )
    .unwrap();
    assert_eq!(
        names(
            &conn,
            BuyerQuery {
                text: "харбин".into(),
                ..Default::default()
            }
        ),
        vec![updated.id]
    );
    delete(&mut conn, &ctx("2025-03-04"), cn.id).unwrap();
    assert!(get(&conn, cn.id).is_err());
}

/// Issue 14: the code prefix is literal (a typed `%` or `_` is not a wildcard) and words are
/// found in any case, «ё» as «е».
#[test]
fn the_code_prefix_and_words_are_literal_and_case_insensitive() {
    let (_dir, mut conn) = open();
    let honey = add(
        &mut conn,
        &ctx("2025-03-03"),
        &buyer("ТОО «Мёд и Ко»", "398", "0409, 2007"),
    )
    .unwrap();
    let found = |q: BuyerQuery| list(&conn, &q).unwrap().into_iter().map(|b| b.id).collect::<Vec<_>>();
    for prefix in ["%", "_", "0_", "04%"] {
        let q = BuyerQuery {
            hs_prefix: prefix.into(),
            ..Default::default()
        };
        assert_eq!(found(q), Vec::<i64>::new(), "prefix «{prefix}»");
    }
    let q = BuyerQuery {
        hs_prefix: "2007".into(),
        ..Default::default()
    };
    assert_eq!(found(q), vec![honey.id]);
    let q = BuyerQuery {
        text: "МЕД И КО".into(),
        ..Default::default()
    };
    assert_eq!(found(q), vec![honey.id]);
}
