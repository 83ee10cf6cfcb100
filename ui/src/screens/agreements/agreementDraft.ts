// How the agreement form turns the calculator's checked split, the chosen contractors and contracts,
// the typed payment schedule and the planned stages into the core's AgreementInput, how a schedule row
// is checked before saving, and how a saved draft is put back into the form to be changed.
import type { Agreement } from "../../lib/bindings/Agreement";
import { draftOf, EMPTY_QUANTITY } from "../../lib/itemQuantity";
import type { AgreementInput } from "../../lib/bindings/AgreementInput";
import type { Calculation } from "../../lib/bindings/Calculation";
import type { CalculatorRequest } from "../../lib/bindings/CalculatorRequest";
import type { PlannedPayment } from "../../lib/bindings/PlannedPayment";
import type { StageInput } from "../../lib/bindings/StageInput";
import { formatAmount, isZero } from "../../lib/money";
import type { CalculatorDraft } from "../cofinancing/calculatorDraft";

/** Who does an item and under which of their contracts with the centre. */
export interface ItemContractor {
  contractor_id: number | null;
  contract_id: number | null;
}

export interface StageRow {
  name: string;
  /** ISO from DateField, "" when not given. */
  starts_on: string;
  ends_on: string;
}

/** The planned stages, or the first problem as a Russian message under the `stages` field. */
export function readStages(rows: StageRow[]): { stages: StageInput[] } | { error: string } {
  const out: StageInput[] = [];
  for (const [i, r] of rows.entries()) {
    if (r.name.trim() === "" && r.starts_on === "" && r.ends_on === "") continue;
    if (r.name.trim() === "") return { error: `Этап ${i + 1}: укажите наименование` };
    if (r.ends_on === "") return { error: `Этап «${r.name.trim()}»: укажите дату окончания` };
    if (r.starts_on !== "" && r.starts_on > r.ends_on)
      return { error: `Этап «${r.name.trim()}»: дата начала позже даты окончания` };
    out.push({ name: r.name.trim(), starts_on: r.starts_on === "" ? null : r.starts_on, ends_on: r.ends_on });
  }
  return { stages: out };
}

export interface ScheduleRow {
  due_on: string;
  /** As typed: «150 000,50». */
  amount: string;
  /** §6.1.4: the deadline comes from this contractor's contract (of an item); absent — the agreement. */
  contract_id?: number | null;
}

/** «150 000,50» → "150000.50"; null when it is not an amount. */
export function parseAmount(text: string): string | null {
  const t = text.replace(/[\s\u00a0]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return t;
}

/** The schedule, or the first problem as a Russian message under the `payment_schedule` field. */
export function readSchedule(rows: ScheduleRow[]): { schedule: PlannedPayment[] } | { error: string } {
  const out: PlannedPayment[] = [];
  for (const [i, r] of rows.entries()) {
    if (r.due_on.trim() === "" && r.amount.trim() === "") continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.due_on)) return { error: `Платёж ${i + 1}: укажите срок оплаты` };
    const amount = parseAmount(r.amount);
    if (amount === null) return { error: `Платёж ${i + 1}: сумма — число в рублях, например 150 000,00` };
    out.push(r.contract_id != null ? { due_on: r.due_on, amount, contract_id: r.contract_id } : { due_on: r.due_on, amount });
  }
  return { schedule: out };
}

/** The agreement to create from the calculator's checked request and answer. */
export function toAgreementInput(
  request: CalculatorRequest,
  result: Calculation,
  applicationId: number | null,
  contractors: Record<string, ItemContractor>,
  schedule: PlannedPayment[],
  stages: StageInput[] = [],
  eventId: number | null = null,
): AgreementInput {
  return {
    sme_id: request.sme_id ?? 0,
    application_id: applicationId,
    date: request.date,
    service_code: request.service_code,
    participants: request.participants,
    declaration_signed: request.declaration_signed,
    items: result.check.items.map((i) => ({
      item_code: i.item_code,
      cost: i.cost,
      sme_share: i.sme_share,
      state_fees: i.state_fees,
      contractor_id: contractors[i.item_code]?.contractor_id ?? null,
      contract_id: contractors[i.item_code]?.contractor_id != null ? (contractors[i.item_code]?.contract_id ?? null) : null,
      quantity: request.items.find((r) => r.item_code === i.item_code)?.quantity ?? { ...EMPTY_QUANTITY },
    })),
    payment_schedule: schedule,
    stages,
    ...(request.format ? { format: request.format } : {}),
    ...(request.selection ? { selection: request.selection } : {}),
    ...(eventId !== null ? { event_id: eventId } : {}),
  };
}

function kop(s: string): bigint {
  const [int = "0", frac = ""] = s.split(".");
  const neg = int.startsWith("-");
  const v = BigInt(int.replace("-", "") || "0") * 100n + BigInt((frac + "00").slice(0, 2));
  return neg ? -v : v;
}

function rub(k: bigint): string {
  const r = k / 100n;
  const f = k % 100n;
  return f === 0n ? r.toString() : `${r}.${f.toString().padStart(2, "0")}`;
}

/** What is left of `total` after `done` (decimal strings, kopecks exact), as "12345.67"; never below 0. */
export function remainder(total: string, done: string): string {
  const left = kop(total) - kop(done);
  return left <= 0n ? "0" : rub(left);
}

/** The sum of decimal strings, kopecks exact. */
export function sumAmounts(amounts: string[]): string {
  return rub(amounts.reduce((acc, a) => acc + kop(a), 0n));
}

/** What the form holds for a saved draft: the amounts as a person would have typed them. */
export interface FormValues {
  calculator: Partial<CalculatorDraft>;
  contractors: Record<string, ItemContractor>;
  schedule: ScheduleRow[];
  stages: StageRow[];
}

/** A saved draft put back into the form, so that saving it unchanged writes the same terms. */
export function formFromDraft(a: Agreement): FormValues {
  return {
    calculator: {
      sme: { id: a.sme_id, full_name: a.sme_name, inn: a.sme_inn },
      service_code: a.service_code,
      date: a.date,
      items: Object.fromEntries(
        a.items.map((i) => [
          i.item_code,
          {
            included: true,
            cost: formatAmount(i.cost),
            sme_share: formatAmount(i.sme_share),
            state_fees: isZero(i.state_fees) ? "" : formatAmount(i.state_fees),
            quantity: draftOf(i.quantity),
          },
        ]),
      ),
      participants: a.participants === null ? "" : String(a.participants),
      declaration_signed: a.declaration_signed,
      format: a.format ?? "",
      selection: a.selection ?? "",
    },
    contractors: Object.fromEntries(
      a.items.map((i) => [i.item_code, { contractor_id: i.contractor_id, contract_id: i.contract_id }]),
    ),
    schedule:
      a.payment_schedule.length === 0
        ? [{ due_on: "", amount: "" }]
        : a.payment_schedule.map((p) => ({ due_on: p.due_on, amount: formatAmount(p.amount), ...(p.contract_id != null ? { contract_id: p.contract_id } : {}) })),
    stages: a.stages.map((s) => ({ name: s.name, starts_on: s.starts_on ?? "", ends_on: s.ends_on })),
  };
}
