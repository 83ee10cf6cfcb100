import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { DemandAnalysis } from "../../lib/bindings/DemandAnalysis";
import { toast } from "../../lib/toast.svelte";
import { routeInvoke } from "../../testing/ipc";
import DemandEditor from "./DemandEditor.svelte";

const ANALYSIS: DemandAnalysis = {
  year: 2027,
  base_year: 2026,
  rows: [
    {
      item_code: "4.2",
      service_name: "Сертификация",
      applications: 5,
      services: 4,
      spent: "1600000",
      forecast_services: 5,
      forecast_amount: "2000000",
      comment: "",
      updated_by: "Иванов И. И.",
      updated_at: "2026-11-20T10:00:00",
    },
  ],
  total_applications: 5,
  total_services: 4,
  total_spent: "1600000",
  total_forecast_services: 5,
  total_forecast_amount: "2000000",
};

describe("DemandEditor", () => {
  it("carries the forecast into next year's budget in one action", async () => {
    const ipc = routeInvoke({ report_demand_to_budget: ({ year }) => ({ year, lines: [], total: null }) });
    render(DemandEditor, { analysis: ANALYSIS, onchange: () => {} });
    await fireEvent.click(screen.getByTestId("demand-to-budget"));
    await vi.waitFor(() => expect(ipc.calls("report_demand_to_budget")).toEqual([{ year: 2027 }]));
    await vi.waitFor(() => expect(toast.current?.text).toBe("Смета 2027 года: 1 строка из прогноза"));
  });

  it("has nothing to carry without a forecast", () => {
    routeInvoke({});
    const empty = { ...ANALYSIS, rows: [{ ...ANALYSIS.rows[0]!, forecast_amount: null, forecast_services: null }] };
    render(DemandEditor, { analysis: empty, onchange: () => {} });
    expect((screen.getByTestId("demand-to-budget") as HTMLButtonElement).disabled).toBe(true);
  });
});
