//! `cpe selection …`: the competitive selection for an individual stand at an exhibition (§5.5.4) — announce it with criteria and places, take applications, score them, decide by a protocol and print it.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::{AuditAction, Ctx};
use cpe_core::db::Db;
use cpe_core::selection::{self, ScoreCriterion, SelectionInput};
use cpe_core::CoreError;

use crate::application::{print_json, sme_id};

#[derive(Subcommand)]
pub enum SelectionAction {
    /// Объявить отбор: cpe selection add --event 3 --announced 2025-01-15 --deadline 2025-02-10 --places 2 --criterion "Экспортный потенциал:10"
    Add {
        /// Выставка — мероприятие услуги 5.7 (номер из cpe event list)
        #[arg(long)]
        event: i64,
        #[arg(long)]
        announced: NaiveDate,
        /// Последний день приёма заявок
        #[arg(long)]
        deadline: NaiveDate,
        /// Сколько СМСП получат индивидуальный стенд
        #[arg(long)]
        places: u32,
        /// Критерий оценки: НАЗВАНИЕ:НАИБОЛЬШИЙ_БАЛЛ (можно несколько)
        #[arg(long = "criterion", required = true)]
        criteria: Vec<String>,
        /// Дополнительный отбор (до 1 сентября)
        #[arg(long)]
        additional: bool,
        #[arg(long)]
        json: bool,
    },
    /// Принять заявку СМСП
    Apply {
        id: i64,
        #[arg(long)]
        inn: String,
        /// Дата подачи заявки
        #[arg(long)]
        date: NaiveDate,
    },
    /// Оценить заявку: баллы по критериям через запятую, например 8,4
    Score { application: i64, scores: String },
    /// Подвести итоги: протокол с рейтингом и победителями
    Decide {
        id: i64,
        #[arg(long)]
        protocol: String,
        #[arg(long)]
        date: NaiveDate,
    },
    /// Заявки, баллы, места
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Протокол отбора (PDF)
    Protocol {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

fn criterion(text: &str) -> Result<ScoreCriterion, CoreError> {
    let (name, max) = text.rsplit_once(':').unwrap_or((text, ""));
    let max_score = max.trim().parse().map_err(|_| {
        CoreError::field(
            "criteria",
            format!("Критерий «{text}»: запишите НАЗВАНИЕ:НАИБОЛЬШИЙ_БАЛЛ, например «Экспортный потенциал:10»"),
        )
    })?;
    Ok(ScoreCriterion {
        name: name.trim().to_owned(),
        max_score,
    })
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: SelectionAction) -> Result<ExitCode, CoreError> {
    match action {
        SelectionAction::Add {
            event,
            announced,
            deadline,
            places,
            criteria,
            additional,
            json,
        } => {
            let input = SelectionInput {
                event_id: event,
                additional,
                announced_on: announced,
                deadline,
                criteria: criteria.iter().map(|c| criterion(c)).collect::<Result<_, _>>()?,
                places,
            };
            let s = selection::add(conn, ctx, &input)?;
            if json {
                print_json(&s);
            } else {
                println!(
                    "Отбор № {} по выставке «{}» объявлен; итоги — до {}",
                    s.id,
                    s.event_title,
                    s.due_on.format("%d.%m.%Y")
                );
            }
        }
        SelectionAction::Apply { id, inn, date } => {
            let sme = sme_id(conn, &inn)?;
            let c = selection::apply(conn, ctx, id, sme, date)?;
            println!("Заявка № {} ({}) принята", c.id, c.sme_name);
        }
        SelectionAction::Score { application, scores } => {
            let values = scores
                .split(',')
                .map(|v| v.trim().parse::<u32>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    CoreError::field(
                        "scores",
                        format!("Баллы «{scores}»: целые числа через запятую, например 8,4"),
                    )
                })?;
            let c = selection::score(conn, ctx, application, &values)?;
            println!("{}: {} баллов", c.sme_name, c.total);
        }
        SelectionAction::Decide { id, protocol, date } => {
            let s = selection::decide(conn, ctx, id, &protocol, date)?;
            for c in &s.candidates {
                println!(
                    "{}\t{}\t{}\t{}",
                    c.rank.unwrap_or_default(),
                    c.sme_name,
                    c.total,
                    if c.winner {
                        "победитель"
                    } else {
                        "не прошёл"
                    }
                );
            }
        }
        SelectionAction::Show { id, json } => {
            let s = selection::get(conn, id)?;
            if json {
                print_json(&s);
            } else {
                println!("Отбор по выставке «{}», мест {}", s.event_title, s.input.places);
                for c in &s.candidates {
                    println!("{}\t{}\t{}\t{:?}", c.id, c.sme_name, c.total, c.scores);
                }
            }
        }
        SelectionAction::Protocol { id, out } => {
            let bytes = selection::protocol::pdf(conn, id, ctx.now)?;
            cpe_core::report::save(&out, &bytes)?;
            cpe_core::audit::record_output(
                conn,
                ctx,
                "selection",
                id,
                AuditAction::Print,
                &serde_json::json!({"title": "Протокол конкурсного отбора", "file": out.display().to_string()}),
            )?;
            println!("Протокол: {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
