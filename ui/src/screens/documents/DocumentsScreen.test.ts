import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ActRegistryRow } from "../../lib/bindings/ActRegistryRow";
import type { ArchivedDocument } from "../../lib/bindings/ArchivedDocument";
import { routeInvoke } from "../../testing/ipc";
import DocumentsScreen from "./DocumentsScreen.svelte";
import { fileName } from "./documentLabels";

const ACT: ActRegistryRow = {
  act_id: 3,
  number: "1",
  date: "2025-04-01",
  agreement_id: 1,
  agreement_number: "1/2025-С",
  sme_name: "ООО «Ромашка»",
  amount: "500000.00",
  signed_on: null,
  document_id: null,
  document_signed: false,
};

const DOC: ArchivedDocument = {
  id: 7,
  kind: "act",
  source_id: 3,
  number: "1 к соглашению № 1/2025-С",
  date: "2025-04-01",
  title: "Акт № 1 от 01.04.2025",
  version: 1,
  sha256: "ab".repeat(32),
  size: 30000,
  created_by: "Петрова А. С.",
  created_at: "2025-04-01T10:00:00",
  signed_on: null,
  scan_name: null,
  scan_count: 0,
};

describe("DocumentsScreen", () => {
  it("lists unsigned acts, makes the act's PDF and marks it signed", async () => {
    let doc: ArchivedDocument | null = null;
    const ipc = routeInvoke({
      act_registry: ({ unsignedOnly }) =>
        doc?.signed_on && unsignedOnly ? [] : [{ ...ACT, document_id: doc?.id ?? null, document_signed: !!doc?.signed_on }],
      document_list: () => (doc ? [doc] : []),
      document_generate: () => (doc ??= { ...DOC }),
      document_mark_signed: ({ signedOn }) => (doc = { ...DOC, signed_on: signedOn as string }),
    });
    render(DocumentsScreen);
    const row = await screen.findByTestId("act-row-3");
    expect(row.textContent).toContain("не печатался");
    expect(row.textContent).toContain("500\u00a0000,00\u00a0₽");
    await fireEvent.click(screen.getByTestId("sign-act-3"));
    const date = screen.getByTestId("sign-date-act-3") as HTMLInputElement;
    date.value = "2025-04-02";
    await fireEvent.input(date);
    await fireEvent.click(screen.getByTestId("sign-save-act-3"));
    await waitFor(() => expect(screen.getByTestId("acts-empty").textContent).toContain("Все акты подписаны"));
    expect(ipc.calls("document_generate")[0]).toMatchObject({ kind: "act", sourceId: 3 });
    expect(ipc.calls("document_mark_signed")[0]).toMatchObject({ id: 7, signedOn: "2025-04-02" });
    await fireEvent.click(screen.getByTestId("tab-archive"));
    expect(screen.getByTestId("doc-row-7").textContent).toContain("подписан 02.04.2025");
  });

  it("says in the archive that an agreement was signed by the head's decision", async () => {
    const agreement: ArchivedDocument = {
      ...DOC,
      id: 8,
      kind: "agreement",
      source_id: 1,
      number: "1/2025-С",
      decision: {
        paragraph: "п. 6.1.5",
        reason: "Контракт на подписании",
        decided_by: "Петрова А. С.",
        decided_at: "2025-06-03T10:00:00",
      },
    };
    routeInvoke({ act_registry: () => [], document_list: () => [agreement, DOC] });
    render(DocumentsScreen);
    await fireEvent.click(await screen.findByTestId("tab-archive"));
    const note = await screen.findByTestId("decision-doc-8");
    expect(note.textContent).toContain("решением руководителя (п. 6.1.5): «Контракт на подписании» — Петрова А. С.");
    expect(screen.queryByTestId("decision-doc-7")).toBeNull();
  });

  it("shows the core's message in the row when the act cannot be signed that day", async () => {
    routeInvoke({
      act_registry: () => [{ ...ACT, document_id: 7 }],
      document_list: () => [DOC],
      document_generate: () => DOC,
      document_mark_signed: () => {
        throw { code: "validation", message: "Дата подписания 01.03.2025: не раньше даты документа 01.04.2025", field: "signed_on" };
      },
    });
    render(DocumentsScreen);
    await fireEvent.click(await screen.findByTestId("sign-act-3"));
    await fireEvent.click(screen.getByTestId("sign-save-act-3"));
    expect((await screen.findByTestId("error-act-3")).textContent).toContain("не раньше даты документа");
  });

  it("saves the acts of a period into one PDF and names the field of a failure", async () => {
    const ipc = routeInvoke({
      act_registry: () => [],
      document_list: () => [],
      pick_save: () => "/tmp/акты.pdf",
      acts_batch_save: ({ from }) => {
        if (from === "2025-06-01") throw { code: "validation", message: "С 01.06.2025 по 30.06.2025 актов нет: выберите другой период", field: "from" };
        return 2;
      },
    });
    render(DocumentsScreen);
    const from = (await screen.findByTestId("batch-from")) as HTMLInputElement;
    const to = screen.getByTestId("batch-to") as HTMLInputElement;
    from.value = "2025-04-01";
    await fireEvent.input(from);
    to.value = "2025-05-31";
    await fireEvent.input(to);
    await fireEvent.click(screen.getByTestId("batch-save"));
    await waitFor(() => expect(ipc.calls("acts_batch_save")).toHaveLength(1));
    expect(ipc.calls("acts_batch_save")[0]).toEqual({ from: "2025-04-01", to: "2025-05-31", path: "/tmp/акты.pdf" });
    from.value = "2025-06-01";
    await fireEvent.input(from);
    to.value = "2025-06-30";
    await fireEvent.input(to);
    await fireEvent.click(screen.getByTestId("batch-save"));
    expect((await screen.findByTestId("error-batch-from")).textContent).toContain("актов нет");
  });

  it("offers a file name a file system accepts", () => {
    expect(fileName({ ...DOC, version: 2 })).toBe("Акт 1 к соглашению 1-2025-С (версия 2).pdf");
  });
});
