// @vitest-environment node
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { api, errorsByField, toCoreError } from "./api";
import { routeInvoke } from "../testing/ipc";

describe("toCoreError", () => {
  it("keeps a CoreError from the shell as it is", () => {
    const e = toCoreError({ code: "duplicate", message: "ИНН 7707329152: уже есть", field: "inn" });
    expect(e).toEqual({ code: "duplicate", message: "ИНН 7707329152: уже есть", field: "inn" });
  });

  it("drops an empty or missing field", () => {
    expect(toCoreError({ code: "storage", message: "Диск полон", field: null })).toEqual({
      code: "storage",
      message: "Диск полон",
    });
  });

  it("turns a string rejection into a storage error with that text", () => {
    expect(toCoreError("command sme_frobnicate not found")).toEqual({
      code: "storage",
      message: "command sme_frobnicate not found",
    });
  });

  it("explains in Russian an argument Tauri could not read, naming the field", () => {
    expect(
      toCoreError("invalid args `signedOn` for command `agreement_sign`: premature end of input"),
    ).toEqual({
      code: "validation",
      message: "Не заполнено или не распознано поле формы: дата — ДД.ММ.ГГГГ, сумма — число в рублях",
      field: "signed_on",
    });
  });

  it("turns a thrown Error or an unknown code into a storage error keeping the message", () => {
    expect(toCoreError(new Error("IPC недоступен"))).toEqual({ code: "storage", message: "IPC недоступен" });
    expect(toCoreError({ code: "martian", message: "что-то" })).toEqual({ code: "storage", message: "что-то" });
    expect(toCoreError(undefined).code).toBe("storage");
  });
});

describe("api wrappers", () => {
  it("send the command's arguments by name and return the answer", async () => {
    const ipc = routeInvoke({ sme_get: ({ id }) => ({ id, full_name: "ООО «Ромашка»" }) });
    const sme = await api.smeGet(42);
    expect(sme.full_name).toBe("ООО «Ромашка»");
    expect(ipc.calls("sme_get")).toEqual([{ id: 42 }]);
  });

  it("reject with a CoreError whatever the bridge rejected with", async () => {
    routeInvoke({
      sme_add: () => {
        throw { code: "validation", message: "ИНН: неверная контрольная сумма", field: "inn" };
      },
    });
    await expect(api.smeAdd({} as never)).rejects.toEqual({
      code: "validation",
      message: "ИНН: неверная контрольная сумма",
      field: "inn",
    });
    // An unknown command: Tauri rejects with a bare string.
    await expect(api.staffList()).rejects.toEqual({ code: "storage", message: "command staff_list not found" });
  });
});

describe("errorsByField", () => {
  it("keeps the first message of each field", () => {
    expect(
      errorsByField([
        { code: "validation", message: "первое", field: "hs_codes" },
        { code: "validation", message: "второе", field: "hs_codes" },
        { code: "validation", message: "без поля" },
      ]),
    ).toEqual({ hs_codes: "первое", "": "без поля" });
  });
});
