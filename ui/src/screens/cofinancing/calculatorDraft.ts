// What the calculator holds while staff type (amounts as text, exactly as typed) and how it
// becomes the request the core checks. Shared with the agreement form, which keeps a draft too.
import type { CalculatorRequest } from "../../lib/bindings/CalculatorRequest";
import type { Service } from "../../lib/bindings/Service";
import { quantityOf, type QuantityDraft } from "../../lib/itemQuantity";

/** The SME the calculation is for, as the picker found it in the registry. */
export interface ChosenSme {
  id: number;
  full_name: string;
  inn: string;
}

export interface ItemDraft {
  /** Base and single items are always included; additional items and formats are chosen. */
  included: boolean;
  cost: string;
  sme_share: string;
  state_fees: string;
  /** Guests, days, m², months, the condition — for items whose terms are set in quantities. */
  quantity?: QuantityDraft;
}

export interface CalculatorDraft {
  sme: ChosenSme | null;
  service_code: string;
  /** ISO YYYY-MM-DD: the date of the request (the agreement's date). */
  date: string;
  items: Record<string, ItemDraft>;
  /** As typed; empty when not applicable. */
  participants: string;
  declaration_signed: boolean;
  /** The service's format code (5.7, 5.8); "" when none is chosen. */
  format?: string;
  /** §5.5.4: the competitive selection the SME won, as typed (protocol number and date). */
  selection?: string;
}

/** Whether an item is part of every agreement for its service (no choice to make). */
export function alwaysIncluded(service: Service, code: string): boolean {
  const item = service.items.find((i) => i.code === code);
  return !!item && (item.role === "whole" || item.role === "base");
}

/** A fresh draft for `service`: its mandatory items included, nothing typed. */
export function itemsFor(service: Service): Record<string, ItemDraft> {
  const out: Record<string, ItemDraft> = {};
  for (const i of service.items) {
    out[i.code] = { included: i.role === "whole" || i.role === "base", cost: "", sme_share: "", state_fees: "" };
  }
  return out;
}

/** The request for the core: the included items in catalog order, amounts still as typed. */
export function toRequest(draft: CalculatorDraft, service: Service): CalculatorRequest {
  const participants = /^\s*\d{1,6}\s*$/.test(draft.participants) ? Number.parseInt(draft.participants, 10) : null;
  return {
    sme_id: draft.sme?.id ?? null,
    service_code: service.code,
    date: draft.date,
    items: service.items
      .filter((i) => draft.items[i.code]?.included || alwaysIncluded(service, i.code))
      .map((i) => {
        const d: ItemDraft = draft.items[i.code] ?? { included: true, cost: "", sme_share: "", state_fees: "" };
        return {
          item_code: i.code,
          cost: d.cost,
          sme_share: d.sme_share,
          state_fees: d.state_fees,
          quantity: quantityOf(i.limits ? d.quantity : undefined),
        };
      }),
    participants,
    declaration_signed: draft.declaration_signed,
    ...(service.formats.length > 0 && draft.format ? { format: draft.format } : {}),
    ...(draft.selection?.trim() ? { selection: draft.selection.trim() } : {}),
  };
}
