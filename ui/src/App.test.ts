import { render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import App from "./App.svelte";
import { routeInvoke } from "./testing/ipc";

describe("App", () => {
  it("shows only the database error when the database was refused", async () => {
    routeInvoke({
      app_status: () => ({
        version: "0.1.0",
        data_dir: "/home/user/.local/share/cpe",
        db_error: { code: "database_too_new", message: "База создана более новой версией программы. Обновите программу." },
        actor: "Администратор",
      }),
    });
    render(App);
    const box = await screen.findByTestId("db-error");
    expect(box.textContent).toContain("более новой версией");
    expect(box.textContent).toContain("/home/user/.local/share/cpe");
    expect(screen.queryByTestId("nav-sme")).toBeNull();
    expect(screen.queryByTestId("nav-settings")).toBeNull();
  });

  it("shows the sections and tells the shell who works", async () => {
    localStorage.setItem("cpe.actor", "Петрова Анна Сергеевна");
    const ipc = routeInvoke({
      app_status: () => ({ version: "0.1.0", data_dir: "/tmp/cpe", db_error: null, actor: "Администратор" }),
      staff_list: () => [{ id: 1, full_name: "Петрова Анна Сергеевна", position: "Специалист", active: true }],
      actor_set: ({ name }) => name,
      sme_list: () => ({ total: 0, rows: [] }),
    });
    render(App);
    expect(await screen.findByTestId("nav-sme")).toBeTruthy();
    // «Главная» is the first and the default section.
    expect(screen.getByTestId("nav-home").getAttribute("aria-current")).toBe("page");
    expect(screen.getAllByRole("button").find((b) => b.dataset.testid?.startsWith("nav-"))?.dataset.testid).toBe("nav-home");
    expect(screen.getByTestId("nav-settings")).toBeTruthy();
    await vi.waitFor(() =>
      expect(ipc.calls("actor_set").at(-1)).toEqual({ name: "Петрова Анна Сергеевна" }),
    );
    expect((screen.getByTestId("actor") as HTMLSelectElement).value).toBe("Петрова Анна Сергеевна");
  });

  it("shows the demo data being filled, then the sections with the demo mark", async () => {
    let asked = 0;
    routeInvoke({
      app_status: () => {
        asked += 1;
        return {
          version: "0.1.0",
          data_dir: "/tmp/cpe-demo-1",
          db_error: null,
          actor: "Администратор",
          demo: { ready: asked > 1, progress: "СМСП: 300", error: null },
        };
      },
      staff_list: () => [],
      first_screen: () => 1,
      report_dashboard: () => new Promise(() => {}),
      sme_list: () => ({ total: 0, total_exact: true, rows: [] }),
    });
    render(App);
    const filling = await screen.findByTestId("demo-filling");
    expect(filling.textContent).toContain("СМСП: 300");
    expect(screen.queryByTestId("nav-sme")).toBeNull();
    const mark = await screen.findByTestId("demo-mark", {}, { timeout: 3000 });
    expect(mark.textContent).toContain("Демонстрационные данные");
    expect(screen.getByTestId("nav-sme")).toBeTruthy();
  });
});
