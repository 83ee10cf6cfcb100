// Participants' acts from the event: an act date before the event ends is refused with the day, the
// preview shows each act's amount and what stands in the way, only the ready ones are made, and the
// acts of the day are saved in one PDF.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import BulkActs from "./BulkActs.svelte";

const line = (id: number, name: string, problems: string[]) => ({
  agreement_id: id,
  agreement_number: `${id}/2099-С`,
  sme_name: name,
  inn: "7707083893",
  items: problems.length ? [] : [{ item_code: "5.4.b1", amount: "300000.00" }],
  amount: problems.length ? "0" : "300000.00",
  problems,
});

describe("BulkActs", () => {
  it("previews the acts, makes the ready ones together and saves them in one PDF", async () => {
    const ipc = routeInvoke({
      event_acts_preview: ({ date }) => {
        if ((date as string) < "2099-05-21")
          throw { code: "validation", field: "date", message: "Мероприятие проходит по 21.05.2099: акт об оказании услуги составляется не раньше этого дня" };
        return [line(7, "ООО «Ромашка»", []), line(8, "ООО «Колос»", ["Соглашение в статусе «Проект»: акт составляется по подписанному соглашению"])];
      },
      event_acts_make: ({ input }) =>
        (input as { agreement_ids: number[] }).agreement_ids.map((id) => ({ id: 1, agreement_id: id, agreement_number: `${id}/2099-С`, number: "1", amount: "300000.00" })),
      pick_save: () => "/tmp/Акты.pdf",
      acts_batch_save: () => 1,
    });
    render(BulkActs, { eventId: 3, endsOn: "2099-05-21", ondone: vi.fn() });
    const date = screen.getByTestId("acts-date") as HTMLInputElement;
    expect(date.value).toBe("21.05.2099");
    await fireEvent.input(date, { target: { value: "20.05.2099" } });
    await fireEvent.click(screen.getByTestId("acts-preview"));
    expect((await screen.findByTestId("acts-error")).textContent).toContain("21.05.2099");

    await fireEvent.input(date, { target: { value: "22.05.2099" } });
    await fireEvent.click(screen.getByTestId("acts-preview"));
    await waitFor(() => expect(screen.getAllByTestId("acts-line")).toHaveLength(2));
    const [ready, draft] = screen.getAllByTestId("acts-line");
    expect(ready?.textContent?.replace(/\s/g, " ")).toContain("300 000,00");
    expect(draft?.textContent).toContain("«Проект»");
    expect((draft?.querySelector("input") as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId("acts-make").textContent).toContain("Составить акты (1) от 22.05.2099");

    await fireEvent.click(screen.getByTestId("acts-make"));
    expect((await screen.findByTestId("acts-made")).textContent).toContain("№ 1 по соглашению № 7/2099-С");
    expect(ipc.calls("event_acts_make")[0]?.input).toEqual({ event_id: 3, date: "2099-05-22", agreement_ids: [7] });

    await fireEvent.click(screen.getByTestId("acts-pdf"));
    await waitFor(() => expect(ipc.calls("acts_batch_save")).toHaveLength(1));
    expect(ipc.calls("acts_batch_save")[0]).toMatchObject({ from: "2099-05-22", to: "2099-05-22", path: "/tmp/Акты.pdf" });
  });
});
