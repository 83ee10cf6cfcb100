// The one door from the UI to the Rust shell: a typed wrapper per IPC command, so screens never
// spell command names or argument shapes themselves, and every failure arrives as a CoreError.
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupSettings } from "./bindings/BackupSettings";
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "./bindings/AppStatus";
import type { CentreSettings } from "./bindings/CentreSettings";
import type { CofinancingSettings } from "./bindings/CofinancingSettings";
import type { CoreError } from "./bindings/CoreError";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Sme } from "./bindings/Sme";
import type { SmeInput } from "./bindings/SmeInput";
import type { SmePage } from "./bindings/SmePage";
import type { SmeQuery } from "./bindings/SmeQuery";
import type { PersonalDataStatus } from "./bindings/PersonalDataStatus";
import type { Staff } from "./bindings/Staff";
import type { StaffInput } from "./bindings/StaffInput";
import type { Session } from "./bindings/Session";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { SetupInput } from "./bindings/SetupInput";
import type { RightRow } from "./bindings/RightRow";
import type { Check } from "./bindings/Check";
import type { CheckInput } from "./bindings/CheckInput";
import type { CurrentVerdict } from "./bindings/CurrentVerdict";
import type { FnsLookup } from "./bindings/FnsLookup";
import type { FnsSnapshot } from "./bindings/FnsSnapshot";
import type { ImportField } from "./bindings/ImportField";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { RowError } from "./bindings/RowError";
import type { TablePreview } from "./bindings/TablePreview";
import { listen } from "@tauri-apps/api/event";
import type { BudgetStatus } from "./bindings/BudgetStatus";
import type { Calculation } from "./bindings/Calculation";
import type { CalculatorRequest } from "./bindings/CalculatorRequest";
import type { CatalogVersionSummary } from "./bindings/CatalogVersionSummary";
import type { CatalogView } from "./bindings/CatalogView";
import type { ItemTermsEdit } from "./bindings/ItemTermsEdit";
import type { ServiceCatalog } from "./bindings/ServiceCatalog";
import type { ActRegistryRow } from "./bindings/ActRegistryRow";
import type { ArchiveQuery } from "./bindings/ArchiveQuery";
import type { ArchivedDocument } from "./bindings/ArchivedDocument";
import type { DocumentKind } from "./bindings/DocumentKind";

export type { AppStatus, CoreError };

const ERROR_CODES: readonly ErrorCode[] = [
  "validation",
  "duplicate",
  "not_found",
  "database_too_new",
  "storage",
  "cancelled",
  "rule",
  "file",
  "missing_rate",
  "forbidden",
  "auth",
  "internal",
  "conflict",
];

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Turns whatever a rejected `invoke` gave into a CoreError. The shell rejects with a serialised
 * CoreError; Tauri itself rejects with a plain string (unknown command, bad arguments), and a
 * thrown JS Error can come from the bridge — those become `storage` errors with their text.
 */
export function toCoreError(reason: unknown): CoreError {
  if (reason && typeof reason === "object") {
    const r = reason as Record<string, unknown>;
    if (isErrorCode(r.code) && typeof r.message === "string") {
      const e: CoreError = { code: r.code, message: r.message };
      if (typeof r.field === "string" && r.field !== "") e.field = r.field;
      return e;
    }
    if (typeof r.message === "string") return { code: "storage", message: r.message };
  }
  if (typeof reason === "string") {
    // Tauri refuses arguments it cannot read (an empty date, an unreadable amount) before the core
    // sees them, in English; the form is told in Russian, under the field when it shows one.
    const bad = /^invalid args `(\w+)`/.exec(reason);
    if (bad?.[1]) {
      const field = bad[1].replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
      return {
        code: "validation",
        message: "Не заполнено или не распознано поле формы: дата — ДД.ММ.ГГГГ, сумма — число в рублях",
        field,
      };
    }
    return { code: "storage", message: reason };
  }
  return { code: "storage", message: "Неизвестная ошибка: " + String(reason) };
}

/** One IPC command: its answer, or its failure as a CoreError. Every `*Api.ts` goes through it. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toCoreError(reason);
  }
}

export const api = {
  appStatus: () => call<AppStatus>("app_status"),
  sessionStatus: () => call<SessionStatus>("session_status"),
  centreSetupDefaults: () => call<CentreSettings>("session_setup_defaults"),
  sessionSetup: (input: SetupInput) => call<Session>("session_setup", { input }),
  /** On the server, `remember` keeps the password in the OS's password store (or forgets one kept). */
  sessionLogin: (login: string, password: string, remember?: boolean) =>
    call<Session>("session_login", { login, password, remember }),
  /** Logs in to the server with the password remembered on this computer. */
  sessionLoginRemembered: () => call<Session>("session_login_remembered"),
  sessionLock: () => call<void>("session_lock"),
  sessionLogout: () => call<void>("session_logout"),
  sessionChangePassword: (current: string, password: string) =>
    call<Session>("session_change_password", { current, password }),
  /** Tells the shell the first screen is shown (it logs the time since start, once). */
  firstScreen: () => call<number>("first_screen"),

  centreGet: () => call<CentreSettings>("centre_get"),
  centreValidate: (settings: CentreSettings) => call<CoreError[]>("centre_validate", { settings }),
  centreSave: (settings: CentreSettings) => call<CentreSettings>("centre_save", { settings }),

  staffList: () => call<Staff[]>("staff_list"),
  staffAdd: (input: StaffInput, password: string | null) => call<Staff>("staff_add", { input, password }),
  staffUpdate: (id: number, input: StaffInput) => call<Staff>("staff_update", { id, input }),
  staffResetPassword: (id: number, password: string) => call<Staff>("staff_reset_password", { id, password }),
  rightsTable: () => call<RightRow[]>("rights_table"),
  idleLockSet: (minutes: number) => call<number>("idle_lock_set", { minutes }),

  smeList: (query: SmeQuery) => call<SmePage>("sme_list", { query }),
  smeGet: (id: number) => call<Sme>("sme_get", { id }),
  smeValidate: (input: SmeInput) => call<CoreError[]>("sme_validate", { input }),
  smeAdd: (input: SmeInput) => call<Sme>("sme_add", { input }),
  /** `seen`: the record's mark when the form loaded it (a colleague's change since is refused). */
  smeUpdate: (id: number, input: SmeInput, seen: number | null = null) =>
    call<Sme>("sme_update", { id, input, seen }),
  /** The mark of a record's last change (read before the record itself, see `loadForEdit`). */
  recordMark: (entity: string, id: number) => call<number>("record_mark", { entity, id }),
  smePdStatus: (id: number) => call<PersonalDataStatus>("sme_pd_status", { id }),
  smePdWithdraw: (id: number, on: string) => call<PersonalDataStatus>("sme_pd_withdraw", { id, on }),
  smePdErase: (id: number) => call<PersonalDataStatus>("sme_pd_erase", { id }),

  // The tax service's SME registry (issue 3).
  fnsImport: (paths: string[], regions: string[]) => call<ImportSummary>("fns_import", { paths, regions }),
  fnsImportCancel: () => call<boolean>("fns_import_cancel"),
  /** Progress of a running import; resolves to the function that stops listening. */
  onFnsImportProgress: (cb: (p: ImportProgress) => void) =>
    listen<ImportProgress>("fns-import-progress", (e) => cb(e.payload)),
  fnsSnapshots: () => call<FnsSnapshot[]>("fns_snapshots"),
  fnsSnapshotDelete: (id: number) => call<null>("fns_snapshot_delete", { id }),
  fnsLookup: (snapshotId: number, inn: string) => call<FnsLookup | null>("fns_lookup", { snapshotId, inn }),
  eligibilityCurrent: (smeId: number) => call<CurrentVerdict>("eligibility_current", { smeId }),
  eligibilityHistory: (smeId: number) => call<Check[]>("eligibility_history", { smeId }),
  eligibilityPrefill: (smeId: number) => call<CheckInput>("eligibility_prefill", { smeId }),
  eligibilityRecord: (input: CheckInput) => call<Check>("eligibility_record", { input }),
  smeTablePreview: (path: string) => call<TablePreview>("sme_table_preview", { path }),
  smeTableCheck: (path: string, mapping: (ImportField | null)[]) =>
    call<ImportReport>("sme_table_check", { path, mapping }),
  smeTableSave: (path: string, mapping: (ImportField | null)[]) =>
    call<ImportReport>("sme_table_save", { path, mapping }),
  smeTableErrorsSave: (path: string, errors: RowError[]) => call<null>("sme_table_errors_save", { path, errors }),
  smeExport: (query: SmeQuery, path: string) => call<number>("sme_export", { query, path }),
  /** The native «open» dialog, opened by the shell; the chosen paths (none when the user closed it).
   * Only paths chosen here are accepted by the commands that read files. */
  pickFiles: (title: string, filters: FileFilter[], multiple = false) =>
    call<string[]>("pick_open", { title, filters, multiple }),
  /** The native «save as» dialog, opened by the shell; the chosen path, or null when the user closed it.
   * Only paths chosen here are accepted by the commands that write files. */
  pickSavePath: (title: string, filters: FileFilter[], defaultPath?: string) =>
    call<string | null>("pick_save", { title, filters, defaultName: defaultPath ?? null }),
  catalogVersions: () => call<CatalogVersionSummary[]>("catalog_versions"),
  catalogView: (id: number) => call<CatalogView>("catalog_view", { id }),
  catalogForDate: (date: string) => call<ServiceCatalog>("catalog_for_date", { date }),
  catalogCreateVersion: (fromId: number, effectiveFrom: string, title: string) =>
    call<ServiceCatalog>("catalog_create_version", { fromId, effectiveFrom, title }),
  catalogItemValidate: (edit: ItemTermsEdit) => call<CoreError[]>("catalog_item_validate", { edit }),
  catalogItemSave: (id: number, itemCode: string, edit: ItemTermsEdit) =>
    call<ServiceCatalog>("catalog_item_save", { id, itemCode, edit }),
  cofinancingSettings: () => call<CofinancingSettings>("cofinancing_settings"),
  cofinancingSettingsSave: (settings: CofinancingSettings) => call<CofinancingSettings>("cofinancing_settings_save", { settings }),
  budgetShow: (year: number) => call<BudgetStatus>("budget_show", { year }),
  budgetSetLine: (year: number, serviceCode: string, amount: string) =>
    call<BudgetStatus>("budget_set_line", { year, serviceCode, amount }),
  budgetSetTotal: (year: number, total: string) => call<BudgetStatus>("budget_set_total", { year, total }),
  cofinancingCalculate: (request: CalculatorRequest) => call<Calculation>("cofinancing_calculate", { request }),
  /** Makes the PDF of a record and archives it (the same content keeps its version). */
  documentGenerate: (kind: DocumentKind, sourceId: number) =>
    call<ArchivedDocument>("document_generate", { kind, sourceId }),
  documentList: (query: ArchiveQuery) => call<ArchivedDocument[]>("document_list", { query }),
  documentSaveCopy: (id: number, path: string) => call<void>("document_save_copy", { id, path }),
  documentOpen: (id: number) => call<void>("document_open", { id }),
  /** Printers of the system, its default first; empty when none is set up. */
  printers: () => call<string[]>("printers"),
  documentPrint: (id: number, printer: string, copies: number) =>
    call<void>("document_print", { id, printer, copies }),
  documentAttachScan: (id: number, path: string) => call<ArchivedDocument>("document_attach_scan", { id, path }),
  documentMarkSigned: (id: number, signedOn: string) =>
    call<ArchivedDocument>("document_mark_signed", { id, signedOn }),
  actRegistry: (unsignedOnly: boolean) => call<ActRegistryRow[]>("act_registry", { unsignedOnly }),
  actsBatchSave: (from: string, to: string, path: string) => call<number>("acts_batch_save", { from, to, path }),

  // Backups (Settings → «Резервные копии», and the screen of a database that cannot be opened).
  backupList: () => call<BackupFile[]>("backup_list"),
  backupCreate: () => call<BackupFile>("backup_create"),
  backupSettings: () => call<BackupSettings>("backup_settings"),
  backupSettingsSave: (settings: BackupSettings) => call<BackupSettings>("backup_settings_save", { settings }),
  backupRestore: (path: string) => call<void>("backup_restore", { path }),
};

export type FileFilter = { name: string; extensions: string[] };

/** Field name -> first message for it; what forms show under their inputs. */
export function errorsByField(errors: readonly CoreError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const key = e.field ?? "";
    if (!(key in out)) out[key] = e.message;
  }
  return out;
}

/** A record to open in a form with its journal mark, the mark read first: a save given the mark
 *  refuses a change a colleague made after the record was read (a conflict), never saves over it. */
export async function loadForEdit<T>(entity: string, id: number, load: () => Promise<T>): Promise<{ record: T; mark: number }> {
  const mark = await api.recordMark(entity, id);
  return { record: await load(), mark };
}
