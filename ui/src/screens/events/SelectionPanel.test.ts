// The competitive selection on an exhibition's card: announced with criteria parsed from lines,
// an application scored, the decision sent with its protocol number, and the protocol offered once
// decided.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Selection } from "../../lib/bindings/Selection";
import { routeInvoke } from "../../testing/ipc";
import SelectionPanel from "./SelectionPanel.svelte";

describe("SelectionPanel", () => {
  it("announces a selection, scores an application and decides it", async () => {
    let list: Selection[] = [];
    const base: Selection = {
      id: 5,
      event_id: 2,
      additional: false,
      announced_on: "2025-01-15",
      deadline: "2025-02-10",
      criteria: [
        { name: "Потенциал", max_score: 10 },
        { name: "Опыт", max_score: 5 },
      ],
      places: 1,
      event_title: "Продэкспо",
      exhibition: "Продэкспо-2025",
      protocol_number: null,
      decided_on: null,
      due_on: "2025-03-01",
      candidates: [{ id: 9, sme_id: 1, sme_name: "ООО «Ромашка»", inn: "7707083893", submitted_on: "2025-01-20", scores: [], total: 0, rank: null, winner: false }],
      staff: "Петрова А. С.",
    };
    const ipc = routeInvoke({
      selection_list: () => list,
      selection_add: ({ input }) => {
        list = [{ ...base, ...(input as object) } as Selection];
        return list[0];
      },
      selection_score: ({ scores }) => ({ ...base.candidates[0], scores, total: 12 }),
      selection_decide: () => {
        list = [{ ...base, protocol_number: "3", decided_on: "2025-02-20", candidates: [{ ...base.candidates[0]!, scores: [8, 4], total: 12, rank: 1, winner: true }] }];
        return list[0];
      },
    });
    render(SelectionPanel, { eventId: 2 });
    await fireEvent.click(await screen.findByTestId("selection-new"));
    await fireEvent.input(document.querySelector("[name='criteria']") as HTMLTextAreaElement, { target: { value: "Потенциал; 10\nбез балла" } });
    await fireEvent.click(screen.getByTestId("selection-save"));
    expect((await screen.findByTestId("selection-error")).textContent).toContain("наибольший балл");
    await fireEvent.input(document.querySelector("[name='criteria']") as HTMLTextAreaElement, { target: { value: "Потенциал; 10\nОпыт: 5" } });
    await fireEvent.click(screen.getByTestId("selection-save"));
    await waitFor(() => expect(ipc.calls("selection_add")).toHaveLength(1));
    expect(ipc.calls("selection_add")[0]?.input).toMatchObject({ event_id: 2, criteria: [{ name: "Потенциал", max_score: 10 }, { name: "Опыт", max_score: 5 }] });
    await fireEvent.input(await screen.findByTestId("score-9-0"), { target: { value: "8" } });
    await fireEvent.input(screen.getByTestId("score-9-1"), { target: { value: "4" } });
    await fireEvent.click(screen.getByTestId("score-save-9"));
    await waitFor(() => expect(ipc.calls("selection_score")[0]).toMatchObject({ applicationId: 9, scores: [8, 4] }));
    await fireEvent.input(screen.getByTestId("selection-protocol-number"), { target: { value: "3" } });
    await waitFor(() => expect(screen.getByTestId("selection-decide").hasAttribute("disabled")).toBe(false));
    await fireEvent.click(screen.getByTestId("selection-decide"));
    expect((await screen.findByTestId("selection-protocol")).textContent).toContain("Протокол № 3 от 20.02.2025");
    expect(screen.getByTestId("candidate-row").textContent).toContain("победитель");
    expect(screen.getByTestId("save-pdf")).toBeTruthy();
  });
});
