import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { ItemTermsEdit } from "../../lib/bindings/ItemTermsEdit";
import { routeInvoke } from "../../testing/ipc";
import { CATALOG } from "../cofinancing/fixtures";
import CatalogScreen from "./CatalogScreen.svelte";

function core(editable: boolean) {
  return routeInvoke({
    catalog_versions: () => [{ id: 1, effective_from: "2024-03-12", title: "Регламент", used_since: editable ? null : "2024-04-01" }],
    catalog_view: () => ({ catalog: { ...CATALOG, used_since: editable ? null : "2024-04-01" }, editable, in_force: true }),
    catalog_item_validate: ({ edit }) =>
      (edit as ItemTermsEdit).rate_percent === "100"
        ? [{ code: "validation", field: "rate_percent", message: "Доля СМСП: 100 % — укажите от 0 до 100 %" }]
        : [],
    catalog_item_save: () => CATALOG,
  });
}

describe("CatalogScreen", () => {
  it("shows every term with its paragraph of the regulation", async () => {
    core(false);
    render(CatalogScreen);
    expect((await screen.findByTestId("source-4.2")).textContent).toBe("§3, п. 4.2");
    const item = screen.getByTestId("catalog-item-5.2.a1").textContent ?? "";
    expect(item).toContain("Доля СМСП не менее 20\u00a0%");
    expect(item).toContain("не более 150\u00a0000,00\u00a0₽ на 1 СМСП");
    expect(item).toContain("§3, п. 5.2, доп. услуга 1");
    // A version used by agreements cannot be edited: no edit links, and the status says why.
    expect(screen.queryByTestId("edit-item-4.2")).toBeNull();
    expect(screen.getByTestId("catalog-status").textContent).toContain("изменить нельзя");
  });

  it("lets the head edit an unused version, with the core's messages under the fields", async () => {
    const ipc = core(true);
    render(CatalogScreen);
    await fireEvent.click(await screen.findByTestId("edit-item-4.2"));
    const rate = screen.getByLabelText("Минимальная доля СМСП, %") as HTMLInputElement;
    expect(rate.value).toBe("20");
    expect((screen.getByLabelText("Лимит на 1 СМСП, ₽") as HTMLInputElement).value).toBe("1\u00a0000\u00a0000,00");
    rate.value = "100";
    await fireEvent.input(rate);
    await waitFor(() => expect(screen.getByTestId("error-rate_percent").textContent).toContain("от 0 до 100"));
    rate.value = "25";
    await fireEvent.input(rate);
    await fireEvent.click(screen.getByTestId("save-terms"));
    await waitFor(() => expect(ipc.calls("catalog_item_save")).toHaveLength(1));
    expect(ipc.calls("catalog_item_save")[0]).toMatchObject({ id: 1, itemCode: "4.2", edit: { rate_percent: "25" } });
  });
});
