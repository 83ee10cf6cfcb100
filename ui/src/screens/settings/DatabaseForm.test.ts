// «База данных» and the login on the centre's server: the address typed and checked, the port
// refused naming the field, the switch made with the typed password (kept in the OS's password
// store when asked), the login typed (not chosen).
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import DatabaseForm from "./DatabaseForm.svelte";
import { routeInvoke } from "../../testing/ipc";
import { SPECIALIST, sessionStatus } from "../../testing/session";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const type = (name: string, value: string) =>
  fireEvent.input(document.querySelector(`input[name='${name}']`) as HTMLInputElement, { target: { value } });

describe("DatabaseForm", () => {
  it("checks the server, refuses a bad port by its field and connects with the password typed", async () => {
    const ipc = routeInvoke({
      database_choice: () => ({ kind: "local" }),
      database_check: ({ password }) => {
        if (password !== "Весна-2026") throw { code: "storage", message: "Сервер 10.0.0.5:5432 не принял пароль пользователя «petrov»." };
        return "Подключение в порядке: сервер 10.0.0.5:5432, база cpe. Вы — Петров Пётр Ильич, роль — специалист.";
      },
      database_use_server: () => SPECIALIST,
      database_password_store: () => true,
    });
    const onserver = vi.fn();
    render(DatabaseForm, { onserver, onlocal: vi.fn() });
    // Working on the local file already: said, nothing to press until the server is chosen.
    expect((await screen.findByTestId("database-current")).textContent).toContain("локальной базой");
    expect(screen.queryByTestId("database-save")).toBeNull();
    await fireEvent.click(await screen.findByTestId("database-server"));
    type("host", "10.0.0.5");
    type("port", "54x");
    type("login", "petrov");
    type("password", "не-тот");
    await fireEvent.click(screen.getByTestId("database-check"));
    expect((await screen.findByTestId("error-port")).textContent).toContain("от 1 до 65535");
    expect(ipc.calls("database_check")).toHaveLength(0);
    type("port", "5432");
    await fireEvent.click(screen.getByTestId("database-check"));
    expect((await screen.findByTestId("database-error")).textContent).toContain("не принял пароль");
    type("password", "Весна-2026");
    const tls = document.querySelector("select[name='tls']") as HTMLSelectElement;
    expect(tls.value).toBe("prefer");
    await fireEvent.change(tls, { target: { value: "require" } });
    await fireEvent.click(screen.getByTestId("database-check"));
    expect((await screen.findByTestId("database-checked")).textContent).toContain("роль — специалист");
    expect(ipc.calls("database_check").at(-1)).toEqual({
      address: { host: "10.0.0.5", port: 5432, database: "cpe", login: "petrov", tls: "require" },
      password: "Весна-2026",
    });
    await fireEvent.click(screen.getByTestId("database-remember"));
    await fireEvent.click(screen.getByTestId("database-save"));
    await vi.waitFor(() => expect(onserver).toHaveBeenCalledWith(SPECIALIST));
    expect(ipc.calls("database_use_server")).toEqual([
      {
        address: { host: "10.0.0.5", port: 5432, database: "cpe", login: "petrov", tls: "require" },
        password: "Весна-2026",
        remember: true,
      },
    ]);
  });

  it("while the server is slow to answer, says it is connecting and keeps the buttons from a second press", async () => {
    let answer: (text: string) => void = () => {};
    let refuse: (e: unknown) => void = () => {};
    const ipc = routeInvoke({
      database_choice: () => ({ kind: "local" }),
      database_password_store: () => false,
      database_check: () => new Promise((resolve) => (answer = resolve)),
      database_use_server: () => new Promise((_, reject) => (refuse = reject)),
    });
    render(DatabaseForm, { onserver: vi.fn(), onlocal: vi.fn() });
    await fireEvent.click(await screen.findByTestId("database-server"));
    type("host", "10.0.0.5");
    type("login", "petrov");
    type("password", "Весна-2026");
    const check = screen.getByTestId("database-check") as HTMLButtonElement;
    await fireEvent.click(check);
    expect((await screen.findByTestId("database-waiting")).textContent).toContain("Подключение к серверу 10.0.0.5:5432");
    expect(check.textContent).toContain("Проверка…");
    expect(check.disabled).toBe(true);
    expect((screen.getByTestId("database-save") as HTMLButtonElement).disabled).toBe(true);
    answer("Подключение в порядке");
    expect((await screen.findByTestId("database-checked")).textContent).toContain("в порядке");
    expect(screen.queryByTestId("database-waiting")).toBeNull();
    expect(check.textContent).toContain("Проверить подключение");

    const save = screen.getByTestId("database-save") as HTMLButtonElement;
    await fireEvent.click(save);
    await vi.waitFor(() => expect(save.textContent).toContain("Подключение…"));
    await fireEvent.click(save);
    expect(ipc.calls("database_use_server")).toHaveLength(1);
    refuse({ code: "storage", message: "Сервер базы данных 10.0.0.5:5432 не отвечает: подключение не установлено за 10 секунд." });
    expect((await screen.findByTestId("database-error")).textContent).toContain("не отвечает");
    expect(screen.queryByTestId("database-waiting")).toBeNull();
    expect(save.disabled).toBe(false);
    expect((document.querySelector("input[name='password']") as HTMLInputElement).value).toBe("Весна-2026");
  });

  it("on the server, the login screen names it and the login is typed", async () => {
    let loggedIn: (s: unknown) => void = () => {};
    const ipc = routeInvoke({
      app_status: () => ({ version: "0.1.0", data_dir: "/tmp/cpe", db_error: null, demo: null }),
      session_status: () =>
        sessionStatus({ server: { host: "cpe-server", port: 5432, database: "cpe", login: "ivanova", tls: "prefer" } }),
      session_login: () => new Promise((resolve) => (loggedIn = resolve)),
      staff_list: () => [],
      first_screen: () => 1,
      report_dashboard: () => new Promise(() => {}),
    });
    render(App);
    expect((await screen.findByTestId("login-server")).textContent).toContain("cpe-server:5432, база cpe");
    const name = screen.getByTestId("login-name") as HTMLInputElement;
    expect(name.value).toBe("ivanova"); // the last login on this computer
    expect(screen.queryByTestId("login-who")).toBeNull();
    await fireEvent.input(name, { target: { value: "petrov" } });
    await fireEvent.input(screen.getByTestId("login-password"), { target: { value: "Весна-2026" } });
    const submit = screen.getByTestId("login-submit") as HTMLButtonElement;
    await fireEvent.click(submit);
    // The server may take seconds to answer: the button says so and takes no second press.
    await vi.waitFor(() => expect(submit.textContent).toContain("Вход на сервер…"));
    expect(submit.disabled).toBe(true);
    expect(ipc.calls("session_login")).toEqual([{ login: "petrov", password: "Весна-2026", remember: undefined }]);
    loggedIn(SPECIALIST);
    // No password store on this computer: nothing offered to remember.
    expect(screen.queryByTestId("login-remember")).toBeNull();
  });
});
