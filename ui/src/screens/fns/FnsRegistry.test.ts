import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
/** The progress listener the screen registers; the test plays the shell's events through it. */
let progressListener: ((e: { payload: unknown }) => void) | null = null;
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (_event: string, cb: (e: { payload: unknown }) => void) => {
    progressListener = cb;
    return () => (progressListener = null);
  }),
}));

import { routeInvoke } from "../../testing/ipc";
import FnsRegistry from "./FnsRegistry.svelte";
import { fnsImport } from "../../lib/fnsImport.svelte";

const SNAPSHOT = {
  id: 7,
  state_date: "2019-02-10",
  regions: ["59"],
  source_files: ["rsmp-sample-2019-02-10-v4.01.zip: VO_RRMSPSV.xml"],
  format_version: "4.01",
  records_seen: 1000,
  records_imported: 12,
  records_skipped: 0,
  records_duplicate: 0,
  imported_at: "2025-03-01T10:00:00",
  imported_by: "Петрова А. С.",
};

function type(testid: string, value: string): void {
  const el = screen.getByTestId(testid) as HTMLInputElement;
  el.value = value;
  void fireEvent.input(el);
}

describe("FnsRegistry", () => {
  beforeEach(() => fnsImport.reset());

  it("keeps a running import and its progress when the user leaves the screen and comes back", async () => {
    let finish: (v: unknown) => void = () => {};
    let snapshots: unknown[] = [];
    routeInvoke({
      fns_snapshots: () => snapshots,
      centre_get: () => ({ region_code: "59" }),
      pick_open: () => ["/data/rsmp.zip"],
      fns_import: () => new Promise((resolve) => (finish = resolve)),
    });
    const first = render(FnsRegistry);
    await fireEvent.click(await screen.findByTestId("fns-pick"));
    await waitFor(() => expect((screen.getByTestId("fns-paths") as HTMLTextAreaElement).value).toBe("/data/rsmp.zip"));
    await fireEvent.click(screen.getByTestId("fns-import"));
    await screen.findByTestId("fns-progress");
    first.unmount();

    render(FnsRegistry);
    await screen.findByTestId("fns-progress");
    expect(screen.getByTestId("fns-cancel")).toBeTruthy();
    snapshots = [SNAPSHOT];
    finish({ snapshot: SNAPSHOT, replaced: false, skipped_examples: [], duplicate_inns: [], seconds: 1, mb_per_s: 50 });
    await screen.findByTestId("fns-summary");
    await waitFor(() => expect(screen.getAllByTestId("fns-snapshot")).toHaveLength(1));
  });

  it("starts the region filter from the centre's region, shows progress, can cancel, lists the new snapshot", async () => {
    let finish: (v: unknown) => void = () => {};
    let snapshots: unknown[] = [];
    const ipc = routeInvoke({
      fns_snapshots: () => snapshots,
      centre_get: () => ({ region_code: "59" }),
      pick_open: () => ["/data/rsmp.zip"],
      fns_import: () => new Promise((resolve) => (finish = resolve)),
      fns_import_cancel: () => true,
    });
    render(FnsRegistry);
    await screen.findByTestId("fns-no-snapshots");
    await waitFor(() => expect((screen.getByTestId("fns-regions") as HTMLInputElement).value).toBe("59"));

    await fireEvent.click(screen.getByTestId("fns-pick"));
    await waitFor(() => expect((screen.getByTestId("fns-paths") as HTMLTextAreaElement).value).toBe("/data/rsmp.zip"));
    await fireEvent.click(screen.getByTestId("fns-import"));
    await screen.findByTestId("fns-progress");
    expect(ipc.calls("fns_import")[0]).toEqual({ paths: ["/data/rsmp.zip"], regions: ["59"] });

    progressListener?.({
      payload: {
        files_done: 0,
        files_total: 1,
        current_file: "rsmp.zip: a.xml",
        records_seen: 4096,
        records_imported: 10,
        records_skipped: 1,
        records_duplicate: 0,
        bytes_read: 500,
        bytes_total: 1000,
        mb_per_s: 60,
      },
    });
    await waitFor(() => expect(screen.getByTestId("fns-progress").textContent).toContain("Файлы: 0 из 1"));
    expect(screen.getByTestId("fns-progress").querySelector("progress")?.getAttribute("value")).toBe("50");

    await fireEvent.click(screen.getByTestId("fns-cancel"));
    expect(ipc.calls("fns_import_cancel")).toHaveLength(1);

    snapshots = [SNAPSHOT];
    finish({
      snapshot: { ...SNAPSHOT, records_seen: 1002, records_duplicate: 2 },
      replaced: false,
      skipped_examples: [],
      duplicate_inns: ["5904000001"],
      seconds: 0.4,
      mb_per_s: 60,
    });
    await screen.findByTestId("fns-summary");
    expect(screen.getByTestId("fns-summary").textContent).toContain("повторов ИНН 2");
    expect(screen.getByTestId("fns-duplicates").textContent).toContain("5904000001");
    await waitFor(() => expect(screen.getAllByTestId("fns-snapshot")).toHaveLength(1));
    expect(screen.getByTestId("fns-snapshots").textContent).toContain("10.02.2019");
    expect(screen.queryByTestId("fns-progress")).toBeNull();
  });

  it("says a cancelled import left the earlier snapshots alone, and refuses a bad region before calling", async () => {
    routeInvoke({
      fns_snapshots: () => [SNAPSHOT],
      centre_get: () => ({ region_code: "" }),
      pick_open: () => ["/data/rsmp.zip"],
      fns_import: () => {
        throw { code: "cancelled", message: "Загрузка отменена" };
      },
    });
    render(FnsRegistry);
    await screen.findByTestId("fns-snapshots");
    type("fns-regions", "5");
    expect(await screen.findByTestId("error-regions")).toBeTruthy();
    expect((screen.getByTestId("fns-import") as HTMLButtonElement).disabled).toBe(true);
    type("fns-regions", "");
    await fireEvent.click(screen.getByTestId("fns-import"));
    expect((await screen.findByTestId("error-paths")).textContent).toContain("выберите архив");
    await fireEvent.click(screen.getByTestId("fns-pick"));
    await waitFor(() => expect((screen.getByTestId("fns-paths") as HTMLTextAreaElement).value).toBe("/data/rsmp.zip"));
    await fireEvent.click(screen.getByTestId("fns-import"));
    expect((await screen.findByTestId("fns-import-error")).textContent).toContain("прежние выгрузки остались");
  });

  it("fills the file field from the native file dialog", async () => {
    const ipc = routeInvoke({
      fns_snapshots: () => [],
      centre_get: () => ({ region_code: "27" }),
      pick_open: () => ["/d/a.zip", "/d/b.zip"],
    });
    render(FnsRegistry);
    await fireEvent.click(await screen.findByTestId("fns-pick"));
    await waitFor(() => expect((screen.getByTestId("fns-paths") as HTMLTextAreaElement).value).toBe("/d/a.zip\n/d/b.zip"));
    expect(ipc.calls("pick_open")[0]).toMatchObject({ multiple: true });
  });

  it("finds an INN in a snapshot and offers to add it, prefilled, to the centre's registry", async () => {
    const input = {
      kind: "legal_entity", full_name: "ООО «Пермский лес»", short_name: "", last_name: "", first_name: "", patronymic: "",
      inn: "5902000000", ogrn: "", kpp: "", category: "small", registry_included_on: "2016-08-01", region_code: "59",
      legal_address: "", okved_main: "16.10", okved_extra: "", products: "", hs_codes: "", target_countries: "",
      export_experience: "none", head_position: "", head_name: "", contact_person: "", phone: "", email: "",
      pd_consent_on: null, notes: "",
    };
    const ipc = routeInvoke({
      fns_snapshots: () => [SNAPSHOT],
      centre_get: () => ({ region_code: "59" }),
      sme_validate: () => [],
      fns_lookup: ({ inn }) =>
        inn === "5902000000"
          ? {
              record: { inn, kind: "legal_entity", category: "small", included_on: "2016-08-01", full_name: input.full_name, short_name: "", last_name: "", first_name: "", patronymic: "", ogrn: "", region_code: "59", okved_main: "16.10", okved_extra: "" },
              sme_input: input,
              existing_sme_id: null,
            }
          : null,
    });
    render(FnsRegistry);
    await screen.findByTestId("fns-snapshots");
    type("fns-lookup-inn", "123");
    await fireEvent.click(screen.getByTestId("fns-lookup"));
    expect((await screen.findByTestId("error-lookup_inn")).textContent).toContain("10 цифр");
    expect(ipc.calls("fns_lookup")).toHaveLength(0);

    type("fns-lookup-inn", "7707083893");
    await fireEvent.click(screen.getByTestId("fns-lookup"));
    await screen.findByTestId("fns-lookup-missing");

    type("fns-lookup-inn", "5902000000");
    await fireEvent.click(screen.getByTestId("fns-lookup"));
    expect((await screen.findByTestId("fns-lookup-result")).textContent).toContain("Пермский лес");
    expect(ipc.calls("fns_lookup").at(-1)).toEqual({ snapshotId: 7, inn: "5902000000" });
    await fireEvent.click(screen.getByTestId("fns-add-to-registry"));
    const form = await waitFor(() => {
      const f = document.querySelector(".sme-form");
      if (!f) throw new Error("no form");
      return f;
    });
    expect((form.querySelector('[name="full_name"]') as HTMLInputElement).value).toBe("ООО «Пермский лес»");
    expect((form.querySelector('[name="inn"]') as HTMLInputElement).value).toBe("5902000000");
    expect((form.querySelector('[name="region_code"]') as HTMLInputElement).value).toBe("59");
  });

  it("deletes a snapshot only after confirmation", async () => {
    let snapshots: unknown[] = [SNAPSHOT];
    const ipc = routeInvoke({
      fns_snapshots: () => snapshots,
      centre_get: () => ({ region_code: "59" }),
      fns_snapshot_delete: () => {
        snapshots = [];
        return null;
      },
    });
    render(FnsRegistry);
    await fireEvent.click(await screen.findByTestId("fns-delete"));
    expect(ipc.calls("fns_snapshot_delete")).toHaveLength(0);
    await fireEvent.click(screen.getByTestId("fns-delete-confirm"));
    await screen.findByTestId("fns-no-snapshots");
    expect(ipc.calls("fns_snapshot_delete")).toEqual([{ id: 7 }]);
  });
});
