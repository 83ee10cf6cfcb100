//! The service's format rule (разд. 3, 5.7 and 5.8) and §5.5.4: an individual stand is given on a competitive basis, to a winner of the selection.

use super::rules::Outcome;
use super::{CheckInput, ViolationCode};
use crate::catalog::Service;

/// Разд. 3 (5.7, 5.8): an agreement of a row with formats names one of them; §5.5.4: a format
/// given on a competitive basis (an individual stand) needs the competitive selection the SME won.
pub(super) fn format(input: &CheckInput, service: &Service, out: &mut Outcome) {
    if service.formats.is_empty() {
        return;
    }
    let named = input
        .proposal
        .format
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    let Some(format) = named.and_then(|code| service.formats.iter().find(|f| f.code == code)) else {
        out.violation(
            ViolationCode::FormatMissing,
            format!(
                "Услуга {} оказывается в одном из форматов — выберите формат: {}.",
                service.code,
                service
                    .formats
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            service.source.clone(),
            None,
        );
        return;
    };
    let won = input
        .proposal
        .selection
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty());
    if format.selection_required && !won {
        out.violation(
            ViolationCode::SelectionMissing,
            format!(
                "Услуга {} в формате «{}» предоставляется на конкурсной основе: соглашение заключается с победителем \
                 конкурсного отбора по этой выставке — выберите выставку (мероприятие) и подведите итоги отбора протоколом.",
                service.code, format.name
            ),
            "п. 5.5.4",
            None,
        );
    }
}
