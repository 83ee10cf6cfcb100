// Rows of a long server-side list, fetched in pages as the table scrolls and forgotten when far
// away, so a 100 000-row registry costs a few hundred rows of memory and one query per page.
import { SvelteMap } from "svelte/reactivity";
import { toCoreError, type CoreError } from "./api";

export type FetchPage<T> = (
  offset: number,
  limit: number,
) => Promise<{ total: number; rows: T[]; total_exact?: boolean }>;

export class PagedRows<T> {
  /** How many rows match in all (from the newest answer). */
  total = $state(0);
  /** False when the server stopped counting: there are at least `total` rows (more may follow as it scrolls). */
  totalExact = $state(true);
  /** True once the first answer for the current query has arrived. */
  loaded = $state(false);
  error = $state<CoreError | null>(null);

  readonly pageSize: number;
  readonly #maxPages: number;
  #fetch: FetchPage<T>;
  #pages = new SvelteMap<number, T[]>();
  #inFlight = new Set<number>();
  /** Bumped by every reset: answers to an older query are dropped, never shown. */
  #generation = 0;
  #range: [number, number] = [0, 0];

  constructor(fetch: FetchPage<T>, pageSize = 100, maxPages = 30) {
    this.#fetch = fetch;
    this.pageSize = pageSize;
    this.#maxPages = maxPages;
  }

  /** The row at `index`, or undefined while its page is loading. */
  row(index: number): T | undefined {
    return this.#pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Starts over with a new query (or the same one after a change to the data). */
  reset(fetch: FetchPage<T> = this.#fetch, keepRange = false): Promise<void> {
    this.#fetch = fetch;
    this.#generation++;
    this.#pages.clear();
    this.#inFlight.clear();
    this.loaded = false;
    this.error = null;
    if (!keepRange) this.#range = [0, 0];
    const [first, last] = this.#range;
    return this.ensure(first, Math.max(last, first + 1));
  }

  /** Makes sure rows [first, last) are loaded or loading; drops pages far from them. */
  async ensure(first: number, last: number): Promise<void> {
    this.#range = [first, last];
    const from = Math.floor(first / this.pageSize);
    const to = Math.floor(Math.max(first, last - 1) / this.pageSize);
    const loads: Promise<void>[] = [];
    for (let page = from; page <= to; page++) {
      if (!this.#pages.has(page) && !this.#inFlight.has(page)) loads.push(this.#load(page));
    }
    this.#evict();
    await Promise.all(loads);
  }

  /** How many pages are held now (for tests and diagnostics). */
  get pagesHeld(): number {
    return this.#pages.size;
  }

  async #load(page: number): Promise<void> {
    const generation = this.#generation;
    this.#inFlight.add(page);
    try {
      const answer = await this.#fetch(page * this.pageSize, this.pageSize);
      if (generation !== this.#generation) return;
      this.total = answer.total;
      this.totalExact = answer.total_exact ?? true;
      this.#pages.set(page, answer.rows);
      this.#evict();
      this.loaded = true;
      this.error = null;
    } catch (reason) {
      if (generation === this.#generation) this.error = toCoreError(reason);
    } finally {
      if (generation === this.#generation) this.#inFlight.delete(page);
    }
  }

  #evict(): void {
    if (this.#pages.size <= this.#maxPages) return;
    const from = Math.floor(this.#range[0] / this.pageSize);
    const to = Math.floor(Math.max(this.#range[0], this.#range[1] - 1) / this.pageSize);
    const distance = (p: number) => (p < from ? from - p : p > to ? p - to : 0);
    const byDistance = [...this.#pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const page of byDistance.slice(0, this.#pages.size - this.#maxPages)) this.#pages.delete(page);
  }
}
