//! IPC commands, one module per domain area; each is a thin conversion into a core call.
pub mod agreement;
pub mod app;
pub mod backup;
pub mod calendar;
pub mod centre;
pub mod cofinancing;
pub mod dialog;
pub mod documents;
pub mod eligibility;
pub mod export;
pub mod journal;
pub mod registry;
pub mod report;
pub mod session;
pub mod sme;
pub mod sme_table;
pub mod workflow;
