//! Accounts: the first setup, logins and their delay, the head's management of accounts, and rights refused in the core with nothing written.

use super::*;
use crate::db;
use crate::error::ErrorCode;
use chrono::{NaiveDate, NaiveDateTime};

fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 3)
        .unwrap()
        .and_hms_opt(h, m, s)
        .unwrap()
}

fn setup_input() -> SetupInput {
    SetupInput {
        centre_full_name: "АНО «Центр поддержки экспорта Хабаровского края»".into(),
        centre_short_name: "ЦПЭ Хабаровского края".into(),
        region_code: "27".into(),
        city: "г. Хабаровск".into(),
        head_full_name: "Руководова Мария Ивановна".into(),
        head_position: "Директор".into(),
        login: "rukovodova".into(),
        password: "Секрет-2026".into(),
    }
}

fn set_up() -> (tempfile::TempDir, Db, Session) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    assert!(setup_needed(&conn).unwrap());
    let head = setup(&mut conn, &setup_input(), at(9, 0, 0)).unwrap();
    (dir, conn, head)
}

fn journal_actions(conn: &Db) -> Vec<(String, String)> {
    conn.query_map("SELECT actor, action FROM audit_log ORDER BY id", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
}

#[test]
fn the_first_setup_fills_the_centre_and_makes_the_head_once() {
    let (_dir, mut conn, head) = set_up();
    assert_eq!(head.role, Role::Head);
    assert!(!head.must_change_password);
    assert!(!setup_needed(&conn).unwrap());
    let centre = crate::centre::get(&conn).unwrap();
    assert_eq!(centre.region_code, "27");
    assert_eq!(centre.head_name, "Руководова Мария Ивановна");
    let again = setup(&mut conn, &setup_input(), at(9, 1, 0)).unwrap_err();
    assert_eq!(again.code, ErrorCode::Forbidden);
    // The hash is argon2id and the password is nowhere in the database's text.
    let hash: String = conn
        .query_row("SELECT password_hash FROM staff WHERE id = ?1", [head.staff_id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let audit: String = conn
        .query_row(
            "SELECT string_agg(coalesce(after_json, ''), ' ') FROM audit_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!audit.contains("Секрет-2026") && !audit.contains("argon2"), "{audit}");
}

#[test]
fn setup_refuses_a_weak_password_or_missing_fields_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    for (change, field) in [
        (
            SetupInput {
                password: "1234567".into(),
                ..setup_input()
            },
            "password",
        ),
        (
            SetupInput {
                password: "xrukovodova1".into(),
                ..setup_input()
            },
            "password",
        ),
        (
            SetupInput {
                login: "Руководова".into(),
                ..setup_input()
            },
            "login",
        ),
        (
            SetupInput {
                region_code: String::new(),
                ..setup_input()
            },
            "region_code",
        ),
        (
            SetupInput {
                region_code: "999".into(),
                ..setup_input()
            },
            "region_code",
        ),
        (
            SetupInput {
                head_full_name: " ".into(),
                ..setup_input()
            },
            "head_full_name",
        ),
    ] {
        let e = setup(&mut conn, &change, at(9, 0, 0)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
    }
    assert!(setup_needed(&conn).unwrap());
    assert_eq!(crate::centre::get(&conn).unwrap().full_name, "");
    assert!(journal_actions(&conn).is_empty());
}

#[test]
fn an_old_database_keeps_the_heads_history_under_the_same_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let boot = Ctx::new("Администратор", at(8, 0, 0));
    let old = add(
        &mut conn,
        &boot,
        &StaffInput::new("Руководова Мария Ивановна", "", "", Role::Specialist),
        None,
    )
    .unwrap();
    let other = add(
        &mut conn,
        &boot,
        &StaffInput::new("Петров П. П.", "Специалист", "", Role::Specialist),
        None,
    )
    .unwrap();
    assert!(setup_needed(&conn).unwrap());
    let head = setup(&mut conn, &setup_input(), at(9, 0, 0)).unwrap();
    assert_eq!(head.staff_id, old.id);
    // The head then gives the colleague a login and a password; the colleague must change it.
    let ctx = head.ctx(at(9, 5, 0));
    update(
        &mut conn,
        &ctx,
        other.id,
        &StaffInput::new("Петров П. П.", "Специалист", "petrov", Role::Specialist),
    )
    .unwrap();
    let given = reset_password(&mut conn, &ctx, other.id, "Временный-1").unwrap();
    assert!(given.must_change_password);
    let s = login(&mut conn, "PETROV", "Временный-1", at(9, 10, 0)).unwrap();
    assert!(s.must_change_password);
    let changed = change_own_password(&mut conn, &s.ctx(at(9, 11, 0)), "Временный-1", "Свой-пароль-7").unwrap();
    assert!(!changed.must_change_password);
    assert!(login(&mut conn, "petrov", "Свой-пароль-7", at(9, 12, 0)).is_ok());
}

#[test]
fn five_wrong_passwords_delay_the_next_try_and_every_try_is_journalled() {
    let (_dir, mut conn, _) = set_up();
    for n in 1..=4u32 {
        let e = login(&mut conn, "rukovodova", "не тот", at(10, 0, n)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Auth);
        assert!(
            e.message.contains(&format!("Осталось попыток без ожидания: {}", 5 - n)),
            "{}",
            e.message
        );
    }
    let e = login(&mut conn, "rukovodova", "не тот", at(10, 0, 5)).unwrap_err();
    assert!(e.message.contains("следующая попытка через 30 с"), "{}", e.message);
    // Too early: even the right password is not checked.
    let e = login(&mut conn, "rukovodova", "Секрет-2026", at(10, 0, 20)).unwrap_err();
    assert!(e.message.contains("через 15 с"), "{}", e.message);
    // After the wait the right password works and the count starts again.
    login(&mut conn, "rukovodova", "Секрет-2026", at(10, 0, 40)).unwrap();
    let e = login(&mut conn, "rukovodova", "не тот", at(10, 1, 0)).unwrap_err();
    assert!(e.message.contains("Осталось попыток без ожидания: 4"), "{}", e.message);
    let e = login(&mut conn, "nobody", "x", at(10, 2, 0)).unwrap_err();
    assert_eq!(e.message, "Неверный логин или пароль");
    let actions = journal_actions(&conn);
    let failed = actions.iter().filter(|(_, a)| a == "login_failed").count();
    assert_eq!(
        failed, 7,
        "5 wrong, 1 after the wait, 1 unknown login (the early try is not a check)"
    );
    assert_eq!(actions.iter().filter(|(_, a)| a == "login").count(), 1);
    assert!(actions.contains(&("nobody".into(), "login_failed".into())));
    assert_eq!(login::delay_after(30).num_seconds(), 15 * 60);
}

#[test]
fn a_deactivated_account_cannot_log_in_but_keeps_its_name() {
    let (_dir, mut conn, head) = set_up();
    let ctx = head.ctx(at(11, 0, 0));
    let s = add(
        &mut conn,
        &ctx,
        &StaffInput::new("Бухова Е. Е.", "Бухгалтер", "buhova", Role::Accountant),
        Some("Начальный-1"),
    )
    .unwrap();
    assert!(s.must_change_password);
    assert!(login(&mut conn, "buhova", "Начальный-1", at(11, 1, 0)).is_ok());
    let off = StaffInput {
        active: false,
        ..StaffInput::new("Бухова Е. Е.", "Бухгалтер", "buhova", Role::Accountant)
    };
    update(&mut conn, &ctx, s.id, &off).unwrap();
    let e = login(&mut conn, "buhova", "Начальный-1", at(11, 2, 0)).unwrap_err();
    assert!(e.message.contains("отключена"), "{}", e.message);
    assert!(list(&conn)
        .unwrap()
        .iter()
        .any(|x| x.full_name == "Бухова Е. Е." && !x.active));
    assert_eq!(logins(&conn).unwrap().len(), 1);
}

#[test]
fn the_last_head_cannot_be_demoted_or_deactivated_nor_oneself() {
    let (_dir, mut conn, head) = set_up();
    let ctx = head.ctx(at(12, 0, 0));
    let me = get(&conn, head.staff_id).unwrap();
    let demoted = StaffInput::new(&me.full_name, &me.position, "rukovodova", Role::Specialist);
    let e = update(&mut conn, &ctx, me.id, &demoted).unwrap_err();
    assert!(
        e.message.contains("единственный действующий руководитель"),
        "{}",
        e.message
    );
    let deputy = add(
        &mut conn,
        &ctx,
        &StaffInput::new("Заместова А. А.", "Заместитель", "zam", Role::Head),
        Some("Заместитель-1"),
    )
    .unwrap();
    let off = StaffInput {
        active: false,
        ..StaffInput::new(&me.full_name, &me.position, "rukovodova", Role::Head)
    };
    let e = update(&mut conn, &ctx, me.id, &off).unwrap_err();
    assert!(e.message.contains("собственную"), "{}", e.message);
    // With a second head, demoting oneself is allowed.
    update(&mut conn, &ctx, me.id, &demoted).unwrap();
    assert_eq!(get(&conn, deputy.id).unwrap().role, Role::Head);
    let dup = StaffInput::new("Другой", "", "ZAM", Role::Viewer);
    assert_eq!(add(&mut conn, &ctx, &dup, None).unwrap_err().code, ErrorCode::Duplicate);
}

#[test]
fn each_role_is_refused_what_it_may_not_do_and_nothing_is_written() {
    let (_dir, mut conn, head) = set_up();
    let h = head.ctx(at(13, 0, 0));
    for (name, login_name, role) in [
        ("Специалистова С. С.", "spec", Role::Specialist),
        ("Бухова Б. Б.", "buh", Role::Accountant),
        ("Смотрова Н. Н.", "view", Role::Viewer),
    ] {
        add(
            &mut conn,
            &h,
            &StaffInput::new(name, "", login_name, role),
            Some("Пароль-2026"),
        )
        .unwrap();
    }
    let ctx_of = |conn: &mut Db, l: &str| login(conn, l, "Пароль-2026", at(13, 1, 0)).unwrap().ctx(at(13, 2, 0));
    let spec = ctx_of(&mut conn, "spec");
    let buh = ctx_of(&mut conn, "buh");
    let view = ctx_of(&mut conn, "view");
    let before: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let sme = crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Проба»", "7707083893");
    for ctx in [&buh, &view] {
        let e = crate::sme::add(&mut conn, ctx, &sme).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        assert!(e.message.contains("руководителю и специалисту"), "{}", e.message);
    }
    let e = crate::budget::set_total(&mut conn, &spec, 2026, Some(rust_decimal::Decimal::from(1000))).unwrap_err();
    assert!(
        e.message.contains("изменять смету можно только руководителю"),
        "{}",
        e.message
    );
    let e = set_idle_lock_minutes(&mut conn, &spec, 5).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let e = add(
        &mut conn,
        &buh,
        &StaffInput::new("Новый", "", "new", Role::Head),
        Some("Пароль-2026"),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let e = crate::centre::set_field(&mut conn, &view, "city", "г. Москва").unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let after: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        before, after,
        "a refused change writes nothing, not even a journal entry"
    );
    assert_eq!(crate::centre::get(&conn).unwrap().city, "г. Хабаровск");
    // What each may do goes through; every role may export and change its own password.
    crate::sme::add(&mut conn, &spec, &sme).unwrap();
    crate::audit::record_output(
        &mut conn,
        &view,
        "report",
        "2026",
        crate::audit::AuditAction::Export,
        &serde_json::json!({}),
    )
    .unwrap();
    change_own_password(&mut conn, &view, "Пароль-2026", "Другой-пароль-1").unwrap();
    let who: String = conn
        .query_row("SELECT actor FROM audit_log WHERE entity = 'sme'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(who, "Специалистова С. С.");
}

#[test]
fn idle_lock_minutes_are_a_bounded_setting() {
    let (_dir, mut conn, head) = set_up();
    assert_eq!(idle_lock_minutes(&conn).unwrap(), 15);
    let ctx = head.ctx(at(14, 0, 0));
    assert_eq!(
        set_idle_lock_minutes(&mut conn, &ctx, 0).unwrap_err().field.as_deref(),
        Some("idle_lock_minutes")
    );
    set_idle_lock_minutes(&mut conn, &ctx, 5).unwrap();
    assert_eq!(idle_lock_minutes(&conn).unwrap(), 5);
}

#[test]
fn a_viewer_is_refused_every_kind_of_change_before_anything_is_read() {
    let (_dir, mut conn, head) = set_up();
    let h = head.ctx(at(15, 0, 0));
    add(
        &mut conn,
        &h,
        &StaffInput::new("Смотрова Н. Н.", "", "view", Role::Viewer),
        Some("Пароль-2026"),
    )
    .unwrap();
    let v = login(&mut conn, "view", "Пароль-2026", at(15, 1, 0))
        .unwrap()
        .ctx(at(15, 2, 0));
    let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let before: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let outcomes: Vec<(&str, crate::error::Result<()>)> = vec![
        (
            "budget",
            crate::budget::set_line(&mut conn, &v, 2026, "4.2", rust_decimal::Decimal::ONE).map(|_| ()),
        ),
        (
            "calendar",
            crate::calendar::set_day(&mut conn, &v, day, crate::calendar::DayKind::Working, "x").map(|_| ()),
        ),
        ("rates", crate::rates::delete(&mut conn, &v, day, "USD")),
        ("recheck", crate::eligibility::set_recheck_days(&mut conn, &v, 30)),
        (
            "numbering",
            crate::agreement::set_number_pattern(&mut conn, &v, crate::agreement::DEFAULT_NUMBER_PATTERN).map(|_| ()),
        ),
        (
            "password of another",
            reset_password(&mut conn, &v, head.staff_id, "Захват-2026").map(|_| ()),
        ),
        ("snapshot", crate::fns_registry::delete_snapshot(&mut conn, &v, 1)),
        (
            "agreement sign",
            crate::agreement::sign(&mut conn, &v, 1, day).map(|_| ()),
        ),
        ("act sign", crate::act::sign(&mut conn, &v, 1, day).map(|_| ())),
        (
            "document",
            crate::document::archive::mark_signed(&mut conn, &v, 1, day).map(|_| ()),
        ),
        ("buyer", crate::foreign_buyer::delete(&mut conn, &v, 1)),
        (
            "contract",
            crate::export_contract::cancel(&mut conn, &v, 1, "x").map(|_| ()),
        ),
        (
            "application",
            crate::application::refuse(&mut conn, &v, 1, crate::application::RefusalReason::Documents, "x").map(|_| ()),
        ),
        (
            "restore",
            crate::backup::restore(&mut conn, &v, _dir.path(), &_dir.path().join("x.sqlite3")).map(|_| ()),
        ),
    ];
    for (what, outcome) in outcomes {
        let e = outcome.expect_err(what);
        assert_eq!(e.code, ErrorCode::Forbidden, "{what}: {}", e.message);
    }
    let after: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);
}

/// Every function of the core that changes data takes the `Ctx` and names the right it needs —
/// `Db::write(ctx, Right::…)` or `ctx.require(Right::…)` — or hands both to another such function.
/// A new write function that forgets it fails here (the type of `Db::write` already makes
/// forgetting hard; this catches a write routed around it).
#[test]
fn every_write_function_names_its_right() {
    let mut checked = 0;
    let mut offenders = Vec::new();
    for (path, code) in crate::db::source_code() {
        if path.to_string_lossy().contains("/demo/") {
            continue;
        }
        for (start, _) in code.match_indices("fn ") {
            let head_end = code[start..].find('{').map_or(code.len(), |i| start + i);
            let signature = &code[start..head_end];
            if !(signature.contains("&mut Db") && signature.contains("&Ctx")) {
                continue;
            }
            let body_end = code[head_end..].find("\n}\n").map_or(code.len(), |i| head_end + i);
            let body = &code[head_end..body_end];
            checked += 1;
            let names_right = body.contains("write(ctx, Right::") || body.contains("require(Right::");
            let flat: String = body.split_whitespace().collect();
            let hands_on = flat.contains("(conn,ctx") || flat.contains("(conn,&ctx");
            if !names_right && !hands_on {
                let fn_name = signature.split('(').next().unwrap_or(signature);
                offenders.push(format!("{}: {fn_name}", path.display()));
            }
        }
    }
    assert!(checked > 60, "only {checked} write functions found: the scan is broken");
    assert!(
        offenders.is_empty(),
        "write functions without a right:\n{}",
        offenders.join("\n")
    );
}
