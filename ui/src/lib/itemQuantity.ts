// The quantities of an agreement's item for the terms its catalog item sets in quantities
// (разд. 3: guests × days of accommodation, the stand's m², storage months and m², a condition to
// confirm): what the form holds as typed, and what the core receives (it checks the limits).
import type { CatalogItem } from "./bindings/CatalogItem";
import type { ItemQuantity } from "./bindings/ItemQuantity";

export interface QuantityDraft {
  guests: string;
  days: string;
  area: string;
  months: string;
  confirmed: boolean;
}

export const EMPTY_QUANTITY: ItemQuantity = { guests: null, days: null, area_m2: null, months: null, condition_confirmed: false };

export function emptyDraft(): QuantityDraft {
  return { guests: "", days: "", area: "", months: "", confirmed: false };
}

function whole(text: string): number | null {
  return /^\s*\d{1,6}\s*$/.test(text) ? Number.parseInt(text, 10) : null;
}

/** "9,5" → "9.5"; anything that is not a number becomes null, and the core asks for it. */
function area(text: string): string | null {
  const t = text.trim().replace(/\s/g, "").replace(",", ".");
  return /^\d{1,6}(\.\d{1,2})?$/.test(t) ? t : null;
}

/** What the core receives; an item without limits sends nothing. */
export function quantityOf(d: QuantityDraft | undefined): ItemQuantity {
  if (!d) return { ...EMPTY_QUANTITY };
  return { guests: whole(d.guests), days: whole(d.days), area_m2: area(d.area), months: whole(d.months), condition_confirmed: d.confirmed };
}

/** A saved item's quantities as the form shows them. */
export function draftOf(q: ItemQuantity | undefined): QuantityDraft {
  if (!q) return emptyDraft();
  return {
    guests: q.guests === null ? "" : String(q.guests),
    days: q.days === null ? "" : String(q.days),
    area: q.area_m2 === null ? "" : q.area_m2.replace(".", ","),
    months: q.months === null ? "" : String(q.months),
    confirmed: q.condition_confirmed,
  };
}

/** Whether the item's terms ask for quantities at all. */
export function needsQuantity(item: CatalogItem): boolean {
  return !!item.limits;
}

/** «3 чел. × 2 сут., 9 м²» for the agreement's card; "" when none. */
export function describeQuantity(q: ItemQuantity | undefined): string {
  if (!q) return "";
  const parts: string[] = [];
  if (q.guests !== null && q.days !== null) parts.push(`${q.guests} чел. × ${q.days} сут.`);
  if (q.months !== null) parts.push(`${q.months} мес.`);
  if (q.area_m2 !== null) parts.push(`${q.area_m2.replace(".", ",")} м²`);
  if (q.condition_confirmed) parts.push("условие подтверждено");
  return parts.join(", ");
}
