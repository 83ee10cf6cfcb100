import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../testing/ipc";
import RecordHistory from "./RecordHistory.svelte";

describe("RecordHistory", () => {
  it("reads the record's journal only when opened, and shows each change before → after", async () => {
    const ipc = routeInvoke({
      journal_page: () => ({
        total: 2,
        total_exact: true,
        rows: [
          {
            id: 9, at: "2025-04-10T15:30:00", actor: "Иванов И. И.", entity: "sme", entity_label: "СМСП", entity_id: "7",
            record_name: "ООО «Ромашка-Экспорт»", action: "update", action_label: "изменение",
            changes: [{ field: "full_name", label: "Полное наименование", before: "ООО «Ромашка»", after: "ООО «Ромашка-Экспорт»" }],
          },
          {
            id: 3, at: "2025-03-03T10:00:00", actor: "Петрова А. С.", entity: "sme", entity_label: "СМСП", entity_id: "7",
            record_name: "ООО «Ромашка-Экспорт»", action: "create", action_label: "создание", changes: [],
          },
        ],
      }),
    });
    render(RecordHistory, { entity: "sme", id: 7 });
    expect(ipc.calls("journal_page")).toHaveLength(0);
    await fireEvent.click(screen.getByText("История изменений"));
    await waitFor(() => expect(screen.getAllByTestId("history-entry")).toHaveLength(2));
    expect(ipc.calls("journal_page")[0]).toMatchObject({ query: { entity: "sme", entity_id: "7" }, offset: 0 });
    const first = screen.getAllByTestId("history-entry")[0]!.textContent ?? "";
    expect(first).toContain("10.04.2025 15:30");
    expect(first).toContain("Полное наименование: ООО «Ромашка» → ООО «Ромашка-Экспорт»");
  });
});
