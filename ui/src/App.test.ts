import { fireEvent, render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import App from "./App.svelte";
import type { Session } from "./lib/bindings/Session";
import type { SessionStatus } from "./lib/bindings/SessionStatus";
import { watchIdle } from "./lib/session.svelte";
import { routeInvoke } from "./testing/ipc";
import { sessionStatus as baseStatus } from "./testing/session";

const OK_STATUS = { version: "0.1.0", data_dir: "/tmp/cpe", db_error: null, demo: null };

/** The local file of a centre with two accounts. */
function sessionStatus(extra: Partial<SessionStatus> = {}): SessionStatus {
  return baseStatus({
    logins: [
      { login: "ivanova", full_name: "Иванова Мария Петровна" },
      { login: "petrov", full_name: "Петров Пётр Петрович" },
    ],
    staff_count: 2,
    centre_name: "ЦПЭ Хабаровского края",
    ...extra,
  });
}

const HEAD: Session = {
  staff_id: 1,
  login: "ivanova",
  full_name: "Иванова Мария Петровна",
  position: "Директор",
  role: "head",
  rights: ["registry", "accounts", "settings", "output", "own_password"],
  must_change_password: false,
};

const WORK = {
  staff_list: () => [],
  first_screen: () => 1,
  report_dashboard: () => new Promise(() => {}),
  sme_list: () => ({ total: 0, total_exact: true, rows: [] }),
};

describe("App", () => {
  it("shows only the database error when the database was refused", async () => {
    routeInvoke({
      app_status: () => ({
        ...OK_STATUS,
        data_dir: "/home/user/.local/share/cpe",
        db_error: { code: "database_too_new", message: "База создана более новой версией программы. Обновите программу." },
      }),
    });
    render(App);
    const box = await screen.findByTestId("db-error");
    expect(box.textContent).toContain("более новой версией");
    expect(box.textContent).toContain("/home/user/.local/share/cpe");
    expect(screen.queryByTestId("nav-sme")).toBeNull();
    expect(screen.queryByTestId("login-screen")).toBeNull();
  });

  it("sets up a new database with the head's account, then opens the sections as the head", async () => {
    const ipc = routeInvoke({
      app_status: () => OK_STATUS,
      session_status: () => sessionStatus({ setup_needed: true, logins: [], staff_count: 0 }),
      session_setup_defaults: () => ({ full_name: "", short_name: "", region_code: "", city: "", head_name: "", head_position: "" }),
      session_setup: ({ input }) => {
        const i = input as { password: string; login: string };
        if (i.password.length < 8) throw { code: "validation", message: "Пароль: не короче 8 символов (сейчас 3)", field: "password" };
        return HEAD;
      },
      ...WORK,
    });
    render(App);
    await screen.findByTestId("setup-form");
    expect(screen.queryByTestId("nav-sme")).toBeNull();
    const type = (name: string, value: string) =>
      fireEvent.input(document.querySelector(`input[name='${name}']`) as HTMLInputElement, { target: { value } });
    type("centre_full_name", "АНО «ЦПЭ Хабаровского края»");
    type("login", "ivanova");
    type("password", "abc");
    type("repeat", "abd");
    await fireEvent.click(screen.getByTestId("setup-submit"));
    expect((await screen.findByTestId("error-repeat")).textContent).toContain("не совпадает");
    expect(ipc.calls("session_setup")).toHaveLength(0);
    type("repeat", "abc");
    await fireEvent.click(screen.getByTestId("setup-submit"));
    expect((await screen.findByTestId("error-password")).textContent).toContain("не короче 8");
    type("password", "Секрет-2026");
    type("repeat", "Секрет-2026");
    await fireEvent.click(screen.getByTestId("setup-submit"));
    expect(await screen.findByTestId("nav-sme")).toBeTruthy();
    expect(screen.getByTestId("user-name").textContent).toBe("Иванова Мария Петровна");
    expect(screen.getByTestId("user-role").textContent).toBe("Руководитель");
  });

  it("logs in with the core's reason on a wrong password, locks keeping the screen, and unlocks", async () => {
    let tries = 0;
    const ipc = routeInvoke({
      app_status: () => OK_STATUS,
      session_status: () => sessionStatus(),
      session_login: ({ password }) => {
        tries += 1;
        if (password !== "Секрет-2026")
          throw { code: "auth", message: "Неверный пароль (проверьте раскладку и Caps Lock). Осталось попыток без ожидания: 4" };
        return HEAD;
      },
      session_lock: () => null,
      ...WORK,
    });
    render(App);
    await screen.findByTestId("login-form");
    // The login is the start's first screen (`make bench` times the start by it).
    await vi.waitFor(() => expect(ipc.calls("first_screen")).toHaveLength(1));
    expect(screen.queryByTestId("login-demo-hint")).toBeNull();
    const who = screen.getByTestId("login-who") as HTMLSelectElement;
    expect(who.options).toHaveLength(2);
    const password = screen.getByTestId("login-password") as HTMLInputElement;
    await fireEvent.keyDown(password, { key: "A", modifierCapsLock: true });
    expect((await screen.findByTestId("login-caps")).textContent).toContain("Caps Lock");
    fireEvent.input(password, { target: { value: "неверный" } });
    await fireEvent.click(screen.getByTestId("login-submit"));
    expect((await screen.findByTestId("login-error")).textContent).toContain("Осталось попыток без ожидания: 4");
    expect(password.value).toBe("");
    fireEvent.input(password, { target: { value: "Секрет-2026" } });
    await fireEvent.click(screen.getByTestId("login-submit"));
    expect(await screen.findByTestId("nav-settings")).toBeTruthy();
    expect(ipc.calls("session_login").at(-1)).toEqual({ login: "ivanova", password: "Секрет-2026" });

    // «Заблокировать»: the lock covers the open screen (it stays mounted underneath).
    await fireEvent.click(screen.getByTestId("user-lock"));
    const lock = await screen.findByTestId("lock-screen");
    expect(lock.textContent).toContain("Иванова Мария Петровна");
    expect(screen.getByTestId("nav-settings")).toBeTruthy();
    await vi.waitFor(() => expect(ipc.calls("session_lock")).toHaveLength(1));
    fireEvent.input(screen.getByTestId("login-password"), { target: { value: "Секрет-2026" } });
    await fireEvent.click(screen.getByTestId("login-submit"));
    await vi.waitFor(() => expect(screen.queryByTestId("lock-screen")).toBeNull());
    expect(tries).toBe(3);
  });

  it("shows the demo data being filled, then the login with the demo password, then the demo mark", async () => {
    let asked = 0;
    routeInvoke({
      app_status: () => {
        asked += 1;
        return { ...OK_STATUS, data_dir: "/tmp/cpe-demo-1", demo: { ready: asked > 1, progress: "СМСП: 300", error: null } };
      },
      session_status: () => sessionStatus({ demo_password: "demo-2026" }),
      session_login: () => HEAD,
      ...WORK,
    });
    render(App);
    const filling = await screen.findByTestId("demo-filling");
    expect(filling.textContent).toContain("СМСП: 300");
    const hint = await screen.findByTestId("login-demo-hint", {}, { timeout: 3000 });
    expect(hint.textContent).toContain("demo-2026");
    fireEvent.input(screen.getByTestId("login-password"), { target: { value: "demo-2026" } });
    await fireEvent.click(screen.getByTestId("login-submit"));
    const mark = await screen.findByTestId("demo-mark");
    expect(mark.textContent).toContain("Демонстрационные данные");
  });

  it("locks after the idle minutes without input, and input postpones it", () => {
    vi.useFakeTimers();
    let clock = 0;
    const idle = vi.fn();
    const stop = watchIdle(15, idle, () => clock);
    clock = 14 * 60_000;
    vi.advanceTimersByTime(5_000);
    expect(idle).not.toHaveBeenCalled();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    clock = 28 * 60_000;
    vi.advanceTimersByTime(5_000);
    expect(idle).not.toHaveBeenCalled();
    clock = 29 * 60_000 + 1;
    vi.advanceTimersByTime(5_000);
    expect(idle).toHaveBeenCalledTimes(1);
    stop();
    vi.useRealTimers();
  });
});
