// «Запомнить пароль на этом компьютере» on the centre's server: the start logs in with the kept
// password once (not after a logout), a refusal is said on the login screen, the box is sent with
// the login, and «Войти с сохранённым паролем» tries again after the server did not answer.
import { fireEvent, render, screen } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
import { describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import type { SessionStatus } from "../../lib/bindings/SessionStatus";
import { routeInvoke, type Handler } from "../../testing/ipc";
import { SPECIALIST, sessionStatus } from "../../testing/session";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

/** On the server, with a password store and a password kept for petrov. */
function status(extra: Partial<SessionStatus>): SessionStatus {
  return sessionStatus({
    server: { host: "cpe-server", port: 5432, database: "cpe", login: "petrov", tls: "prefer" },
    password_store: true,
    password_remembered: true,
    ...extra,
  });
}

function app(handlers: Record<string, Handler>) {
  return routeInvoke({
    app_status: () => ({ version: "0.1.0", data_dir: "/tmp/cpe", db_error: null, demo: null }),
    staff_list: () => [],
    first_screen: () => 1,
    report_dashboard: () => new Promise(() => {}),
    session_logout: () => null,
    ...handlers,
  });
}

describe("a password remembered on this computer", () => {
  it("logs in at start once, and not again after a logout", async () => {
    let loggedIn = false;
    const ipc = app({
      session_status: () => status({ session: loggedIn ? SPECIALIST : null }),
      session_login_remembered: () => {
        loggedIn = true;
        return SPECIALIST;
      },
    });
    render(App);
    await screen.findByTestId("user-menu");
    expect(ipc.calls("session_login_remembered")).toHaveLength(1);
    expect(ipc.calls("session_login")).toHaveLength(0);

    loggedIn = false;
    await fireEvent.click(screen.getByTestId("user-menu"));
    await fireEvent.click(await screen.findByTestId("user-logout"));
    await screen.findByTestId("login-screen");
    // The next person logs in as themselves: the kept password is offered, not used.
    expect(ipc.calls("session_login_remembered")).toHaveLength(1);
    expect(screen.getByTestId("login-remembered")).toBeTruthy();
    expect((screen.getByTestId("login-remember") as HTMLInputElement).checked).toBe(true);
  });

  it("says why it did not work, and the box goes with a typed login", async () => {
    let kept = true;
    const ipc = app({
      session_status: () => status({ password_remembered: kept }),
      session_login_remembered: () => {
        kept = false;
        throw {
          code: "validation",
          field: "password",
          message: "Сервер не принял пароль, сохранённый на этом компьютере для «petrov» (его могли сменить), и он забыт: введите пароль.",
        };
      },
      session_login: () => SPECIALIST,
    });
    render(App);
    expect((await screen.findByTestId("login-error")).textContent).toContain("и он забыт");
    // Forgotten: no longer offered; the box stays as chosen before — the new password is kept.
    await vi.waitFor(() => expect(screen.queryByTestId("login-remembered")).toBeNull());
    expect((screen.getByTestId("login-remember") as HTMLInputElement).checked).toBe(true);
    await fireEvent.input(screen.getByTestId("login-password"), { target: { value: "Новый-2026" } });
    await fireEvent.click(screen.getByTestId("login-submit"));
    await vi.waitFor(() =>
      expect(ipc.calls("session_login")).toEqual([{ login: "petrov", password: "Новый-2026", remember: true }]),
    );
  });

  it("tries again by «Войти с сохранённым паролем» when the server did not answer", async () => {
    let answers = false;
    const ipc = app({
      session_status: () => status({ session: answers ? SPECIALIST : null }),
      session_login_remembered: () => {
        if (!answers) {
          throw { code: "storage", message: "Сервер базы данных cpe-server:5432 не отвечает: проверьте адрес и порт." };
        }
        return SPECIALIST;
      },
    });
    render(App);
    expect((await screen.findByTestId("login-error")).textContent).toContain("не отвечает");
    answers = true;
    await fireEvent.click(screen.getByTestId("login-remembered"));
    await screen.findByTestId("user-menu");
    expect(ipc.calls("session_login_remembered")).toHaveLength(2);
  });
});
