// Russian names of the workflow's statuses, channels and refusal reasons, and the small rules the
// screens share: which status changes staff make by hand, how a deadline is worded.
import type { AgreementStatus } from "./bindings/AgreementStatus";
import type { ApplicationStatus } from "./bindings/ApplicationStatus";
import type { Channel } from "./bindings/Channel";
import type { ContractorKind } from "./bindings/ContractorKind";
import type { DeadlineAlert } from "./bindings/DeadlineAlert";
import type { RefusalReason } from "./bindings/RefusalReason";
import { ruDate } from "./catalogTerms";

export const APPLICATION_STATUS: Record<ApplicationStatus, string> = {
  new: "Новая",
  under_review: "На рассмотрении",
  rework: "На доработку",
  approved: "Одобрена",
  agreement_concluded: "Соглашение заключено",
  in_progress: "Услуга оказывается",
  completed: "Завершена",
  refused_by_centre: "Отказ ЦПЭ",
  refused_by_applicant: "Отказ заявителя",
};

export const AGREEMENT_STATUS: Record<AgreementStatus, string> = {
  draft: "Проект",
  signed: "Подписано",
  in_progress: "Услуга оказывается",
  completed: "Исполнено",
  terminated: "Расторгнуто",
};

export const CHANNEL: Record<Channel, string> = {
  visit: "Личный визит",
  email: "Электронная почта",
  phone: "Телефон",
  federal_platform: "Федеральная платформа",
};

export const CONTRACTOR_KIND: Record<ContractorKind, string> = {
  organisation: "Организация",
  individual: "Квалифицированный специалист",
};

export const REFUSAL_REASON: Record<RefusalReason, string> = {
  not_eligible: "п. 6.1.1 — СМСП не соответствует требованиям разд. 4",
  no_funding: "п. 6.1.2 — нет финансирования",
  documents: "п. 6.1.3 — документы не представлены или сведения недостоверны",
  cofinancing_not_paid: "п. 6.1.4 — софинансирование не оплачено в срок",
  three_services_no_contract: "п. 6.1.5 — три услуги без экспортного контракта",
};

/** Where staff may move an application by hand (the core's status machine, minus the statuses
 * the agreement sets itself). Mirrors `ApplicationStatus::next` in the core. */
export function manualTransitions(status: ApplicationStatus): ApplicationStatus[] {
  const next: Record<ApplicationStatus, ApplicationStatus[]> = {
    new: ["under_review"],
    under_review: ["rework", "approved"],
    rework: ["under_review"],
    approved: [],
    agreement_concluded: [],
    in_progress: [],
    completed: [],
    refused_by_centre: [],
    refused_by_applicant: [],
  };
  const final = status === "completed" || status === "refused_by_centre" || status === "refused_by_applicant";
  return final ? [] : [...next[status], "refused_by_applicant"];
}

/** Whether the centre may refuse an application in this status (§6.1: at any stage not final). */
export function canRefuse(status: ApplicationStatus): boolean {
  return !(status === "completed" || status === "refused_by_centre" || status === "refused_by_applicant");
}

/** The wording of a deadline line: «Просрочено: срок был 12.03.2026» or «Скоро срок: до 12.03.2026». */
export function deadlineText(alert: Pick<DeadlineAlert, "deadline">): string {
  const d = alert.deadline;
  if (d.state === "overdue") return `Просрочено: срок был ${ruDate(d.normative_on)}`;
  if (d.state === "soon") return `Скоро срок: до ${ruDate(d.normative_on)}`;
  return `В срок: до ${ruDate(d.normative_on)}`;
}

/** The label on a transition button. */
export const TRANSITION_LABEL: Partial<Record<ApplicationStatus, string>> = {
  under_review: "Взять на рассмотрение",
  rework: "Вернуть на доработку",
  approved: "Одобрить",
  refused_by_applicant: "Заявитель отказался",
};

/** «1 рабочий день», «3 рабочих дня», «5 рабочих дней». */
export function workingDays(n: number): string {
  const a = Math.abs(n);
  const last = a % 10;
  const teen = a % 100 >= 11 && a % 100 <= 14;
  const word = !teen && last === 1 ? "рабочий день" : !teen && last >= 2 && last <= 4 ? "рабочих дня" : "рабочих дней";
  return `${a} ${word}`;
}

/** How much time is left before a normative deadline: «осталось 2 рабочих дня», «сегодня последний
 * день», «просрочено на 3 рабочих дня». */
export function daysLeftText(left: number): string {
  if (left > 0) return `осталось ${workingDays(left)}`;
  if (left === 0) return "сегодня последний день";
  return `просрочено на ${workingDays(left)}`;
}
