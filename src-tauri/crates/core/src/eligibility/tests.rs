//! Tests of the eligibility rules (pure verdicts) and of checks stored against small registry files made here.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{Duration, NaiveDate};

use super::*;
use crate::audit::Ctx;
use crate::db::{self, Db};
use crate::error::ErrorCode;
use crate::fns_registry::{self, FnsSnapshot};
use crate::ident::{complete_inn10, complete_inn12};
use crate::sme::{self, SmeInput, SmeKind};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn ctx_on(date: NaiveDate) -> Ctx {
    Ctx::new("Сидорова Е. В.", date.and_hms_opt(11, 0, 0).unwrap())
}

fn snap(id: i64, state_date: NaiveDate, imported_at: &str) -> FnsSnapshot {
    FnsSnapshot {
        id,
        state_date,
        regions: vec![],
        source_files: vec![],
        format_version: "4.01".into(),
        records_seen: 0,
        records_imported: 0,
        records_skipped: 0,
        records_duplicate: 0,
        imported_at: imported_at.into(),
        imported_by: "x".into(),
    }
}

fn check(checked_at: &str, source: CheckSource, outcomes: &[(Criterion, Outcome)]) -> Check {
    let mut criteria: Vec<CriterionResult> = Criterion::required_for(SmeKind::LegalEntity)
        .into_iter()
        .map(|c| CriterionResult::new(c, Outcome::Pass, "проверено"))
        .collect();
    for (c, o) in outcomes {
        criteria.iter_mut().find(|r| r.criterion == *c).unwrap().outcome = *o;
    }
    Check {
        id: 1,
        sme_id: 1,
        checked_at: checked_at.into(),
        checked_by: "x".into(),
        source,
        outcome: outcome_of(&criteria),
        criteria,
    }
}

fn from_snapshot(id: i64, d: NaiveDate) -> CheckSource {
    CheckSource::Snapshot {
        snapshot_id: Some(id),
        state_date: d,
    }
}

#[test]
fn verdicts_of_a_fresh_check() {
    let today = day(2025, 3, 10);
    let s = snap(1, day(2025, 2, 10), "2025-03-01T09:00:00");
    let ok = check("2025-03-01T10:00:00", from_snapshot(1, s.state_date), &[]);
    assert_eq!(verdict(Some(&ok), Some(&s), today, 30).verdict, Verdict::Eligible);

    let gambling = check(
        "2025-03-01T10:00:00",
        from_snapshot(1, s.state_date),
        &[(Criterion::NotGambling, Outcome::Fail)],
    );
    let v = verdict(Some(&gambling), Some(&s), today, 30);
    assert_eq!(
        (v.verdict, v.failed.as_slice()),
        (Verdict::NotEligible, [Criterion::NotGambling].as_slice())
    );
    assert!(v.reasons[0].contains("игорного бизнеса"), "{:?}", v.reasons);

    let partial = check(
        "2025-03-01T10:00:00",
        from_snapshot(1, s.state_date),
        &[(Criterion::NotSameGroup, Outcome::Unknown)],
    );
    let v = verdict(Some(&partial), Some(&s), today, 30);
    assert_eq!(v.verdict, Verdict::NeedsRecheck);
    assert!(
        v.reasons[0].starts_with("Не проверены: «Не состоит в одной группе"),
        "{:?}",
        v.reasons
    );

    let none = verdict(None, Some(&s), today, 30);
    assert_eq!((none.verdict, none.check.is_none()), (Verdict::NeedsRecheck, true));
}

#[test]
fn a_check_goes_stale_with_age_and_newer_imports() {
    let s = snap(1, day(2025, 2, 10), "2025-03-01T09:00:00");
    let ok = check("2025-03-01T10:00:00", from_snapshot(1, s.state_date), &[]);
    // 30 days: still valid on the 30th day, stale on the 31st; the setting is honoured.
    assert_eq!(
        verdict(Some(&ok), Some(&s), day(2025, 3, 31), 30).verdict,
        Verdict::Eligible
    );
    let v = verdict(Some(&ok), Some(&s), day(2025, 4, 1), 30);
    assert_eq!(v.verdict, Verdict::NeedsRecheck);
    assert!(
        v.reasons[0].contains("старше 30 дн. (прошло 31 дн.)"),
        "{:?}",
        v.reasons
    );
    assert_eq!(
        verdict(Some(&ok), Some(&s), day(2025, 4, 1), 60).verdict,
        Verdict::Eligible
    );

    // A later state date imported after the check makes it stale; re-importing the same date does not.
    let newer = snap(2, day(2025, 3, 10), "2025-03-12T08:00:00");
    let v = verdict(Some(&ok), Some(&newer), day(2025, 3, 13), 30);
    assert_eq!(v.verdict, Verdict::NeedsRecheck);
    assert!(v.reasons[0].contains("10.03.2025"), "{:?}", v.reasons);
    let same_again = snap(3, day(2025, 2, 10), "2025-03-12T08:00:00");
    assert_eq!(
        verdict(Some(&ok), Some(&same_again), day(2025, 3, 13), 30).verdict,
        Verdict::Eligible
    );
    // A manual check is overtaken by any import made after it, not by one made before.
    let manual = check(
        "2025-03-05T10:00:00",
        CheckSource::Manual {
            comment: "сайт ФНС".into(),
        },
        &[],
    );
    assert_eq!(
        verdict(Some(&manual), Some(&s), day(2025, 3, 6), 30).verdict,
        Verdict::Eligible
    );
    assert_eq!(
        verdict(Some(&manual), Some(&same_again), day(2025, 3, 13), 30).verdict,
        Verdict::NeedsRecheck
    );
    // A stale failed check still names what failed.
    let failed = check(
        "2025-03-01T10:00:00",
        from_snapshot(1, s.state_date),
        &[(Criterion::InCentreRegion, Outcome::Fail)],
    );
    let v = verdict(Some(&failed), Some(&s), day(2025, 6, 1), 30);
    assert_eq!((v.verdict, v.failed.len()), (Verdict::NeedsRecheck, 1));
    assert!(v.reasons.last().unwrap().contains("Зарегистрирован в регионе центра"));
}

#[test]
fn self_employed_answer_npd_instead_of_the_registry() {
    let req = Criterion::required_for(SmeKind::SelfEmployed);
    assert!(req.contains(&Criterion::NpdPayer) && !req.contains(&Criterion::InSmeRegistry));
    assert_eq!(req.len(), 9);
    let req = Criterion::required_for(SmeKind::FarmHead);
    assert!(!req.contains(&Criterion::NpdPayer) && req.contains(&Criterion::InSmeRegistry));
}

// --- stored checks against registry files made here ---

/// A registry file of legal entities `(inn, region)` as of `date` (dd.mm.yyyy).
fn registry_file(dir: &std::path::Path, name: &str, date: &str, docs: &[(&str, &str)]) -> PathBuf {
    let mut xml =
        String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Файл ИдФайл="t" ВерсФорм="4.01" ТипИнф="РЕЕСТРМСП">"#);
    for (inn, region) in docs {
        xml.push_str(&format!(
            r#"<Документ ИдДок="{inn}" ДатаСост="{date}" ДатаВклМСП="01.08.2016" ВидСубМСП="1" КатСубМСП="1"><ОргВклМСП НаимОрг="ООО Т{inn}" ИННЮЛ="{inn}"/><СведМН КодРегион="{region}"/><СвОКВЭД><СвОКВЭДОсн КодОКВЭД="10.20"/></СвОКВЭД></Документ>"#
        ));
    }
    xml.push_str("</Файл>");
    let path = dir.join(name);
    std::fs::write(&path, xml).unwrap();
    path
}

fn import(conn: &mut Db, path: PathBuf, regions: &[&str], on: NaiveDate) -> FnsSnapshot {
    let regions: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
    fns_registry::import(
        conn,
        &ctx_on(on),
        &[path],
        &regions,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .snapshot
}

struct World {
    dir: tempfile::TempDir,
    conn: Db,
    stays: String,
    leaves: String,
    elsewhere: String,
}

/// Two snapshots of all regions: on 10.01.2025 three companies; on 10.02.2025 one has left the registry.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    crate::centre::set_field(&mut conn, &ctx_on(day(2025, 1, 1)), "region_code", "27").unwrap();
    let (stays, leaves, elsewhere) = (
        complete_inn10("272100001"),
        complete_inn10("272100002"),
        complete_inn10("590200003"),
    );
    let jan = registry_file(
        dir.path(),
        "jan.xml",
        "10.01.2025",
        &[(&stays, "27"), (&leaves, "27"), (&elsewhere, "59")],
    );
    let feb = registry_file(
        dir.path(),
        "feb.xml",
        "10.02.2025",
        &[(&stays, "27"), (&elsewhere, "59")],
    );
    import(&mut conn, jan, &[], day(2025, 2, 1));
    import(&mut conn, feb, &[], day(2025, 2, 20));
    World {
        dir,
        conn,
        stays,
        leaves,
        elsewhere,
    }
}

fn add(conn: &mut Db, kind: SmeKind, inn: &str) -> i64 {
    sme::add(
        conn,
        &ctx_on(day(2025, 2, 25)),
        &SmeInput::new(kind, "Проверяемый", inn),
    )
    .unwrap()
    .id
}

fn outcome(input: &CheckInput, c: Criterion) -> (Outcome, String) {
    let r = input.criteria.iter().find(|r| r.criterion == c).unwrap();
    (r.outcome, r.reason.clone())
}

#[test]
fn prefill_answers_criteria_1_and_2_from_the_newest_snapshot() {
    let mut w = world();
    let feb = fns_registry::newest_snapshot(&w.conn).unwrap().unwrap();
    let id = add(&mut w.conn, SmeKind::LegalEntity, &w.stays.clone());
    let draft = prefill(&w.conn, id).unwrap();
    assert_eq!(
        draft.source,
        CheckSource::Snapshot {
            snapshot_id: Some(feb.id),
            state_date: day(2025, 2, 10)
        }
    );
    assert_eq!(
        draft.criteria.len(),
        Criterion::required_for(SmeKind::LegalEntity).len()
    );
    let (o, why) = outcome(&draft, Criterion::InSmeRegistry);
    assert_eq!(o, Outcome::Pass);
    assert!(
        why.contains("с 01.08.2016") && why.contains("Микропредприятие") && why.contains("10.02.2025"),
        "{why}"
    );
    assert_eq!(outcome(&draft, Criterion::InCentreRegion).0, Outcome::Pass);
    assert_eq!(outcome(&draft, Criterion::NotGambling).0, Outcome::Unknown);

    let id = add(&mut w.conn, SmeKind::LegalEntity, &w.leaves.clone());
    let (o, why) = outcome(&prefill(&w.conn, id).unwrap(), Criterion::InSmeRegistry);
    assert_eq!(o, Outcome::Fail);
    assert!(why.contains("исключён"), "{why}");

    let id = add(&mut w.conn, SmeKind::LegalEntity, &w.elsewhere.clone());
    let (o, why) = outcome(&prefill(&w.conn, id).unwrap(), Criterion::InCentreRegion);
    assert_eq!(o, Outcome::Fail);
    assert!(why.contains("регионе 59") && why.contains("регионе 27"), "{why}");

    let id = add(&mut w.conn, SmeKind::LegalEntity, &complete_inn10("772100004"));
    assert_eq!(
        outcome(&prefill(&w.conn, id).unwrap(), Criterion::InSmeRegistry).0,
        Outcome::Fail
    );

    let id = add(&mut w.conn, SmeKind::SelfEmployed, &complete_inn12("2721000005"));
    let draft = prefill(&w.conn, id).unwrap();
    assert_eq!(outcome(&draft, Criterion::NpdPayer).0, Outcome::Unknown);
    assert!(draft.criteria.iter().all(|c| c.criterion != Criterion::InSmeRegistry));
    assert!(matches!(draft.source, CheckSource::Manual { .. }));
}

#[test]
fn not_found_in_a_region_filtered_snapshot_is_unknown_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let path = registry_file(
        dir.path(),
        "r.xml",
        "10.01.2025",
        &[(&complete_inn10("272100001"), "27")],
    );
    import(&mut conn, path, &["27"], day(2025, 2, 1));
    let (_, criteria) = automatic(&conn, &complete_inn10("590200003"), SmeKind::LegalEntity).unwrap();
    assert_eq!(criteria[0].outcome, Outcome::Unknown);
    assert!(criteria[0].reason.contains("по регионам 27"), "{}", criteria[0].reason);
    // The centre's region is not filled in: criterion 2 cannot be answered.
    let (_, criteria) = automatic(&conn, &complete_inn10("272100001"), SmeKind::LegalEntity).unwrap();
    assert_eq!(
        (criteria[0].outcome, criteria[1].outcome),
        (Outcome::Pass, Outcome::Unknown)
    );
    assert!(criteria[1].reason.contains("реквизитах центра"));
}

#[test]
fn recording_a_check_validates_it_and_keeps_history_and_audit() {
    let mut w = world();
    let id = add(&mut w.conn, SmeKind::LegalEntity, &w.stays.clone());
    let on = day(2025, 3, 1);
    let mut input = prefill(&w.conn, id).unwrap();

    // Unknowns may be saved (the verdict then asks for a re-check), failures need a reason.
    let mut bad = input.clone();
    bad.criteria
        .iter_mut()
        .find(|c| c.criterion == Criterion::NotGambling)
        .unwrap()
        .outcome = Outcome::Fail;
    bad.criteria
        .iter_mut()
        .find(|c| c.criterion == Criterion::NotGambling)
        .unwrap()
        .reason = " ".into();
    let err = record(&mut w.conn, &ctx_on(on), &bad).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("criteria"));
    assert!(
        err.message.contains("игорного") && err.message.contains("причину"),
        "{}",
        err.message
    );
    let mut missing = input.clone();
    missing.criteria.retain(|c| c.criterion != Criterion::NotSameGroup);
    assert!(record(&mut w.conn, &ctx_on(on), &missing)
        .unwrap_err()
        .message
        .contains("группе лиц"));
    let mut foreign = input.clone();
    foreign
        .criteria
        .push(CriterionResult::new(Criterion::NpdPayer, Outcome::Pass, ""));
    assert!(record(&mut w.conn, &ctx_on(on), &foreign)
        .unwrap_err()
        .message
        .contains("не применяется"));
    let mut manual = input.clone();
    manual.source = CheckSource::Manual { comment: "  ".into() };
    assert_eq!(
        record(&mut w.conn, &ctx_on(on), &manual).unwrap_err().field.as_deref(),
        Some("source")
    );
    let mut unknown_sme = input.clone();
    unknown_sme.sme_id = 999;
    assert_eq!(
        record(&mut w.conn, &ctx_on(on), &unknown_sme).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(
        history(&w.conn, id).unwrap().is_empty(),
        "nothing saved by refused checks"
    );

    for c in input.criteria.iter_mut().filter(|c| c.outcome == Outcome::Unknown) {
        c.outcome = Outcome::Pass;
        c.reason = "заявление и выписка".into();
    }
    let saved = record(&mut w.conn, &ctx_on(on), &input).unwrap();
    assert_eq!(
        (saved.outcome, saved.checked_by.as_str()),
        (CheckOutcome::Eligible, "Сидорова Е. В.")
    );
    assert_eq!(saved.criteria, input.criteria);
    assert_eq!(history(&w.conn, id).unwrap(), vec![saved.clone()]);
    let audit = crate::audit::list(&w.conn, Some("eligibility_check"), Some(&saved.id.to_string()), 5).unwrap();
    assert_eq!(audit.len(), 1);

    assert_eq!(current(&w.conn, id, on).unwrap().verdict, Verdict::Eligible);
    assert_eq!(
        current(&w.conn, id, on + Duration::days(31)).unwrap().verdict,
        Verdict::NeedsRecheck
    );
    set_recheck_days(&mut w.conn, &ctx_on(on), 90).unwrap();
    assert_eq!(recheck_days(&w.conn).unwrap(), 90);
    assert_eq!(
        current(&w.conn, id, on + Duration::days(31)).unwrap().verdict,
        Verdict::Eligible
    );
    assert_eq!(
        set_recheck_days(&mut w.conn, &ctx_on(on), 0)
            .unwrap_err()
            .field
            .as_deref(),
        Some("recheck_days")
    );

    // A newer registry snapshot imported after the check asks for a re-check.
    let mar = registry_file(w.dir.path(), "mar.xml", "10.03.2025", &[(&w.stays, "27")]);
    import(&mut w.conn, mar, &[], day(2025, 3, 12));
    let v = current(&w.conn, id, day(2025, 3, 12)).unwrap();
    assert_eq!(v.verdict, Verdict::NeedsRecheck);
    assert!(v.reasons.iter().any(|r| r.contains("10.03.2025")), "{:?}", v.reasons);

    // Deleting the snapshot the check relied on keeps the check and its date.
    let CheckSource::Snapshot {
        snapshot_id: Some(sid),
        state_date,
    } = saved.source
    else {
        panic!("from a snapshot")
    };
    fns_registry::delete_snapshot(&mut w.conn, &ctx_on(on), sid).unwrap();
    let kept = &history(&w.conn, id).unwrap()[0];
    assert_eq!(
        kept.source,
        CheckSource::Snapshot {
            snapshot_id: None,
            state_date
        }
    );
}

/// The registry's verdict filter (SQL) and `current` (Rust) must agree for every SME and day.
#[test]
fn the_registry_filter_by_verdict_agrees_with_the_card() {
    let mut w = world();
    let inns = [
        complete_inn10("272100011"),
        complete_inn10("272100012"),
        complete_inn10("272100013"),
        complete_inn10("272100014"),
        complete_inn10("272100015"),
    ];
    let mut ids: Vec<i64> = inns
        .iter()
        .map(|inn| add(&mut w.conn, SmeKind::LegalEntity, inn))
        .collect();
    // The eligible one must be in the registry snapshot for criteria 1–2 to pass.
    ids[1] = add(&mut w.conn, SmeKind::LegalEntity, &w.stays.clone());
    let answered = |sme_id: i64, outcome: Outcome| {
        let mut input = prefill(&w.conn, sme_id).unwrap();
        for c in input.criteria.iter_mut().filter(|c| c.outcome == Outcome::Unknown) {
            c.outcome = outcome;
            c.reason = "по заявлению".into();
        }
        input
    };
    // ids[0]: never checked. ids[1]: eligible on 1 March. ids[2]: not eligible on 1 March.
    // ids[3]: incomplete (criteria left unknown). ids[4]: manual check before the February import.
    let eligible = answered(ids[1], Outcome::Pass);
    let failed = answered(ids[2], Outcome::Fail);
    let incomplete = prefill(&w.conn, ids[3]).unwrap();
    let mut manual = answered(ids[4], Outcome::Pass);
    for c in manual.criteria.iter_mut() {
        c.outcome = Outcome::Pass;
    }
    manual.source = CheckSource::Manual {
        comment: "выписка с сайта ФНС".into(),
    };
    record(&mut w.conn, &ctx_on(day(2025, 3, 1)), &eligible).unwrap();
    record(&mut w.conn, &ctx_on(day(2025, 3, 1)), &failed).unwrap();
    record(&mut w.conn, &ctx_on(day(2025, 3, 1)), &incomplete).unwrap();
    record(&mut w.conn, &ctx_on(day(2025, 2, 10)), &manual).unwrap();

    for today in [day(2025, 3, 1), day(2025, 3, 31), day(2025, 4, 1), day(2025, 6, 1)] {
        for wanted in [Verdict::Eligible, Verdict::NotEligible, Verdict::NeedsRecheck] {
            let mut expected: Vec<i64> = sme::list(
                &w.conn,
                &sme::SmeQuery {
                    limit: 100,
                    ..Default::default()
                },
            )
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .filter(|&id| current(&w.conn, id, today).unwrap().verdict == wanted)
            .collect();
            let q = sme::SmeQuery {
                verdict: Some(wanted),
                as_of: Some(today),
                limit: 100,
                ..Default::default()
            };
            let mut found: Vec<i64> = sme::list(&w.conn, &q).unwrap().rows.iter().map(|r| r.id).collect();
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "{wanted:?} on {today}");
        }
    }
    // The day decides: fresh on 1 March, stale after the 30-day re-check period.
    let on = |today| sme::SmeQuery {
        verdict: Some(Verdict::Eligible),
        as_of: Some(today),
        ..Default::default()
    };
    assert_eq!(sme::list(&w.conn, &on(day(2025, 3, 1))).unwrap().rows.len(), 1);
    assert!(sme::list(&w.conn, &on(day(2025, 6, 1))).unwrap().rows.is_empty());
}
