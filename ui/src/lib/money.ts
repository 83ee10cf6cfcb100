// Money and rates as the core sends them — decimal strings ("1250000.00", "0.2") — turned into
// what people read ("1 250 000,00 ₽", "20 %"), by moving digits in the string: never through a
// JS number, so no float ever touches an amount (arithmetic is the core's job).

/** Non-breaking space: keeps "1 250 000,00 ₽" on one line (as the core's money.rs does). */
export const NBSP = "\u00A0";

interface Parts {
  negative: boolean;
  int: string;
  frac: string;
}

function parts(decimal: string): Parts | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(decimal);
  const int = m?.[2] ?? "";
  const frac = m?.[3] ?? "";
  if (!m || (int === "" && frac === "")) return null;
  return { negative: m[1] === "-", int: int.replace(/^0+(?=\d)/, "") || "0", frac };
}

function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/**
 * "1250000.5" → "1 250 000,50": groups of three with non-breaking spaces, a decimal comma, two
 * decimals. Amounts from the core are already whole kopecks; extra digits would be cut, not rounded.
 * Anything that is not a decimal string is shown as it came.
 */
export function formatAmount(decimal: string): string {
  const p = parts(decimal);
  if (!p) return decimal;
  const frac = (p.frac + "00").slice(0, 2);
  const zero = /^0*$/.test(p.int + frac);
  return `${p.negative && !zero ? "−" : ""}${group(p.int)},${frac}`;
}

/** "1250000.00" → "1 250 000,00 ₽". */
export function formatRub(decimal: string): string {
  return `${formatAmount(decimal)}${NBSP}₽`;
}

/** A rate as a fraction ("0.2", "0.255") → percent digits ("20", "25,5"), the decimal point moved two places. */
export function ratePercent(rate: string): string {
  const p = parts(rate);
  if (!p) return rate;
  const frac = p.frac.padEnd(2, "0");
  const int = (p.int + frac.slice(0, 2)).replace(/^0+(?=\d)/, "");
  const rest = frac.slice(2).replace(/0+$/, "");
  return `${p.negative ? "−" : ""}${int}${rest ? "," + rest : ""}`;
}

/** "0.2" → "20 %". */
export function formatRate(rate: string): string {
  return `${ratePercent(rate)}${NBSP}%`;
}

/** Whether a decimal string is below zero (for colouring an overdrawn remainder). */
export function isNegative(decimal: string): boolean {
  const p = parts(decimal);
  return !!p && p.negative && !/^0*$/.test(p.int + p.frac);
}

/** Whether a decimal string is zero ("0", "0.00"). */
export function isZero(decimal: string): boolean {
  const p = parts(decimal);
  return !!p && /^0*$/.test(p.int + p.frac);
}

/**
 * The width of `part` as a share of `whole`, in percent, for the bars of the budget screen. Only
 * a drawing: the digits are compared as whole kopecks in BigInt, never as floats.
 */
export function barPercent(part: string, whole: string): number {
  const k = (d: string): bigint | null => {
    const p = parts(d);
    if (!p) return null;
    const v = BigInt(p.int + (p.frac + "00").slice(0, 2));
    return p.negative ? -v : v;
  };
  const a = k(part);
  const b = k(whole);
  if (a === null || b === null || b <= 0n || a <= 0n) return 0;
  if (a >= b) return 100;
  return Number((a * 10000n) / b) / 100;
}
