//! `cpe contractor` and `cpe application`: contractors with their contracts, applications with their status timeline, refusals, documents and the «просрочено / скоро срок» list from a terminal.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use cpe_core::application::{
    self, Application, ApplicationInput, ApplicationStatus, Channel, DeadlineState, RefusalReason, TransitionInput,
};
use cpe_core::audit::Ctx;
use cpe_core::calendar;
use cpe_core::contractor::{self, ContractInput, ContractorInput, ContractorKind};
use cpe_core::db::Db;
use cpe_core::money::{format_rub, parse_rub};
use cpe_core::{payment, sme, CoreError};
use serde_json::json;

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub(crate) fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

pub(crate) fn ru(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(crate) fn amount(field: &str, text: &str) -> Result<rust_decimal::Decimal, CoreError> {
    parse_rub(text).map_err(|reason| CoreError::field(field, format!("--{field}: {reason}")))
}

pub(crate) fn sme_id(conn: &Db, inn: &str) -> Result<i64, CoreError> {
    Ok(sme::get_by_inn(conn, inn)?
        .ok_or_else(|| {
            CoreError::not_found(format!(
                "СМСП с ИНН {} нет в реестре. Добавьте его: cpe sme add",
                inn.trim()
            ))
        })?
        .id)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ContractorKindArg {
    /// Организация
    Org,
    /// Индивидуальный специалист
    Individual,
}

#[derive(Subcommand)]
pub enum ContractorAction {
    /// Добавить исполнителя
    Add {
        #[arg(long)]
        kind: ContractorKindArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        inn: String,
        /// Аккредитован РЭЦ
        #[arg(long)]
        accredited: bool,
        /// Дата заявления о том, что исполнитель не входит в одну группу лиц с СМСП (п. 4.3(3))
        #[arg(long, value_name = "ГГГГ-ММ-ДД")]
        declaration_on: Option<NaiveDate>,
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Список исполнителей
    List {
        #[arg(long)]
        json: bool,
    },
    /// Добавить договор ЦПЭ с исполнителем
    Contract {
        #[arg(long)]
        contractor: i64,
        #[arg(long)]
        number: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ChannelArg {
    Visit,
    Email,
    Phone,
    Platform,
}

impl From<ChannelArg> for Channel {
    fn from(c: ChannelArg) -> Channel {
        match c {
            ChannelArg::Visit => Channel::Visit,
            ChannelArg::Email => Channel::Email,
            ChannelArg::Phone => Channel::Phone,
            ChannelArg::Platform => Channel::FederalPlatform,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    New,
    UnderReview,
    Rework,
    Approved,
    AgreementConcluded,
    InProgress,
    Completed,
    RefusedByCentre,
    RefusedByApplicant,
}

impl StatusArg {
    fn status(self) -> ApplicationStatus {
        use ApplicationStatus as S;
        match self {
            StatusArg::New => S::New,
            StatusArg::UnderReview => S::UnderReview,
            StatusArg::Rework => S::Rework,
            StatusArg::Approved => S::Approved,
            StatusArg::AgreementConcluded => S::AgreementConcluded,
            StatusArg::InProgress => S::InProgress,
            StatusArg::Completed => S::Completed,
            StatusArg::RefusedByCentre => S::RefusedByCentre,
            StatusArg::RefusedByApplicant => S::RefusedByApplicant,
        }
    }
}

#[derive(Subcommand)]
pub enum ApplicationAction {
    /// Зарегистрировать заявку (статус «Новая»)
    Add {
        /// ИНН СМСП из реестра
        #[arg(long)]
        inn: String,
        /// Код услуги по каталогу, например 4.2 или 5.2
        #[arg(long)]
        service: String,
        /// Запрашиваемая базовая или дополнительная услуга (для комплексных), например --item 5.2.b1
        #[arg(long = "item")]
        items: Vec<String>,
        /// Дата поступления (по умолчанию — сегодня)
        #[arg(long)]
        received: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "visit")]
        channel: ChannelArg,
        /// Ответственный сотрудник (номер из cpe staff list)
        #[arg(long)]
        staff: Option<i64>,
        #[arg(long, default_value = "")]
        comment: String,
        #[arg(long)]
        json: bool,
    },
    /// Список заявок
    List {
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long)]
        inn: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Карточка заявки: состав, документы, история статусов, срок
    Show {
        id: i64,
        /// Дата, на которую считать срок (по умолчанию — сегодня)
        #[arg(long)]
        today: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Перевести заявку в другой статус
    Move {
        id: i64,
        #[arg(long, value_enum)]
        to: StatusArg,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Отказ ЦПЭ с основанием п. 6.1.1–6.1.5
    Refuse {
        id: i64,
        /// 6.1.1 … 6.1.5
        #[arg(long)]
        reason: String,
        #[arg(long)]
        text: String,
    },
    /// Отметить документ из перечня полученным (--received ДАТА) или отсутствующим (--missing)
    Doc {
        id: i64,
        position: u32,
        #[arg(long, conflicts_with = "missing", required_unless_present = "missing")]
        received: Option<NaiveDate>,
        #[arg(long)]
        missing: bool,
    },
    /// Просрочено / скоро срок: заявки и платежи
    Alerts {
        #[arg(long)]
        today: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

pub fn contractor(conn: &mut Db, ctx: &Ctx, action: ContractorAction) -> Result<ExitCode, CoreError> {
    match action {
        ContractorAction::Add {
            kind,
            name,
            inn,
            accredited,
            declaration_on,
            contact,
            phone,
            email,
            json,
        } => {
            let input = ContractorInput {
                kind: match kind {
                    ContractorKindArg::Org => ContractorKind::Organisation,
                    ContractorKindArg::Individual => ContractorKind::Individual,
                },
                name,
                inn,
                accredited_rec: accredited,
                contact_person: contact,
                phone,
                email,
                group_declaration_on: declaration_on,
                notes: String::new(),
            };
            let c = contractor::add(conn, ctx, &input)?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "Добавлен исполнитель № {}: {} (ИНН {})",
                    c.id, c.input.name, c.input.inn
                );
            }
        }
        ContractorAction::List { json } => {
            let list = contractor::list(conn)?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    let rec = if c.input.accredited_rec {
                        "аккредитован РЭЦ"
                    } else {
                        ""
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{rec}",
                        c.id,
                        c.input.inn,
                        c.input.kind.label(),
                        c.input.name
                    );
                }
            }
        }
        ContractorAction::Contract {
            contractor: contractor_id,
            number,
            date,
            amount: value,
            json,
        } => {
            let input = ContractInput {
                contractor_id,
                number,
                date,
                amount: amount("amount", &value)?,
            };
            let c = contractor::add_contract(conn, ctx, &input)?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "Договор № {} (id {}) от {} на {}",
                    c.input.number,
                    c.id,
                    ru(c.input.date),
                    format_rub(c.input.amount)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_application(conn: &Db, a: &Application, on: NaiveDate) -> Result<(), CoreError> {
    println!("Заявка № {} от {} ({})", a.id, ru(a.received_on), a.channel.label());
    println!("СМСП: {} (ИНН {})", a.sme_name, a.sme_inn);
    println!("Услуга {}: {}", a.service_code, a.item_codes.join(", "));
    if let Some(staff) = &a.responsible_staff_name {
        println!("Ответственный: {staff}");
    }
    println!("Статус: {} с {}", a.status.label(), ru(a.status_since));
    if let Some(r) = &a.refusal {
        println!(
            "Основание отказа: п. {} — {}; {}",
            r.reason.as_str(),
            r.reason.label(),
            r.text
        );
    }
    let cal = calendar::load(conn)?;
    let settings = application::get_deadlines(conn)?;
    if let Some(d) = application::deadline_for(&cal, &settings, a.status, a.status_since, on)? {
        let state = match d.state {
            DeadlineState::OnTime => "в срок",
            DeadlineState::Soon => "скоро срок",
            DeadlineState::Overdue => "просрочено",
        };
        println!(
            "Срок: {} (предупреждение с {}) — {state}",
            ru(d.normative_on),
            ru(d.indicative_on)
        );
    }
    println!("Документы:");
    for doc in &a.documents {
        let mark = doc
            .received_on
            .map(|d| format!("получен {}", ru(d)))
            .unwrap_or_else(|| "нет".to_owned());
        println!("  {}. {} — {mark}", doc.position, doc.name);
    }
    println!("История:");
    for e in &a.timeline {
        let from = e.from.map(|s| format!("{} → ", s.label())).unwrap_or_default();
        let comment = if e.comment.is_empty() {
            String::new()
        } else {
            format!(" ({})", e.comment)
        };
        println!(
            "  {} {}: {from}{}{comment}",
            e.at.replace('T', " "),
            e.actor,
            e.to.label()
        );
    }
    Ok(())
}

pub fn application(conn: &mut Db, ctx: &Ctx, action: ApplicationAction) -> Result<ExitCode, CoreError> {
    match action {
        ApplicationAction::Add {
            inn,
            service,
            items,
            received,
            channel,
            staff,
            comment,
            json,
        } => {
            let input = ApplicationInput {
                sme_id: sme_id(conn, &inn)?,
                service_code: service,
                item_codes: items,
                received_on: received.unwrap_or_else(today),
                channel: channel.into(),
                responsible_staff_id: staff,
                comment,
            };
            let a = application::add(conn, ctx, &input)?;
            if json {
                print_json(&a);
            } else {
                println!(
                    "Зарегистрирована заявка № {} ({}), статус «{}»",
                    a.id,
                    a.sme_name,
                    a.status.label()
                );
            }
        }
        ApplicationAction::List { status, inn, json } => {
            let sme = inn.map(|i| sme_id(conn, &i)).transpose()?;
            let list = application::list(conn, status.map(StatusArg::status), sme)?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        a.id,
                        ru(a.received_on),
                        a.sme_inn,
                        a.sme_name,
                        a.service_code,
                        a.status.label()
                    );
                }
            }
        }
        ApplicationAction::Show { id, today: on, json } => {
            let a = application::get(conn, id)?;
            let on = on.unwrap_or_else(today);
            if json {
                let cal = calendar::load(conn)?;
                let deadline =
                    application::deadline_for(&cal, &application::get_deadlines(conn)?, a.status, a.status_since, on)?;
                let mut v = serde_json::to_value(&a).expect("serialisable");
                v["deadline"] = serde_json::to_value(deadline).expect("serialisable");
                print_json(&v);
            } else {
                print_application(conn, &a, on)?;
            }
        }
        ApplicationAction::Move { id, to, comment } => {
            let input = TransitionInput {
                to: to.status(),
                comment,
                refusal: None,
            };
            let a = application::transition(conn, ctx, id, &input)?;
            println!("Заявка № {}: «{}»", a.id, a.status.label());
        }
        ApplicationAction::Refuse { id, reason, text } => {
            let reason = RefusalReason::parse(&reason).ok_or_else(|| {
                CoreError::field(
                    "reason",
                    format!("--reason {reason}: укажите основание 6.1.1, 6.1.2, 6.1.3, 6.1.4 или 6.1.5"),
                )
            })?;
            let a = application::refuse(conn, ctx, id, reason, &text)?;
            println!("Заявка № {}: «{}» (п. {})", a.id, a.status.label(), reason.as_str());
        }
        ApplicationAction::Doc {
            id,
            position,
            received,
            missing: _,
        } => {
            let a = application::set_document(conn, ctx, id, position, received)?;
            let doc = &a.documents[position as usize - 1];
            let mark = doc
                .received_on
                .map(|d| format!("получен {}", ru(d)))
                .unwrap_or_else(|| "нет".to_owned());
            println!("{}. {} — {mark}", doc.position, doc.name);
        }
        ApplicationAction::Alerts { today: on, json } => {
            let on = on.unwrap_or_else(today);
            let deadlines = application::deadline_alerts(conn, on)?;
            let payments = payment::overdue(conn, on)?;
            if json {
                print_json(&json!({"applications": deadlines, "payments": payments}));
            } else {
                for a in &deadlines {
                    let state = if a.deadline.state == DeadlineState::Overdue {
                        "ПРОСРОЧЕНО"
                    } else {
                        "скоро срок"
                    };
                    println!(
                        "{state}\tзаявка № {}\t{}\t«{}» до {}",
                        a.application_id,
                        a.sme_name,
                        a.status.label(),
                        ru(a.deadline.normative_on)
                    );
                }
                for p in &payments {
                    println!(
                        "ПРОСРОЧЕН ПЛАТЁЖ\tсоглашение № {}\t{}\t{} до {} (можно отказать по п. 6.1.4: cpe payment refuse {})",
                        p.agreement_number,
                        p.sme_name,
                        format_rub(p.outstanding),
                        ru(p.due_on),
                        p.agreement_id
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
