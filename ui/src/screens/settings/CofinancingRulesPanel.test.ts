import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import Toast from "../../lib/Toast.svelte";
import CofinancingRulesPanel from "./CofinancingRulesPanel.svelte";

const DEFAULTS = {
  cap_period: "financial_year",
  cap_scope: "item_code",
  low_budget_warning_share: "0.10",
  refusal_window_years: 3,
  refusal_min_services: 3,
  state_fees_count_toward_cap: true,
  carry_over_month: 4,
  carry_over_day: 1,
};

async function input(name: string): Promise<HTMLInputElement> {
  return vi.waitFor(() => {
    const found = document.querySelector<HTMLInputElement>(`[data-testid='cofinancing-rules'] [name="${name}"]`);
    if (!found?.value) throw new Error(`${name} not loaded`);
    return found;
  });
}

async function type(name: string, value: string): Promise<void> {
  const el = await input(name);
  el.value = value;
  await fireEvent.input(el);
}

describe("CofinancingRulesPanel", () => {
  it("shows the stored readings and saves the carry-over day and the warning percent", async () => {
    const ipc = routeInvoke({
      cofinancing_settings: () => ({ ...DEFAULTS }),
      cofinancing_settings_save: ({ settings }) => settings,
    });
    render(Toast);
    render(CofinancingRulesPanel);
    expect((await input("carry_over")).value).toBe("01.04");
    expect((await input("low_budget_warning_share")).value).toBe("10");
    await type("carry_over", "1.7");
    await type("low_budget_warning_share", "12,5");
    const scope = document.querySelector<HTMLSelectElement>("[name='cap_scope']")!;
    expect(scope.value).toBe("item_code");
    scope.value = "support_kind";
    await fireEvent.change(scope);
    await fireEvent.click(screen.getByTestId("cofinancing-rules-save"));
    expect((await screen.findByTestId("toast")).textContent).toContain("Правила софинансирования сохранены");
    expect(ipc.calls("cofinancing_settings_save")[0]?.settings).toMatchObject({
      carry_over_month: 7,
      carry_over_day: 1,
      low_budget_warning_share: "0.125",
      cap_scope: "support_kind",
      refusal_window_years: 3,
    });
  });

  it("puts the core's refusal under its field and saves nothing unreadable", async () => {
    const ipc = routeInvoke({
      cofinancing_settings: () => ({ ...DEFAULTS }),
      cofinancing_settings_save: () => {
        throw { code: "validation", field: "carry_over", message: "Срок расходования средств сметы в следующем году: укажите день и месяц" };
      },
    });
    render(CofinancingRulesPanel);
    await type("low_budget_warning_share", "много");
    await fireEvent.click(screen.getByTestId("cofinancing-rules-save"));
    expect((await screen.findByTestId("error-low_budget_warning_share")).textContent).toContain("процент");
    expect(ipc.calls("cofinancing_settings_save")).toHaveLength(0);
    await type("low_budget_warning_share", "10");
    await type("carry_over", "30.02");
    await fireEvent.click(screen.getByTestId("cofinancing-rules-save"));
    expect((await screen.findByTestId("error-carry_over")).textContent).toContain("день и месяц");
    expect((await input("carry_over")).value).toBe("30.02");
  });
});
