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
});
