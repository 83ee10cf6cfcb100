// The IPC wrappers of the «Экспорт» section (rates, export contracts, foreign buyers, reminders),
// kept apart from api.ts so this area has one door of its own.
import { call } from "./api";
import type { BuyerCard } from "./bindings/BuyerCard";
import type { BuyerQuery } from "./bindings/BuyerQuery";
import type { Conversion } from "./bindings/Conversion";
import type { CoreError } from "./bindings/CoreError";
import type { Country } from "./bindings/Country";
import type { Currency } from "./bindings/Currency";
import type { CurrencyRate } from "./bindings/CurrencyRate";
import type { ExportContract } from "./bindings/ExportContract";
import type { ExportContractCheck } from "./bindings/ExportContractCheck";
import type { ExportContractInput } from "./bindings/ExportContractInput";
import type { ExportContractQuery } from "./bindings/ExportContractQuery";
import type { ExportReminder } from "./bindings/ExportReminder";
import type { ForeignBuyer } from "./bindings/ForeignBuyer";
import type { ForeignBuyerInput } from "./bindings/ForeignBuyerInput";
import type { ManualRateInput } from "./bindings/ManualRateInput";
import type { RateImportReport } from "./bindings/RateImportReport";
import type { RateQuery } from "./bindings/RateQuery";
import type { ReminderContactInput } from "./bindings/ReminderContactInput";
import type { ReminderSettings } from "./bindings/ReminderSettings";
import type { SupportOption } from "./bindings/SupportOption";

let countries: Promise<Country[]> | null = null;
let currencies: Promise<Currency[]> | null = null;

export const ex = {
  /** ОКСМ, loaded once per session (it is compiled into the program). */
  countries: () => (countries ??= call<Country[]>("oksm_countries")),
  currencies: () => (currencies ??= call<Currency[]>("oksm_currencies")),

  ratesImport: (paths: string[], replace: boolean) => call<RateImportReport[]>("rates_import", { paths, replace }),
  ratesList: (query: RateQuery) => call<CurrencyRate[]>("rates_list", { query }),
  ratesSetManual: (input: ManualRateInput) => call<CurrencyRate>("rates_set_manual", { input }),
  ratesDelete: (date: string, charCode: string) => call<void>("rates_delete", { date, charCode }),
  ratesConvert: (currency: string, date: string, amount: string) =>
    call<Conversion>("rates_convert", { currency, date, amount }),

  contractCheck: (input: ExportContractInput) => call<ExportContractCheck>("export_contract_check", { input }),
  contractAdd: (input: ExportContractInput) => call<ExportContract>("export_contract_add", { input }),
  contractGet: (id: number) => call<ExportContract>("export_contract_get", { id }),
  contractUpdate: (id: number, input: ExportContractInput, seen: number | null) =>
    call<ExportContract>("export_contract_update", { id, input, seen }),
  contractCancel: (id: number, reason: string) => call<ExportContract>("export_contract_cancel", { id, reason }),
  contractList: (query: ExportContractQuery) => call<ExportContract[]>("export_contract_list", { query }),
  supportOptions: (smeId: number) => call<SupportOption[]>("export_support_options", { smeId }),

  buyerList: (query: BuyerQuery) => call<ForeignBuyer[]>("buyer_list", { query }),
  buyerCard: (id: number) => call<BuyerCard>("buyer_card", { id }),
  buyerValidate: (input: ForeignBuyerInput) => call<CoreError[]>("buyer_validate", { input }),
  buyerAdd: (input: ForeignBuyerInput) => call<ForeignBuyer>("buyer_add", { input }),
  buyerUpdate: (id: number, input: ForeignBuyerInput, seen: number | null) =>
    call<ForeignBuyer>("buyer_update", { id, input, seen }),
  buyerDelete: (id: number) => call<void>("buyer_delete", { id }),
  buyerExport: (query: BuyerQuery, path: string) => call<number>("buyer_export", { query, path }),

  reminders: () => call<ExportReminder[]>("export_reminders"),
  reminderSettings: () => call<ReminderSettings>("export_reminder_settings"),
  reminderSettingsSave: (settings: ReminderSettings) =>
    call<ReminderSettings>("export_reminder_settings_save", { settings }),
  reminderContact: (input: ReminderContactInput) => call<void>("export_reminder_contact", { input }),
  remindersPdf: (path: string) => call<void>("export_reminders_pdf", { path }),
};

/** A missing CB rate arrives as `missing_rate` with field `rate:CODE:YYYY-MM-DD`: the currency and day to ask for. */
export function missingRate(e: CoreError): { currency: string; date: string } | null {
  if (e.code !== "missing_rate" || !e.field) return null;
  const m = /^rate:([A-Z]{3}):(\d{4}-\d{2}-\d{2})$/.exec(e.field);
  return m && m[1] && m[2] ? { currency: m[1], date: m[2] } : null;
}

/** "136.181" → "136,181" (thousand USD keep their three decimals). */
export function formatThousandUsd(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const int = (m[2] ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const frac = ((m[3] ?? "") + "000").slice(0, 3);
  return `${m[1] ? "−" : ""}${int},${frac}`;
}

/** A decimal with its own precision, comma decimal: "0.58674" → "0,58674", "1000000" → "1 000 000". */
export function formatDecimal(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const int = (m[2] ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  return `${m[1] ? "−" : ""}${int}${frac ? "," + frac : ""}`;
}

/** Sums thousand-USD decimals exactly (in whole dollars as BigInt, never a float): ["1.5", "0.25"] → "1.750". */
export function sumThousandUsd(values: readonly string[]): string {
  let total = 0n;
  for (const v of values) {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v.trim());
    if (!m) continue;
    const dollars = BigInt((m[2] ?? "0") + ((m[3] ?? "") + "000").slice(0, 3));
    total += m[1] ? -dollars : dollars;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(4, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}
