// Participants' agreements from the event: the approved applications listed, the amounts entered
// once per item, the engine's verdict previewed per business, and the drafts made together.
import "@testing-library/svelte/vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { BulkInput } from "../../lib/bindings/BulkInput";
import { routeInvoke } from "../../testing/ipc";
import BulkAgreements from "./BulkAgreements.svelte";

const app = (id: number, name: string) => ({
  id,
  sme_id: id,
  sme_name: name,
  sme_inn: "7707083893",
  service_code: "5.4",
  item_codes: ["5.4.a2", "5.4.b1"],
  received_on: "2025-03-03",
  channel: "email",
  responsible_staff_id: null,
  responsible_staff_name: null,
  status: "approved",
  status_since: "2025-03-05",
  refusal: null,
  documents: [],
  timeline: [],
});

describe("BulkAgreements", () => {
  it("previews the engine's verdict per business and makes the drafts together", async () => {
    const ondone = vi.fn();
    const ipc = routeInvoke({
      event_bulk_candidates: () => [app(1, "ООО «Ромашка»"), app(2, "ООО «Василёк»")],
      event_bulk_preview: ({ input }) =>
        (input as BulkInput).application_ids.map((id) => ({
          application_id: id,
          sme_id: id,
          sme_name: id === 1 ? "ООО «Ромашка»" : "ООО «Василёк»",
          inn: "7707083893",
          item_codes: [],
          signable: id === 1,
          problems: id === 1 ? [] : ["Проверка соответствия СМСП требованиям раздела 4 устарела (п. 4.4)"],
        })),
      event_bulk_make: () => [{}, {}],
    });
    render(BulkAgreements, { eventId: 3, serviceCode: "5.4", ondone });
    await fireEvent.input(await screen.findByTestId("bulk-cost-5.4.b1"), { target: { value: "300 000" } });
    await fireEvent.click(screen.getByTestId("bulk-preview"));
    expect((await screen.findByTestId("bulk-error")).textContent).toContain("5.4.a2");
    await fireEvent.input(screen.getByTestId("bulk-cost-5.4.a2"), { target: { value: "10 000" } });
    await fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(screen.getAllByTestId("bulk-line")).toHaveLength(2));
    expect(screen.getAllByTestId("bulk-line")[1]?.textContent).toContain("устарела");
    expect(ipc.calls("event_bulk_preview")[0]?.input).toMatchObject({
      event_id: 3,
      application_ids: [1, 2],
      items: [
        { item_code: "5.4.a2", cost: "10000", sme_share: "0" },
        { item_code: "5.4.b1", cost: "300000", sme_share: "0" },
      ],
    });
    await fireEvent.click(screen.getByTestId("bulk-make"));
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(ipc.calls("event_bulk_make")).toHaveLength(1);
  });

  it("adds a business without an application, with the items, quantities and format the service needs", async () => {
    const limits = { max_per_guest_day: null, min_area_m2: "6", max_area_m2: null, max_months: null, condition: null };
    const ipc = routeInvoke({
      event_bulk_candidates: () => [],
      catalog_for_date: () => ({
        services: [
          {
            code: "5.7",
            formats: [{ code: "ru_individual", name: "В России, индивидуальный стенд", selection_required: true }],
            items: [
              { code: "5.7.b1", name: "Аренда выставочной площади", limits },
              { code: "5.7.a1", name: "Застройка стенда", limits: null },
            ],
          },
        ],
      }),
      sme_list: () => ({ rows: [{ id: 9, kind: "ul", full_name: "ООО «Колос»", inn: "7736050003", ogrn: "", category: null, region_code: "27", contact_person: "" }], total: 1 }),
      event_bulk_preview: () => [
        { application_id: null, sme_id: 9, sme_name: "ООО «Колос»", inn: "7736050003", item_codes: ["5.7.b1"], signable: true, problems: [] },
      ],
    });
    render(BulkAgreements, { eventId: 4, serviceCode: "5.7", ondone: vi.fn() });
    expect((await screen.findByTestId("bulk-empty")).textContent).toContain("добавьте участников");
    await fireEvent.input(screen.getByTestId("sme-search"), { target: { value: "7736050003" } });
    await fireEvent.click(await screen.findByTestId("sme-match"));
    expect((await screen.findByTestId("bulk-newcomer")).textContent).toContain("ООО «Колос»");
    await fireEvent.click(await screen.findByTestId("bulk-item-5.7.b1"));
    await fireEvent.input(await screen.findByTestId("bulk-cost-5.7.b1"), { target: { value: "200 000" } });
    await fireEvent.input(document.querySelector("[name='area-5.7.b1']") as HTMLInputElement, { target: { value: "9" } });
    await fireEvent.change(screen.getByTestId("bulk-format"), { target: { value: "ru_individual" } });
    await fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(screen.getAllByTestId("bulk-line")).toHaveLength(1));
    expect(screen.getByTestId("bulk-line").textContent).toContain("заявка будет зарегистрирована");
    expect(ipc.calls("event_bulk_preview")[0]?.input).toMatchObject({
      event_id: 4,
      application_ids: [],
      new_sme_ids: [9],
      channel: "visit",
      format: "ru_individual",
      items: [{ item_code: "5.7.b1", cost: "200000", quantity: { area_m2: "9" } }],
    });
  });
});
