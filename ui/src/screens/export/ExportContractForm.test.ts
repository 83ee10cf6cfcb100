import { fireEvent, render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ExportContract } from "../../lib/bindings/ExportContract";
import type { ExportContractCheck } from "../../lib/bindings/ExportContractCheck";
import { routeInvoke } from "../../testing/ipc";
import ExportContractForm from "./ExportContractForm.svelte";

const CONTRACT: ExportContract = {
  id: 9,
  sme_id: 4,
  sme_name: "ООО «Амурский мёд»",
  sme_inn: "7707329152",
  kind: "contract",
  agreement_id: null,
  agreement_number: null,
  item_code: null,
  subject: "Мёд",
  number: "",
  contract_date: "2025-03-18",
  country_code: "156",
  country_name: "Китай",
  buyer_id: null,
  counterparty_name: "Harbin Sweet Trading",
  currency: "CNY",
  amount: "1000000",
  rate_currency: "11.8",
  rate_usd: "86.3",
  usd_thousand: "136.732",
  volumes: [{ year: 2025, amount: "1000000", usd_thousand: "136.732" }],
  reported_on: "2025-03-20",
  due_on: "2025-04-08",
  late: false,
  notes: "",
  created_by: "Петрова А. С.",
  created_at: "2025-03-20T10:00:00",
  cancelled: null,
};

const MISSING: ExportContractCheck = {
  problems: [{ code: "missing_rate", message: "Нет курса ЦБ CNY на 18.03.2025", field: "rate:CNY:2025-03-18" }],
  warnings: [],
  conversion: null,
  volumes: [],
  due_on: "2025-04-08",
  late: false,
};

describe("ExportContractForm", () => {
  it("asks for a missing rate, takes it inline and then shows the conversion", async () => {
    let rateEntered = false;
    const ipc = routeInvoke({
      oksm_currencies: () => [{ char_code: "CNY", num_code: "156", cbr_id: "R01375", name: "Китайский юань" }],
      oksm_countries: () => [{ code: "156", alpha2: "CN", alpha3: "CHN", name: "Китай" }],
      export_support_options: () => [],
      buyer_list: () => [],
      export_contract_check: () =>
        rateEntered
          ? {
              ...MISSING,
              problems: [],
              conversion: {
                currency: "CNY",
                date: "2025-03-18",
                amount: "1000000",
                rate_currency: "11.8",
                rate_usd: "86.3",
                usd_thousand: "136.732",
              },
              volumes: [{ year: 2025, amount: "1000000", usd_thousand: "136.732" }],
            }
          : MISSING,
      rates_set_manual: ({ input }) => {
        rateEntered = true;
        const i = input as { date: string; char_code: string; value: string };
        return { ...i, nominal: 1, unit_rate: "11.8", source: "manual", entered_by: "", entered_at: "2025-03-20T10:00:00" };
      },
    });
    render(ExportContractForm, { contract: CONTRACT, onsaved: () => {}, oncancel: () => {} });
    const question = await screen.findByTestId("ec-missing-rate");
    expect(question.textContent).toContain("Нет курса ЦБ CNY на 18.03.2025");
    const value = screen.getByTestId("manual-rate-value") as HTMLInputElement;
    value.value = "11,8";
    await fireEvent.input(value);
    await fireEvent.click(screen.getByTestId("manual-rate-save"));
    const conversion = await screen.findByTestId("ec-conversion");
    expect(conversion.textContent).toContain("136,732 тыс. долл. США");
    expect(screen.queryByTestId("ec-missing-rate")).toBeNull();
    expect(ipc.calls("rates_set_manual")[0]?.input).toMatchObject({ date: "2025-03-18", char_code: "CNY", value: "11,8" });
    // The save is refused while the question is open, so nothing half-converted is stored.
    expect(ipc.calls("export_contract_update")).toHaveLength(0);
  });
});
