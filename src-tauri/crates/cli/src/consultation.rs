//! `cpe consultation …`: the journal of consultations and information (catalog rows 1, 2, 3.1, 3.2) — record one given to a business of the registry or to a person not yet registered, and list them.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::consultation::{self, ConsultationInput, ConsultationQuery};
use cpe_core::db::Db;
use cpe_core::CoreError;

use crate::application::{print_json, sme_id, ChannelArg};

#[derive(Subcommand)]
pub enum ConsultationAction {
    /// Записать консультацию: cpe consultation add --inn 7707083893 --service 1 --topic "Экспорт в Китай"
    Add {
        /// ИНН СМСП из реестра (или --person для обратившегося, которого нет в реестре)
        #[arg(long)]
        inn: Option<String>,
        /// Имя и контакт обратившегося, которого нет в реестре (в показатели не входит)
        #[arg(long)]
        person: Option<String>,
        /// Строка каталога: 1, 2, 3.1 или 3.2
        #[arg(long)]
        service: String,
        /// ГГГГ-ММ-ДД (по умолчанию — сегодня)
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        topic: String,
        #[arg(long, value_enum, default_value = "phone")]
        channel: ChannelArg,
        #[arg(long)]
        minutes: Option<u32>,
        /// Результат, следующий шаг
        #[arg(long, default_value = "")]
        outcome: String,
        /// Заявка, по которой дана консультация (строка 2)
        #[arg(long)]
        application: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Журнал консультаций, новые сверху
    List {
        #[arg(long)]
        inn: Option<String>,
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: ConsultationAction) -> Result<ExitCode, CoreError> {
    match action {
        ConsultationAction::Add {
            inn,
            person,
            service,
            date,
            topic,
            channel,
            minutes,
            outcome,
            application,
            json,
        } => {
            let input = ConsultationInput {
                date: date.unwrap_or_else(|| ctx.now.date()),
                sme_id: inn.as_deref().map(|i| sme_id(conn, i)).transpose()?,
                person: person.unwrap_or_default(),
                service_code: service,
                channel: channel.into(),
                topic,
                minutes,
                outcome,
                application_id: application,
            };
            let r = consultation::add(conn, ctx, &input)?;
            if json {
                print_json(&r);
            } else {
                println!("Консультация № {} записана", r.consultation.id);
                if let Some(d) = r.duplicate_of {
                    println!("Внимание: эта тема у этого СМСП в этот день уже записана (консультация № {d})");
                }
            }
        }
        ConsultationAction::List { inn, from, to, json } => {
            let q = ConsultationQuery {
                sme_id: inn.as_deref().map(|i| sme_id(conn, i)).transpose()?,
                from,
                to,
                limit: Some(100_000),
            };
            let list = consultation::list(conn, &q)?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!(
                        "{}\t{}\t{}\t{}",
                        c.input.date.format("%d.%m.%Y"),
                        c.sme_name.unwrap_or(c.input.person),
                        c.input.service_code,
                        c.input.topic
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
