//! Import of the centre's existing list of SMEs from a CSV or XLSX table: preview, a column mapping proposed from the headers, every row checked before anything is saved, then the valid rows saved in one transaction.
//!
//! The flow the UI and the CLI follow: [`read_table`] → [`propose_mapping`] and [`preview`] (the
//! user may change the mapping) → [`check`] lists per-row errors, nothing written → [`save`]
//! writes only the valid rows, re-checking them inside its transaction so that a record added in
//! between cannot slip in as a duplicate → [`write_errors_csv`] for the rows left out.

mod read;

use crate::staff::Right;
use std::collections::HashMap;
use std::path::Path;

use crate::db::Db;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::store::{get_by_inn, insert};
use super::{validate, SmeCategory, SmeInput, SmeKind};
use crate::audit::Ctx;
use crate::error::{CoreError, ErrorCode, Result};

pub use read::{read_csv_bytes, read_table, SourceTable};

/// A field of the SME record a column of the table can fill. Serialised with the record's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportField {
    Kind,
    FullName,
    ShortName,
    LastName,
    FirstName,
    Patronymic,
    Inn,
    Ogrn,
    Kpp,
    Category,
    RegistryIncludedOn,
    RegionCode,
    LegalAddress,
    OkvedMain,
    OkvedExtra,
    Products,
    HsCodes,
    TargetCountries,
    HeadPosition,
    HeadName,
    ContactPerson,
    Phone,
    Email,
    Notes,
}

impl ImportField {
    /// The field's key, the same as in [`SmeInput`] and in [`CoreError::field`].
    pub fn key(self) -> &'static str {
        use ImportField::*;
        match self {
            Kind => "kind",
            FullName => "full_name",
            ShortName => "short_name",
            LastName => "last_name",
            FirstName => "first_name",
            Patronymic => "patronymic",
            Inn => "inn",
            Ogrn => "ogrn",
            Kpp => "kpp",
            Category => "category",
            RegistryIncludedOn => "registry_included_on",
            RegionCode => "region_code",
            LegalAddress => "legal_address",
            OkvedMain => "okved_main",
            OkvedExtra => "okved_extra",
            Products => "products",
            HsCodes => "hs_codes",
            TargetCountries => "target_countries",
            HeadPosition => "head_position",
            HeadName => "head_name",
            ContactPerson => "contact_person",
            Phone => "phone",
            Email => "email",
            Notes => "notes",
        }
    }

    /// The Russian name shown in the mapping and used as the export's column header.
    pub fn label(self) -> &'static str {
        use ImportField::*;
        match self {
            Kind => "Вид",
            FullName => "Полное наименование",
            ShortName => "Сокращённое наименование",
            LastName => "Фамилия",
            FirstName => "Имя",
            Patronymic => "Отчество",
            Inn => "ИНН",
            Ogrn => "ОГРН/ОГРНИП",
            Kpp => "КПП",
            Category => "Категория",
            RegistryIncludedOn => "Дата включения в реестр МСП",
            RegionCode => "Код региона",
            LegalAddress => "Юридический адрес",
            OkvedMain => "Основной ОКВЭД",
            OkvedExtra => "Дополнительные ОКВЭД",
            Products => "Продукция",
            HsCodes => "Коды ТН ВЭД",
            TargetCountries => "Целевые страны",
            HeadPosition => "Должность руководителя",
            HeadName => "Руководитель",
            ContactPerson => "Контактное лицо",
            Phone => "Телефон",
            Email => "E-mail",
            Notes => "Примечание",
        }
    }
}

/// Header words that name a field, most specific first: a header matches a pattern when every
/// word of the pattern begins a word of the header («ФИО руководителя» → head, not contact).
const HEADER_PATTERNS: &[(&str, ImportField)] = &[
    ("должность", ImportField::HeadPosition),
    ("руководител", ImportField::HeadName),
    ("директор", ImportField::HeadName),
    ("контакт", ImportField::ContactPerson),
    ("дата включ", ImportField::RegistryIncludedOn),
    ("дата реестр", ImportField::RegistryIncludedOn),
    ("доп оквэд", ImportField::OkvedExtra),
    ("дополнительн оквэд", ImportField::OkvedExtra),
    ("оквэд", ImportField::OkvedMain),
    ("тн вэд", ImportField::HsCodes),
    ("тнвэд", ImportField::HsCodes),
    ("сокращ", ImportField::ShortName),
    ("кратк", ImportField::ShortName),
    ("наименован", ImportField::FullName),
    ("название", ImportField::FullName),
    ("организац", ImportField::FullName),
    ("фио", ImportField::FullName),
    ("фамил", ImportField::LastName),
    ("имя", ImportField::FirstName),
    ("отчеств", ImportField::Patronymic),
    ("огрн", ImportField::Ogrn),
    ("инн", ImportField::Inn),
    ("кпп", ImportField::Kpp),
    ("вид", ImportField::Kind),
    ("тип", ImportField::Kind),
    ("форма", ImportField::Kind),
    ("категор", ImportField::Category),
    ("регион", ImportField::RegionCode),
    ("субъект рф", ImportField::RegionCode),
    ("адрес", ImportField::LegalAddress),
    ("продукц", ImportField::Products),
    ("товар", ImportField::Products),
    ("стран", ImportField::TargetCountries),
    ("телефон", ImportField::Phone),
    ("тел", ImportField::Phone),
    ("e mail", ImportField::Email),
    ("email", ImportField::Email),
    ("почта", ImportField::Email),
    ("примечан", ImportField::Notes),
    ("комментар", ImportField::Notes),
];

fn header_words(header: &str) -> Vec<String> {
    super::fold(header)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The field each column most likely holds, judged by its header; `None` for a column to skip.
/// Each field is given to the first column that names it.
pub fn propose_mapping(headers: &[String]) -> Vec<Option<ImportField>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let words = header_words(h);
            let field = HEADER_PATTERNS
                .iter()
                .find(|(pattern, _)| pattern.split(' ').all(|p| words.iter().any(|w| w.starts_with(p))))
                .map(|(_, f)| *f)
                .filter(|f| !taken.contains(f));
            taken.extend(field);
            field
        })
        .collect()
}

/// What the user sees before choosing: the headers, the first rows and the proposed mapping.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TablePreview {
    pub headers: Vec<String>,
    /// The first data rows, as text, each as long as `headers`.
    pub sample: Vec<Vec<String>>,
    /// Data rows in the table (empty rows not counted).
    pub row_count: u32,
    /// One entry per column: the field it fills, or null to skip the column.
    pub mapping: Vec<Option<ImportField>>,
}

pub fn preview(table: &SourceTable, sample_rows: usize) -> TablePreview {
    TablePreview {
        headers: table.headers.clone(),
        sample: table.rows.iter().take(sample_rows).map(|r| r.cells.clone()).collect(),
        row_count: table.rows.len() as u32,
        mapping: propose_mapping(&table.headers),
    }
}

/// One problem of one row, before anything is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowError {
    /// The row number as a spreadsheet shows it (the header row is usually 1).
    pub row: u32,
    /// The record's field key (`inn`, `ogrn`, …).
    pub field: String,
    /// The header of the file's column that holds it, if one does.
    pub column: Option<String>,
    pub value: String,
    /// What is wrong and what to do, in Russian.
    pub message: String,
}

/// The outcome of checking (or saving) a table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// Data rows in the table (empty rows not counted).
    pub rows: u32,
    pub valid: u32,
    pub invalid: u32,
    /// Records written: 0 after [`check`]; `valid` after [`save`].
    pub saved: u32,
    pub errors: Vec<RowError>,
}

/// The rows turned into records, and the errors of the rows that could not be.
struct Examined {
    rows: u32,
    valid: Vec<SmeInput>,
    invalid: u32,
    errors: Vec<RowError>,
}

fn require_columns(mapping: &[Option<ImportField>]) -> Result<()> {
    let missing = |f: ImportField| {
        CoreError::new(
            ErrorCode::Validation,
            format!(
                "Не выбрана колонка «{}»: укажите, в какой колонке таблицы она находится",
                f.label()
            ),
        )
    };
    if !mapping.contains(&Some(ImportField::Inn)) {
        return Err(missing(ImportField::Inn));
    }
    // A list of persons may give the name as surname, name and patronymic only.
    if !mapping.contains(&Some(ImportField::FullName)) && !mapping.contains(&Some(ImportField::LastName)) {
        return Err(missing(ImportField::FullName));
    }
    Ok(())
}

fn examine(conn: &Db, table: &SourceTable, mapping: &[Option<ImportField>], today: NaiveDate) -> Result<Examined> {
    require_columns(mapping)?;
    let column_of: HashMap<&str, &str> = mapping
        .iter()
        .zip(&table.headers)
        .filter_map(|(f, h)| f.map(|f| (f.key(), h.as_str())))
        .collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Examined {
        rows: 0,
        valid: Vec::new(),
        invalid: 0,
        errors: Vec::new(),
    };
    for row in &table.rows {
        out.rows += 1;
        let (input, mut problems) = row_to_input(&row.cells, mapping);
        problems.extend(validate(&input, today));
        let input = input.trimmed();
        if problems.iter().all(|e| e.field.as_deref() != Some("inn")) {
            if let Some(first) = seen.get(&input.inn) {
                problems.push(CoreError::field(
                    "inn",
                    format!("ИНН {}: повторяется в файле — уже был в строке {first}", input.inn),
                ));
            } else if let Some(existing) = get_by_inn(conn, &input.inn)? {
                problems.push(CoreError::field(
                    "inn",
                    format!(
                        "ИНН {}: уже есть в реестре — «{}» (запись № {}); строка не будет добавлена",
                        input.inn, existing.input.full_name, existing.id
                    ),
                ));
            }
            seen.entry(input.inn.clone()).or_insert(row.number);
        }
        // Left to right as the columns stand in the file, so the user can follow along the row.
        let column = |e: &CoreError| {
            mapping
                .iter()
                .position(|f| f.map(ImportField::key) == e.field.as_deref())
        };
        problems.sort_by_key(|e| column(e).unwrap_or(usize::MAX));
        if problems.is_empty() {
            out.valid.push(input);
        } else {
            out.invalid += 1;
            let cell_of = |field: &str| {
                let column = mapping.iter().position(|f| f.map(ImportField::key) == Some(field));
                column.and_then(|i| row.cells.get(i)).map(|v| v.trim().to_owned())
            };
            for e in problems {
                let field = e.field.unwrap_or_default();
                out.errors.push(RowError {
                    row: row.number,
                    column: column_of.get(field.as_str()).map(|c| (*c).to_owned()),
                    value: cell_of(&field).unwrap_or_default(),
                    field,
                    message: e.message,
                });
            }
        }
    }
    Ok(out)
}

/// Checks every row against the record's rules and INN uniqueness (in the file and in the
/// registry) and lists the problems. Writes nothing.
pub fn check(
    conn: &Db,
    table: &SourceTable,
    mapping: &[Option<ImportField>],
    today: NaiveDate,
) -> Result<ImportReport> {
    let e = examine(conn, table, mapping, today)?;
    Ok(ImportReport {
        rows: e.rows,
        valid: e.valid.len() as u32,
        invalid: e.invalid,
        saved: 0,
        errors: e.errors,
    })
}

/// Saves the valid rows — and only them — in one transaction, each with its audit entry; the
/// report lists the rows left out. Either all valid rows are saved or, on a storage error, none.
pub fn save(conn: &mut Db, ctx: &Ctx, table: &SourceTable, mapping: &[Option<ImportField>]) -> Result<ImportReport> {
    let tx = conn.write(ctx, Right::Imports)?;
    let e = examine(&tx, table, mapping, ctx.now.date())?;
    for input in &e.valid {
        insert(&tx, ctx, input)?;
    }
    tx.commit()?;
    let n = e.valid.len() as u32;
    Ok(ImportReport {
        rows: e.rows,
        valid: n,
        invalid: e.invalid,
        saved: n,
        errors: e.errors,
    })
}

/// Writes the error list as CSV for Excel in a Russian locale: UTF-8 with BOM, `;` separator.
pub fn write_errors_csv(errors: &[RowError], path: &Path) -> Result<()> {
    let mut w = crate::spreadsheet::excel_csv_writer(path)?;
    let io = |e: csv::Error| CoreError::new(ErrorCode::File, format!("Не удалось записать {}: {e}", path.display()));
    w.write_record(["Строка", "Колонка", "Поле", "Значение", "Ошибка"])
        .map_err(io)?;
    for e in errors {
        let row = e.row.to_string();
        let text = |t: &str| crate::spreadsheet::csv_text(t).into_owned();
        w.write_record([
            row,
            text(e.column.as_deref().unwrap_or("")),
            text(&e.field),
            text(&e.value),
            text(&e.message),
        ])
        .map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

/// Identifiers as Excel leaves them: a number cell drops the leading zero of INNs and KPPs of
/// regions 01–09 (0275…). One digit short and all digits: the zero is put back; the checksum
/// then decides.
fn restore_leading_zero(value: &str, lengths: &[usize]) -> String {
    if value.bytes().all(|b| b.is_ascii_digit()) && lengths.contains(&(value.len() + 1)) {
        format!("0{value}")
    } else {
        value.to_owned()
    }
}

fn parse_kind(value: &str) -> Option<SmeKind> {
    let v = super::fold(value).replace(['.', '«', '»', '"'], "");
    let v = v.trim();
    if let Some(k) = SmeKind::parse(v).or_else(|| SmeKind::ALL.into_iter().find(|k| super::fold(k.label()) == v)) {
        return Some(k);
    }
    match v {
        "юл" | "юридическое лицо" | "организация" | "ооо" | "ао" | "пао" | "зао" => {
            Some(SmeKind::LegalEntity)
        }
        "ип" | "индивидуальный предприниматель" => Some(SmeKind::SoleProprietor),
        "кфх" | "глава кфх" | "крестьянское (фермерское) хозяйство" => {
            Some(SmeKind::FarmHead)
        }
        "нпд" | "самозанятый" | "самозанятая" | "самозанятый (нпд)" => {
            Some(SmeKind::SelfEmployed)
        }
        _ => None,
    }
}

fn parse_category(value: &str) -> Option<SmeCategory> {
    let v = super::fold(value);
    let v = v.trim();
    // 1, 2, 3 are the codes of КатСубМСП in the tax service's registry.
    if v == "1" || v.starts_with("микро") || v == "micro" {
        Some(SmeCategory::Micro)
    } else if v == "2" || v.starts_with("мал") || v == "small" {
        Some(SmeCategory::Small)
    } else if v == "3" || v.starts_with("средн") || v == "medium" {
        Some(SmeCategory::Medium)
    } else {
        None
    }
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(value, f).ok())
}

/// One row as a record, with the problems of cells that could not be read (kind, category, dates).
/// A missing kind is inferred from the INN: 10 digits a legal entity, 12 a sole proprietor.
fn row_to_input(cells: &[String], mapping: &[Option<ImportField>]) -> (SmeInput, Vec<CoreError>) {
    let mut s = SmeInput::new(SmeKind::LegalEntity, "", "");
    let mut problems = Vec::new();
    let mut kind_cell = None;
    for (field, value) in mapping.iter().zip(cells) {
        let Some(field) = field else { continue };
        // A CSV the program exported marks formula-like text with an apostrophe: read it back as it was.
        let value = crate::spreadsheet::csv_untext(value.trim());
        if value.is_empty() {
            continue;
        }
        use ImportField::*;
        match field {
            Kind => kind_cell = Some(value.to_owned()),
            FullName => s.full_name = value.into(),
            ShortName => s.short_name = value.into(),
            LastName => s.last_name = value.into(),
            FirstName => s.first_name = value.into(),
            Patronymic => s.patronymic = value.into(),
            Inn => s.inn = restore_leading_zero(value, &[10, 12]),
            Ogrn => s.ogrn = value.into(),
            Kpp => s.kpp = restore_leading_zero(value, &[9]),
            Category => match parse_category(value) {
                Some(c) => s.category = Some(c),
                None => problems.push(CoreError::field(
                    "category",
                    format!("Категория: «{value}» не распознана — укажите «микро», «малое» или «среднее»"),
                )),
            },
            RegistryIncludedOn => match parse_date(value) {
                Some(d) => s.registry_included_on = Some(d),
                None => problems.push(CoreError::field(
                    "registry_included_on",
                    format!("Дата включения в реестр МСП: «{value}» не дата — укажите как 15.03.2024"),
                )),
            },
            RegionCode => s.region_code = restore_leading_zero(value, &[2]),
            LegalAddress => s.legal_address = value.into(),
            OkvedMain => s.okved_main = value.into(),
            OkvedExtra => s.okved_extra = value.into(),
            Products => s.products = value.into(),
            HsCodes => s.hs_codes = value.into(),
            TargetCountries => s.target_countries = value.into(),
            HeadPosition => s.head_position = value.into(),
            HeadName => s.head_name = value.into(),
            ContactPerson => s.contact_person = value.into(),
            Phone => s.phone = value.into(),
            Email => s.email = value.into(),
            Notes => s.notes = value.into(),
        }
    }
    let inferred = if s.inn.len() == 12 {
        SmeKind::SoleProprietor
    } else {
        SmeKind::LegalEntity
    };
    s.kind = match kind_cell {
        None => inferred,
        Some(cell) => parse_kind(&cell).unwrap_or_else(|| {
            problems.push(CoreError::field(
                "kind",
                format!("Вид: «{cell}» не распознан — укажите ЮЛ, ИП, КФХ или самозанятый (НПД)"),
            ));
            inferred
        }),
    };
    if s.full_name.is_empty() && s.kind.is_person() {
        // A person's list often has surname, name and patronymic in separate columns only.
        s.full_name = [&s.last_name, &s.first_name, &s.patronymic]
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
    (s, problems)
}

#[cfg(test)]
mod tests;
