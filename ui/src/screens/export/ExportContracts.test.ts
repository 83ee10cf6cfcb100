import { fireEvent, render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ExportContract } from "../../lib/bindings/ExportContract";
import { routeInvoke } from "../../testing/ipc";
import ExportContracts from "./ExportContracts.svelte";

function contract(id: number, usd: string, cancelled: ExportContract["cancelled"]): ExportContract {
  return {
    id,
    sme_id: 1,
    sme_name: "ООО «Ромашка»",
    sme_inn: "7707083893",
    kind: "contract",
    agreement_id: null,
    agreement_number: null,
    item_code: null,
    subject: `Мёд, партия ${id}`,
    number: "",
    contract_date: "2025-03-18",
    country_code: "156",
    country_name: "Китай",
    buyer_id: null,
    counterparty_name: "Harbin Sweet",
    currency: "USD",
    amount: "1000",
    rate_currency: "90",
    rate_usd: "90",
    usd_thousand: usd,
    volumes: [],
    reported_on: "2025-03-20",
    due_on: null,
    late: false,
    notes: "",
    created_by: "Петрова",
    created_at: "2025-03-20T10:00:00",
    cancelled,
  };
}

describe("ExportContracts", () => {
  it("shows a cancelled contract struck out, leaves it out of the total, and cancels with a reason", async () => {
    let cancelledWith: unknown = null;
    const wrong = { at: "2025-03-21T09:00:00", by: "Петрова", reason: "внесён ошибочно" };
    const ipc = routeInvoke({
      export_contract_list: () => [contract(1, "1.000", null), contract(2, "5.000", wrong)],
      record_mark: () => 12,
      export_contract_get: ({ id }) => contract(id as number, "1.000", null),
      oksm_countries: () => [],
      oksm_currencies: () => [],
      export_support_options: () => [],
      buyer_list: () => [],
      export_contract_check: () => ({ problems: [], warnings: [], conversion: null, volumes: [], due_on: null, late: false }),
      export_contract_cancel: (args) => {
        cancelledWith = args;
        return contract(1, "1.000", { ...wrong, reason: "дубль" });
      },
    });
    render(ExportContracts);
    expect((await screen.findByTestId("ec-row-cancelled")).textContent).toContain("аннулирован: внесён ошибочно");
    expect(screen.getByTestId("ec-total").textContent).toContain("1,000");
    expect(screen.getAllByTestId("ec-row")[1]?.classList.contains("cancelled")).toBe(true);

    await fireEvent.click(screen.getAllByTestId("ec-row")[0]!);
    await fireEvent.click(await screen.findByTestId("ec-cancel"));
    await fireEvent.input(screen.getByTestId("ec-cancel-reason"), { target: { value: "дубль" } });
    await fireEvent.click(screen.getByTestId("ec-cancel-confirm"));
    await vi.waitFor(() => expect(cancelledWith).toEqual({ id: 1, reason: "дубль" }));
    expect(ipc.calls("export_contract_cancel")).toHaveLength(1);
  });
});
