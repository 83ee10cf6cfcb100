// The IPC wrappers of «Главная» and «Отчёты»: the dashboard, the yearly report and the records
// behind its figures, the quarterly monitoring, the registry of recipients, the demand analysis, and report files.
import { call } from "./api";
import type { Dashboard } from "./bindings/Dashboard";
import type { DemandAnalysis } from "./bindings/DemandAnalysis";
import type { Budget } from "./bindings/Budget";
import type { KpiTargets } from "./bindings/KpiTargets";
import type { Figure } from "./bindings/Figure";
import type { ForecastInput } from "./bindings/ForecastInput";
import type { QuarterlyReport } from "./bindings/QuarterlyReport";
import type { RecipientRegistry } from "./bindings/RecipientRegistry";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { ReportRequest } from "./bindings/ReportRequest";
import type { TraceList } from "./bindings/TraceList";
import type { YearlyReport } from "./bindings/YearlyReport";

export const reports = {
  dashboard: () => call<Dashboard>("report_dashboard"),
  yearly: (year: number) => call<YearlyReport>("report_yearly", { year }),
  quarterly: (year: number, quarter: number) => call<QuarterlyReport>("report_quarterly", { year, quarter }),
  trace: (year: number, figure: Figure) => call<TraceList>("report_trace", { year, figure }),
  recipients: (from: string, to: string) => call<RecipientRegistry>("report_recipients", { from, to }),
  demand: (year: number) => call<DemandAnalysis>("report_demand", { year }),
  demandToBudget: (year: number) => call<Budget>("report_demand_to_budget", { year }),
  targetsSave: (targets: KpiTargets) => call<KpiTargets>("report_targets_save", { targets }),
  forecastSave: (input: ForecastInput) => call<DemandAnalysis>("report_forecast_save", { input }),
  fileName: (request: ReportRequest, format: ReportFormat) => call<string>("report_file_name", { request, format }),
  save: (request: ReportRequest, format: ReportFormat, path: string) =>
    call<void>("report_save", { request, format, path }),
  open: (request: ReportRequest, format: ReportFormat) => call<void>("report_open", { request, format }),
};

/** "150.5" → "150,5": thousand dollars as the report prints them (three decimals at most). */
export function formatUsd(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const int = (m[2] ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, "\u00A0");
  const frac = (m[3] ?? "").slice(0, 3).replace(/0+$/, "");
  return `${m[1] ? "−" : ""}${int}${frac ? "," + frac : ""}`;
}

export const MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
export const MONTH_NAMES = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
  "декабрь",
];

/** Actual against plan, per cent with one decimal («104,2 %»); null without a plan. */
export function percentDone(actual: string | number, plan: string | number | null | undefined): string | null {
  const p = Number(plan);
  if (plan === null || plan === undefined || !Number.isFinite(p) || p === 0) return null;
  return (Math.round((Number(actual) / p) * 1000) / 10).toLocaleString("ru-RU") + " %";
}
