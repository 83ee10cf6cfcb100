// The quarterly monitoring on «Отчёты» and its reminder on «Главная»: the quarter's and the
// year-to-date figures against the plan, the due day, and saving the file under the quarter's name.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { QuarterlyReport } from "../../lib/bindings/QuarterlyReport";
import { routeInvoke } from "../../testing/ipc";
import HomeScreen from "../home/HomeScreen.svelte";
import ReportsScreen from "./ReportsScreen.svelte";

const row = {
  service_code: "4.2",
  service_name: "Сертификация",
  quarter_services: 2,
  quarter_smes: 2,
  quarter_centre_share: "800000.00",
  ytd_services: 3,
  ytd_smes: 3,
  ytd_centre_share: "1200000.00",
};
const QUARTER: QuarterlyReport = {
  year: 2025,
  quarter: 2,
  from: "2025-04-01",
  to: "2025-06-30",
  due_on: "2025-07-08",
  kpis: { smes_supported: 3, smes_with_contracts: 1, export_volume_usd_thousand: "130.5" },
  quarter_kpis: { smes_supported: 2, smes_with_contracts: 1, export_volume_usd_thousand: "100.5" },
  targets: { year: 2025, smes_supported: 6, smes_with_contracts: null, export_volume_usd_thousand: null },
  rows: [row],
  total: { ...row, service_code: "", service_name: "" },
};

describe("Quarterly monitoring", () => {
  it("previews the quarter against the year's plan and saves it under the quarter's name", async () => {
    const ipc = routeInvoke({
      report_yearly: () => Promise.reject({ code: "storage", message: "not in this test" }),
      report_quarterly: ({ year, quarter }) => ({ ...QUARTER, year: year as number, quarter: quarter as number }),
      report_file_name: () => "Мониторинг КПЭ II квартал 2025.pdf",
      pick_save: () => "/tmp/Мониторинг.pdf",
      report_save: () => null,
    });
    render(ReportsScreen);
    await fireEvent.click(screen.getByTestId("report-kind-quarterly"));
    (screen.getByTestId("quarter-year") as HTMLInputElement).value = "2025";
    await fireEvent.input(screen.getByTestId("quarter-year"));
    const quarter = screen.getByTestId("quarter") as HTMLSelectElement;
    quarter.value = "2";
    await fireEvent.change(quarter);
    await waitFor(() => expect(screen.getByTestId("quarterly-period").textContent).toContain("II квартал 2025 г."));
    expect(screen.getByTestId("quarterly-period").textContent).toContain("08.07.2025");
    const kpis = screen.getByTestId("quarterly-kpis").textContent ?? "";
    expect(kpis).toContain("100,5");
    expect(kpis).toContain("130,5");
    expect(kpis).toContain("50 %"); // 3 of the planned 6
    expect(screen.getByTestId("quarterly-row-4.2").textContent).toContain("1\u00a0200\u00a0000,00");
    expect(ipc.calls("report_quarterly").at(-1)).toEqual({ year: 2025, quarter: 2 });
    await fireEvent.click(screen.getByTestId("save-pdf"));
    await waitFor(() => expect(ipc.calls("report_save")).toHaveLength(1));
    expect(ipc.calls("report_save")[0]).toMatchObject({ request: { report: "quarterly", year: 2025, quarter: 2 }, format: "pdf" });
  });

  it("reminds on the home screen until the due day", async () => {
    routeInvoke({
      report_dashboard: () => ({
        year: 2025,
        today: "2025-07-02",
        kpis: QUARTER.kpis,
        trend: [],
        budget: [],
        budget_total: null,
        spent_total: "0.00",
        committed_total: "0.00",
        quarter_due: { year: 2025, quarter: 2, due_on: "2025-07-08" },
      }),
      application_alerts: () => [],
      payment_overdue: () => [],
      export_reminders: () => [],
    });
    render(HomeScreen, { onopenapplication: () => {} });
    const note = await screen.findByTestId("quarter-reminder");
    expect(note.textContent).toContain("Мониторинг КПЭ за II квартал 2025 г.");
    expect(note.textContent).toContain("срок 08.07.2025");
  });
});
