//! The desktop shell: parses the command line, opens the core's database and hands IPC calls to the command modules.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod demo;
mod dispatch;
mod guard;
mod handoff;
mod print;
mod saved_password;
mod state;
mod watch;

use std::path::PathBuf;

use tauri::Manager;

fn data_dir_from_args() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    // Also from the environment, which passes through WebDriver to the app in end-to-end tests.
    std::env::var_os("CPE_DATA_DIR").map(PathBuf::from)
}

/// Where this OS user's choice of database (local file or the centre's server) is remembered;
/// `CPE_CONFIG_DIR` moves it (end-to-end tests give each app its own).
fn choice_file() -> Option<PathBuf> {
    match std::env::var_os("CPE_CONFIG_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join("database.json")),
        None => cpe_core::db::choice::default_path().ok(),
    }
}

fn main() {
    commands::app::mark_start();
    let demo_run = std::env::args()
        .any(|a| a == "--demo")
        .then(|| match demo::DemoRun::prepare() {
            Ok(run) => {
                run.remove_on_signals();
                run
            }
            Err(e) => {
                eprintln!("Не удалось создать временную папку для демонстрационных данных: {e}");
                std::process::exit(1);
            }
        });
    let state = match &demo_run {
        Some(run) => {
            // A signal during the opening removes the directory after it; once it has, the
            // program is being ended by the signal's thread.
            let Some(state) = run.unless_ending(|| state::AppState::open(Some(run.dir.clone()), None)) else {
                loop {
                    std::thread::park();
                }
            };
            let state = state.with_demo(run.clone());
            run.fill();
            state
        }
        None => state::AppState::open(data_dir_from_args(), choice_file()),
    };
    guard::install_log(&state.data_dir);
    handoff::clean();
    let demo_title = demo_run.is_some();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            watch::start(app.handle().clone());
            if demo_title {
                if let Some(w) = app.get_webview_window("main") {
                    w.set_title("ЦПЭ — поддержка экспорта (демонстрационные данные)")?;
                }
            }
            Ok(())
        })
        .manage(state)
        .manage(commands::registry::ImportJob::default())
        .invoke_handler(dispatch::off_main_thread(tauri::generate_handler![
            commands::app::app_status,
            commands::report::report_dashboard,
            commands::report::report_yearly,
            commands::report::report_quarterly,
            commands::report::report_trace,
            commands::report::report_recipients,
            commands::report::report_demand,
            commands::report::report_demand_to_budget,
            commands::report::report_targets_save,
            commands::report::report_forecast_save,
            commands::report::report_file_name,
            commands::report::report_save,
            commands::report::report_open,
            commands::app::first_screen,
            commands::database::database_choice,
            commands::journal::record_mark,
            commands::database::database_check,
            commands::database::database_use_server,
            commands::database::database_password_store,
            commands::database::database_use_local,
            commands::dialog::pick_open,
            commands::dialog::pick_save,
            commands::backup::backup_list,
            commands::backup::backup_create,
            commands::backup::backup_settings,
            commands::backup::backup_settings_save,
            commands::backup::backup_restore,
            commands::centre::centre_get,
            commands::centre::centre_validate,
            commands::centre::centre_save,
            commands::centre::staff_list,
            commands::centre::staff_add,
            commands::centre::staff_update,
            commands::centre::staff_reset_password,
            commands::centre::rights_table,
            commands::centre::idle_lock_set,
            commands::session::session_status,
            commands::session::session_setup,
            commands::session::session_setup_defaults,
            commands::session::session_login,
            commands::session::session_login_remembered,
            commands::session::session_lock,
            commands::session::session_logout,
            commands::session::session_change_password,
            commands::sme::sme_list,
            commands::sme::sme_get,
            commands::sme::sme_validate,
            commands::sme::sme_add,
            commands::sme::sme_update,
            commands::sme::sme_pd_status,
            commands::sme::sme_pd_withdraw,
            commands::sme::sme_pd_erase,
            commands::registry::fns_import,
            commands::registry::fns_import_cancel,
            commands::registry::fns_snapshots,
            commands::registry::fns_snapshot_delete,
            commands::registry::fns_lookup,
            commands::eligibility::eligibility_current,
            commands::eligibility::eligibility_history,
            commands::eligibility::eligibility_prefill,
            commands::eligibility::eligibility_record,
            commands::sme_table::sme_table_preview,
            commands::sme_table::sme_table_check,
            commands::sme_table::sme_table_save,
            commands::sme_table::sme_table_errors_save,
            commands::sme_table::sme_export,
            commands::journal::journal_page,
            commands::journal::journal_filters,
            commands::journal::journal_export,
            commands::cofinancing::catalog_versions,
            commands::cofinancing::catalog_view,
            commands::cofinancing::catalog_for_date,
            commands::cofinancing::catalog_create_version,
            commands::cofinancing::catalog_item_validate,
            commands::cofinancing::catalog_item_save,
            commands::cofinancing::cofinancing_settings,
            commands::cofinancing::cofinancing_settings_save,
            commands::cofinancing::budget_show,
            commands::cofinancing::budget_set_line,
            commands::cofinancing::budget_set_total,
            commands::cofinancing::cofinancing_calculate,
            commands::workflow::application_list,
            commands::workflow::application_get,
            commands::workflow::application_add,
            commands::workflow::application_transition,
            commands::workflow::application_set_document,
            commands::workflow::application_alerts,
            commands::workflow::payment_overdue,
            commands::workflow::contractor_list,
            commands::workflow::contractor_validate,
            commands::workflow::contractor_add,
            commands::workflow::contractor_get,
            commands::workflow::contractor_update,
            commands::workflow::contractor_contracts,
            commands::workflow::contractor_add_contract,
            commands::workflow::agreement_group_declarations,
            commands::workflow::group_declaration_record,
            commands::workflow::consultation_list,
            commands::workflow::consultation_add,
            commands::events::event_list,
            commands::events::event_get,
            commands::events::event_participants,
            commands::events::event_add,
            commands::events::event_update,
            commands::events::event_set_status,
            commands::events::event_participant_add,
            commands::events::event_participant_remove,
            commands::events::event_attendance,
            commands::events::event_import,
            commands::events::event_agreements,
            commands::events::event_sign,
            commands::events::event_plan,
            commands::events::selection_list,
            commands::events::selection_add,
            commands::events::selection_apply,
            commands::events::selection_score,
            commands::events::selection_decide,
            commands::events::selection_won,
            commands::events::event_bulk_candidates,
            commands::events::event_bulk_preview,
            commands::events::event_bulk_make,
            commands::events::event_acts_preview,
            commands::events::event_acts_make,
            commands::agreement::agreement_list,
            commands::agreement::agreement_get,
            commands::agreement::agreement_create,
            commands::agreement::agreement_update_draft,
            commands::agreement::agreement_sign,
            commands::agreement::agreement_sign_by_decision,
            commands::agreement::agreement_start,
            commands::agreement::agreement_terminate,
            commands::agreement::act_list,
            commands::agreement::act_add,
            commands::agreement::act_sign,
            commands::agreement::payment_list,
            commands::agreement::payment_expected,
            commands::agreement::payment_add,
            commands::agreement::payment_refuse_overdue,
            commands::agreement::agreement_amend,
            commands::agreement::agreement_number_pattern,
            commands::agreement::agreement_number_preview,
            commands::agreement::agreement_number_pattern_save,
            commands::workflow::application_deadline,
            commands::workflow::deadline_settings_get,
            commands::workflow::deadline_settings_save,
            commands::calendar::calendar_years,
            commands::calendar::calendar_year,
            commands::calendar::calendar_import,
            commands::calendar::calendar_set_day,
            commands::calendar::calendar_clear_day,
            commands::documents::document_generate,
            commands::documents::document_list,
            commands::documents::document_save_copy,
            commands::documents::document_open,
            commands::documents::printers,
            commands::documents::document_print,
            commands::documents::document_attach_scan,
            commands::documents::document_mark_signed,
            commands::documents::act_registry,
            commands::documents::acts_batch_save,
            commands::export::oksm_countries,
            commands::export::oksm_currencies,
            commands::export::rates_import,
            commands::export::rates_list,
            commands::export::rates_set_manual,
            commands::export::rates_delete,
            commands::export::rates_convert,
            commands::export::export_contract_check,
            commands::export::export_contract_add,
            commands::export::export_contract_get,
            commands::export::export_contract_update,
            commands::export::export_contract_cancel,
            commands::export::export_contract_list,
            commands::export::export_support_options,
            commands::export::buyer_list,
            commands::export::buyer_card,
            commands::export::buyer_validate,
            commands::export::buyer_add,
            commands::export::buyer_update,
            commands::export::buyer_delete,
            commands::export::buyer_export,
            commands::export::export_reminders,
            commands::export::export_reminder_settings,
            commands::export::export_reminder_settings_save,
            commands::export::export_reminder_contact,
            commands::export::export_reminders_pdf,
        ]))
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start")
        .run(move |_, event| {
            if let (tauri::RunEvent::Exit, Some(run)) = (&event, &demo_run) {
                run.remove();
            }
        });
}
