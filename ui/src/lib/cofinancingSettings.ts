// The settings form's conversions: a share (0.10) shown as a percent (10) and back, and the
// carry-over day typed «ДД.ММ» — done on the decimal text, so 0.14 never becomes 14.000000000000002.
import type { CoreError } from "./api";

/** «0.125» → «12,5»: the decimal point moved two places right, trailing zeros dropped. */
export function shareToPercent(share: string): string {
  const [int = "0", frac = ""] = share.trim().split(".");
  const digits = int + frac.padEnd(2, "0");
  const whole = digits.slice(0, int.length + 2).replace(/^0+(?=\d)/, "");
  const rest = digits.slice(int.length + 2).replace(/0+$/, "");
  return rest ? `${whole},${rest}` : whole;
}

/** «12,5» → «0.125»; `null` for text that is not a number. */
export function percentToShare(percent: string): string | null {
  const t = percent.trim().replace(",", ".").replace(/\s|%/g, "");
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const [int = "0", frac = ""] = t.split(".");
  const padded = int.padStart(3, "0");
  const whole = padded.slice(0, -2).replace(/^0+(?=\d)/, "");
  const rest = (padded.slice(-2) + frac).replace(/0+$/, "");
  return rest ? `${whole}.${rest}` : whole;
}

/** «01.04» from month 4, day 1. */
export function dayMonth(month: number, day: number): string {
  return `${String(day).padStart(2, "0")}.${String(month).padStart(2, "0")}`;
}

/** «1.4», «01.04» → { month: 4, day: 1 }; a message under the field otherwise (the core checks the date). */
export function parseDayMonth(text: string): { month: number; day: number } | CoreError {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.?\s*$/.exec(text);
  if (!m) {
    return {
      code: "validation",
      field: "carry_over",
      message: "Срок расходования средств сметы в следующем году: укажите день и месяц через точку, например 01.04",
    };
  }
  return { day: Number(m[1]), month: Number(m[2]) };
}
