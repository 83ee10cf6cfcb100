//! `cpe event …`: seminars and master classes of catalog rows 4.1.1 and 4.1.2 — plan one, register businesses, mark who came, import a participant list, move it through its statuses and print the attendance sheet.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use cpe_core::audit::{AuditAction, Ctx};
use cpe_core::db::Db;
use cpe_core::event::{self, participants::participants, EventFormat, EventInput, EventQuery, EventStatus};
use cpe_core::money::format_rub;
use cpe_core::CoreError;
use rust_decimal::Decimal;

use crate::application::{print_json, sme_id, ChannelArg};

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// очный
    #[value(alias = "ochny")]
    InPerson,
    /// заочный (вебинар)
    #[value(alias = "zaochny")]
    Remote,
    /// очно-заочный
    #[value(alias = "ochno-zaochny")]
    Mixed,
}

impl From<FormatArg> for EventFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::InPerson => EventFormat::InPerson,
            FormatArg::Remote => EventFormat::Remote,
            FormatArg::Mixed => EventFormat::Mixed,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Registration,
    Held,
    Closed,
    Cancelled,
}

impl From<StatusArg> for EventStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Registration => EventStatus::Registration,
            StatusArg::Held => EventStatus::Held,
            StatusArg::Closed => EventStatus::Closed,
            StatusArg::Cancelled => EventStatus::Cancelled,
        }
    }
}

#[derive(Subcommand)]
pub enum ParticipantAction {
    /// Записать участника (с --attended — сразу отметить присутствие)
    Add {
        id: i64,
        #[arg(long)]
        inn: String,
        /// ФИО участника от СМСП
        #[arg(long, default_value = "")]
        person: String,
        #[arg(long)]
        attended: bool,
    },
}

#[derive(Subcommand)]
pub enum EventAction {
    /// Запланировать мероприятие: cpe event add --service 4.1.2 --title "Экспорт в Китай" --date 2025-04-15
    Add {
        /// Строка каталога: 4.1.1, 4.1.2 (семинары), 5.4, 5.5, 5.6, 5.7, 5.9 (миссии, выставки, акселераторы)
        #[arg(long)]
        service: String,
        #[arg(long)]
        title: String,
        /// Первый день, ГГГГ-ММ-ДД
        #[arg(long)]
        date: NaiveDate,
        /// Последний день (по умолчанию — тот же)
        #[arg(long, visible_alias = "to")]
        until: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "in-person")]
        format: FormatArg,
        /// Адрес или ссылка вебинара
        #[arg(long, default_value = "")]
        place: String,
        /// Договор ЦПЭ с исполнителем, который проводит мероприятие (номер записи)
        #[arg(long)]
        contract: Option<i64>,
        /// Стоимость для ЦПЭ, руб. (семинары)
        #[arg(long)]
        cost: Option<String>,
        /// Страна по ОКСМ (код, например 398 — Казахстан); обязательна для бизнес-миссии 5.4
        #[arg(long, default_value = "")]
        country: String,
        #[arg(long, default_value = "")]
        city: String,
        /// Название выставки (5.7)
        #[arg(long, default_value = "")]
        exhibition: String,
        /// Мероприятие входит в план мероприятий года (000, разд. 11)
        #[arg(long)]
        in_plan: bool,
        #[arg(long)]
        json: bool,
    },
    /// Оформить проекты соглашений участников по всем одобренным заявкам услуги мероприятия (5.4–5.9)
    Agreements {
        id: i64,
        /// Дата соглашений (по умолчанию — сегодня)
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Стоимость и доля СМСП позиции на одного участника: КОД:СТОИМОСТЬ:ДОЛЯ_СМСП
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        /// Срок оплаты доли СМСП (если она есть)
        #[arg(long)]
        due: Option<NaiveDate>,
        /// СМСП подали заявления о неполучении субсидии на те же цели
        #[arg(long)]
        declaration: bool,
        /// СМСП без заявки (ИНН): его заявка на все указанные позиции регистрируется и одобряется вместе с соглашением
        #[arg(long = "inn")]
        inns: Vec<String>,
        /// Как поступили заявки новых участников
        #[arg(long, value_enum, default_value = "visit")]
        channel: ChannelArg,
        /// Только проверить механизмом софинансирования, ничего не оформляя
        #[arg(long)]
        preview: bool,
    },
    /// Составить акты участников мероприятия на неоплаченную актами часть их соглашений (5.4–5.9)
    Acts {
        id: i64,
        /// Дата актов (по умолчанию — сегодня; не раньше окончания мероприятия)
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Только показать, какие акты будут составлены
        #[arg(long)]
        preview: bool,
        #[arg(long)]
        json: bool,
    },
    /// Подписать вместе все проекты соглашений участников мероприятия (5.4–5.9)
    Sign {
        id: i64,
        /// Дата получения подписанных оригиналов
        #[arg(long)]
        received: NaiveDate,
    },
    /// Исполнение плана мероприятий года (не менее 80 %)
    Plan {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// Мероприятия, новые сверху
    List {
        /// Только мероприятия этого года
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Только те, на которые записан СМСП с этим ИНН
        #[arg(long)]
        inn: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Участники мероприятия и отметки о присутствии
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Перевести мероприятие в статус
    Status {
        id: i64,
        #[arg(value_enum)]
        status: StatusArg,
    },
    /// Участники семинара: cpe event participant add 3 --inn 7707083893 --person "Иванов Иван" [--attended]
    Participant {
        #[command(subcommand)]
        action: ParticipantAction,
    },
    /// Отметить присутствие записанного участника (--absent снимает отметку)
    Attend {
        id: i64,
        #[arg(long)]
        inn: String,
        #[arg(long, default_value = "")]
        person: String,
        #[arg(long)]
        absent: bool,
    },
    /// Загрузить список участников (XLSX или CSV с колонками «ИНН», «ФИО участника», «Присутствовал»)
    Import {
        id: i64,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Лист регистрации участников (PDF) для подписей
    Sheet {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

fn cost(text: Option<String>) -> Result<Option<Decimal>, CoreError> {
    text.map(|t| cpe_core::money::parse_rub(&t).map_err(|why| CoreError::field("cost", format!("Стоимость: {why}"))))
        .transpose()
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: EventAction) -> Result<ExitCode, CoreError> {
    match action {
        EventAction::Add {
            service,
            title,
            date,
            until,
            format,
            place,
            contract,
            cost: amount,
            country,
            city,
            exhibition,
            in_plan,
            json,
        } => {
            let input = EventInput {
                service_code: service,
                title,
                starts_on: date,
                ends_on: until.unwrap_or(date),
                format: format.into(),
                place,
                country_code: country,
                city,
                exhibition,
                in_plan,
                contract_id: contract,
                cost: cost(amount)?,
            };
            let e = event::add(conn, ctx, &input)?;
            if json {
                print_json(&e);
            } else {
                println!("Мероприятие № {} «{}» запланировано", e.id, e.input.title);
            }
        }
        EventAction::List {
            year,
            from,
            to,
            inn,
            json,
        } => {
            let bound = |m: u32, d: u32| year.and_then(|y| NaiveDate::from_ymd_opt(y, m, d));
            let q = EventQuery {
                from: from.or(bound(1, 1)),
                to: to.or(bound(12, 31)),
                sme_id: inn.as_deref().map(|i| sme_id(conn, i)).transpose()?,
                limit: Some(100_000),
            };
            let list = event::list(conn, &q)?;
            if json {
                print_json(&list);
            } else {
                for e in list {
                    let who = if event::is_seminar(&e.input.service_code) {
                        format!("записано {}, присутствовало {}", e.registered, e.attended)
                    } else {
                        format!(
                            "подписано соглашений {}{}, проектов {}",
                            e.signed,
                            e.min_participants
                                .map(|m| format!(" из минимум {m}"))
                                .unwrap_or_default(),
                            e.drafts
                        )
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{who}\t{}",
                        e.id,
                        e.input.starts_on.format("%d.%m.%Y"),
                        e.input.service_code,
                        e.input.title,
                        e.status.label()
                    );
                }
            }
        }
        EventAction::Show { id, json } => {
            let e = event::get(conn, id)?;
            let people = participants(conn, id)?;
            let agreements = event::agreements(conn, id)?;
            if json {
                print_json(&serde_json::json!({ "event": e, "participants": people, "agreements": agreements }));
            } else {
                println!("«{}» ({}, {})", e.input.title, e.input.service_code, e.status.label());
                for a in agreements {
                    println!(
                        "{}\t{}\tсоглашение № {}\t{}",
                        a.inn,
                        a.sme_name,
                        a.number,
                        a.status.label()
                    );
                }
                for p in people {
                    println!(
                        "{}\t{}\t{}\t{}",
                        p.inn,
                        p.sme_name,
                        p.attendee,
                        if p.attended {
                            "присутствовал"
                        } else {
                            "записан"
                        }
                    );
                }
            }
        }
        EventAction::Agreements {
            id,
            date,
            items,
            due,
            declaration,
            inns,
            channel,
            preview,
        } => {
            let input = event::bulk::BulkInput {
                event_id: id,
                application_ids: event::bulk::candidates(conn, id)?.iter().map(|a| a.id).collect(),
                new_sme_ids: inns.iter().map(|inn| sme_id(conn, inn)).collect::<Result<_, _>>()?,
                channel: channel.into(),
                date: date.unwrap_or_else(|| ctx.now.date()),
                items: items
                    .iter()
                    .map(|t| crate::agreement_args::parse_item(t))
                    .collect::<Result<_, _>>()?,
                due_on: due,
                format: None,
                declaration_signed: declaration,
            };
            let lines = event::bulk::preview(conn, &input, ctx.now.date())?;
            for l in &lines {
                println!(
                    "{}\t{}\t{}",
                    l.inn,
                    l.sme_name,
                    if l.signable {
                        "можно подписывать".to_owned()
                    } else {
                        l.problems.join("; ")
                    }
                );
            }
            if !preview {
                let made = event::bulk::make(conn, ctx, &input)?;
                println!("Оформлено проектов соглашений: {}", made.len());
            }
        }
        EventAction::Acts {
            id,
            date,
            preview,
            json,
        } => {
            let date = date.unwrap_or_else(|| ctx.now.date());
            let lines = event::acts::preview(conn, id, date)?;
            if preview {
                if json {
                    print_json(&lines);
                    return Ok(ExitCode::SUCCESS);
                }
                for l in &lines {
                    let what = if l.problems.is_empty() {
                        format!("акт на {}", format_rub(l.amount))
                    } else {
                        l.problems.join("; ")
                    };
                    println!("{}\t{}\tсоглашение № {}\t{what}", l.inn, l.sme_name, l.agreement_number);
                }
                return Ok(ExitCode::SUCCESS);
            }
            let input = event::acts::ActsInput {
                event_id: id,
                date,
                agreement_ids: lines
                    .iter()
                    .filter(|l| l.problems.is_empty())
                    .map(|l| l.agreement_id)
                    .collect(),
            };
            let made = event::acts::make(conn, ctx, &input)?;
            if json {
                print_json(&made);
            } else {
                for a in &made {
                    println!(
                        "Акт № {} по соглашению № {} на {}",
                        a.number,
                        a.agreement_number,
                        format_rub(a.amount)
                    );
                }
                println!("Составлено актов: {}", made.len());
            }
        }
        EventAction::Sign { id, received } => {
            let signed = cpe_core::agreement::sign_event(conn, ctx, id, received)?;
            for a in &signed {
                println!("Соглашение № {} подписано ({})", a.number, a.sme_name);
            }
        }
        EventAction::Plan { year, json } => {
            let p = event::plan::progress(conn, year, ctx.now.date())?;
            if json {
                print_json(&p);
            } else {
                println!(
                    "План мероприятий {year}: запланировано {}, проведено {}{} (нужно не менее {} %)",
                    p.planned,
                    p.carried_out,
                    p.percent
                        .map(|x| format!(", {} %", x.to_string().replace('.', ",")))
                        .unwrap_or_default(),
                    p.target_percent
                );
                for m in &p.missed {
                    println!(
                        "  не проведено: «{}» ({}, {}){}",
                        m.title,
                        m.service_code,
                        m.ends_on.format("%d.%m.%Y"),
                        if m.cancelled { " — отменено" } else { "" }
                    );
                }
            }
        }
        EventAction::Status { id, status } => {
            let e = event::set_status(conn, ctx, id, status.into())?;
            println!("Мероприятие «{}»: {}", e.input.title, e.status.label());
        }
        EventAction::Participant {
            action:
                ParticipantAction::Add {
                    id,
                    inn,
                    person,
                    attended,
                },
        } => {
            let sme = sme_id(conn, &inn)?;
            let mut p = event::add_participant(conn, ctx, id, sme, &person)?;
            if attended {
                p = event::mark_attendance(conn, ctx, p.id, true)?;
            }
            println!(
                "{} записан (участник № {}){}",
                p.sme_name,
                p.id,
                if p.attended { ", присутствовал" } else { "" }
            );
        }
        EventAction::Attend {
            id,
            inn,
            person,
            absent,
        } => {
            let sme = sme_id(conn, &inn)?;
            let person = person.split_whitespace().collect::<Vec<_>>().join(" ");
            let p = participants(conn, id)?
                .into_iter()
                .find(|p| p.sme_id == sme && p.attendee == person)
                .ok_or_else(|| {
                    CoreError::not_found(format!(
                        "ИНН {inn}{}: не записан на мероприятие № {id} — сначала cpe event register",
                        if person.is_empty() {
                            String::new()
                        } else {
                            format!(", {person}")
                        }
                    ))
                })?;
            let p = event::mark_attendance(conn, ctx, p.id, !absent)?;
            println!(
                "{}: {}",
                p.sme_name,
                if p.attended {
                    "присутствовал"
                } else {
                    "отметка снята"
                }
            );
        }
        EventAction::Import { id, file, json } => {
            let table = cpe_core::sme::import_table::read_table(&file)?;
            let r = event::import_participants(conn, ctx, id, &table)?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "Строк: {}; записано: {}; уже были в списке: {}; отмечено присутствие: {}; с ошибками: {}",
                    r.rows,
                    r.added,
                    r.already,
                    r.marked,
                    r.errors.len()
                );
                for e in &r.errors {
                    println!("Строка {}: {}", e.row, e.message);
                }
            }
            if !r.errors.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        EventAction::Sheet { id, out } => {
            let bytes = event::sheet::pdf(conn, id, ctx.now)?;
            cpe_core::report::save(&out, &bytes)?;
            cpe_core::audit::record_output(
                conn,
                ctx,
                "event",
                id,
                AuditAction::Print,
                &serde_json::json!({"title": "Лист регистрации участников", "file": out.display().to_string()}),
            )?;
            println!("Лист регистрации: {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
