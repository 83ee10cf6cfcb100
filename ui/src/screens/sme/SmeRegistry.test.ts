import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import SmeRegistry from "./SmeRegistry.svelte";

const TOTAL = 100_000;

/** A registry of TOTAL SMEs named by their position, answering any window. */
function bigRegistry() {
  return routeInvoke({
    sme_list: ({ query }) => {
      const q = query as { offset: number; limit: number; text: string };
      const total = q.text ? 1 : TOTAL;
      const count = Math.max(0, Math.min(q.limit, total - q.offset));
      return {
        total,
        rows: Array.from({ length: count }, (_, k) => {
          const n = q.offset + k;
          return { id: n + 1, kind: "legal_entity", full_name: `СМСП № ${n}`, inn: String(1_000_000_000 + n), ogrn: "", category: "micro", region_code: "27", contact_person: "" };
        }),
      };
    },
  });
}

describe("SmeRegistry", () => {
  it("renders only a window of rows of a large registry and fetches pages, not everything", async () => {
    const ipc = bigRegistry();
    render(SmeRegistry);
    await waitFor(() => expect(screen.getAllByTestId("sme-row").length).toBeGreaterThan(0));
    const rendered = screen.getAllByTestId("sme-row").length;
    expect(rendered).toBeLessThan(60);
    expect(screen.getByTestId("sme-total").textContent).toContain("100");
    for (const call of ipc.calls("sme_list")) {
      expect((call.query as { limit: number }).limit).toBeLessThanOrEqual(200);
    }

    // Scroll to the middle: the rows there are fetched and shown, still only a window of them.
    const viewport = document.querySelector<HTMLElement>(".vlist");
    if (!viewport) throw new Error("no virtual list");
    Object.defineProperty(viewport, "scrollTop", { value: 36 * 50_000, configurable: true });
    await fireEvent.scroll(viewport);
    await waitFor(() => expect(screen.getByText("СМСП № 50005")).toBeTruthy());
    expect(screen.getAllByTestId("sme-row").length).toBeLessThan(60);
    expect(screen.queryByText("СМСП № 0")).toBeNull();
    const offsets = ipc.calls("sme_list").map((c) => (c.query as { offset: number }).offset);
    expect(offsets).toContain(50_000);
  });

  it("searches as the user types", async () => {
    const ipc = bigRegistry();
    render(SmeRegistry);
    await waitFor(() => expect(screen.getAllByTestId("sme-row").length).toBeGreaterThan(1));
    const search = screen.getByTestId("sme-search") as HTMLInputElement;
    search.value = "1000000042";
    await fireEvent.input(search);
    await waitFor(() => expect(screen.getAllByTestId("sme-row")).toHaveLength(1));
    expect(ipc.calls("sme_list").some((c) => (c.query as { text: string }).text === "1000000042")).toBe(true);
  });

  it("says «более» when the core stopped counting", async () => {
    routeInvoke({
      sme_list: ({ query }) => {
        const q = query as { offset: number; limit: number; text: string };
        const rows = Array.from({ length: q.limit }, (_, k) => ({ id: q.offset + k + 1, kind: "legal_entity", full_name: `ООО «Ам ${q.offset + k}»`, inn: String(2_700_000_000 + q.offset + k), ogrn: "", category: "micro", region_code: "27", contact_person: "" }));
        return q.text ? { total: 5001, total_exact: false, rows } : { total: 100_000, total_exact: true, rows };
      },
    });
    render(SmeRegistry);
    await waitFor(() => expect(screen.getByTestId("sme-total").textContent).toContain("Всего в реестре: 100"));
    const search = screen.getByTestId("sme-search") as HTMLInputElement;
    search.value = "ам";
    await fireEvent.input(search);
    await waitFor(() => expect(screen.getByTestId("sme-total").textContent).toMatch(/Найдено: более 5\s?001\s+записи/));
  });

  it("filters by the eligibility verdict and drops the filter when «Все» is chosen again", async () => {
    const ipc = bigRegistry();
    render(SmeRegistry);
    await waitFor(() => expect(screen.getAllByTestId("sme-row").length).toBeGreaterThan(1));
    const select = screen.getByTestId("filter-verdict") as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "needs_recheck" } });
    await waitFor(() =>
      expect((ipc.calls("sme_list").at(-1)?.query as { verdict?: string }).verdict).toBe("needs_recheck"),
    );
    await fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(ipc.calls("sme_list").at(-1)?.query).not.toHaveProperty("verdict"));
  });

  it("exports the list as filtered to the file the user names", async () => {
    const answers = ["/tmp/список.txt", "/tmp/список.xlsx"];
    const routed = routeInvoke({
      sme_list: () => ({ total: 0, rows: [] }),
      sme_export: () => 42,
      pick_save: () => answers.shift() ?? null,
    });
    render(SmeRegistry);
    const search = screen.getByTestId("sme-search") as HTMLInputElement;
    search.value = "рыба";
    await fireEvent.input(search);
    await waitFor(() => expect(routed.calls("sme_list").some((c) => (c.query as { text: string }).text === "рыба")).toBe(true));
    await fireEvent.click(screen.getByTestId("sme-export"));
    const path = screen.getByTestId("export-path") as HTMLInputElement;
    await fireEvent.click(screen.getByTestId("export-pick"));
    await waitFor(() => expect(path.value).toBe("/tmp/список.txt"));
    await fireEvent.click(screen.getByTestId("export-run"));
    expect((await screen.findByTestId("error-export_path")).textContent).toContain(".xlsx или .csv");
    expect(routed.calls("sme_export")).toHaveLength(0);
    await fireEvent.click(screen.getByTestId("export-pick"));
    await waitFor(() => expect(path.value).toBe("/tmp/список.xlsx"));
    await fireEvent.click(screen.getByTestId("export-run"));
    await waitFor(() => expect(routed.calls("sme_export")).toHaveLength(1));
    expect(routed.calls("sme_export")[0]).toMatchObject({ path: "/tmp/список.xlsx", query: { text: "рыба" } });
    await waitFor(() => expect(screen.queryByTestId("export-form")).toBeNull());
  });
});
