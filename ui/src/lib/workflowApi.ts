// The IPC wrappers of the daily workflow (applications, agreements, acts, payments, contractors),
// kept apart from api.ts so the screens of this area have one door of their own.
import { call } from "./api";
import type { Act } from "./bindings/Act";
import type { ActInput } from "./bindings/ActInput";
import type { Agreement } from "./bindings/Agreement";
import type { AgreementInput } from "./bindings/AgreementInput";
import type { AgreementStatus } from "./bindings/AgreementStatus";
import type { AgreementSummary } from "./bindings/AgreementSummary";
import type { Application } from "./bindings/Application";
import type { ApplicationInput } from "./bindings/ApplicationInput";
import type { AmendmentInput } from "./bindings/AmendmentInput";
import type { ApplicationDeadline } from "./bindings/ApplicationDeadline";
import type { CalendarDay } from "./bindings/CalendarDay";
import type { CalendarYearInfo } from "./bindings/CalendarYearInfo";
import type { DayEdit } from "./bindings/DayEdit";
import type { DayKind } from "./bindings/DayKind";
import type { DeadlineSettings } from "./bindings/DeadlineSettings";
import type { GroupDeclaration } from "./bindings/GroupDeclaration";
import type { Consultation } from "./bindings/Consultation";
import type { ConsultationInput } from "./bindings/ConsultationInput";
import type { ConsultationQuery } from "./bindings/ConsultationQuery";
import type { Recorded } from "./bindings/Recorded";
import type { PairDeclaration } from "./bindings/PairDeclaration";
import type { ApplicationStatus } from "./bindings/ApplicationStatus";
import type { ApplicationSummary } from "./bindings/ApplicationSummary";
import type { ContractInput } from "./bindings/ContractInput";
import type { Contractor } from "./bindings/Contractor";
import type { ContractorContract } from "./bindings/ContractorContract";
import type { ContractorInput } from "./bindings/ContractorInput";
import type { CoreError } from "./bindings/CoreError";
import type { DeadlineAlert } from "./bindings/DeadlineAlert";
import type { ExpectedPayment } from "./bindings/ExpectedPayment";
import type { OverduePayment } from "./bindings/OverduePayment";
import type { Payment } from "./bindings/Payment";
import type { PaymentInput } from "./bindings/PaymentInput";
import type { TransitionInput } from "./bindings/TransitionInput";

export const wf = {
  applicationList: (status: ApplicationStatus | null = null) =>
    call<ApplicationSummary[]>("application_list", { status, smeId: null }),
  applicationGet: (id: number) => call<Application>("application_get", { id }),
  applicationAdd: (input: ApplicationInput) => call<Application>("application_add", { input }),
  applicationTransition: (id: number, input: TransitionInput) =>
    call<Application>("application_transition", { id, input }),
  applicationSetDocument: (id: number, position: number, receivedOn: string | null) =>
    call<Application>("application_set_document", { id, position, receivedOn }),
  applicationAlerts: () => call<DeadlineAlert[]>("application_alerts"),
  applicationDeadline: (id: number) => call<ApplicationDeadline | null>("application_deadline", { id }),
  deadlineSettings: () => call<DeadlineSettings>("deadline_settings_get"),
  deadlineSettingsSave: (settings: DeadlineSettings) => call<DeadlineSettings>("deadline_settings_save", { settings }),
  numberPattern: () => call<string>("agreement_number_pattern"),
  numberPreview: (pattern: string, year: number) => call<string>("agreement_number_preview", { pattern, year }),
  numberPatternSave: (pattern: string) => call<string>("agreement_number_pattern_save", { pattern }),
  calendarYears: () => call<CalendarYearInfo[]>("calendar_years"),
  calendarYear: (year: number) => call<[CalendarYearInfo, CalendarDay[]]>("calendar_year", { year }),
  calendarImport: (path: string) => call<CalendarYearInfo>("calendar_import", { path }),
  calendarSetDay: (date: string, kind: DayKind, note: string) => call<DayEdit>("calendar_set_day", { date, kind, note }),
  calendarClearDay: (date: string) => call<null>("calendar_clear_day", { date }),
  paymentOverdue: () => call<OverduePayment[]>("payment_overdue"),

  agreementList: (status: AgreementStatus | null = null) =>
    call<AgreementSummary[]>("agreement_list", { status, smeId: null }),
  agreementGet: (id: number) => call<Agreement>("agreement_get", { id }),
  agreementCreate: (input: AgreementInput) => call<Agreement>("agreement_create", { input }),
  /** `seen`: the draft's mark when the form loaded it (`loadForEdit`); null saves over a colleague's change. */
  agreementUpdateDraft: (id: number, input: AgreementInput, seen: number | null) =>
    call<Agreement>("agreement_update_draft", { id, input, seen }),
  agreementSign: (id: number, signedOn: string) => call<Agreement>("agreement_sign", { id, signedOn }),
  agreementSignByDecision: (id: number, signedOn: string, reason: string) =>
    call<Agreement>("agreement_sign_by_decision", { id, signedOn, reason }),
  agreementStart: (id: number) => call<Agreement>("agreement_start", { id }),
  agreementAmend: (id: number, input: AmendmentInput) => call<Agreement>("agreement_amend", { id, input }),
  agreementTerminate: (id: number, on: string, reason: string) =>
    call<Agreement>("agreement_terminate", { id, on, reason }),
  actList: (agreementId: number) => call<Act[]>("act_list", { agreementId }),
  actAdd: (input: ActInput) => call<Act>("act_add", { input }),
  actSign: (id: number, signedOn: string) => call<Act>("act_sign", { id, signedOn }),
  paymentList: (agreementId: number) => call<Payment[]>("payment_list", { agreementId }),
  paymentExpected: (agreementId: number) => call<ExpectedPayment[]>("payment_expected", { agreementId }),
  paymentAdd: (input: PaymentInput) => call<Payment>("payment_add", { input }),
  paymentRefuseOverdue: (agreementId: number) => call<Agreement>("payment_refuse_overdue", { agreementId }),

  contractorList: () => call<Contractor[]>("contractor_list"),
  contractorValidate: (input: ContractorInput) => call<CoreError[]>("contractor_validate", { input }),
  contractorAdd: (input: ContractorInput) => call<Contractor>("contractor_add", { input }),
  contractorGet: (id: number) => call<Contractor>("contractor_get", { id }),
  contractorUpdate: (id: number, input: ContractorInput, seen: number | null) =>
    call<Contractor>("contractor_update", { id, input, seen }),
  contractorContracts: (contractorId: number) =>
    call<ContractorContract[]>("contractor_contracts", { contractorId }),
  contractorAddContract: (input: ContractInput) => call<ContractorContract>("contractor_add_contract", { input }),
  agreementGroupDeclarations: (agreementId: number) =>
    call<PairDeclaration[]>("agreement_group_declarations", { agreementId }),
  groupDeclarationRecord: (smeId: number, contractorId: number, declaredOn: string) =>
    call<GroupDeclaration>("group_declaration_record", { smeId, contractorId, declaredOn }),
  consultationList: (query: ConsultationQuery) => call<Consultation[]>("consultation_list", { query }),
  consultationAdd: (input: ConsultationInput) => call<Recorded>("consultation_add", { input }),
};
