// Reading and writing dates the Russian way (dd.mm.yyyy) for DateField: the test WebKit has no
// ru_RU locale, so the native date input would show MM/DD/YYYY; this is the one place that turns
// what staff type into the ISO `YYYY-MM-DD` the core expects.

export type DateRead = { iso: string } | { empty: true } | { error: string };

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-03-05" → "05.03.2026"; anything else is returned as is. */
export function isoToRu(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

function checked(d: number, m: number, y: number, typed: string): DateRead {
  if (y < 1900 || y > 2100) return { error: `Дата ${typed}: год — от 1900 до 2100` };
  if (m < 1 || m > 12) return { error: `Дата ${typed}: месяц — от 01 до 12` };
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > last) return { error: `Дата ${typed}: в этом месяце ${last} дней` };
  return { iso: `${y}-${pad(m)}-${pad(d)}` };
}

/**
 * What staff typed → an ISO date, nothing, or a Russian message saying how to write it.
 * Accepts 05.03.2026, 5.3.2026 (not 03/05/2026: slashes are the American order), 05032026, and ISO 2026-03-05 (pasted from elsewhere).
 */
export function readRuDate(text: string): DateRead {
  const t = text.trim();
  if (t === "") return { empty: true };
  let m = /^(\d{1,2})[.,-](\d{1,2})[.,-](\d{4})$/.exec(t);
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]), t);
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]), t);
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return checked(Number(m[3]), Number(m[2]), Number(m[1]), t);
  return { error: "Дата: введите в виде ДД.ММ.ГГГГ, например 05.03.2026" };
}
