// The running import of the tax service's SME registry, kept outside the screen so that staff
// can switch to other sections during a long import and come back to its progress.
import { api, toCoreError, type CoreError } from "./api";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportSummary } from "./bindings/ImportSummary";

let running = $state(false);
let cancelling = $state(false);
let progress = $state<ImportProgress | null>(null);
let error = $state<CoreError | null>(null);
let summary = $state<ImportSummary | null>(null);

export const fnsImport = {
  get running() {
    return running;
  },
  get cancelling() {
    return cancelling;
  },
  get progress() {
    return progress;
  },
  get error() {
    return error;
  },
  set error(e: CoreError | null) {
    error = e;
  },
  get summary() {
    return summary;
  },

  /** Runs an import to its end; resolves to the summary, or null when it failed or was cancelled. */
  async start(paths: string[], regions: string[]): Promise<ImportSummary | null> {
    if (running) return null;
    running = true;
    cancelling = false;
    progress = null;
    error = null;
    summary = null;
    let stop: (() => void) | null = null;
    try {
      stop = await api.onFnsImportProgress((p) => (progress = p));
      summary = await api.fnsImport(paths, regions);
      return summary;
    } catch (reason) {
      error = toCoreError(reason);
      return null;
    } finally {
      stop?.();
      progress = null;
      running = false;
    }
  },

  /** Asks the import to stop. A cancel pressed before the shell has registered the job (the
   * request is still on its way) is asked again until it lands or the import ends. */
  async cancel(): Promise<void> {
    cancelling = true;
    for (let tries = 0; running && tries < 100; tries++) {
      if (await api.fnsImportCancel().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  },

  /** Forgets the last outcome (tests; a new screen session). */
  reset(): void {
    if (running) return;
    error = null;
    summary = null;
    progress = null;
  },
};
