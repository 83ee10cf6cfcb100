import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import JournalScreen from "./JournalScreen.svelte";

const ENTRY = {
  id: 41,
  at: "2025-04-10T15:30:00",
  actor: "Иванов И. И.",
  entity: "agreement",
  entity_label: "Соглашение",
  entity_id: "12",
  record_name: "Соглашение № 12/2025-С",
  action: "update",
  action_label: "изменение",
  changes: [
    { field: "status", label: "Статус", before: "проект", after: "подписано" },
    { field: "signed_on", label: "Дата подписания", before: "—", after: "2025-04-10" },
  ],
};

describe("JournalScreen", () => {
  it("shows who changed which record, filters and searches through the core, shows the fields of a chosen entry", async () => {
    const ipc = routeInvoke({
      journal_filters: () => ({ actors: ["Иванов И. И.", "Петрова А. С."], kinds: [{ entity: "agreement", label: "Соглашение" }] }),
      journal_page: (args) => {
        const q = (args as { query: Record<string, string> }).query;
        const match = !q.actor || q.actor === ENTRY.actor;
        return { total: match ? 1 : 0, total_exact: true, rows: match ? [ENTRY] : [] };
      },
    });
    render(JournalScreen);
    const row = await screen.findByTestId("journal-row");
    expect(row.textContent).toContain("10.04.2025 15:30");
    expect(row.textContent).toContain("Соглашение № 12/2025-С");
    expect(row.textContent).toContain("Статус: проект → подписано; ещё 1");
    expect(screen.getByTestId("journal-total").textContent).toContain("Всего записей: 1");

    await fireEvent.click(row);
    const details = screen.getByTestId("journal-details");
    expect(screen.getAllByTestId("journal-change")).toHaveLength(2);
    expect(details.textContent).toContain("Дата подписания");

    const actor = screen.getByTestId("journal-actor") as HTMLSelectElement;
    await waitFor(() => expect(actor.options.length).toBe(3));
    actor.value = "Петрова А. С.";
    await fireEvent.change(actor);
    await waitFor(() => expect(screen.getByTestId("journal-total").textContent).toContain("Найдено: 0"));
    expect(screen.queryByTestId("journal-details")).toBeNull();
    expect(ipc.calls("journal_page").at(-1)).toMatchObject({ query: { actor: "Петрова А. С." }, offset: 0 });

    const search = screen.getByTestId("journal-search") as HTMLInputElement;
    search.value = "ромашка";
    await fireEvent.input(search);
    await waitFor(() =>
      expect(ipc.calls("journal_page").at(-1)).toMatchObject({ query: { actor: "Петрова А. С.", search: "ромашка" } }),
    );
  });

  it("exports the filtered journal to the file chosen in the save dialog", async () => {
    const ipc = routeInvoke({
      journal_filters: () => ({ actors: [], kinds: [] }),
      journal_page: () => ({ total: 1, total_exact: true, rows: [ENTRY] }),
      pick_save: () => "/home/user/Журнал.xlsx",
      journal_export: () => 1,
    });
    render(JournalScreen);
    await screen.findByTestId("journal-row");
    await fireEvent.click(screen.getByTestId("journal-export"));
    await waitFor(() => expect(ipc.calls("journal_export")).toHaveLength(1));
    expect(ipc.calls("journal_export")[0]).toEqual({ query: {}, path: "/home/user/Журнал.xlsx" });
  });
});
