import { fireEvent, render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { PersonalDataStatus } from "../../lib/bindings/PersonalDataStatus";
import { routeInvoke } from "../../testing/ipc";
import PersonalDataPanel from "./PersonalDataPanel.svelte";

const BASE: PersonalDataStatus = {
  is_person: true,
  consent_on: "2025-03-01",
  withdrawn_on: null,
  erased_on: null,
  last_service_on: "2025-03-06",
  erasable_from: "2028-03-06",
  can_erase: false,
  explanation: "Согласие на обработку персональных данных получено 01.03.2025",
};

describe("PersonalDataPanel", () => {
  it("records the request, explains why it cannot erase yet, and erases once allowed", async () => {
    let state: PersonalDataStatus = BASE;
    const ipc = routeInvoke({
      sme_pd_status: () => state,
      sme_pd_withdraw: ({ on }) => {
        state = {
          ...BASE,
          withdrawn_on: on as string,
          explanation: "Запрос на прекращение обработки от 01.04.2025. Удалить данные можно с 06.03.2028: по п. 7.3 Регламента …",
        };
        return state;
      },
    });
    const erased = vi.fn();
    render(PersonalDataPanel, { smeId: 7, onerased: erased });
    expect((await screen.findByTestId("pd-explanation")).textContent).toContain("получено 01.03.2025");
    await fireEvent.click(screen.getByTestId("pd-withdraw"));
    await fireEvent.click(screen.getByTestId("pd-withdraw-save"));
    await vi.waitFor(() => expect(ipc.calls("sme_pd_withdraw")).toHaveLength(1));
    expect((await screen.findByTestId("pd-explanation")).textContent).toContain("Удалить данные можно с 06.03.2028");
    const erase = screen.getByTestId("pd-erase") as HTMLButtonElement;
    expect(erase.disabled).toBe(true);
    expect(erase.title).toContain("п. 7.3");
    expect(erased).not.toHaveBeenCalled();
  });

  it("shows nothing for an organisation that never asked", async () => {
    routeInvoke({ sme_pd_status: () => ({ ...BASE, is_person: false, consent_on: null }) });
    render(PersonalDataPanel, { smeId: 8, onerased: () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId("pd-panel")).toBeNull();
  });
});
