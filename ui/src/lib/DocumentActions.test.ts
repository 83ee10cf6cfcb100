import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ArchivedDocument } from "./bindings/ArchivedDocument";
import { routeInvoke } from "../testing/ipc";
import RecordDocument from "./RecordDocument.svelte";

const AGREEMENT: ArchivedDocument = {
  id: 11,
  kind: "agreement",
  source_id: 4,
  number: "1/2025-С",
  date: "2025-03-06",
  title: "Соглашение № 1/2025-С",
  version: 1,
  sha256: "cd".repeat(32),
  size: 40000,
  created_by: "Петрова А. С.",
  created_at: "2025-03-06T10:00:00",
  signed_on: null,
  scan_name: null,
  scan_count: 0,
};

describe("DocumentActions", () => {
  it("prints the archived agreement on the chosen printer in two copies", async () => {
    const ipc = routeInvoke({
      document_generate: ({ kind, sourceId }) => ({ ...AGREEMENT, kind, source_id: sourceId }) as ArchivedDocument,
      printers: () => ["Office_Laser", "Kyocera_2F"],
      document_print: () => null,
    });
    render(RecordDocument, { kind: "agreement", sourceId: 4 });
    await fireEvent.click(screen.getByTestId("print-agreement-4"));
    const dialog = await screen.findByTestId("print-dialog");
    expect(dialog.textContent).toContain("Office_Laser (по умолчанию)");
    expect((screen.getByTestId("print-copies") as HTMLInputElement).value).toBe("2");
    await fireEvent.change(screen.getByTestId("print-printer"), { target: { value: "Kyocera_2F" } });
    await fireEvent.click(screen.getByTestId("print-submit"));
    await waitFor(() => expect(screen.queryByTestId("print-dialog")).toBeNull());
    expect(ipc.calls("document_generate")).toEqual([{ kind: "agreement", sourceId: 4 }]);
    expect(ipc.calls("document_print")).toEqual([{ id: 11, printer: "Kyocera_2F", copies: 2 }]);
  });

  it("says when no printer is set up and keeps a refused print's message in the dialog", async () => {
    let printers: string[] = [];
    routeInvoke({
      document_generate: () => ({ ...AGREEMENT, kind: "act" }),
      printers: () => printers,
      document_print: () => {
        throw { code: "validation", message: "Число экземпляров: от 1 до 20", field: "copies" };
      },
    });
    render(RecordDocument, { kind: "act", sourceId: 3 });
    await fireEvent.click(screen.getByTestId("print-act-3"));
    expect((await screen.findByTestId("no-printers")).textContent).toContain("не настроен ни один принтер");
    expect(screen.getByTestId("print-open-instead")).toBeTruthy();

    printers = ["Office_Laser"];
    await fireEvent.click(screen.getByTestId("print-act-3"));
    await screen.findByTestId("print-submit");
    expect((screen.getByTestId("print-copies") as HTMLInputElement).value).toBe("1");
    await fireEvent.click(screen.getByTestId("print-submit"));
    expect((await screen.findByTestId("error-print-copies")).textContent).toContain("от 1 до 20");
  });
});
