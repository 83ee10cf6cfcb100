import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { EMPTY_QUANTITY } from "../../lib/itemQuantity";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { CalculatorRequest } from "../../lib/bindings/CalculatorRequest";
import { routeInvoke } from "../../testing/ipc";
import { toRequest, itemsFor } from "./calculatorDraft";
import CofinancingCalculator from "./CofinancingCalculator.svelte";
import { CATALOG, calculation42 } from "./fixtures";

const SME = { id: 7, full_name: "ООО «Амурская рыба»", inn: "7707329152" };

/** The core double: answers 4.2 by the typed share ("199 999,99" is a kopeck below the minimum). */
function core() {
  return routeInvoke({
    catalog_for_date: () => CATALOG,
    cofinancing_calculate: ({ request }) => {
      const share = (request as CalculatorRequest).items[0]?.sme_share.replace(/\s/g, "").replace(",", ".") ?? "0";
      return calculation42(share);
    },
  });
}

function start(share: string) {
  return {
    sme: SME,
    service_code: "4.2",
    date: "2025-03-15",
    items: { "4.2": { included: true, cost: "1 000 000", sme_share: share, state_fees: "" } },
    declaration_signed: true,
  };
}

describe("CofinancingCalculator", () => {
  it("shows the violation next to its item with the minimum in roubles and blocks the action until fixed", async () => {
    const ipc = core();
    const onsubmit = vi.fn();
    render(CofinancingCalculator, { initial: start("199 999,99"), submitLabel: "Сохранить соглашение", onsubmit });
    const violation = await screen.findByTestId("violation-4.2");
    expect(violation.textContent).toContain("200 000,00 ₽");
    const button = screen.getByTestId("calc-submit") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId("calc-block-reason").textContent).toContain("Подписывать нельзя");
    expect(screen.getByTestId("min-4.2").textContent).toContain("200\u00a0000,00\u00a0₽");

    // The amounts go to the core exactly as typed: the core parses them, never a JS number.
    const sent = ipc.calls("cofinancing_calculate").at(-1)?.request as CalculatorRequest;
    expect(sent.items[0]).toEqual({ item_code: "4.2", cost: "1 000 000", sme_share: "199 999,99", state_fees: "", quantity: EMPTY_QUANTITY });
    expect(sent.sme_id).toBe(7);

    const share = screen.getByLabelText("Доля СМСП, ₽") as HTMLInputElement;
    share.value = "200 000";
    await fireEvent.input(share);
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(screen.queryByTestId("violation-4.2")).toBeNull();
    expect(screen.getByTestId("total-centre-share").textContent).toBe("800\u00a0000,00\u00a0₽");
    await fireEvent.click(button);
    expect(onsubmit).toHaveBeenCalledOnce();
    expect((onsubmit.mock.calls[0]?.[0] as CalculatorRequest).items[0]?.sme_share).toBe("200 000");
  });

  it("keeps the action disabled, saying why, when there is nothing to do with a signable calculation", async () => {
    core();
    render(CofinancingCalculator, { initial: start("200 000"), unavailableReason: "Соглашения ещё не ведутся" });
    await waitFor(() => expect(screen.getByTestId("calc-block-reason").textContent).toContain("Соглашения ещё не ведутся"));
    expect((screen.getByTestId("calc-submit") as HTMLButtonElement).disabled).toBe(true);
  });

  it("substitutes the minimum share on request", async () => {
    core();
    render(CofinancingCalculator, { initial: start("1"), onsubmit: () => {} });
    await screen.findByTestId("min-4.2");
    await fireEvent.click(screen.getByText("подставить"));
    expect((screen.getByLabelText("Доля СМСП, ₽") as HTMLInputElement).value).toBe("200\u00a0000,00");
  });
});

describe("calculator draft", () => {
  it("sends the mandatory items and only the chosen additional ones, in catalog order", () => {
    const service = CATALOG.services[1];
    if (!service) throw new Error("no 5.2");
    const items = itemsFor(service);
    expect(items["5.2.b1"]?.included).toBe(true);
    expect(items["5.2.a1"]?.included).toBe(false);
    const draft = { sme: null, service_code: "5.2", date: "2025-03-15", items, participants: "x", declaration_signed: false };
    expect(toRequest(draft, service).items.map((i) => i.item_code)).toEqual(["5.2.b1"]);
    items["5.2.a1"]!.included = true;
    const req = toRequest({ ...draft, participants: " 12 " }, service);
    expect(req.items.map((i) => i.item_code)).toEqual(["5.2.b1", "5.2.a1"]);
    expect(req.participants).toBe(12);
    expect(toRequest(draft, service).participants).toBeNull();
  });
});
