//! The service items of agreements and acts — cost, the SME's share and the centre's share per item and in total — as a table and as amount fields (in digits and in words).

use rust_decimal::Decimal;

use super::template::Fields;
use super::words::rub_with_words;
use super::{Block, Cell, Row, Table};
use crate::money::{format_amount, format_rub};

/// One item of the service catalog in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// Catalog code (`5.2.a1`).
    pub code: String,
    pub title: String,
    /// Base (базовая) or additional (дополнительная) item of a complex service; `None` for a standalone one.
    pub base: Option<bool>,
    pub cost: Decimal,
    pub sme_share: Decimal,
    pub centre_share: Decimal,
}

/// Sums of the items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub cost: Decimal,
    pub sme_share: Decimal,
    pub centre_share: Decimal,
}

pub fn totals(items: &[ItemLine]) -> Totals {
    items.iter().fold(Totals::default(), |t, i| Totals {
        cost: t.cost + i.cost,
        sme_share: t.sme_share + i.sme_share,
        centre_share: t.centre_share + i.centre_share,
    })
}

pub(crate) const TOTAL_FIELDS: &[(&str, &str)] = &[
    ("total.cost", "общая стоимость: «1 250 000,00 ₽»"),
    (
        "total.cost_words",
        "общая стоимость с прописью: «1 250 000,00 ₽ (Один миллион … 00 копеек)»",
    ),
    ("total.sme_share", "доля получателя (софинансирование), цифрами"),
    ("total.sme_share_words", "доля получателя с прописью"),
    ("total.centre_share", "доля Центра, цифрами"),
    ("total.centre_share_words", "доля Центра с прописью"),
    ("total.sme_share_nonzero", "«да», если получатель платит (для «.если»)"),
];

pub(crate) fn total_fields(t: &Totals, f: &mut Fields) {
    f.insert("total.cost", format_rub(t.cost));
    f.insert("total.cost_words", rub_with_words(t.cost));
    f.insert("total.sme_share", format_rub(t.sme_share));
    f.insert("total.sme_share_words", rub_with_words(t.sme_share));
    f.insert("total.centre_share", format_rub(t.centre_share));
    f.insert("total.centre_share_words", rub_with_words(t.centre_share));
    f.insert(
        "total.sme_share_nonzero",
        if t.sme_share.is_zero() { "" } else { "да" }.into(),
    );
}

/// The items table: №, item, kind, cost, the SME's share, the centre's share; a total row and the total in words.
pub(crate) fn table(items: &[ItemLine]) -> Vec<Block> {
    let complex = items.iter().any(|i| i.base.is_some());
    let mut widths = vec![9.0, 0.0, 25.0, 25.0, 25.0];
    widths[1] = 170.0 - widths.iter().sum::<f32>() - if complex { 30.0 } else { 0.0 };
    if complex {
        widths.insert(2, 30.0);
    }
    let mut head = vec![Cell::new("№"), Cell::new("Наименование услуги")];
    if complex {
        head.push(Cell::new("Вид"));
    }
    head.extend([
        Cell::new("Стоимость, руб."),
        Cell::new("Доля получателя, руб."),
        Cell::new("Доля Центра, руб."),
    ]);
    let head = head.into_iter().map(|c| c.bold().centre().middle()).collect();
    let mut rows = Vec::with_capacity(items.len() + 1);
    for (n, i) in items.iter().enumerate() {
        let mut r = vec![
            Cell::new(format!("{}", n + 1)).centre(),
            Cell::new(format!("{} ({})", i.title, i.code)),
        ];
        if complex {
            r.push(
                Cell::new(if i.base == Some(true) {
                    "базовая"
                } else {
                    "дополнительная"
                })
                .centre(),
            );
        }
        r.extend([
            Cell::new(format_amount(i.cost)).right(),
            Cell::new(format_amount(i.sme_share)).right(),
            Cell::new(format_amount(i.centre_share)).right(),
        ]);
        rows.push(Row::new(r));
    }
    let t = totals(items);
    rows.push(Row::new(vec![
        Cell::new("Итого").bold().right().span(if complex { 3 } else { 2 }),
        Cell::new(format_amount(t.cost)).bold().right(),
        Cell::new(format_amount(t.sme_share)).bold().right(),
        Cell::new(format_amount(t.centre_share)).bold().right(),
    ]));
    let mut table = Table::new(widths, vec![Row::new(head)], rows);
    table.size = 10.0;
    vec![Block::Table(table)]
}
