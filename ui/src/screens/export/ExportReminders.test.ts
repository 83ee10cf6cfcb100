import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ExportReminder } from "../../lib/bindings/ExportReminder";
import { routeInvoke } from "../../testing/ipc";
import ExportReminders from "./ExportReminders.svelte";

const ROW: ExportReminder = {
  sme_id: 4,
  sme_name: "ООО «Амурский мёд»",
  inn: "7707329152",
  phone: "+7 4212 00-00-00",
  email: "",
  agreements: ["3/2025-К"],
  window_ends_on: "2028-04-01",
  last_report_on: null,
  silent_days: 120,
  last_contact_on: null,
  last_contact_comment: "",
};

describe("ExportReminders", () => {
  it("lists silent SMEs and records a contact, which takes the SME off the list", async () => {
    let contacted = false;
    const ipc = routeInvoke({
      export_reminders: () => (contacted ? [] : [ROW]),
      export_reminder_settings: () => ({ silent_days: 90, contact_pause_days: 30 }),
      export_reminder_contact: () => {
        contacted = true;
        return null;
      },
    });
    render(ExportReminders);
    const row = await screen.findByTestId("reminder-row");
    expect(row.textContent).toContain("не сообщал");
    expect(row.textContent).toContain("120");
    expect(row.textContent).toContain("3/2025-К");
    await fireEvent.click(screen.getByTestId("reminder-contact"));
    const comment = screen.getByTestId("reminder-comment") as HTMLInputElement;
    comment.value = "обещали прислать контракт";
    await fireEvent.input(comment);
    await fireEvent.click(screen.getByTestId("reminder-save"));
    await screen.findByTestId("reminders-empty");
    expect(ipc.calls("export_reminder_contact")[0]?.input).toMatchObject({
      sme_id: 4,
      comment: "обещали прислать контракт",
    });
  });

  it("compact: no contact buttons and at most `limit` rows", async () => {
    routeInvoke({
      export_reminders: () => [ROW, { ...ROW, sme_id: 5, sme_name: "ИП Петров" }],
    });
    render(ExportReminders, { compact: true, limit: 1 });
    await screen.findByTestId("reminder-row");
    await waitFor(() => expect(screen.getAllByTestId("reminder-row")).toHaveLength(1));
    expect(screen.queryByTestId("reminder-contact")).toBeNull();
    expect(screen.getByText(/И ещё 1/).textContent).toContain("Напоминания");
  });
});
