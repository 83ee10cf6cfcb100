// @vitest-environment node
import { describe, expect, it } from "vitest";
import { PagedRows } from "./pagedRows.svelte";

/** A server of `total` numbered rows that records which windows were asked for. */
function server(total: number) {
  const asked: [number, number][] = [];
  const fetch = async (offset: number, limit: number) => {
    asked.push([offset, limit]);
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => offset + k);
    return { total, rows };
  };
  return { asked, fetch };
}

describe("PagedRows", () => {
  it("fetches only the pages covering the asked range", async () => {
    const s = server(100_000);
    const rows = new PagedRows(s.fetch, 100);
    await rows.reset();
    expect(rows.total).toBe(100_000);
    await rows.ensure(50_020, 50_060);
    expect(s.asked).toEqual([
      [0, 100],
      [50_000, 100],
    ]);
    expect(rows.row(50_030)).toBe(50_030);
    expect(rows.row(70_000)).toBeUndefined();
  });

  it("forgets pages far from the view beyond its limit", async () => {
    const s = server(100_000);
    const rows = new PagedRows(s.fetch, 100, 5);
    for (let page = 0; page < 20; page++) await rows.ensure(page * 100, page * 100 + 50);
    expect(rows.pagesHeld).toBe(5);
    expect(rows.row(1_950)).toBe(1_950);
    expect(rows.row(0)).toBeUndefined();
  });

  it("drops an answer to a query that was replaced meanwhile", async () => {
    let release: (v: { total: number; rows: string[] }) => void = () => {};
    const slow = () => new Promise<{ total: number; rows: string[] }>((r) => (release = r));
    const rows = new PagedRows<string>(slow, 10);
    const first = rows.reset();
    const stale = release;
    await rows.reset(async () => ({ total: 1, rows: ["новый"] }));
    stale({ total: 5, rows: ["старый"] });
    await first;
    expect(rows.total).toBe(1);
    expect(rows.row(0)).toBe("новый");
  });
});
