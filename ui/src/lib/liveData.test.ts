// @vitest-environment node
// The shell's `data-changed` event bumps the version the lists read, and `server-link` says whether
// the centre's server answers, while watched.
import { describe, expect, it, vi } from "vitest";

type Handler = (e: { payload: unknown }) => void;
const handlers = new Map<string, Handler>();
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (event: string, handler: Handler) => {
    handlers.set(event, handler);
    return () => handlers.delete(event);
  }),
}));

import { liveData } from "./liveData.svelte";

describe("liveData", () => {
  it("bumps the version on each change the shell reports, until unwatched", async () => {
    const stop = liveData.watch();
    await vi.waitFor(() => expect(handlers.size).toBe(2));
    const start = liveData.version;
    handlers.get("data-changed")?.({ payload: null });
    expect(liveData.version).toBe(start + 1);
    stop();
    expect(handlers.size).toBe(0);
  });

  it("follows the server's link, and starts each watch linked", async () => {
    const stop = liveData.watch();
    await vi.waitFor(() => expect(handlers.size).toBe(2));
    expect(liveData.linked).toBe(true);
    handlers.get("server-link")?.({ payload: false });
    expect(liveData.linked).toBe(false);
    handlers.get("server-link")?.({ payload: true });
    expect(liveData.linked).toBe(true);
    handlers.get("server-link")?.({ payload: false });
    stop();
    liveData.watch()();
    expect(liveData.linked).toBe(true);
  });
});
