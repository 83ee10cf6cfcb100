import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import EligibilityPanel from "./EligibilityPanel.svelte";

const SNAPSHOT = {
  id: 3, state_date: "2023-05-10", regions: ["27"], source_files: ["a.zip: b.xml"], format_version: "4.04",
  records_seen: 10, records_imported: 5, records_skipped: 0, records_duplicate: 0, imported_at: "2025-03-01T09:00:00", imported_by: "Админ",
};
const OTHER = ["not_in_liquidation", "not_same_group", "not_financial_organisation", "not_production_sharing", "not_gambling", "not_currency_non_resident", "not_excise_or_minerals"];
const PREFILL = {
  sme_id: 5,
  source: { kind: "snapshot", snapshot_id: 3, state_date: "2023-05-10" },
  criteria: [
    { criterion: "in_sme_registry", outcome: "pass", reason: "В реестре МСП с 10.08.2016, категория «Микропредприятие» (выгрузка на 10.05.2023)" },
    { criterion: "in_centre_region", outcome: "pass", reason: "Зарегистрирован в регионе 27" },
    ...OTHER.map((criterion) => ({ criterion, outcome: "unknown", reason: "Проверяет сотрудник центра" })),
  ],
};

describe("EligibilityPanel", () => {
  it("shows the verdict, prefills criteria 1–2 from the snapshot, asks for a reason of a failed criterion, records the check", async () => {
    let recorded: Record<string, unknown> | null = null;
    const ipc = routeInvoke({
      eligibility_current: () =>
        recorded
          ? { verdict: "not_eligible", failed: ["not_gambling"], reasons: ["Не выполнено: игорный бизнес — казино"], check: null }
          : { verdict: "needs_recheck", failed: [], reasons: ["Проверка соответствия требованиям п. 4 регламента ещё не проводилась"], check: null },
      eligibility_history: () =>
        recorded
          ? [{ id: 1, sme_id: 5, checked_at: "2025-03-01T10:00:00", checked_by: "Петрова", source: PREFILL.source, criteria: PREFILL.criteria, outcome: "not_eligible" }]
          : [],
      eligibility_prefill: () => PREFILL,
      fns_snapshots: () => [SNAPSHOT],
      eligibility_record: ({ input }) => {
        recorded = input as Record<string, unknown>;
        return { id: 1 };
      },
    });
    render(EligibilityPanel, { smeId: 5 });
    const verdict = await screen.findByTestId("eligibility-verdict");
    expect(verdict.dataset.verdict).toBe("needs_recheck");
    expect(verdict.textContent).toContain("Нужна проверка");

    await fireEvent.click(screen.getByTestId("eligibility-check"));
    const registry = (await screen.findByTestId("reason-in_sme_registry")) as HTMLInputElement;
    expect(registry.value).toContain("выгрузка на 10.05.2023");
    expect((screen.getByTestId("outcome-in_centre_region") as HTMLSelectElement).value).toBe("pass");
    expect((screen.getByTestId("check-source") as HTMLSelectElement).value).toBe("3");
    expect(screen.getByTestId("criterion-not_excise_or_minerals").textContent).toContain("п. 4.3, пп. 8");

    const gambling = screen.getByTestId("outcome-not_gambling") as HTMLSelectElement;
    gambling.value = "fail";
    await fireEvent.change(gambling);
    const reason = screen.getByTestId("reason-not_gambling") as HTMLInputElement;
    reason.value = "";
    await fireEvent.input(reason);
    await fireEvent.click(screen.getByTestId("check-save"));
    expect((await screen.findByTestId("error-reason-not_gambling")).textContent).toContain("укажите причину");
    expect(ipc.calls("eligibility_record")).toHaveLength(0);

    reason.value = "казино";
    await fireEvent.input(reason);
    await fireEvent.click(screen.getByTestId("check-save"));
    await waitFor(() => expect(ipc.calls("eligibility_record")).toHaveLength(1));
    const sent = ipc.calls("eligibility_record")[0]?.input as typeof PREFILL;
    expect(sent.source).toEqual({ kind: "snapshot", snapshot_id: 3, state_date: "2023-05-10" });
    expect(sent.criteria.find((c) => c.criterion === "not_gambling")).toEqual({ criterion: "not_gambling", outcome: "fail", reason: "казино" });
    await waitFor(() => expect(screen.getByTestId("eligibility-verdict").dataset.verdict).toBe("not_eligible"));
    expect(screen.getAllByTestId("eligibility-history-item")).toHaveLength(1);
  });

  it("a manual check needs a comment saying where it was checked", async () => {
    const ipc = routeInvoke({
      eligibility_current: () => ({ verdict: "needs_recheck", failed: [], reasons: [], check: null }),
      eligibility_history: () => [],
      eligibility_prefill: () => ({ ...PREFILL, source: { kind: "manual", comment: "" } }),
      fns_snapshots: () => [],
      eligibility_record: () => ({ id: 2 }),
    });
    render(EligibilityPanel, { smeId: 5 });
    await fireEvent.click(await screen.findByTestId("eligibility-check"));
    await screen.findByTestId("check-comment");
    await fireEvent.click(screen.getByTestId("check-save"));
    expect((await screen.findByTestId("error-source")).textContent).toContain("где и как проверено");
    expect(ipc.calls("eligibility_record")).toHaveLength(0);
    const comment = screen.getByTestId("check-comment") as HTMLInputElement;
    comment.value = "сайт ФНС, 01.03.2025";
    await fireEvent.input(comment);
    await fireEvent.click(screen.getByTestId("check-save"));
    await waitFor(() => expect(ipc.calls("eligibility_record")).toHaveLength(1));
    expect((ipc.calls("eligibility_record")[0]?.input as typeof PREFILL).source).toEqual({ kind: "manual", comment: "сайт ФНС, 01.03.2025" });
  });
});
