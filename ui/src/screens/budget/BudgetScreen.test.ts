import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { BudgetStatus } from "../../lib/bindings/BudgetStatus";
import { routeInvoke } from "../../testing/ipc";
import { CATALOG } from "../cofinancing/fixtures";
import BudgetScreen from "./BudgetScreen.svelte";

function status(year: number, amount: string | null): BudgetStatus {
  const lines = amount === null ? [] : [{ service_code: "4.2", budget: amount, committed: "0.00", spent: "0.00", remaining: amount }];
  return { year, lines, total: { service_code: null, budget: amount, committed: "0.00", spent: "0.00", remaining: amount } };
}

describe("BudgetScreen", () => {
  it("shows a row per catalog service and saves an amount as typed", async () => {
    let stored: string | null = null;
    const ipc = routeInvoke({
      budget_show: ({ year }) => status(year as number, stored),
      catalog_for_date: () => CATALOG,
      budget_set_line: ({ year, amount }) => {
        stored = String(amount).replace(/\s/g, "") + ".00";
        return status(year as number, stored);
      },
    });
    render(BudgetScreen);
    await waitFor(() => expect(screen.getByTestId("budget-amount-4.2").textContent).toBe("не задана"));
    expect(screen.getByTestId("budget-row-5.2")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("edit-4.2"));
    const input = screen.getByLabelText("Смета по услуге 4.2") as HTMLInputElement;
    input.value = "5 000 000";
    await fireEvent.input(input);
    await fireEvent.click(screen.getByTestId("budget-save"));
    await waitFor(() => expect(screen.getByTestId("budget-amount-4.2").textContent).toBe("5\u00a0000\u00a0000,00\u00a0₽"));
    expect(ipc.calls("budget_set_line")[0]).toMatchObject({ serviceCode: "4.2", amount: "5 000 000" });
    expect(screen.getByTestId("budget-total").textContent).toContain("5\u00a0000\u00a0000,00\u00a0₽");
  });

  it("shows the core's message next to the amount when it cannot be saved", async () => {
    routeInvoke({
      budget_show: ({ year }) => status(year as number, null),
      catalog_for_date: () => CATALOG,
      budget_set_line: () => {
        throw { code: "validation", message: "Сумма сметы: укажите сумму с точностью до копейки", field: "amount" };
      },
    });
    render(BudgetScreen);
    await fireEvent.click(await screen.findByTestId("edit-4.2"));
    await fireEvent.click(screen.getByTestId("budget-save"));
    expect((await screen.findByTestId("error-budget")).textContent).toContain("до копейки");
  });
});
