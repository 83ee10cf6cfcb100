//! `cpe agreement`, `cpe act` and `cpe payment`: agreements (create, sign, amend, terminate, list, show), acts and payments of the SME's share from a terminal.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use cpe_core::act::{self, ActInput, ActItemInput};
use cpe_core::agreement::{self, Agreement, AgreementInput, AgreementStatus, AmendmentInput};
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::money::format_rub;
use cpe_core::payment::{self, PaymentInput};
use cpe_core::CoreError;

use crate::agreement_args::{bad, parse_item, parse_pay, parse_stage, with_quantities};
use crate::application::{amount, print_json, ru, sme_id, today};

#[derive(Clone, Copy, ValueEnum)]
pub enum AgreementStatusArg {
    Draft,
    Signed,
    InProgress,
    Completed,
    Terminated,
}

#[derive(Subcommand)]
pub enum AgreementAction {
    /// Создать проект соглашения (номер — по шаблону года)
    Add {
        #[arg(long)]
        inn: String,
        #[arg(long)]
        service: String,
        /// Заявка, по которой заключается соглашение
        #[arg(long)]
        application: Option<i64>,
        /// Дата соглашения (по умолчанию — сегодня)
        #[arg(long)]
        date: Option<NaiveDate>,
        /// КОД:СТОИМОСТЬ:ДОЛЯ_СМСП[:ИСПОЛНИТЕЛЬ[:ДОГОВОР]], например --item 4.2:500000:100000
        #[arg(long = "item", value_name = "CODE:COST:SHARE", required = true)]
        items: Vec<String>,
        /// Количества позиции по условиям каталога: КОД:guests=3,days=2 | area=9 | months=3 | confirmed
        #[arg(long = "quantity", value_name = "CODE:QUANTITIES")]
        quantities: Vec<String>,
        /// Платёж доли СМСП по графику: ДАТА:СУММА[:ДОГОВОР] (срок по договору с исполнителем, п. 6.1.4), например --pay 2025-03-20:100000
        #[arg(long = "pay", value_name = "DATE:AMOUNT")]
        pays: Vec<String>,
        /// Этап: НАИМЕНОВАНИЕ:ДАТА_ОКОНЧАНИЯ
        #[arg(long = "stage", value_name = "NAME:DATE")]
        stages: Vec<String>,
        #[arg(long)]
        participants: Option<u32>,
        /// Мероприятие (миссия, выставка, акселератор 5.4–5.9): его номер из cpe event list; участники считаются по его подписанным соглашениям
        #[arg(long)]
        event: Option<i64>,
        /// Формат услуги (5.7, 5.8): код из каталога, например abroad_collective
        #[arg(long)]
        format: Option<String>,
        /// Протокол конкурсного отбора для индивидуального стенда (п. 5.5.4): номер и дата
        #[arg(long)]
        selection: Option<String>,
        /// СМСП подал заявление о неполучении субсидии на те же цели
        #[arg(long)]
        declaration: bool,
        #[arg(long)]
        json: bool,
    },
    /// Проверить проект механизмом софинансирования: выход 0 — можно подписывать
    Check { id: i64 },
    /// Подписать: дата получения оригинала, подписанного СМСП (начало оказания услуги)
    Sign {
        id: i64,
        #[arg(long)]
        received: NaiveDate,
        /// Решение руководителя: подписать вопреки основанию для отказа (п. 6.1.5, мало участников мероприятия), с причиной
        #[arg(long, value_name = "REASON")]
        decision: Option<String>,
    },
    /// Отметить начало оказания услуги (делается и автоматически первым подписанным актом)
    Start { id: i64 },
    /// Дополнительное соглашение: новые суммы (и график оплаты)
    Amend {
        id: i64,
        #[arg(long)]
        number: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long = "item", value_name = "CODE:COST:SHARE", required = true)]
        items: Vec<String>,
        #[arg(long = "pay", value_name = "DATE:AMOUNT")]
        pays: Vec<String>,
    },
    /// Расторгнуть соглашение
    Terminate {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Список соглашений
    List {
        #[arg(long, value_enum)]
        status: Option<AgreementStatusArg>,
        #[arg(long)]
        inn: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Карточка соглашения
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Шаблон номера: {n} — номер в году, {yyyy} или {yy} — год
    NumberPattern { pattern: String },
}

#[derive(Subcommand)]
pub enum ActAction {
    /// Составить акт по соглашению или этапу
    Add {
        #[arg(long)]
        agreement: i64,
        #[arg(long)]
        stage: Option<i64>,
        /// Номер (по умолчанию — следующий по соглашению)
        #[arg(long, default_value = "")]
        number: String,
        #[arg(long)]
        date: NaiveDate,
        /// КОД:СУММА, например --item 4.2:500000
        #[arg(long = "item", value_name = "CODE:AMOUNT", required = true)]
        items: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Отметить подписание акта обеими сторонами
    Sign {
        id: i64,
        #[arg(long)]
        date: NaiveDate,
    },
    /// Акты соглашения или (без --agreement) все акты с отметкой, вернулся ли подписанный экземпляр
    List {
        #[arg(long)]
        agreement: Option<i64>,
        /// Только акты без подписанного экземпляра в архиве
        #[arg(long)]
        unsigned: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PaymentAction {
    /// Поступивший платёж доли СМСП
    Add {
        #[arg(long)]
        agreement: i64,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        amount: String,
        /// Номер платёжного документа
        #[arg(long)]
        document: String,
    },
    /// Просроченные платежи на дату
    Overdue {
        #[arg(long)]
        today: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Отказ по п. 6.1.4 (неоплата софинансирования): отказ по заявке и расторжение соглашения
    Refuse {
        agreement: i64,
        #[arg(long)]
        today: Option<NaiveDate>,
    },
}

fn print_agreement(a: &Agreement) {
    println!("Соглашение № {} от {} — {}", a.number, ru(a.date), a.status.label());
    println!("СМСП: {} (ИНН {})", a.sme_name, a.sme_inn);
    if let Some(app) = a.application_id {
        println!("Заявка № {app}");
    }
    if let Some(d) = a.signed_on {
        println!("Оригинал получен (начало оказания услуги): {}", ru(d));
    }
    if let Some(d) = a.completed_on {
        println!("Исполнено: {}", ru(d));
    }
    if let Some(d) = a.terminated_on {
        println!("Расторгнуто {}: {}", ru(d), a.termination_reason);
    }
    println!("Услуга {}:", a.service_code);
    for i in &a.items {
        let who = i
            .contractor_name
            .as_ref()
            .map(|n| {
                format!(
                    "; исполнитель {n}{}",
                    i.contract_number
                        .as_ref()
                        .map(|c| format!(", договор № {c}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        println!(
            "  {} {}: стоимость {}, доля СМСП {}, доля ЦПЭ {}, по актам {}{who}",
            i.item_code,
            i.name,
            format_rub(i.total),
            format_rub(i.sme_share),
            format_rub(i.centre_share),
            format_rub(i.acted)
        );
    }
    println!(
        "Итого: {}; доля СМСП {} (оплачено {}); доля ЦПЭ {}",
        format_rub(a.total),
        format_rub(a.sme_share),
        format_rub(a.paid),
        format_rub(a.centre_share)
    );
    for p in &a.payment_schedule {
        println!("  оплата до {}: {}", ru(p.due_on), format_rub(p.amount));
    }
    for s in &a.stages {
        println!("  этап {} (id {}): {} — до {}", s.position, s.id, s.name, ru(s.ends_on));
    }
    for m in &a.amendments {
        println!("  доп. соглашение № {} от {}", m.number, ru(m.date));
    }
}

pub fn agreement(conn: &mut Db, ctx: &Ctx, action: AgreementAction) -> Result<ExitCode, CoreError> {
    match action {
        AgreementAction::Add {
            inn,
            service,
            application,
            date,
            items,
            quantities,
            pays,
            stages,
            participants,
            event,
            format,
            selection,
            declaration,
            json,
        } => {
            let input = AgreementInput {
                sme_id: sme_id(conn, &inn)?,
                application_id: application,
                date: date.unwrap_or_else(today),
                service_code: service,
                participants,
                declaration_signed: declaration,
                items: with_quantities(
                    items.iter().map(|t| parse_item(t)).collect::<Result<_, _>>()?,
                    &quantities,
                )?,
                payment_schedule: pays.iter().map(|t| parse_pay(t)).collect::<Result<_, _>>()?,
                stages: stages.iter().map(|t| parse_stage(t)).collect::<Result<_, _>>()?,
                format,
                selection,
                event_id: event,
            };
            let a = agreement::create(conn, ctx, &input)?;
            if json {
                print_json(&a);
            } else {
                println!("Создан проект соглашения № {} (id {})", a.number, a.id);
            }
        }
        AgreementAction::Check { id } => {
            let check = agreement::check_agreement(conn, id, today())?;
            for v in &check.violations {
                println!("НАРУШЕНИЕ [{}] {} ({})", v.code.as_str(), v.message, v.source);
            }
            for w in &check.warnings {
                println!("Предупреждение: {} ({})", w.message, w.source);
            }
            println!(
                "{}",
                if check.signable {
                    "Можно подписывать"
                } else {
                    "Подписывать нельзя"
                }
            );
            return Ok(if check.signable {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        AgreementAction::Sign { id, received, decision } => {
            let a = match decision {
                Some(reason) => agreement::sign_by_decision(conn, ctx, id, received, &reason)?,
                None => agreement::sign(conn, ctx, id, received)?,
            };
            println!("Соглашение № {} подписано, оригинал получен {}", a.number, ru(received));
            if let Some(d) = &a.decision {
                println!("Решением руководителя ({}): {}", d.paragraph, d.reason);
            }
        }
        AgreementAction::Start { id } => {
            let a = agreement::start(conn, ctx, id)?;
            println!("Соглашение № {}: {}", a.number, a.status.label());
        }
        AgreementAction::Amend {
            id,
            number,
            date,
            items,
            pays,
        } => {
            let input = AmendmentInput {
                number,
                date,
                items: items.iter().map(|t| parse_item(t)).collect::<Result<_, _>>()?,
                payment_schedule: if pays.is_empty() {
                    None
                } else {
                    Some(pays.iter().map(|t| parse_pay(t)).collect::<Result<_, _>>()?)
                },
            };
            let a = agreement::amend(conn, ctx, id, &input)?;
            println!(
                "Соглашение № {}: дополнительное соглашение № {} учтено",
                a.number,
                input.number.trim()
            );
        }
        AgreementAction::Terminate { id, reason, date } => {
            let a = agreement::terminate(conn, ctx, id, date.unwrap_or_else(today), &reason)?;
            println!("Соглашение № {} расторгнуто", a.number);
        }
        AgreementAction::List { status, inn, json } => {
            let status = status.map(|s| match s {
                AgreementStatusArg::Draft => AgreementStatus::Draft,
                AgreementStatusArg::Signed => AgreementStatus::Signed,
                AgreementStatusArg::InProgress => AgreementStatus::InProgress,
                AgreementStatusArg::Completed => AgreementStatus::Completed,
                AgreementStatusArg::Terminated => AgreementStatus::Terminated,
            });
            let sme = inn.map(|i| sme_id(conn, &i)).transpose()?;
            let list = agreement::list(conn, status, sme)?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        a.id,
                        a.number,
                        ru(a.date),
                        a.sme_name,
                        a.service_code,
                        format_rub(a.total),
                        a.status.label()
                    );
                }
            }
        }
        AgreementAction::Show { id, json } => {
            let a = agreement::get(conn, id)?;
            if json {
                print_json(&a);
            } else {
                print_agreement(&a);
            }
        }
        AgreementAction::NumberPattern { pattern } => {
            let p = agreement::set_number_pattern(conn, ctx, &pattern)?;
            println!("Шаблон номера соглашения: {p}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn act(conn: &mut Db, ctx: &Ctx, action: ActAction) -> Result<ExitCode, CoreError> {
    match action {
        ActAction::Add {
            agreement,
            stage,
            number,
            date,
            items,
            json,
        } => {
            let items = items
                .iter()
                .map(|t| {
                    let (code, sum) = t
                        .split_once(':')
                        .ok_or_else(|| bad("item", t, "КОД:СУММА, например 4.2:500000"))?;
                    Ok(ActItemInput {
                        item_code: code.trim().to_owned(),
                        amount: amount("item", sum)?,
                    })
                })
                .collect::<Result<_, CoreError>>()?;
            let input = ActInput {
                agreement_id: agreement,
                stage_id: stage,
                number,
                date,
                items,
            };
            let a = act::add(conn, ctx, &input)?;
            if json {
                print_json(&a);
            } else {
                println!(
                    "Акт № {} (id {}) по соглашению № {} на {}",
                    a.number,
                    a.id,
                    a.agreement_number,
                    format_rub(a.amount)
                );
            }
        }
        ActAction::Sign { id, date } => {
            let a = act::sign(conn, ctx, id, date)?;
            let g = agreement::get(conn, a.agreement_id)?;
            println!(
                "Акт № {} подписан {}; соглашение № {} — {}",
                a.number,
                ru(date),
                g.number,
                g.status.label()
            );
        }
        ActAction::List {
            agreement: None,
            unsigned,
            json,
        } => {
            let list = cpe_core::document::archive::act_registry(conn, unsigned)?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    let paper = match (a.document_id, a.document_signed) {
                        (_, true) => "подписанный экземпляр в архиве",
                        (Some(_), false) => "напечатан, не подписан",
                        (None, false) => "не напечатан",
                    };
                    println!(
                        "{}\t№ {}\t{}\tсоглашение № {}\t{}\t{}\t{paper}",
                        a.act_id,
                        a.number,
                        ru(a.date),
                        a.agreement_number,
                        a.sme_name,
                        format_rub(a.amount)
                    );
                }
            }
        }
        ActAction::List {
            agreement: Some(agreement),
            json,
            ..
        } => {
            let list = act::list(conn, agreement)?;
            if json {
                print_json(&list);
            } else {
                for a in list {
                    let signed = a
                        .signed_on
                        .map(|d| format!("подписан {}", ru(d)))
                        .unwrap_or_else(|| "не подписан".into());
                    println!(
                        "{}\t№ {}\t{}\t{}\t{signed}",
                        a.id,
                        a.number,
                        ru(a.date),
                        format_rub(a.amount)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn payment(conn: &mut Db, ctx: &Ctx, action: PaymentAction) -> Result<ExitCode, CoreError> {
    match action {
        PaymentAction::Add {
            agreement,
            date,
            amount: value,
            document,
        } => {
            let input = PaymentInput {
                agreement_id: agreement,
                paid_on: date,
                amount: amount("amount", &value)?,
                document,
            };
            let p = payment::add(conn, ctx, &input)?;
            println!(
                "Платёж {} от {} учтён ({})",
                format_rub(p.input.amount),
                ru(p.input.paid_on),
                p.input.document
            );
        }
        PaymentAction::Overdue { today: on, json } => {
            let list = payment::overdue(conn, on.unwrap_or_else(today))?;
            if json {
                print_json(&list);
            } else {
                for p in list {
                    println!(
                        "{}\t{}\t{}\tдо {} ({})\t{} дн.",
                        p.agreement_number,
                        p.sme_name,
                        format_rub(p.outstanding),
                        ru(p.due_on),
                        p.deadline_source,
                        p.days_overdue
                    );
                }
            }
        }
        PaymentAction::Refuse { agreement, today: on } => {
            let a = payment::refuse_for_nonpayment(conn, ctx, agreement, on.unwrap_or_else(today))?;
            println!(
                "Соглашение № {} — {}: {}",
                a.number,
                a.status.label(),
                a.termination_reason
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
