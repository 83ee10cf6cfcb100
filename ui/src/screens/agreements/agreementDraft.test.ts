// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { Agreement } from "../../lib/bindings/Agreement";
import { emptyDraft, EMPTY_QUANTITY } from "../../lib/itemQuantity";
import {
  formFromDraft,
  parseAmount,
  readSchedule,
  readStages,
  remainder,
  sumAmounts,
  toAgreementInput,
} from "./agreementDraft";
import { manualTransitions, canRefuse, deadlineText } from "../../lib/workflowLabels";

describe("agreement draft", () => {
  it("reads amounts as typed by office staff", () => {
    expect(parseAmount("150 000,50")).toBe("150000.50");
    expect(parseAmount("100000")).toBe("100000");
    expect(parseAmount("12,345")).toBeNull();
    expect(parseAmount("сто")).toBeNull();
  });

  it("reads the schedule and names the broken row", () => {
    expect(readSchedule([{ due_on: "2026-12-01", amount: "100 000" }])).toEqual({
      schedule: [{ due_on: "2026-12-01", amount: "100000" }],
    });
    expect(readSchedule([{ due_on: "", amount: "" }])).toEqual({ schedule: [] });
    expect(readSchedule([{ due_on: "", amount: "5" }])).toEqual({ error: "Платёж 1: укажите срок оплаты" });
    expect(readSchedule([{ due_on: "2026-12-01", amount: "x" }])).toHaveProperty("error");
  });

  it("computes what is left of an item to the kopeck", () => {
    expect(remainder("500000.00", "0")).toBe("500000");
    expect(remainder("1000.10", "0.05")).toBe("1000.05");
    expect(remainder("100", "100.00")).toBe("0");
    expect(remainder("100", "150")).toBe("0");
    expect(sumAmounts(["0.10", "0.20", "100"])).toBe("100.30");
    expect(sumAmounts([])).toBe("0");
  });

  it("builds the agreement from the calculator's split and the chosen contractors", () => {
    const input = toAgreementInput(
      { sme_id: 7, service_code: "4.2", date: "2026-03-02", items: [], participants: null, declaration_signed: true },
      {
        check: {
          items: [
            {
              item_code: "4.2",
              name: "x",
              cost: "500000",
              state_fees: "0",
              min_sme_rate: "0.2",
              min_sme_share: "100000",
              sme_share: "100000",
              centre_share: "400000",
              cap: null,
            },
          ],
        },
      } as never,
      3,
      { "4.2": { contractor_id: 5, contract_id: 9 } },
      [{ due_on: "2026-03-20", amount: "100000" }],
      [{ name: "Испытания", starts_on: null, ends_on: "2026-05-01" }],
    );
    expect(input.sme_id).toBe(7);
    expect(input.application_id).toBe(3);
    expect(input.items).toEqual([
      { item_code: "4.2", cost: "500000", sme_share: "100000", state_fees: "0", contractor_id: 5, contract_id: 9, quantity: EMPTY_QUANTITY },
    ]);
    expect(input.payment_schedule).toHaveLength(1);
    expect(input.stages).toEqual([{ name: "Испытания", starts_on: null, ends_on: "2026-05-01" }]);
  });
});

describe("a saved draft in the form", () => {
  const item = (code: string, cost: string, share: string, fees: string, contractor: number | null) => ({
    item_code: code,
    name: code,
    cost,
    sme_share: share,
    state_fees: fees,
    centre_share: "0",
    total: cost,
    acted: "0.00",
    contractor_id: contractor,
    contractor_name: null,
    contract_id: contractor === null ? null : 11,
    contract_number: null,
  });
  const draft = {
    id: 4,
    number: "ЦПЭ-2026-004",
    date: "2026-03-02",
    sme_id: 7,
    sme_name: "ООО «Рыбак»",
    sme_inn: "7707083893",
    application_id: 3,
    service_code: "3",
    participants: null,
    declaration_signed: true,
    status: "draft",
    items: [item("3.1", "1250000.50", "250000.10", "0.00", 5), item("3.2", "90000.00", "18000.00", "1500.00", null)],
    payment_schedule: [{ due_on: "2026-03-20", amount: "268000.10" }],
    stages: [{ id: 1, position: 1, name: "Испытания", starts_on: null, ends_on: "2026-05-01" }],
  } as unknown as Agreement;

  it("shows the amounts as typed and keeps every term", () => {
    const f = formFromDraft(draft);
    expect(f.calculator.date).toBe("2026-03-02");
    expect(f.calculator.sme).toEqual({ id: 7, full_name: "ООО «Рыбак»", inn: "7707083893" });
    expect(f.calculator.items?.["3.1"]).toEqual({
      included: true,
      cost: "1\u00a0250\u00a0000,50",
      sme_share: "250\u00a0000,10",
      state_fees: "",
      quantity: emptyDraft(),
    });
    expect(f.calculator.items?.["3.2"]?.state_fees).toBe("1\u00a0500,00");
    expect(f.contractors).toEqual({
      "3.1": { contractor_id: 5, contract_id: 11 },
      "3.2": { contractor_id: null, contract_id: null },
    });
    expect(f.stages).toEqual([{ name: "Испытания", starts_on: "", ends_on: "2026-05-01" }]);
  });

  it("reads back to the same schedule and stages when saved unchanged", () => {
    const f = formFromDraft(draft);
    expect(readSchedule(f.schedule)).toEqual({ schedule: [{ due_on: "2026-03-20", amount: "268000.10" }] });
    expect(readStages(f.stages)).toEqual({ stages: [{ name: "Испытания", starts_on: null, ends_on: "2026-05-01" }] });
    expect(parseAmount(f.calculator.items?.["3.1"]?.cost ?? "")).toBe("1250000.50");
  });

  it("offers one empty payment row when the draft has no schedule", () => {
    expect(formFromDraft({ ...draft, payment_schedule: [] }).schedule).toEqual([{ due_on: "", amount: "" }]);
  });
});

describe("workflow labels", () => {
  it("offers only the transitions the core allows by hand", () => {
    expect(manualTransitions("new")).toEqual(["under_review", "refused_by_applicant"]);
    expect(manualTransitions("under_review")).toEqual(["rework", "approved", "refused_by_applicant"]);
    expect(manualTransitions("approved")).toEqual(["refused_by_applicant"]);
    expect(manualTransitions("completed")).toEqual([]);
    expect(canRefuse("in_progress")).toBe(true);
    expect(canRefuse("refused_by_centre")).toBe(false);
  });

  it("words a deadline", () => {
    const d = { indicative_on: "2026-03-02", normative_on: "2026-03-04" };
    expect(deadlineText({ deadline: { ...d, state: "overdue" } })).toBe("Просрочено: срок был 04.03.2026");
    expect(deadlineText({ deadline: { ...d, state: "soon" } })).toBe("Скоро срок: до 04.03.2026");
  });

  it("reads planned stages, skipping blank rows and explaining a wrong one", () => {
    expect(
      readStages([
        { name: " Испытания ", starts_on: "2026-03-02", ends_on: "2026-04-30" },
        { name: "", starts_on: "", ends_on: "" },
        { name: "Сертификат", starts_on: "", ends_on: "2026-06-30" },
      ]),
    ).toEqual({
      stages: [
        { name: "Испытания", starts_on: "2026-03-02", ends_on: "2026-04-30" },
        { name: "Сертификат", starts_on: null, ends_on: "2026-06-30" },
      ],
    });
    expect(readStages([{ name: "Испытания", starts_on: "", ends_on: "" }])).toEqual({
      error: "Этап «Испытания»: укажите дату окончания",
    });
    expect(readStages([{ name: "Испытания", starts_on: "2026-05-01", ends_on: "2026-04-30" }])).toEqual({
      error: "Этап «Испытания»: дата начала позже даты окончания",
    });
    expect(readStages([{ name: "", starts_on: "", ends_on: "2026-04-30" }])).toEqual({ error: "Этап 1: укажите наименование" });
  });
});
