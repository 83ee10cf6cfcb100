// The contractor's form opened from the list reads the record's journal mark before the record, and
// a save refused for a colleague's change keeps what was typed until the user says how to go on.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { invoke } from "@tauri-apps/api/core";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import ContractorsScreen from "./ContractorsScreen.svelte";

const CONTRACTOR = {
  id: 3,
  kind: "organisation",
  name: "ООО «Сертификат-Эксперт»",
  inn: "7707083893",
  accredited_rec: true,
  contact_person: "Иванов И. И.",
  phone: "+7 900 000-00-00",
  email: "",
  group_declaration_on: null,
  notes: "",
};
const CONFLICT = {
  code: "conflict",
  message:
    "Пока форма была открыта, эту запись изменил(а) Петров П. П. — 2026-12-04 10:05:00 (изменено: Телефон). Ваши изменения пока не сохранены: сохраните их поверх или загрузите запись заново",
};

function phone(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('[name="contractor_phone"]');
  if (!input) throw new Error("no phone field");
  return input;
}

describe("ContractorsScreen", () => {
  it("saves with the mark read before the record; on a colleague's change asks, and reloads on request", async () => {
    let mark = 41;
    let stored = CONTRACTOR;
    const ipc = routeInvoke({
      contractor_list: () => [stored],
      record_mark: () => mark,
      contractor_get: () => stored,
      contractor_contracts: () => [],
      contractor_validate: () => [],
      contractor_update: ({ seen, input }) => {
        if (seen !== mark) throw CONFLICT;
        return { ...stored, ...(input as object) };
      },
    });
    render(ContractorsScreen);
    await fireEvent.click(await screen.findByText("ООО «Сертификат-Эксперт»", { selector: "button" }));
    await waitFor(() => expect(phone().value).toBe("+7 900 000-00-00"));
    const order = vi.mocked(invoke).mock.calls.map(([c]) => c);
    expect(order.indexOf("record_mark")).toBeLessThan(order.indexOf("contractor_get"));

    // A colleague saves meanwhile.
    stored = { ...CONTRACTOR, phone: "+7 900 111-11-11" };
    mark = 42;
    phone().value = "+7 4212 000000";
    await fireEvent.input(phone());
    await fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    const alert = await screen.findByTestId("contractor-conflict");
    expect(alert.textContent).toContain("Петров П. П.");
    expect(phone().value).toBe("+7 4212 000000");

    await fireEvent.click(screen.getByTestId("contractor-conflict-reload"));
    await waitFor(() => expect(phone().value).toBe("+7 900 111-11-11"));
    expect(screen.queryByTestId("contractor-conflict")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(ipc.calls("contractor_update").map((c) => c.seen)).toEqual([41, 42]));
  });
});
