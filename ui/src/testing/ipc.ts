// Test double for the Tauri bridge: routes each `invoke(command, args)` to a handler of the test,
// and records the calls. Test files still declare `vi.mock("@tauri-apps/api/core", ...)` themselves.
import { invoke } from "@tauri-apps/api/core";
import { vi } from "vitest";

export type Handler = (args: Record<string, unknown>) => unknown;

/** Makes the mocked `invoke` answer from `handlers`; an unknown command rejects like Tauri does. */
export function routeInvoke(handlers: Record<string, Handler>) {
  const mocked = vi.mocked(invoke);
  mocked.mockReset();
  mocked.mockImplementation(async (command: string, args?: unknown) => {
    const handler = handlers[command];
    if (!handler) throw `command ${command} not found`;
    return handler((args ?? {}) as Record<string, unknown>);
  });
  return {
    calls: (command: string) =>
      mocked.mock.calls.filter(([c]) => c === command).map(([, a]) => (a ?? {}) as Record<string, unknown>),
  };
}
