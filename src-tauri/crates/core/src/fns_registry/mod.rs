//! The tax service's open-data SME registry («Единый реестр субъектов МСП») imported offline: snapshots of it, lookups by INN, and turning a registry record into a new SME of the centre.
//!
//! Checks 1–2 of §4.3 (in the SME registry, registered in the centre's region) are answered from
//! these snapshots instead of by hand. A snapshot is one import: its state date (`ДатаСост`),
//! the regions it was filtered to and its records. Older snapshots stay until the user deletes
//! them, so a past eligibility check can still say what it relied on.

mod import;
mod parse;
mod store;
mod synthetic;

pub use import::{import, ImportProgress, ImportSummary};
pub(crate) use parse::declared_encoding;
pub use store::{delete_snapshot, find, list_snapshots, newest_holding, newest_snapshot, region_counts, snapshot};
pub use synthetic::write_synthetic;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::Db;
use crate::sme::{SmeCategory, SmeInput, SmeKind};

/// One business as the registry published it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FnsRecord {
    pub inn: String,
    /// Legal entity, sole proprietor or head of a peasant farm (the registry has no self-employed).
    pub kind: SmeKind,
    pub category: SmeCategory,
    /// Date of inclusion in the SME registry (`ДатаВклМСП`).
    pub included_on: Option<NaiveDate>,
    /// Organisation's full name; for a person, «Фамилия Имя Отчество».
    pub full_name: String,
    pub short_name: String,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: String,
    /// ОГРН or ОГРНИП where the file gives it (older formats do not).
    pub ogrn: String,
    pub region_code: String,
    pub okved_main: String,
    /// Additional OKVED codes separated by «, ».
    pub okved_extra: String,
}

/// One import of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FnsSnapshot {
    pub id: i64,
    /// The registry's state date (`ДатаСост`) — what "as of" means for every record of it.
    pub state_date: NaiveDate,
    /// Region codes the import was filtered to; empty means all regions.
    pub regions: Vec<String>,
    /// Files the snapshot was read from («архив.zip: файл.xml» for files inside an archive).
    pub source_files: Vec<String>,
    pub format_version: String,
    /// `Документ` elements read, of all regions.
    pub records_seen: i64,
    /// Records stored (of the filtered regions).
    pub records_imported: i64,
    /// Records of the filtered regions skipped as malformed (e.g. a wrong INN check digit).
    pub records_skipped: i64,
    /// Records of the filtered regions whose INN came again (the later one is kept):
    /// imported + skipped + duplicate = the records of those regions in the files.
    pub records_duplicate: i64,
    pub imported_at: String,
    pub imported_by: String,
}

impl FnsSnapshot {
    /// Whether the snapshot would hold a business of `region` if the registry listed it.
    pub fn covers_region(&self, region: &str) -> bool {
        self.regions.is_empty() || self.regions.iter().any(|r| r == region)
    }

    /// «на 10.02.2019 (регионы 27, 28)» — how the UI and messages name the snapshot.
    pub fn title(&self) -> String {
        let regions = if self.regions.is_empty() {
            "все регионы".to_owned()
        } else {
            format!("регионы {}", self.regions.join(", "))
        };
        format!(
            "выгрузка реестра МСП на {} ({regions})",
            self.state_date.format("%d.%m.%Y")
        )
    }
}

/// A new SME of the centre prefilled from a registry record: "add to the centre's registry in
/// one action". The user still reviews it; `sme::add` validates it as any other input.
pub fn to_sme_input(rec: &FnsRecord) -> SmeInput {
    let full_name = match rec.kind {
        SmeKind::LegalEntity => rec.full_name.clone(),
        SmeKind::SoleProprietor => format!("ИП {}", rec.full_name),
        SmeKind::FarmHead => format!("Глава КФХ {}", rec.full_name),
        SmeKind::SelfEmployed => rec.full_name.clone(),
    };
    let mut s = SmeInput::new(rec.kind, &full_name, &rec.inn);
    s.short_name = rec.short_name.clone();
    if rec.kind.is_person() {
        s.last_name = rec.last_name.clone();
        s.first_name = rec.first_name.clone();
        s.patronymic = rec.patronymic.clone();
    }
    s.ogrn = rec.ogrn.clone();
    s.category = Some(rec.category);
    s.registry_included_on = rec.included_on;
    s.region_code = rec.region_code.clone();
    s.okved_main = rec.okved_main.clone();
    s.okved_extra = rec.okved_extra.clone();
    s
}

/// A record of a snapshot found by INN, ready for "add to the centre's registry": the record,
/// the prefilled SME and the SME of the centre that already has this INN, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FnsLookup {
    pub record: FnsRecord,
    pub sme_input: SmeInput,
    /// The centre's SME with this INN: adding again would be a duplicate, so the UI opens it instead.
    pub existing_sme_id: Option<i64>,
}

/// Looks an INN up in one snapshot (`None`: the snapshot does not hold it).
pub fn lookup(conn: &Db, snapshot_id: i64, inn: &str) -> crate::Result<Option<FnsLookup>> {
    store::snapshot(conn, snapshot_id)?;
    let Some(record) = find(conn, snapshot_id, inn)? else {
        return Ok(None);
    };
    let existing_sme_id = crate::sme::get_by_inn(conn, &record.inn)?.map(|s| s.id);
    Ok(Some(FnsLookup {
        sme_input: to_sme_input(&record),
        record,
        existing_sme_id,
    }))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod import_tests;
