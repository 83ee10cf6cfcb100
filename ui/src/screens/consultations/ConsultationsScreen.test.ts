// The consultations journal: a quick entry saved with Ctrl+Enter, the duplicate pointed out, and
// the core's message under its field.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Consultation } from "../../lib/bindings/Consultation";
import Toast from "../../lib/Toast.svelte";
import { routeInvoke } from "../../testing/ipc";
import ConsultationsScreen from "./ConsultationsScreen.svelte";

describe("ConsultationsScreen", () => {
  it("saves a person's consultation with Ctrl+Enter and lists it", async () => {
    let saved: Consultation[] = [];
    const ipc = routeInvoke({
      consultation_list: () => saved,
      consultation_add: ({ input }) => {
        const i = input as Consultation;
        const c: Consultation = { ...i, id: 1, sme_name: null, sme_inn: null, staff: "Петрова А. С." };
        saved = [c];
        return { consultation: c, duplicate_of: null };
      },
      sme_list: () => ({ rows: [], total: 0 }),
    });
    render(Toast);
    render(ConsultationsScreen);
    expect(await screen.findByTestId("consult-empty")).toBeTruthy();
    const person = document.querySelector("[name='person']") as HTMLInputElement;
    await fireEvent.input(person, { target: { value: "Иванов И. И., +7 900 000-00-00" } });
    const topic = document.querySelector("[name='topic']") as HTMLInputElement;
    await fireEvent.input(topic, { target: { value: "Как начать экспорт" } });
    await fireEvent.keyDown(topic, { key: "Enter" });
    expect(document.activeElement?.getAttribute("name")).toBe("minutes");
    await fireEvent.keyDown(topic, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(screen.getAllByTestId("consult-row")).toHaveLength(1));
    expect(screen.getByTestId("consult-row").textContent).toContain("не в реестре");
    expect(ipc.calls("consultation_add")[0]?.input).toMatchObject({ sme_id: null, person: "Иванов И. И., +7 900 000-00-00", service_code: "1", topic: "Как начать экспорт" });
  });

  it("points out a duplicate and puts a refusal under its field", async () => {
    let fail = true;
    routeInvoke({
      consultation_list: () => [],
      consultation_add: ({ input }) => {
        if (fail) {
          fail = false;
          throw { code: "validation", field: "topic", message: "Тема: кратко запишите, о чём был вопрос" };
        }
        const i = input as Consultation;
        return { consultation: { ...i, id: 2, sme_name: null, sme_inn: null, staff: "Петрова А. С." }, duplicate_of: 1 };
      },
    });
    render(ConsultationsScreen);
    await fireEvent.click(await screen.findByTestId("consult-save"));
    expect((await screen.findByTestId("error-topic")).textContent).toContain("Тема");
    await fireEvent.click(screen.getByTestId("consult-save"));
    expect((await screen.findByTestId("consult-duplicate")).textContent).toContain("запись № 1");
  });
});
