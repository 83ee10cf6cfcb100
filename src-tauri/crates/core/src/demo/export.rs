//! The demo businesses' export results: contracts reported after a service, with fictitious foreign buyers, converted at Central Bank rates the generator enters by hand for each contract date (a smooth invented series, not the real history).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::{ctx, SPECIALIST};
use crate::db::Db;
use crate::error::Result;
use crate::export_contract::{self, ExportContractInput, ExportKind, VolumeInput};
use crate::rates::{self, ManualRateInput};

/// (ОКСМ code, currency, buyer name stem, product).
const MARKETS: &[(&str, &str, &str, &str)] = &[
    ("156", "CNY", "Demo Harbin Trading Co., Ltd.", "Мороженая рыба"),
    ("156", "CNY", "Demo Dalian Import Co., Ltd.", "Пиломатериалы"),
    ("398", "USD", "ТОО «Демо-Алматы Импорт»", "Кондитерские изделия"),
    ("496", "USD", "Demo Ulaanbaatar LLC", "Мёд натуральный"),
    ("704", "USD", "Demo Hanoi Foods JSC", "Соевые бобы"),
    ("356", "USD", "Demo Mumbai Traders Pvt. Ltd.", "Программное обеспечение"),
    (
        "784",
        "USD",
        "Demo Dubai General Trading LLC",
        "Биологически активные добавки",
    ),
    ("276", "EUR", "Demo Handel GmbH", "Изделия народных промыслов"),
];

/// Roubles per US dollar, invented: a value per year joined by straight lines with a small wave.
fn usd(on: NaiveDate) -> Decimal {
    const BY_YEAR: &[(i32, f64)] = &[
        (2014, 38.0),
        (2015, 61.0),
        (2016, 67.0),
        (2017, 58.0),
        (2018, 62.0),
        (2019, 65.0),
        (2020, 72.0),
        (2021, 74.0),
        (2022, 68.0),
        (2023, 85.0),
        (2024, 92.0),
        (2025, 84.0),
        (2026, 80.0),
        (2027, 82.0),
    ];
    let year = on.year().clamp(2014, 2026);
    let a = BY_YEAR.iter().find(|(y, _)| *y == year).map_or(80.0, |(_, v)| *v);
    let b = BY_YEAR.iter().find(|(y, _)| *y == year + 1).map_or(a, |(_, v)| *v);
    let t = f64::from(on.ordinal0()) / 365.0;
    // Rates are money-like text in the store: the float only shapes the invented curve and is
    // rounded to the four decimals the Central Bank publishes.
    let value = a + (b - a) * t + (f64::from(on.ordinal()) / 9.0).sin() * 0.8;
    Decimal::from_f64_retain(value).unwrap_or(Decimal::from(80)).round_dp(4)
}

fn rate_in_roubles(code: &str, on: NaiveDate) -> Decimal {
    let usd = usd(on);
    match code {
        "CNY" => (usd / Decimal::new(71, 1)).round_dp(4),
        "EUR" => (usd * Decimal::new(108, 2)).round_dp(4),
        _ => usd,
    }
}

/// Dates and currencies whose rates are already entered.
#[derive(Default)]
pub struct Rates(BTreeSet<(NaiveDate, &'static str)>);

impl Rates {
    fn ensure(&mut self, conn: &mut Db, on: NaiveDate, code: &'static str) -> Result<()> {
        if !self.0.insert((on, code)) {
            return Ok(());
        }
        let value = rate_in_roubles(code, on).to_string().replace('.', ",");
        rates::set_manual(
            conn,
            &ctx(SPECIALIST, on),
            &ManualRateInput {
                date: on,
                char_code: code.into(),
                nominal: 1,
                value,
                replace: false,
            },
        )?;
        Ok(())
    }
}

/// An export contract an SME reports on `reported_on` after the service of `agreement_id`:
/// the rates of its date entered first, the buyer added to the database with it.
#[allow(clippy::too_many_arguments)]
pub fn contract(
    conn: &mut Db,
    rng: &mut ChaCha8Rng,
    rates_done: &mut Rates,
    sme_id: i64,
    agreement_id: i64,
    n: usize,
    contract_date: NaiveDate,
    reported_on: NaiveDate,
) -> Result<()> {
    let (country, currency, buyer, product) = MARKETS[rng.random_range(0..MARKETS.len())];
    rates_done.ensure(conn, contract_date, "USD")?;
    rates_done.ensure(conn, contract_date, currency)?;
    let amount = rng.random_range(20..=900) * 1000;
    let this_year = amount * rng.random_range(40..=100) / 100;
    let mut volumes = vec![VolumeInput {
        year: contract_date.year(),
        amount: this_year.to_string(),
    }];
    if this_year < amount {
        volumes.push(VolumeInput {
            year: contract_date.year() + 1,
            amount: (amount - this_year).to_string(),
        });
    }
    export_contract::add(
        conn,
        &ctx(SPECIALIST, reported_on),
        &ExportContractInput {
            sme_id,
            kind: ExportKind::Contract,
            agreement_id: Some(agreement_id),
            subject: product.into(),
            number: format!("EXP-{n}"),
            contract_date,
            country_code: country.into(),
            buyer_id: None,
            create_buyer: true,
            counterparty_name: format!("{buyer} №{}", n % 997 + 1),
            currency: currency.into(),
            amount: amount.to_string(),
            volumes,
            reported_on,
            notes: "Демонстрационные данные: контракт вымышлен".into(),
        },
    )?;
    Ok(())
}
