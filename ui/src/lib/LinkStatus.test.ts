// The notice of a lost link to the centre's server: shown while the shell says the server does not
// answer, gone when it answers again, with a confirmation that it is back.
import { render, screen, waitFor } from "@testing-library/svelte";
import "@testing-library/svelte/vitest";
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
import { toast } from "./toast.svelte";
import LinkStatus from "./LinkStatus.svelte";

describe("LinkStatus", () => {
  it("says changes are not saved while the server does not answer, and that the link is back", async () => {
    const stop = liveData.watch();
    await vi.waitFor(() => expect(handlers.has("server-link")).toBe(true));
    render(LinkStatus);
    expect(screen.queryByTestId("link-lost")).toBeNull();

    handlers.get("server-link")?.({ payload: false });
    const notice = await screen.findByTestId("link-lost");
    expect(notice.getAttribute("role")).toBe("alert");
    expect(notice.textContent).toContain("Нет связи с сервером");
    expect(notice.textContent).toContain("Изменения не сохраняются");
    expect(toast.current).toBeNull();

    handlers.get("server-link")?.({ payload: true });
    await waitFor(() => expect(screen.queryByTestId("link-lost")).toBeNull());
    expect(toast.current?.text).toBe("Связь с сервером центра восстановлена");
    stop();
  });
});
