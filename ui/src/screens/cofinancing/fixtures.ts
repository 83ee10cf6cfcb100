// Test data shaped like the core's answers: a catalog with 4.2 (standalone, 20 %) and 5.2
// (complex, a base item and a cofinanced additional item), and a calculation for 4.2.
import type { Calculation } from "../../lib/bindings/Calculation";
import type { ServiceCatalog } from "../../lib/bindings/ServiceCatalog";

export const CATALOG: ServiceCatalog = {
  id: 1,
  effective_from: "2024-03-12",
  title: "Регламент",
  used_since: null,
  services: [
    {
      code: "4.2",
      name: "Приведение продукции в соответствие",
      kind: "standalone",
      source: "п. 4.2 разд. 3",
      counts_for_refusal: true,
      min_additional: 0,
      min_participants: null,
      documents: [], formats: [],
      items: [
        {
          code: "4.2",
          role: "whole",
          name: "Приведение продукции в соответствие",
          min_sme_rate: "0.20",
          share_basis: "full_cost",
          cap_per_sme: "1000000",
          declaration_required: true,
          min_participants: null,
          source: "п. 4.2 разд. 3",
        },
      ],
    },
    {
      code: "5.2",
      name: "Поиск иностранного покупателя",
      kind: "complex",
      source: "п. 5.2 разд. 3",
      counts_for_refusal: true,
      min_additional: 1,
      min_participants: null,
      documents: [], formats: [],
      items: [
        { code: "5.2.b1", role: "base", name: "Поиск покупателя", min_sme_rate: "0", share_basis: "full_cost", cap_per_sme: null, declaration_required: false, min_participants: null, source: "п. 5.2 разд. 3, базовая услуга 1" },
        { code: "5.2.a1", role: "additional", name: "Сайт на иностранном языке", min_sme_rate: "0.2", share_basis: "full_cost", cap_per_sme: "150000", declaration_required: false, min_participants: null, source: "п. 5.2 разд. 3, доп. услуга 1" },
      ],
    },
  ],
};

const ZERO_ROW = { service_code: null, budget: null, committed: "0.00", spent: "0.00", remaining: null };

/** The core's answer for 4.2 at cost 1 000 000 and the given share (as a decimal string). */
export function calculation42(share: string): Calculation {
  const below = share === "199999.99";
  return {
    catalog_id: 1,
    catalog_effective_from: "2024-03-12",
    input_errors: [],
    eligibility: "eligible",
    eligibility_reasons: [],
    year: 2025,
    budget_line: { service_code: "4.2", budget: "5000000.00", committed: "0.00", spent: "0.00", remaining: "5000000.00" },
    budget_after: below ? "4199999.99" : "4200000.00",
    budget_total: { ...ZERO_ROW, budget: "5000000.00", remaining: "5000000.00" },
    signable: !below,
    check: {
      signable: !below,
      cost: "1000000.00",
      state_fees: "0.00",
      min_sme_share: "200000.00",
      sme_share: share,
      centre_share: below ? "800000.01" : "800000.00",
      items: [
        {
          item_code: "4.2",
          name: "Приведение продукции в соответствие",
          cost: "1000000.00",
          state_fees: "0.00",
          min_sme_rate: "0.20",
          min_sme_share: "200000.00",
          sme_share: share,
          centre_share: below ? "800000.01" : "800000.00",
          cap: { cap: "1000000.00", used: "0.00", this_request: "800000.00", remaining: "200000.00" },
        },
      ],
      violations: below
        ? [
            {
              code: "sme_share_below_minimum",
              message: "4.2: доля СМСП 199 999,99 ₽ меньше минимальной 200 000,00 ₽",
              source: "п. 4.2 разд. 3",
              item_code: "4.2",
            },
          ]
        : [],
      warnings: [],
    },
  };
}
