// @vitest-environment node
// The shell's `data-changed` event bumps the version the lists read, while watched.
import { describe, expect, it, vi } from "vitest";

const handlers: Array<() => void> = [];
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (_event: string, handler: () => void) => {
    handlers.push(handler);
    return () => handlers.splice(handlers.indexOf(handler), 1);
  }),
}));

import { liveData } from "./liveData.svelte";

describe("liveData", () => {
  it("bumps the version on each change the shell reports, until unwatched", async () => {
    const stop = liveData.watch();
    await vi.waitFor(() => expect(handlers).toHaveLength(1));
    const start = liveData.version;
    handlers[0]?.();
    expect(liveData.version).toBe(start + 1);
    stop();
    expect(handlers).toHaveLength(0);
  });
});
