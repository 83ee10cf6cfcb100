import "@testing-library/svelte/vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { routeInvoke } from "../../testing/ipc";
import Toast from "../../lib/Toast.svelte";
import CentreForm from "./CentreForm.svelte";

const EMPTY = {
  full_name: "", short_name: "", inn: "", kpp: "", ogrn: "", region_code: "", city: "",
  legal_address: "", postal_address: "", phone: "", email: "", bank_name: "", bik: "",
  settlement_account: "", correspondent_account: "", head_position: "", head_name: "",
};

async function type(name: string, value: string): Promise<void> {
  // The form appears once the stored requisites have loaded.
  const input = await vi.waitFor(() => {
    const found = document.querySelector<HTMLInputElement>(`.centre-form [name="${name}"]`);
    if (!found) throw new Error(`no input named ${name}`);
    return found;
  });
  input.value = value;
  await fireEvent.input(input);
}

describe("CentreForm", () => {
  it("checks as the user types, saves, and confirms", async () => {
    const ipc = routeInvoke({
      centre_get: () => ({ ...EMPTY }),
      centre_validate: ({ settings }) =>
        (settings as { kpp: string }).kpp.length === 9 || (settings as { kpp: string }).kpp === ""
          ? []
          : [{ code: "validation", message: "КПП: должно быть 9 знаков", field: "kpp" }],
      centre_save: ({ settings }) => settings,
    });
    render(Toast);
    render(CentreForm);
    await type("kpp", "2721");
    expect((await screen.findByTestId("error-kpp")).textContent).toContain("9 знаков");
    await type("kpp", "272101001");
    await vi.waitFor(() => expect(screen.queryByTestId("error-kpp")).toBeNull());
    await type("full_name", "АНО «ЦПЭ»");
    await fireEvent.click(screen.getByTestId("save-centre"));
    expect((await screen.findByTestId("toast")).textContent).toContain("Реквизиты сохранены");
    expect(ipc.calls("centre_save")[0]?.settings).toMatchObject({ kpp: "272101001", full_name: "АНО «ЦПЭ»" });
  });

  it("shows a failed save next to its field and keeps what was typed", async () => {
    routeInvoke({
      centre_get: () => ({ ...EMPTY }),
      centre_validate: () => [],
      centre_save: () => {
        throw { code: "validation", message: "БИК: должен начинаться с 04", field: "bik" };
      },
    });
    render(CentreForm);
    await type("bik", "123456789");
    await type("bank_name", "Дальневосточный банк");
    await fireEvent.click(screen.getByTestId("save-centre"));
    expect((await screen.findByTestId("error-bik")).textContent).toContain("04");
    expect(document.querySelector<HTMLInputElement>('[name="bik"]')?.value).toBe("123456789");
    expect(document.querySelector<HTMLInputElement>('[name="bank_name"]')?.value).toBe("Дальневосточный банк");
  });
});
