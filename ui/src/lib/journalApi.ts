// The IPC wrappers of «Журнал изменений»: a window of the filtered journal, the filters' choices,
// the XLSX export — kept apart from api.ts so this screen has one door of its own.
import { invoke } from "@tauri-apps/api/core";
import { toCoreError } from "./api";
import type { JournalFilters } from "./bindings/JournalFilters";
import type { JournalPage } from "./bindings/JournalPage";
import type { JournalQuery } from "./bindings/JournalQuery";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toCoreError(reason);
  }
}

export const journalApi = {
  page: (query: JournalQuery, offset: number, limit: number) =>
    call<JournalPage>("journal_page", { query, offset, limit }),
  filters: () => call<JournalFilters>("journal_filters"),
  exportXlsx: (query: JournalQuery, path: string) => call<number>("journal_export", { query, path }),
};
