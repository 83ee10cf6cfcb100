// The IPC wrappers of «Журнал изменений»: a window of the filtered journal, the filters' choices,
// the XLSX export — kept apart from api.ts so this screen has one door of its own.
import { call } from "./api";
import type { JournalFilters } from "./bindings/JournalFilters";
import type { JournalPage } from "./bindings/JournalPage";
import type { JournalQuery } from "./bindings/JournalQuery";

export const journalApi = {
  page: (query: JournalQuery, offset: number, limit: number) =>
    call<JournalPage>("journal_page", { query, offset, limit }),
  filters: () => call<JournalFilters>("journal_filters"),
  exportXlsx: (query: JournalQuery, path: string) => call<number>("journal_export", { query, path }),
};
