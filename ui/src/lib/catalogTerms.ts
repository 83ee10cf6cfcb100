// Russian words for the catalog's terms, the same as the core's `label()`s, and the one-line
// summary of an item's terms shown on the catalog screen and in the calculator.
import type { CatalogItem } from "./bindings/CatalogItem";
import type { ItemRole } from "./bindings/ItemRole";
import type { ServiceKind } from "./bindings/ServiceKind";
import { formatRate, formatRub, isZero } from "./money";

export const SERVICE_KIND_LABEL: Record<ServiceKind, string> = {
  informational: "Информационная",
  event: "Мероприятие",
  standalone: "Самостоятельная",
  complex: "Комплексная",
};

export const ITEM_ROLE_LABEL: Record<ItemRole, string> = {
  whole: "Услуга",
  base: "Базовая услуга",
  additional: "Дополнительная услуга",
  format: "Формат",
};

/** Whether the item is given free of charge (no SME share). */
export function isFree(item: CatalogItem): boolean {
  return isZero(item.min_sme_rate);
}

/** "Софинансирование СМСП не менее 20 %", "не более 1 000 000,00 ₽ на 1 СМСП", … */
export function itemTerms(item: CatalogItem): string[] {
  const terms: string[] = [];
  if (isFree(item)) terms.push("Безвозмездно");
  else if (item.share_basis === "preparation_filing_paperwork")
    terms.push(
      `Доля СМСП не менее ${formatRate(item.min_sme_rate)} стоимости подготовки, подачи заявки и делопроизводства; пошлины — 100 % за счёт ЦПЭ`,
    );
  else terms.push(`Доля СМСП не менее ${formatRate(item.min_sme_rate)} стоимости`);
  if (item.cap_per_sme !== null) terms.push(`не более ${formatRub(item.cap_per_sme)} на 1 СМСП`);
  if (item.declaration_required) terms.push("заявление о неполучении субсидии на те же цели");
  if (item.min_participants !== null) terms.push(`не менее ${item.min_participants} СМСП одновременно`);
  return terms;
}

/** "п. 4.2 разд. 3" → "§3, п. 4.2" — how staff cite the regulation. */
export function sourceLabel(source: string): string {
  const m = /^п\. ([\d.]+) разд\. (\d+)(.*)$/.exec(source.trim());
  return m ? `§${m[2]}, п. ${m[1]}${m[3]}` : source;
}

/** Today as ISO YYYY-MM-DD in the user's time zone (not UTC: after 21:00 in Khabarovsk UTC is another day). */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** "2025-03-15" → "15.03.2025". */
export function ruDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}
