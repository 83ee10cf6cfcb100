//! cpe-core: the product — domain types, rules, SQLite storage and documents of a regional export support centre (ЦПЭ). Knows nothing of Tauri.
//!
//! Every write goes through a function of a domain module that takes a [`audit::Ctx`] (who and
//! when), runs in one transaction and records an audit entry in it.

pub mod audit;
pub mod calendar;
pub mod centre;
pub mod db;
pub mod error;
pub mod ident;
pub mod sme;

pub use error::{CoreError, ErrorCode, Result};
