//! cpe-core: the product — domain types, rules, SQLite storage and documents of a regional export support centre (ЦПЭ). Knows nothing of Tauri.
//!
//! Every write goes through a function of a domain module that takes a [`audit::Ctx`] (who and
//! when), runs in one transaction and records an audit entry in it.

pub mod act;
pub mod agreement;
pub mod application;
pub mod audit;
pub mod backup;
pub mod budget;
pub mod calendar;
pub mod catalog;
pub mod centre;
pub mod cofinancing;
pub mod consultation;
pub mod contractor;
pub mod db;
pub mod demo;
pub mod document;
pub mod eligibility;
pub mod error;
pub mod event;
pub mod export_contract;
pub mod fields;
pub mod fns_registry;
pub mod foreign_buyer;
pub mod ident;
pub mod journal;
pub mod money;
pub mod oksm;
mod parsed;
pub mod payment;
pub mod rates;
pub mod report;
pub mod search;
pub mod selection;
pub mod sme;
pub mod spreadsheet;
pub mod staff;
pub mod xmltext;

pub use error::{CoreError, ErrorCode, Result};
