import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { DemandAnalysis } from "../../lib/bindings/DemandAnalysis";
import type { YearlyReport } from "../../lib/bindings/YearlyReport";
import { routeInvoke } from "../../testing/ipc";
import ReportsScreen from "./ReportsScreen.svelte";
import HomeScreen from "../home/HomeScreen.svelte";

const kpis = { smes_supported: 2, smes_with_contracts: 1, export_volume_usd_thousand: "150.5" };
const month = (m: number) => ({
  month: m,
  acts: m === 4 ? 1 : 0,
  new_smes: m === 4 ? 1 : 0,
  cost: "0.00",
  centre_share: "0.00",
  contracts: 0,
  export_volume_usd_thousand: "0",
  kpis,
});
const item = {
  service_code: "4.2",
  service_name: "Сертификация",
  services: 2,
  smes: 2,
  participants: null,
  cost: "1000000.00",
  centre_share: "800000.00",
  cofinancing_paid: "100000.00",
  budget: "5000000.00",
  spent: "800000.00",
  committed: "0.00",
};
const REPORT: YearlyReport = {
  year: 2025,
  targets: { year: 2025, smes_supported: 4, smes_with_contracts: null, export_volume_usd_thousand: null },
  kpis,
  items: [item],
  total: { ...item, service_code: "", service_name: "" },
  budget_total: "5000000.00",
  budget_paid_until: "2026-03-31",
  months: Array.from({ length: 12 }, (_, i) => month(i + 1)),
  categories: [],
  kinds: [],
  businesses: [],
};

describe("ReportsScreen", () => {
  it("previews the yearly KPIs, lists the records behind a cell and saves where the save dialog points", async () => {
    const ipc = routeInvoke({
      report_yearly: ({ year }) => ({ ...REPORT, year: year as number }),
      report_trace: ({ figure }) => ({
        title: "Акты по услуге 4.2, 2025",
        records: [
          {
            kind: "act",
            id: 7,
            sme_id: 1,
            sme_name: "ООО «Альфа»",
            inn: "7707083893",
            number: "1 к соглашению 1/2025-С",
            date: "2025-04-10",
            amount: "500 000,00 ₽",
            note: JSON.stringify(figure),
          },
        ],
      }),
      report_save: () => null,
      report_file_name: () => "Годовой отчёт 2025.xlsx",
      pick_save: () => "/tmp/Отчёт.xlsx",
      report_targets_save: ({ targets }) => targets,
    });
    render(ReportsScreen);
    await waitFor(() => expect(screen.getByTestId("preview-kpi-3").textContent).toBe("150,5"));
    expect(screen.getByTestId("preview-kpi-1").textContent).toBe("2");
    // The region's plan: 4 supported SMEs, 2 done — 50 %.
    expect(screen.getByTestId("preview-plan").textContent).toContain("план 4 · исполнено 50 %");
    const volume = document.querySelector("input[name='target_volume']") as HTMLInputElement;
    await fireEvent.input(volume, { target: { value: "120,5" } });
    await fireEvent.click(screen.getByTestId("kpi-targets-save"));
    await waitFor(() => expect(ipc.calls("report_targets_save")).toHaveLength(1));
    expect(ipc.calls("report_targets_save")[0]).toEqual({
      targets: { year: 2025, smes_supported: 4, smes_with_contracts: null, export_volume_usd_thousand: "120.5" },
    });
    await fireEvent.click(screen.getByTestId("cell-services-4.2"));
    await waitFor(() => expect(screen.getAllByTestId("trace-row")).toHaveLength(1));
    expect(ipc.calls("report_trace").at(-1)).toMatchObject({ figure: { figure: "item_services", code: "4.2" } });
    await fireEvent.click(screen.getByTestId("trace-close"));

    await fireEvent.click(screen.getByTestId("save-xlsx"));
    await waitFor(() => expect(ipc.calls("report_save")).toHaveLength(1));
    expect(ipc.calls("report_save")[0]).toMatchObject({ format: "xlsx", path: "/tmp/Отчёт.xlsx" });
    expect((ipc.calls("report_save")[0] as { request: unknown }).request).toMatchObject({ report: "yearly" });
    expect(ipc.calls("pick_save")[0]).toMatchObject({ defaultName: "Годовой отчёт 2025.xlsx", filters: [{ extensions: ["xlsx"] }] });
  });

  it("edits a forecast row and shows the core's message next to it", async () => {
    const analysis = (amount: string | null): DemandAnalysis => ({
      year: 2027,
      base_year: 2026,
      rows: [
        {
          item_code: "4.2",
          service_name: "Сертификация",
          applications: 3,
          services: 2,
          spent: "800000.00",
          forecast_services: amount === null ? null : 4,
          forecast_amount: amount,
          comment: "",
          updated_by: "",
          updated_at: "",
        },
      ],
      total_applications: 3,
      total_services: 2,
      total_spent: "800000.00",
      total_forecast_services: amount === null ? 0 : 4,
      total_forecast_amount: amount ?? "0.00",
    });
    let fail = true;
    const ipc = routeInvoke({
      report_yearly: () => REPORT,
      report_demand: () => analysis(null),
      report_forecast_save: () => {
        if (fail) {
          fail = false;
          throw { code: "validation", message: "Сумма «abc»: сумма не указана", field: "amount" };
        }
        return analysis("1600000.00");
      },
    });
    render(ReportsScreen);
    await fireEvent.click(screen.getByTestId("report-kind-demand"));
    await fireEvent.click(await screen.findByTestId("forecast-edit-4.2"));
    const services = screen.getByTestId("forecast-services") as HTMLInputElement;
    services.value = "4";
    await fireEvent.input(services);
    const amount = screen.getByTestId("forecast-amount") as HTMLInputElement;
    amount.value = "abc";
    await fireEvent.input(amount);
    await fireEvent.click(screen.getByTestId("forecast-save"));
    await waitFor(() => expect(screen.getByTestId("forecast-error").textContent).toContain("Сумма «abc»"));
    amount.value = "1 600 000";
    await fireEvent.input(amount);
    await fireEvent.click(screen.getByTestId("forecast-save"));
    await waitFor(() => expect(screen.getByTestId("demand-total").textContent).toBe("1\u00a0600\u00a0000,00"));
    expect(ipc.calls("report_forecast_save").at(-1)).toMatchObject({
      input: { year: 2027, item_code: "4.2", services: 4, amount: "1 600 000" },
    });
  });
});

describe("HomeScreen", () => {
  it("shows the KPIs with their trend and opens the records of one", async () => {
    const ipc = routeInvoke({
      report_dashboard: () => ({
        year: 2025,
        today: "2025-05-20",
        kpis,
        trend: [kpis, kpis, kpis, kpis, kpis],
        budget: [{ service_code: "4.2", service_name: "Сертификация", budget: "5000000.00", spent: "800000.00", committed: "0.00" }],
        budget_total: "5000000.00",
        budget_paid_until: "2026-03-31",
        spent_total: "800000.00",
        committed_total: "0.00",
      }),
      application_alerts: () => [],
      payment_overdue: () => [],
      export_reminders: () => [],
      report_trace: () => ({ title: "Поддержанные субъекты МСП, 2025", records: [] }),
    });
    render(HomeScreen, { onopenapplication: () => {} });
    await waitFor(() => expect(screen.getByTestId("kpi-value-export_volume_usd_thousand").textContent?.trim()).toBe("150,5"));
    expect(screen.getByTestId("kpi-value-smes_supported").textContent?.trim()).toBe("2");
    expect(screen.getByTestId("budget-chart-4.2")).toBeTruthy();
    expect(document.querySelectorAll("[data-testid='kpi-smes_supported'] circle")).toHaveLength(5);
    await fireEvent.click(screen.getByTestId("kpi-value-smes_supported"));
    await waitFor(() => expect(screen.getByTestId("trace-empty")).toBeTruthy());
    expect(ipc.calls("report_trace")[0]).toMatchObject({ year: 2025, figure: { figure: "smes_supported" } });
  });
});
