//! Text fields of the records: their Russian labels (for messages and the journal of changes) and the characters a field may hold.
//!
//! A name that arrives through a CSV import may carry NUL, a right-to-left override that shows
//! «ООО «Ромашка»» while the file holds something else, or a terminal escape code that repaints the
//! screen of whoever lists it with `cpe`. None of these is ever typed on purpose, so every text
//! field refuses the C0 and C1 control characters and DEL (tab and line breaks only in fields
//! that hold several lines: notes, comments, addresses, descriptions), the bidirectional
//! overrides, embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//! U+061C), the invisible joiners and separators that make two names look the same (U+200B–U+200D,
//! U+2060, U+FEFF), the line and paragraph separators U+2028/U+2029 outside multi-line fields, and
//! the noncharacters U+FFFE/U+FFFF. The check walks any record as JSON, so a form's every text
//! field is covered without listing them, and the message names the field in Russian.

use serde::Serialize;
use serde_json::Value;

use crate::error::CoreError;

/// The Russian label of a field of any record (as the forms and the journal show it); the key itself
/// when the program has none.
pub fn label(key: &str) -> &str {
    match key {
        "full_name" => "Полное наименование",
        "short_name" => "Сокращённое наименование",
        "name" => "Наименование",
        "last_name" => "Фамилия",
        "first_name" => "Имя",
        "patronymic" => "Отчество",
        "kind" => "Вид",
        "inn" => "ИНН",
        "ogrn" => "ОГРН/ОГРНИП",
        "kpp" => "КПП",
        "category" => "Категория",
        "registry_included_on" => "Дата включения в реестр МСП",
        "region_code" => "Код региона",
        "legal_address" => "Юридический адрес",
        "postal_address" => "Почтовый адрес",
        "address" => "Адрес",
        "city" => "Город",
        "okved_main" => "ОКВЭД основной",
        "okved_extra" => "ОКВЭД дополнительные",
        "products" => "Продукция",
        "hs_codes" => "Коды ТН ВЭД",
        "target_countries" => "Целевые страны",
        "export_experience" => "Опыт экспорта",
        "head_position" => "Должность руководителя",
        "head_name" => "ФИО руководителя",
        "contact_person" => "Контактное лицо",
        "phone" => "Телефон",
        "email" => "Электронная почта",
        "website" => "Сайт",
        "pd_consent_on" => "Согласие на обработку персональных данных",
        "notes" => "Примечание",
        "comment" => "Комментарий",
        "position" => "Должность",
        "active" => "Работает",
        "login" => "Логин",
        "decision" => "Решение руководителя",
        "paragraph" => "Пункт регламента",
        "decided_by" => "Кто решил",
        "decided_at" => "Когда решено",
        "role" => "Роль",
        "has_password" => "Пароль задан",
        "must_change_password" => "Сменить пароль при входе",
        "password_changed_at" => "Пароль изменён",
        // A journal entry of the server's own about a login role (db/roles.rs, `cpe_sync_login`).
        "server_account" => "Учётная запись на сервере",
        "can_log_in" => "Вход разрешён",
        "password" => "Пароль",
        "idle_lock_minutes" => "Блокировка при бездействии, мин",
        "number" => "Номер",
        "title" => "Название",
        "date" => "Дата",
        "amount" => "Сумма",
        "status" => "Статус",
        "subject" => "Предмет контракта",
        "counterparty_name" => "Иностранный контрагент",
        "country_code" => "Страна",
        "currency" => "Валюта",
        "reported_on" => "Дата сообщения",
        "contract_date" => "Дата контракта",
        "document" => "Платёжный документ",
        "source_text" => "Источник",
        "service_code" => "Услуга каталога",
        "item_code" => "Позиция каталога",
        "cost" => "Стоимость",
        "sme_share" => "Доля СМСП",
        "centre_share" => "Доля ЦПЭ",
        "state_fees" => "Госпошлины",
        "signed_on" => "Дата подписания",
        "completed_on" => "Дата завершения",
        "terminated_on" => "Дата расторжения",
        "termination_reason" => "Причина расторжения",
        "received_on" => "Дата поступления",
        "channel" => "Канал",
        "refusal_text" => "Текст отказа",
        "text" => "Текст",
        "reason" => "Причина",
        "note" => "Примечание",
        "topic" => "Тема",
        "person" => "Обратившийся",
        "outcome" => "Результат, следующий шаг",
        "minutes" => "Затрачено минут",
        "starts_on" => "Дата начала",
        "ends_on" => "Дата окончания",
        "place" => "Место или ссылка",
        "attendee" => "Участник (ФИО)",
        "exhibition" => "Выставка",
        "announced_on" => "Объявлен",
        "deadline" => "Приём заявок по",
        "criteria" => "Критерии",
        "places" => "Мест",
        "submitted_on" => "Заявка подана",
        "scores" => "Баллы",
        "protocol_number" => "Номер протокола",
        "decided_on" => "Дата протокола",
        "winner" => "Победитель",
        "in_plan" => "В плане мероприятий",
        "event_id" => "Мероприятие",
        "attended" => "Присутствовал",
        "registered_on" => "Зарегистрирован",
        "bank_name" => "Банк",
        "bik" => "БИК",
        "settlement_account" => "Расчётный счёт",
        "correspondent_account" => "Корреспондентский счёт",
        "accredited_rec" => "Аккредитация РЭЦ",
        "group_declaration_on" => "Общее заявление о группе лиц",
        "declared_on" => "Дата заявления",
        "recorded_by" => "Записал",
        "recorded_at" => "Записано",
        "rate_percent" => "Доля СМСП, %",
        "cap_per_sme" => "Лимит на 1 СМСП",
        "source" => "Пункт регламента",
        "value" => "Курс",
        "nominal" => "Номинал",
        "char_code" => "Код валюты",
        "participants" => "Число участников",
        "stages" => "Этапы",
        "items" => "Состав услуги",
        "payment_schedule" => "График оплаты",
        // Fields of stored records the journal shows (not typed in forms).
        "id" => "Номер записи",
        "created_at" => "Создано",
        "updated_at" => "Изменено",
        "created_by" => "Кем создано",
        "entered_at" => "Внесено",
        "entered_by" => "Кем внесено",
        "sme_id" => "СМСП (номер записи)",
        "sme_ids" => "СМСП (номера записей)",
        "sme_name" => "СМСП",
        "sme_inn" => "ИНН СМСП",
        "agreement_number" => "Номер соглашения",
        "application_id" => "Заявка (номер)",
        "catalog_version_id" => "Версия каталога (номер записи)",
        "declaration_signed" => "Декларация об отсутствии субсидий подписана",
        "amendments" => "Дополнительные соглашения",
        "acted" => "Закрыто актами",
        "contract_id" => "Договор с исполнителем (номер записи)",
        "contract_number" => "Номер договора с исполнителем",
        "contractor_id" => "Исполнитель (номер записи)",
        "contractor_name" => "Исполнитель",
        "contract_count" => "Контрактов",
        "buyer_id" => "Иностранный покупатель (номер записи)",
        "source_agreement_id" => "Соглашение-источник (номер записи)",
        "source_kind" => "Источник (вид)",
        "country_name" => "Страна (название)",
        "cancelled" => "Аннулирован",
        "due_on" => "Срок сообщения",
        "late" => "Сообщено с опозданием",
        "rate_currency" => "Курс валюты контракта, руб.",
        "rate_usd" => "Курс доллара США, руб.",
        "unit_rate" => "Курс за единицу, руб.",
        "usd_thousand" => "Тыс. долл. США",
        "volumes" => "Объёмы по годам",
        "year" => "Год",
        "file" => "Файл",
        "rows" => "Записей",
        "printer" => "Принтер",
        "copies" => "Копий",
        "filter" => "Отбор",
        "format" => "Формат",
        other => other,
    }
}

/// Fields that hold several lines: tab and line breaks are allowed there.
fn multiline(key: &str) -> bool {
    matches!(
        key,
        "notes"
            | "note"
            | "comment"
            | "legal_address"
            | "postal_address"
            | "address"
            | "products"
            | "source_text"
            | "text"
            | "reason"
            | "termination_reason"
            | "refusal_text"
            | "description"
            | "topic"
            | "outcome"
    )
}

/// What is wrong with a character in a field, if anything.
fn refused(c: char, multi: bool) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' if multi => None,
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some("управляющий символ"),
        '\u{80}'..='\u{9f}' => Some("управляющий символ"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {
            Some("символ управления направлением текста")
        }
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Some("невидимый символ"),
        '\u{2028}' | '\u{2029}' if !multi => Some("разрыв строки"),
        '\u{fffe}' | '\u{ffff}' => Some("недопустимый символ"),
        _ => None,
    }
}

/// Checks one text field: the first character it may not hold, with its position (from 1).
pub fn check_text(key: &str, value: &str) -> Result<(), CoreError> {
    let multi = multiline(key);
    for (i, c) in value.chars().enumerate() {
        if let Some(what) = refused(c, multi) {
            return Err(CoreError::field(
                key,
                format!(
                    "{}: недопустимый {what} U+{:04X} в позиции {} — удалите его (часто попадает при копировании из других программ)",
                    label(key),
                    c as u32,
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Every text field of `record` (walked as JSON, nested lists and objects too) that holds a
/// character it may not; the field of a nested value is named by its own key.
pub fn check_record<T: Serialize>(record: &T) -> Vec<CoreError> {
    let mut problems = Vec::new();
    if let Ok(value) = serde_json::to_value(record) {
        walk("", &value, &mut problems);
    }
    problems
}

/// The first problem of [`check_record`], as the error of a write that must not go on.
pub fn refuse_bad<T: Serialize>(record: &T) -> Result<(), CoreError> {
    check_record(record).into_iter().next().map_or(Ok(()), Err)
}

fn walk(key: &str, value: &Value, problems: &mut Vec<CoreError>) {
    match value {
        Value::String(s) => {
            if let Err(e) = check_text(key, s) {
                problems.push(e);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(key, v, problems)),
        Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, problems)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_refused_with_the_field_and_position() {
        for (value, what) in [
            ("ООО\u{0}Ромашка", "управляющий символ U+0000"),
            ("\u{1b}[31mООО", "U+001B"),
            ("ООО «Ромашка\u{202e}»", "направлением текста U+202E в позиции 13"),
            ("Ро\u{200b}машка", "невидимый символ U+200B"),
        ] {
            let e = check_text("full_name", value).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("full_name"));
            assert!(
                e.message.starts_with("Полное наименование: ") && e.message.contains(what),
                "{}",
                e.message
            );
        }
        assert!(check_text("full_name", "ООО «Ромашка-Ё» (Хабаровск), ИНН 2721…").is_ok());
        assert!(check_text("full_name", "две\nстроки").is_err());
        assert!(check_text("notes", "две\nстроки\tс табуляцией").is_ok());
        assert!(check_text("notes", "звонок\u{7}").is_err());
    }

    #[test]
    fn a_record_is_checked_field_by_field_nested_too() {
        let record = serde_json::json!({"name": "ok", "items": [{"comment": "x\u{202e}"}], "n": 5});
        let problems = check_record(&record);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field.as_deref(), Some("comment"));
    }
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod form_tests;
