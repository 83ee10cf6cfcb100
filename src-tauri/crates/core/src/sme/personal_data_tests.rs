//! 152-ФЗ: consent before an agreement, a request to stop processing, erasure refused within §7.3's three years and done after them, with the journal's old values erased too.

use super::*;
use crate::agreement;
use crate::agreement::fixture::{budget, ctx, day, eligible_sme, open, standalone};
use crate::sme::{self, SmeKind};

fn person(conn: &mut Db, consent: Option<&str>) -> i64 {
    let id = eligible_sme(conn, "7707083893");
    let mut s = sme::get(conn, id).unwrap().input;
    s.kind = SmeKind::SoleProprietor;
    s.inn = crate::ident::complete_inn12("5001007322");
    s.full_name = "ИП Петров Пётр Петрович".into();
    s.last_name = "Петров".into();
    s.first_name = "Пётр".into();
    s.patronymic = "Петрович".into();
    s.phone = "+7 914 000-00-00".into();
    s.email = "petrov@example.ru".into();
    s.legal_address = "г. Хабаровск, ул. Ленина, д. 1, кв. 2".into();
    s.pd_consent_on = consent.map(day);
    sme::update(conn, &ctx("2025-03-03"), id, &s).unwrap();
    id
}

#[test]
fn a_person_without_consent_gets_no_agreement_and_the_card_says_why() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let id = person(&mut conn, None);
    let e = agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(id, None)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sme_id"));
    assert!(
        e.message.contains("нет даты согласия") && e.message.contains("152-ФЗ"),
        "{}",
        e.message
    );
    let st = status(&conn, id, day("2025-03-06")).unwrap();
    assert!(
        st.is_person && st.explanation.contains("без него соглашение не заключается"),
        "{st:?}"
    );

    let mut s = sme::get(&conn, id).unwrap().input;
    s.pd_consent_on = Some(day("2025-03-07"));
    sme::update(&mut conn, &ctx("2025-03-07"), id, &s).unwrap();
    let e = agreement::create(&mut conn, &ctx("2025-03-07"), &standalone(id, None)).unwrap_err();
    assert!(e.message.contains("позже даты соглашения 06.03.2025"), "{}", e.message);
    s.pd_consent_on = Some(day("2025-03-05"));
    sme::update(&mut conn, &ctx("2025-03-07"), id, &s).unwrap();
    agreement::create(&mut conn, &ctx("2025-03-07"), &standalone(id, None)).unwrap();
}

#[test]
fn erasure_waits_for_the_three_years_of_7_3_then_erases_the_card_and_the_journal() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let id = person(&mut conn, Some("2025-03-01"));
    agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(id, None)).unwrap();

    let e = erase(&mut conn, &ctx("2025-04-01"), id).unwrap_err();
    assert!(e.message.contains("сначала запишите его запрос"), "{}", e.message);
    let st = withdraw(&mut conn, &ctx("2025-04-01"), id, day("2025-04-01")).unwrap();
    assert!(!st.can_erase);
    assert_eq!(st.erasable_from, Some(day("2028-03-06")));
    // No new agreement after the request.
    let e = agreement::create(&mut conn, &ctx("2025-04-02"), &standalone(id, None)).unwrap_err();
    assert!(e.message.contains("прекратить обработку"), "{}", e.message);
    let e = erase(&mut conn, &ctx("2028-03-05"), id).unwrap_err();
    assert!(
        e.message.contains("Удалить данные можно с 06.03.2028") && e.message.contains("п. 7.3"),
        "{}",
        e.message
    );
    assert_eq!(sme::get(&conn, id).unwrap().input.phone, "+7 914 000-00-00");

    let st = erase(&mut conn, &ctx("2028-03-06"), id).unwrap();
    assert_eq!(st.erased_on, Some(day("2028-03-06")));
    let s = sme::get(&conn, id).unwrap().input;
    assert_eq!(
        (s.phone.as_str(), s.email.as_str(), s.legal_address.as_str()),
        ("", "", "")
    );
    // The name stays: it is in the signed agreement the centre keeps.
    assert_eq!(s.full_name, "ИП Петров Пётр Петрович");
    let journal: String = conn
        .query_row(
            "SELECT string_agg(coalesce(before_json, '') || coalesce(after_json, ''), ' ') FROM audit_log WHERE entity = 'sme'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for gone in ["000-00-00", "petrov@example.ru", "ул. Ленина"] {
        assert!(!journal.contains(gone), "{gone} is still in the journal");
    }
    assert!(journal.contains("pd_erased_on"));
    let e = erase(&mut conn, &ctx("2028-03-07"), id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
}
