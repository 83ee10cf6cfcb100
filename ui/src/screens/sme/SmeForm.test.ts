import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import SmeForm from "./SmeForm.svelte";

const BAD_INN = { code: "validation", message: "ИНН 7707329153: неверная контрольная сумма", field: "inn" };

function type(name: string, value: string): void {
  const input = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!input) throw new Error(`no input named ${name}`);
  input.value = value;
  void fireEvent.input(input);
}

function field(name: string): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>(`[name="${name}"]`);
}

function props(overrides: Record<string, unknown> = {}) {
  return { id: null, onclose: vi.fn(), onsaved: vi.fn(), onopen: vi.fn(), ...overrides };
}

describe("SmeForm", () => {
  it("shows the server's validation error under its field on save and keeps what was typed", async () => {
    const ipc = routeInvoke({
      sme_validate: () => [],
      sme_add: () => {
        throw BAD_INN;
      },
    });
    const p = props();
    render(SmeForm, p);
    type("full_name", "ООО «Амурская рыба»");
    type("inn", "7707329153");
    type("region_code", "27");
    await fireEvent.click(screen.getByTestId("save-sme"));

    const error = await screen.findByTestId("error-inn");
    expect(error.textContent).toContain("неверная контрольная сумма");
    expect(field("inn")?.getAttribute("aria-invalid")).toBe("true");
    expect(field("full_name")?.value).toBe("ООО «Амурская рыба»");
    expect(field("inn")?.value).toBe("7707329153");
    expect(field("region_code")?.value).toBe("27");
    expect(p.onsaved).not.toHaveBeenCalled();
    expect(ipc.calls("sme_add")[0]?.input).toMatchObject({
      kind: "legal_entity",
      full_name: "ООО «Амурская рыба»",
      inn: "7707329153",
      category: null,
      registry_included_on: null,
      pd_consent_on: null,
    });
  });

  it("brings a message of no field into view and keeps what was typed (the server gone away)", async () => {
    const scrolled = vi.fn();
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = scrolled;
    routeInvoke({
      sme_validate: () => [],
      sme_add: () => {
        throw { code: "storage", message: "Нет связи с сервером базы данных центра. Изменения не сохранены." };
      },
    });
    render(SmeForm, props());
    type("full_name", "ООО «Оборванный провод»");
    type("inn", "7707329152");
    await fireEvent.click(screen.getByTestId("save-sme"));

    const said = await screen.findByTestId("sme-error");
    expect(said.textContent).toContain("Нет связи с сервером");
    await waitFor(() => expect(scrolled).toHaveBeenCalled());
    expect(scrolled.mock.contexts[0]).toBe(said);
    expect(field("full_name")?.value).toBe("ООО «Оборванный провод»");
    expect(field("inn")?.value).toBe("7707329152");
    Element.prototype.scrollIntoView = original;
  });

  it("explains a field as the user types, only once that field was touched", async () => {
    routeInvoke({
      sme_validate: ({ input }) => {
        const i = input as { inn: string; full_name: string };
        const errs = [];
        if (!i.full_name) errs.push({ code: "validation", message: "Полное наименование: не заполнено", field: "full_name" });
        if (i.inn === "7707329153") errs.push(BAD_INN);
        return errs;
      },
    });
    render(SmeForm, props());
    type("inn", "7707329153");
    const error = await screen.findByTestId("error-inn");
    expect(error.textContent).toContain("контрольная сумма");
    expect(screen.queryByTestId("error-full_name")).toBeNull();
  });

  it("shows the fields of the chosen kind", async () => {
    routeInvoke({ sme_validate: () => [] });
    render(SmeForm, props());
    const kind = field("kind") as unknown as HTMLSelectElement;
    expect(field("kpp")).not.toBeNull();
    expect(field("last_name")).toBeNull();
    expect(screen.getByLabelText("ОГРН").getAttribute("name")).toBe("ogrn");

    kind.value = "sole_proprietor";
    await fireEvent.change(kind);
    expect(field("kpp")).toBeNull();
    expect(field("last_name")).not.toBeNull();
    expect(field("pd_consent_on")).not.toBeNull();
    expect(screen.getByLabelText("ОГРНИП").getAttribute("name")).toBe("ogrn");

    kind.value = "self_employed";
    await fireEvent.change(kind);
    expect(field("ogrn")).toBeNull();
    expect(field("category")).toBeNull();
  });

  it("offers the existing record when the INN is already in the registry", async () => {
    routeInvoke({
      sme_validate: () => [],
      sme_add: () => {
        throw { code: "duplicate", message: "ИНН 7707329152: уже есть в реестре", field: "inn" };
      },
      sme_list: () => ({
        total: 1,
        rows: [{ id: 7, kind: "legal_entity", full_name: "ООО «Ромашка»", inn: "7707329152", ogrn: "", category: null, region_code: "", contact_person: "" }],
      }),
    });
    const p = props();
    render(SmeForm, p);
    type("full_name", "ООО «Ромашка-2»");
    type("inn", "7707329152");
    await fireEvent.click(screen.getByTestId("save-sme"));
    expect((await screen.findByTestId("error-inn")).textContent).toContain("уже есть");
    await fireEvent.click(screen.getByText("Открыть существующую запись"));
    await waitFor(() => expect(p.onopen).toHaveBeenCalledWith(7));
  });

  it("asks before discarding typed changes", async () => {
    routeInvoke({ sme_validate: () => [] });
    const p = props();
    render(SmeForm, p);
    type("full_name", "ООО «Черновик»");
    await fireEvent.click(screen.getByTestId("cancel-sme"));
    expect(p.onclose).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("discard"));
    expect(p.onclose).toHaveBeenCalled();
  });
});

describe("SmeForm on a record a colleague changed", () => {
  const SME = {
    id: 7,
    created_at: "2026-12-01T09:00:00",
    updated_at: "2026-12-01T09:00:00",
    kind: "legal_entity",
    full_name: "ООО «Ромашка»",
    short_name: "",
    last_name: "",
    first_name: "",
    patronymic: "",
    inn: "7707083893",
    ogrn: "",
    kpp: "",
    category: null,
    registry_included_on: null,
    region_code: "27",
    legal_address: "",
    okved_main: "",
    okved_extra: "",
    products: "",
    hs_codes: "",
    target_countries: "",
    export_experience: "none",
    head_position: "",
    head_name: "",
    contact_person: "",
    phone: "",
    email: "",
    pd_consent_on: null,
    notes: "",
  };
  const CONFLICT = {
    code: "conflict",
    message:
      "Пока форма была открыта, эту запись изменил(а) Петров П. П. — 2026-12-04 10:05:00 (изменено: Контактное лицо). Ваши изменения пока не сохранены: сохраните их поверх или загрузите запись заново",
  };

  it("asks before saving over it, keeping what was typed, and saves over only when told", async () => {
    const ipc = routeInvoke({
      record_mark: () => 41,
      sme_get: () => SME,
      sme_validate: () => [],
      sme_update: ({ seen }) => {
        if (seen === 41) throw CONFLICT;
        return { ...SME, phone: "+7 4212 000000" };
      },
    });
    const p = props({ id: 7 });
    render(SmeForm, p);
    await waitFor(() => expect(field("full_name")?.value).toBe("ООО «Ромашка»"));
    type("phone", "+7 4212 000000");
    await fireEvent.click(screen.getByTestId("save-sme"));
    const alert = await screen.findByTestId("sme-conflict");
    expect(alert.textContent).toContain("Петров П. П.");
    expect(field("phone")?.value).toBe("+7 4212 000000");
    expect(p.onsaved).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("sme-conflict-save-over"));
    await waitFor(() => expect(p.onsaved).toHaveBeenCalled());
    expect(ipc.calls("sme_update").map((c) => c.seen)).toEqual([41, null]);
  });
});
