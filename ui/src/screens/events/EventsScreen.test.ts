// The events screen: an event planned from the form (the core's refusal under its field), a business
// registered and marked present on the card, and a participant list's rejected rows shown by number.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Event as CpeEvent } from "../../lib/bindings/Event";
import type { EventInput } from "../../lib/bindings/EventInput";
import type { Participant } from "../../lib/bindings/Participant";
import { routeInvoke } from "../../testing/ipc";
import EventsScreen from "./EventsScreen.svelte";

function made(input: EventInput, id = 1): CpeEvent {
  return { ...input, id, status: "planned", organiser: "", registered: 0, attended: 0, signed: 0, drafts: 0, min_participants: null, staff: "Петрова А. С." };
}

describe("EventsScreen", () => {
  it("plans an event, puts a refusal under its field and sends the cost as a decimal", async () => {
    let list: CpeEvent[] = [];
    let first = true;
    const ipc = routeInvoke({
      event_list: () => list,
      contractor_list: () => [],
      event_participants: () => [],
      event_add: ({ input }) => {
        if (first) {
          first = false;
          throw { code: "validation", field: "ends_on", message: "Дата окончания 14.04.2025 раньше даты начала 15.04.2025" };
        }
        list = [made(input as EventInput)];
        return list[0];
      },
    });
    render(EventsScreen);
    expect(await screen.findByTestId("events-empty")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("event-new"));
    await fireEvent.input(document.querySelector("[name='title']") as HTMLInputElement, { target: { value: "Экспорт в Казахстан" } });
    await fireEvent.input(document.querySelector("[name='cost']") as HTMLInputElement, { target: { value: "45 000,50" } });
    await fireEvent.click(screen.getByTestId("event-save"));
    expect((await screen.findByTestId("error-ends_on")).textContent).toContain("раньше даты начала");
    await fireEvent.click(screen.getByTestId("event-save"));
    await waitFor(() => expect(screen.getAllByTestId("event-row")).toHaveLength(1));
    expect(ipc.calls("event_add")[1]?.input).toMatchObject({ service_code: "4.1.2", title: "Экспорт в Казахстан", cost: "45000.50", contract_id: null });
    expect(await screen.findByTestId("event-card")).toBeTruthy();
  });

  it("registers a business, marks it present and lists the rows a file could not give", async () => {
    const event = made({ service_code: "4.1.2", title: "Вебинар", starts_on: "2025-04-15", ends_on: "2025-04-15", format: "remote", place: "", country_code: "", city: "", exhibition: "", in_plan: false, contract_id: null, cost: null }, 7);
    let people: Participant[] = [];
    const ipc = routeInvoke({
      event_list: () => [event],
      event_get: () => ({ ...event, registered: people.length, attended: people.filter((p) => p.attended).length }),
      event_participants: () => people,
      sme_list: () => ({ rows: [{ id: 3, full_name: "ООО «Ромашка»", inn: "7707083893", kind: "legal_entity" }], total: 1 }),
      event_participant_add: ({ smeId, attendee }) => {
        const p: Participant = { id: 11, event_id: 7, sme_id: smeId as number, sme_name: "ООО «Ромашка»", inn: "7707083893", attendee: attendee as string, registered_on: "2025-04-10", attended: false };
        people = [p];
        return p;
      },
      event_attendance: ({ attended }) => {
        people = people.map((p) => ({ ...p, attended: attended as boolean }));
        return people[0];
      },
      pick_open: () => ["/home/user/список.xlsx"],
      event_import: () => ({ rows: 2, added: 0, already: 1, marked: 0, errors: [{ row: 3, field: "inn", column: "ИНН", value: "1234567890", message: "ИНН 1234567890: неверная контрольная сумма" }] }),
    });
    render(EventsScreen);
    await fireEvent.click(await screen.findByTestId("event-open-7"));
    expect(await screen.findByTestId("participants-empty")).toBeTruthy();
    await fireEvent.input(screen.getByTestId("sme-search"), { target: { value: "Ромашка" } });
    await fireEvent.click(await screen.findByTestId("sme-match", {}, { timeout: 2000 }));
    await fireEvent.input(document.querySelector("[name='attendee']") as HTMLInputElement, { target: { value: "Иванов Иван" } });
    await fireEvent.click(screen.getByTestId("register"));
    await waitFor(() => expect(screen.getAllByTestId("participant-row")).toHaveLength(1));
    expect(ipc.calls("event_participant_add")[0]).toMatchObject({ id: 7, smeId: 3, attendee: "Иванов Иван" });
    await fireEvent.click(screen.getByTestId("attended-11"));
    await waitFor(() => expect((screen.getByTestId("attended-11") as HTMLInputElement).checked).toBe(true));
    expect(ipc.calls("event_attendance")[0]).toMatchObject({ participantId: 11, attended: true });
    await waitFor(() => expect(screen.getByTestId("import-list").hasAttribute("disabled")).toBe(false));
    await fireEvent.click(screen.getByTestId("import-list"));
    const result = await screen.findByTestId("import-result");
    expect(result.textContent).toContain("Строка 3: ИНН 1234567890: неверная контрольная сумма");
    expect(ipc.calls("event_import")[0]).toMatchObject({ id: 7, path: "/home/user/список.xlsx" });
  });

  it("shows a mission's signed agreements against its minimum and signs the drafts together", async () => {
    let mission: CpeEvent = {
      ...made({ service_code: "5.4", title: "Бизнес-миссия: Казахстан", starts_on: "2025-05-20", ends_on: "2025-05-23", format: "in_person", place: "", country_code: "398", city: "Алматы", exhibition: "", in_plan: true, contract_id: null, cost: null }, 3),
      drafts: 3,
      min_participants: 3,
    };
    const ipc = routeInvoke({
      event_list: () => [mission],
      event_get: () => mission,
      oksm_countries: () => [{ code: "398", name: "Казахстан", alpha2: "KZ" }],
      event_agreements: () =>
        [1, 2, 3].map((n) => ({ id: n, number: `${n}/2025-С`, date: "2025-03-06", sme_id: n, sme_name: `ООО «${n}»`, inn: "7707083893", status: mission.signed ? "signed" : "draft", signed_on: mission.signed ? "2025-03-10" : null })),
      event_sign: () => {
        mission = { ...mission, signed: 3, drafts: 0 };
        return [];
      },
    });
    render(EventsScreen);
    expect((await screen.findAllByTestId("event-row"))[0]?.textContent).toContain("подписано 0 из минимум 3, проектов 3");
    await fireEvent.click(screen.getByTestId("event-open-3"));
    expect((await screen.findByTestId("event-signed")).textContent).toContain("подписано 0 из минимум 3");
    expect(screen.queryByTestId("register-form")).toBeNull();
    expect(await screen.findAllByTestId("event-agreement-row")).toHaveLength(3);
    await fireEvent.click(screen.getByTestId("event-sign"));
    await waitFor(() => expect(screen.getByTestId("event-signed").textContent).toContain("подписано 3 из минимум 3"));
    expect(ipc.calls("event_sign")[0]).toMatchObject({ id: 3 });
    expect(screen.queryByTestId("event-sign")).toBeNull();
  });
});
