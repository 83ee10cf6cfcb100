import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import TableImport from "./TableImport.svelte";

const ERRORS = [{ row: 3, field: "inn", column: "ИНН", value: "123", message: "ИНН 123: должен состоять из 10 или 12 цифр" }];

describe("TableImport", () => {
  it("previews, lets the user change the mapping, lists row errors before saving, saves valid rows and the error list", async () => {
    const ipc = routeInvoke({
      sme_table_preview: () => ({
        headers: ["Наименование", "ИНН", "Комментарий"],
        sample: [["ООО «Ромашка»", "2721000001", "x"]],
        row_count: 2,
        mapping: ["full_name", "inn", null],
      }),
      sme_table_check: () => ({ rows: 2, valid: 1, invalid: 1, saved: 0, errors: ERRORS }),
      sme_table_save: () => ({ rows: 2, valid: 1, invalid: 1, saved: 1, errors: ERRORS }),
      sme_table_errors_save: () => null,
      pick_open: () => ["/home/u/СМСП.xlsx"],
      pick_save: ({ defaultName }) => `/home/u/${defaultName as string}`,
    });
    const onsaved = vi.fn();
    render(TableImport, { onclose: vi.fn(), onsaved });
    const path = screen.getByTestId("table-path") as HTMLInputElement;
    await fireEvent.click(screen.getByTestId("table-pick"));
    await waitFor(() => expect(path.value).toBe("/home/u/СМСП.xlsx"));
    await fireEvent.click(screen.getByTestId("table-read"));
    const notes = (await screen.findByTestId("mapping-2")) as HTMLSelectElement;
    expect((screen.getByTestId("mapping-1") as HTMLSelectElement).value).toBe("inn");
    notes.value = "notes";
    await fireEvent.change(notes);

    await fireEvent.click(screen.getByTestId("table-check"));
    expect((await screen.findByTestId("table-errors")).textContent).toContain("10 или 12 цифр");
    expect(ipc.calls("sme_table_check")[0]).toEqual({ path: "/home/u/СМСП.xlsx", mapping: ["full_name", "inn", "notes"] });
    expect(screen.getByTestId("table-report").textContent).toContain("Пока ничего не сохранено");
    expect(ipc.calls("sme_table_save")).toHaveLength(0);

    await fireEvent.click(screen.getByTestId("table-save"));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(1));
    expect(screen.getByTestId("table-report").textContent).toContain("Сохранено записей: 1");

    // The error list is saved where the save dialog points (its suggested name is the table's).
    await fireEvent.click(screen.getByTestId("errors-pick"));
    await waitFor(() => expect((screen.getByTestId("errors-path") as HTMLInputElement).value).toBe("/home/u/СМСП-ошибки.csv"));
    await fireEvent.click(screen.getByTestId("errors-save"));
    await waitFor(() => expect(ipc.calls("sme_table_errors_save")).toHaveLength(1));
    expect(ipc.calls("sme_table_errors_save")[0]).toEqual({ path: "/home/u/СМСП-ошибки.csv", errors: ERRORS });
  });

  it("puts a file error next to the path", async () => {
    routeInvoke({
      sme_table_preview: () => {
        throw { code: "file", message: "Файл /nope.xlsx: не удаётся открыть" };
      },
      pick_open: () => ["/nope.xlsx"],
    });
    render(TableImport, { onclose: vi.fn(), onsaved: vi.fn() });
    await fireEvent.click(screen.getByTestId("table-pick"));
    await waitFor(() => expect((screen.getByTestId("table-path") as HTMLInputElement).value).toBe("/nope.xlsx"));
    await fireEvent.click(screen.getByTestId("table-read"));
    expect((await screen.findByTestId("error-path")).textContent).toContain("не удаётся открыть");
  });
});
