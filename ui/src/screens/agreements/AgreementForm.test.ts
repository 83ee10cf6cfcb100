// A draft's form saves with the journal mark it was opened at; a colleague's change since is said,
// the calculator keeps what was typed, and «Сохранить мои изменения поверх» saves without the mark.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { Agreement } from "../../lib/bindings/Agreement";
import { routeInvoke } from "../../testing/ipc";
import { CATALOG, calculation42 } from "../cofinancing/fixtures";
import AgreementForm from "./AgreementForm.svelte";

const DRAFT = {
  id: 3,
  number: "4/2025-С",
  date: "2025-03-15",
  sme_id: 7,
  sme_name: "ООО «Амурская рыба»",
  sme_inn: "7707329152",
  application_id: null,
  catalog_version_id: 1,
  service_code: "4.2",
  participants: null,
  declaration_signed: true,
  format: null,
  selection: null,
  event_id: null,
  status: "draft",
  items: [
    {
      item_code: "4.2",
      cost: "1000000",
      sme_share: "200000",
      state_fees: "0",
      centre_share: "800000",
      contractor_id: null,
      contractor_name: null,
      contract_id: null,
      quantity: null,
    },
  ],
  payment_schedule: [{ due_on: "2025-04-01", amount: "200000" }],
  stages: [],
  amendments: [],
} as unknown as Agreement;

const CONFLICT = {
  code: "conflict",
  message:
    "Пока форма была открыта, эту запись изменил(а) Петров П. П. — 2025-03-16 10:05:00 (изменено: Позиции). Ваши изменения пока не сохранены: сохраните их поверх или загрузите запись заново",
};

describe("AgreementForm on a draft", () => {
  it("sends the mark it was opened at, asks on a colleague's change, and saves over only when told", async () => {
    const ipc = routeInvoke({
      catalog_for_date: () => CATALOG,
      cofinancing_calculate: () => calculation42("200000"),
      contractor_list: () => [],
      agreement_update_draft: ({ seen }) => {
        if (seen === 41) throw CONFLICT;
        return DRAFT;
      },
    });
    const onsaved = vi.fn();
    const onreload = vi.fn();
    render(AgreementForm, { draft: DRAFT, mark: 41, onsaved, oncancel: vi.fn(), onreload });
    const submit = (await screen.findByTestId("calc-submit")) as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    const notice = await screen.findByTestId("agr-conflict");
    expect(notice.textContent).toContain("Петров П. П.");
    expect(onsaved).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("agr-conflict-save-over"));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(ipc.calls("agreement_update_draft").map((c) => c.seen)).toEqual([41, null]);
  });

  it("loads the draft again on request", async () => {
    routeInvoke({
      catalog_for_date: () => CATALOG,
      cofinancing_calculate: () => calculation42("200000"),
      contractor_list: () => [],
      agreement_update_draft: () => {
        throw CONFLICT;
      },
    });
    const onreload = vi.fn();
    render(AgreementForm, { draft: DRAFT, mark: 41, onsaved: vi.fn(), oncancel: vi.fn(), onreload });
    const submit = (await screen.findByTestId("calc-submit")) as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    await fireEvent.click(await screen.findByTestId("agr-conflict-reload"));
    expect(onreload).toHaveBeenCalledOnce();
  });
});
