import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { EMPTY_QUANTITY as NO_QUANTITY } from "../../lib/itemQuantity";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import type { Agreement } from "../../lib/bindings/Agreement";
import type { Contractor } from "../../lib/bindings/Contractor";
import ActsPanel from "./ActsPanel.svelte";
import AmendmentsPanel from "./AmendmentsPanel.svelte";
import ItemContractorPicker from "./ItemContractorPicker.svelte";

function agreement(over: Partial<Agreement> = {}): Agreement {
  return {
    id: 3,
    number: "1/2026-С",
    date: "2026-03-02",
    sme_id: 1,
    sme_name: "ООО «Амурская рыба»",
    sme_inn: "7707329152",
    application_id: 4,
    catalog_version_id: 1,
    service_code: "4.2",
    participants: null,
    declaration_signed: true,
    status: "signed",
    signed_on: "2026-03-03",
    completed_on: null,
    terminated_on: null,
    termination_reason: "",
    items: [
      {
        item_code: "4.2",
        name: "Сертификация",
        cost: "1000000",
        sme_share: "200000",
        state_fees: "0",
        centre_share: "800000",
        total: "1000000",
        acted: "0",
        contractor_id: 5,
        contractor_name: "ООО «Сертификация Восток»",
        contract_id: 9,
        quantity: NO_QUANTITY,
        contract_number: "17-С",
      },
    ],
    payment_schedule: [{ due_on: "2026-03-20", amount: "200000" }],
    stages: [],
    amendments: [],
    cost: "1000000",
    sme_share: "200000",
    centre_share: "800000",
    total: "1000000",
    paid: "0",
    ...over,
  };
}

async function typeInto(label: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe("AmendmentsPanel", () => {
  it("shows the engine's refusal and saves nothing, then lists an accepted one with before and after", async () => {
    const amended = agreement({
      amendments: [
        {
          id: 1,
          number: "1",
          date: "2026-04-01",
          before: {
            items: [{ item_code: "4.2", cost: "1000000", sme_share: "200000", state_fees: "0", contractor_id: 5, contract_id: 9, quantity: NO_QUANTITY }],
            payment_schedule: [{ due_on: "2026-03-20", amount: "200000" }],
          },
          after: {
            items: [{ item_code: "4.2", cost: "1200000", sme_share: "240000", state_fees: "0", contractor_id: 5, contract_id: 9, quantity: NO_QUANTITY }],
            payment_schedule: [{ due_on: "2026-04-20", amount: "240000" }],
          },
        },
      ],
    });
    const ipc = routeInvoke({
      agreement_amend: ({ input }) => {
        const i = input as { items: { sme_share: string }[] };
        if (i.items[0]?.sme_share === "100000")
          throw { code: "rule", message: "Дополнительное соглашение № 1: доля СМСП меньше 20 %", field: null };
        return amended;
      },
    });
    const onchange = vi.fn();
    render(AmendmentsPanel, { agreement: agreement(), onchange });
    await fireEvent.click(screen.getByTestId("amend-new"));
    // The current terms are offered as staff write amounts.
    expect((screen.getByLabelText("Новая стоимость позиции 4.2") as HTMLInputElement).value).toBe("1\u00a0000\u00a0000,00");
    await typeInto("Новая доля СМСП позиции 4.2", "100 000");
    await fireEvent.click(screen.getByTestId("amend-save"));
    expect((await screen.findByTestId("amend-error")).textContent).toContain("меньше 20 %");
    expect(onchange).not.toHaveBeenCalled();

    await typeInto("Новая стоимость позиции 4.2", "1 200 000");
    await typeInto("Новая доля СМСП позиции 4.2", "240 000");
    await fireEvent.input(document.querySelector("[name='amend-pay-amount-0']")!, { target: { value: "240 000" } });
    await fireEvent.click(screen.getByTestId("amend-save"));
    await waitFor(() => expect(onchange).toHaveBeenCalledWith(amended));
    expect(ipc.calls("agreement_amend")[1]).toEqual({
      id: 3,
      input: {
        number: "1",
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        items: [{ item_code: "4.2", cost: "1200000", sme_share: "240000", state_fees: "0.00", contractor_id: 5, contract_id: 9, quantity: NO_QUANTITY }],
        payment_schedule: [{ due_on: "2026-03-20", amount: "240000" }],
      },
    });
  });

  it("lists a supplementary agreement with its terms before and after", () => {
    render(AmendmentsPanel, {
      agreement: agreement({
        amendments: [
          {
            id: 1,
            number: "1",
            date: "2026-04-01",
            before: { items: [{ item_code: "4.2", cost: "1000000", sme_share: "200000", state_fees: "0", contractor_id: null, contract_id: null, quantity: NO_QUANTITY }], payment_schedule: [] },
            after: { items: [{ item_code: "4.2", cost: "1200000", sme_share: "240000", state_fees: "0", contractor_id: null, contract_id: null, quantity: NO_QUANTITY }], payment_schedule: [] },
          },
        ],
      }),
      onchange: vi.fn(),
    });
    const row = screen.getByTestId("amendment").textContent ?? "";
    expect(row).toContain("№ 1 от 01.04.2026");
    expect(row).toContain("1\u00a0000\u00a0000,00\u00a0₽ → 1\u00a0200\u00a0000,00\u00a0₽");
    expect(row).toContain("200\u00a0000,00\u00a0₽ → 240\u00a0000,00\u00a0₽");
  });
});

describe("ActsPanel with stages", () => {
  it("offers the next stage no act closes and sends it with the act", async () => {
    const a = agreement({
      stages: [
        { id: 11, position: 1, name: "Испытания", starts_on: null, ends_on: "2026-04-30" },
        { id: 12, position: 2, name: "Сертификат", starts_on: null, ends_on: "2026-06-30" },
      ],
    });
    const ipc = routeInvoke({
      act_list: () => [
        { id: 1, agreement_id: 3, agreement_number: "1/2026-С", stage_id: 11, number: "1", date: "2026-04-30", signed_on: null, items: [{ item_code: "4.2", name: "Сертификация", amount: "400000" }], amount: "400000" },
      ],
      act_add: ({ input }) => ({ id: 2, agreement_id: 3, agreement_number: "1/2026-С", stage_id: (input as { stage_id: number }).stage_id, number: "2", date: "2026-06-30", signed_on: null, items: [], amount: "0" }),
    });
    render(ActsPanel, { agreement: a, onchange: vi.fn() });
    await waitFor(() => expect(screen.getByTestId("act-stage").textContent).toBe("этап 1. Испытания"));
    await fireEvent.click(screen.getByTestId("act-new"));
    expect((screen.getByTestId("act-stage-select") as HTMLSelectElement).value).toBe("12");
    await fireEvent.click(screen.getByTestId("act-save"));
    await waitFor(() => expect(ipc.calls("act_add")).toHaveLength(1));
    expect(ipc.calls("act_add")[0]).toMatchObject({ input: { stage_id: 12, items: [{ item_code: "4.2", amount: "600000" }] } });
  });
});

describe("ItemContractorPicker", () => {
  it("lists the chosen contractor's contracts and adds one inline", async () => {
    const contractors: Contractor[] = [
      { id: 5, kind: "organisation", name: "ООО «Сертификация Восток»", inn: "7736050003", accredited_rec: true, contact_person: "", phone: "", email: "", group_declaration_on: null, notes: "" },
    ];
    let list = [{ id: 9, contractor_id: 5, number: "17-С", date: "2026-02-01", amount: "900000" }];
    const ipc = routeInvoke({
      contractor_contracts: () => list,
      contractor_add_contract: ({ input }) => {
        const c = { id: 10, ...(input as { contractor_id: number; number: string; date: string; amount: string }) };
        list = [...list, c];
        return c;
      },
    });
    const value = { contractor_id: null, contract_id: null, quantity: NO_QUANTITY };
    const { component } = render(ItemContractorPicker, { code: "4.2", contractors, value });
    void component;
    await fireEvent.change(screen.getByTestId("agr-contractor-4.2"), { target: { value: "5" } });
    const contract = (await screen.findByTestId("agr-contract-4.2")) as HTMLSelectElement;
    await waitFor(() => expect(contract.textContent).toContain("№ 17-С от 01.02.2026 на 900\u00a0000,00\u00a0₽"));
    await fireEvent.click(screen.getByTestId("agr-contract-new-4.2"));
    await fireEvent.input(document.querySelector("[name='new_contract_number_4.2']")!, { target: { value: "18-С" } });
    await fireEvent.input(document.querySelector("[name='new_contract_amount_4.2']")!, { target: { value: "1 000 000" } });
    await fireEvent.click(screen.getByTestId("agr-contract-add-4.2"));
    await waitFor(() => expect(ipc.calls("contractor_add_contract")).toHaveLength(1));
    expect(ipc.calls("contractor_add_contract")[0]).toMatchObject({ input: { contractor_id: 5, number: "18-С", amount: "1000000" } });
    await waitFor(() => expect((screen.getByTestId("agr-contract-4.2") as HTMLSelectElement).value).toBe("10"));
  });
});
