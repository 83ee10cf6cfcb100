//! The parties of a document — the centre (its settings) and the business — as template fields, requisites and the signature block that never splits from the text above it.

use super::template::Fields;
use super::{Align, Block, Cell, Para, Row, Span, Table};
use crate::centre::CentreSettings;

/// The business (СМСП) as documents name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmeParty {
    /// Full name: `Общество с ограниченной ответственностью «Ромашка»`, `Индивидуальный предприниматель Иванов Иван Иванович`.
    pub full_name: String,
    /// Short name: `ООО «Ромашка»`, `ИП Иванов И. И.`.
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    /// ОГРН or ОГРНИП.
    pub ogrn: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub bank_name: String,
    pub bik: String,
    pub settlement_account: String,
    pub correspondent_account: String,
    /// Who signs: `генеральный директор`, `индивидуальный предприниматель`.
    pub signer_position: String,
    /// `Петров Пётр Петрович`.
    pub signer_name: String,
    /// On what authority, in the genitive: `Устава`, `листа записи ЕГРИП`.
    pub signer_basis: String,
}

/// `Петрова Анна Сергеевна` → `А. С. Петрова` (as signatures are written).
pub fn initials(full: &str) -> String {
    let parts: Vec<&str> = full.split_whitespace().collect();
    match parts.as_slice() {
        [surname, rest @ ..] if !rest.is_empty() => {
            let mut s: String = rest
                .iter()
                .filter_map(|p| p.chars().next())
                .map(|c| format!("{c}. "))
                .collect();
            s.push_str(surname);
            s
        }
        _ => full.trim().to_owned(),
    }
}

pub(crate) const CENTRE_FIELDS: &[(&str, &str)] = &[
    ("centre.full_name", "полное наименование Центра"),
    ("centre.short_name", "краткое наименование Центра"),
    ("centre.inn", "ИНН Центра"),
    ("centre.kpp", "КПП Центра"),
    ("centre.ogrn", "ОГРН Центра"),
    ("centre.city", "город Центра («г. Хабаровск»)"),
    ("centre.legal_address", "юридический адрес Центра"),
    ("centre.postal_address", "почтовый адрес Центра"),
    ("centre.phone", "телефон Центра"),
    ("centre.email", "электронная почта Центра"),
    ("centre.head_position", "должность руководителя Центра"),
    ("centre.head_name", "ФИО руководителя Центра"),
    ("centre.head_initials", "руководитель Центра в форме «А. С. Петрова»"),
];

pub(crate) const SME_FIELDS: &[(&str, &str)] = &[
    ("sme.full_name", "полное наименование получателя"),
    ("sme.short_name", "краткое наименование получателя"),
    ("sme.inn", "ИНН получателя"),
    ("sme.kpp", "КПП получателя (пусто у ИП)"),
    ("sme.ogrn", "ОГРН/ОГРНИП получателя"),
    ("sme.address", "адрес получателя"),
    ("sme.signer_position", "должность подписанта получателя"),
    ("sme.signer_name", "ФИО подписанта получателя"),
    ("sme.signer_initials", "подписант получателя в форме «П. П. Петров»"),
    ("sme.signer_basis", "основание полномочий подписанта («Устава»)"),
];

pub(crate) fn centre_fields(c: &CentreSettings, f: &mut Fields) {
    let pairs = [
        ("centre.full_name", &c.full_name),
        ("centre.short_name", &c.short_name),
        ("centre.inn", &c.inn),
        ("centre.kpp", &c.kpp),
        ("centre.ogrn", &c.ogrn),
        ("centre.city", &c.city),
        ("centre.legal_address", &c.legal_address),
        ("centre.postal_address", &c.postal_address),
        ("centre.phone", &c.phone),
        ("centre.email", &c.email),
        ("centre.head_position", &c.head_position),
        ("centre.head_name", &c.head_name),
    ];
    for (k, v) in pairs {
        f.insert(k, v.clone());
    }
    f.insert("centre.head_initials", initials(&c.head_name));
}

pub(crate) fn sme_fields(s: &SmeParty, f: &mut Fields) {
    let pairs = [
        ("sme.full_name", &s.full_name),
        ("sme.short_name", &s.short_name),
        ("sme.inn", &s.inn),
        ("sme.kpp", &s.kpp),
        ("sme.ogrn", &s.ogrn),
        ("sme.address", &s.address),
        ("sme.signer_position", &s.signer_position),
        ("sme.signer_name", &s.signer_name),
        ("sme.signer_basis", &s.signer_basis),
    ];
    for (k, v) in pairs {
        f.insert(k, v.clone());
    }
    f.insert("sme.signer_initials", initials(&s.signer_name));
}

fn push(lines: &mut Vec<String>, label: &str, value: &str) {
    if !value.trim().is_empty() {
        lines.push(format!("{label}{value}"));
    }
}

fn centre_requisites(c: &CentreSettings) -> Vec<String> {
    let mut l = Vec::new();
    push(&mut l, "", &c.full_name);
    push(&mut l, "Адрес: ", &c.legal_address);
    if c.postal_address != c.legal_address {
        push(&mut l, "Почтовый адрес: ", &c.postal_address);
    }
    push(
        &mut l,
        "ИНН ",
        &[c.inn.as_str(), c.kpp.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / КПП "),
    );
    push(&mut l, "ОГРН ", &c.ogrn);
    push(&mut l, "р/с ", &c.settlement_account);
    push(&mut l, "", &c.bank_name);
    push(&mut l, "БИК ", &c.bik);
    push(&mut l, "к/с ", &c.correspondent_account);
    push(&mut l, "Тел.: ", &c.phone);
    push(&mut l, "E-mail: ", &c.email);
    l
}

fn sme_requisites(s: &SmeParty) -> Vec<String> {
    let mut l = Vec::new();
    push(&mut l, "", &s.full_name);
    push(&mut l, "Адрес: ", &s.address);
    push(&mut l, "ИНН ", &s.inn);
    push(&mut l, "КПП ", &s.kpp);
    push(
        &mut l,
        if s.ogrn.len() == 15 {
            "ОГРНИП "
        } else {
            "ОГРН "
        },
        &s.ogrn,
    );
    push(&mut l, "р/с ", &s.settlement_account);
    push(&mut l, "", &s.bank_name);
    push(&mut l, "БИК ", &s.bik);
    push(&mut l, "к/с ", &s.correspondent_account);
    push(&mut l, "Тел.: ", &s.phone);
    push(&mut l, "E-mail: ", &s.email);
    l
}

fn signature_cell(position: &str, name: &str) -> Cell {
    let mut cell = Cell::new(String::new());
    cell.spans = vec![Span::plain(format!(
        "{}\n\n\n_______________ / {} /\nМ. П.",
        capitalise(position),
        initials(name)
    ))];
    cell
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// «Адреса, реквизиты и подписи сторон»: two columns, kept on one page.
pub(crate) fn requisites_and_signatures(c: &CentreSettings, s: &SmeParty, sme_role: &str) -> Vec<Block> {
    let head = Row::new(vec![Cell::new("Центр").bold(), Cell::new(sme_role).bold()]);
    let req = Row::new(vec![
        Cell::new(centre_requisites(c).join("\n")),
        Cell::new(sme_requisites(s).join("\n")),
    ]);
    let sign = Row::new(vec![
        signature_cell(&c.head_position, &c.head_name),
        signature_cell(&s.signer_position, &s.signer_name),
    ]);
    let mut t = Table::new(vec![80.0, 80.0], vec![], vec![head, req, sign]);
    t.borders = false;
    t.size = 10.5;
    vec![Block::KeepTogether(vec![
        Block::Para(
            Para::new(Align::Centre, vec![Span::bold("Адреса, реквизиты и подписи сторон")]).spacing(10.0, 4.0),
        ),
        Block::Table(t),
    ])]
}

/// Signatures only (acts): kept together with the paragraph before them by the caller.
pub(crate) fn signatures(c: &CentreSettings, s: &SmeParty, sme_role: &str) -> Block {
    let head = Row::new(vec![
        Cell::new(format!("От Центра:\n{}", c.short_name)).bold(),
        Cell::new(format!("От {}:\n{}", sme_role, s.short_name)).bold(),
    ]);
    let sign = Row::new(vec![
        signature_cell(&c.head_position, &c.head_name),
        signature_cell(&s.signer_position, &s.signer_name),
    ]);
    let mut t = Table::new(vec![80.0, 80.0], vec![], vec![head, sign]);
    t.borders = false;
    t.size = 11.0;
    Block::Table(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_as_signatures_are_written() {
        assert_eq!(initials("Петрова Анна Сергеевна"), "А. С. Петрова");
        assert_eq!(initials("Ли Вэй"), "В. Ли");
        assert_eq!(initials("Петров"), "Петров");
    }
}
