// Which database this computer works on — the local file or the centre's server.
import { call } from "./api";
import type { DatabaseChoice } from "./bindings/DatabaseChoice";
import type { ServerAddress } from "./bindings/ServerAddress";
import type { Session } from "./bindings/Session";

export const databaseApi = {
  choice: () => call<DatabaseChoice>("database_choice"),
  /** What the server says with this address, login and password; changes nothing. */
  check: (address: ServerAddress, password: string) => call<string>("database_check", { address, password }),
  /** Works on the server from now on (remembered), logged in as that login; `remember` keeps the
   * password in the OS's password store. */
  useServer: (address: ServerAddress, password: string, remember: boolean) =>
    call<Session>("database_use_server", { address, password, remember }),
  /** Whether the OS's password store answers («Запомнить пароль» is offered). */
  passwordStore: () => call<boolean>("database_password_store"),
  /** Back to the local file (remembered), logged out. */
  useLocal: () => call<void>("database_use_local"),
};
