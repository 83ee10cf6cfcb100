// What the SME form edits: the SmeInput with dates and the category as the strings HTML inputs
// hold, and the rules of which fields a kind has (the core's rules, mirrored for display only).
import type { Sme } from "./bindings/Sme";
import type { SmeCategory } from "./bindings/SmeCategory";
import type { SmeInput } from "./bindings/SmeInput";
import type { SmeKind } from "./bindings/SmeKind";

export type SmeDraft = Omit<SmeInput, "category" | "registry_included_on" | "pd_consent_on"> & {
  category: SmeCategory | "";
  /** `YYYY-MM-DD` from DateField, or "" when not given. */
  registry_included_on: string;
  pd_consent_on: string;
};

export function emptyDraft(kind: SmeKind = "legal_entity"): SmeDraft {
  return {
    kind,
    full_name: "",
    short_name: "",
    last_name: "",
    first_name: "",
    patronymic: "",
    inn: "",
    ogrn: "",
    kpp: "",
    category: "",
    registry_included_on: "",
    region_code: "",
    legal_address: "",
    okved_main: "",
    okved_extra: "",
    products: "",
    hs_codes: "",
    target_countries: "",
    export_experience: "none",
    head_position: "",
    head_name: "",
    contact_person: "",
    phone: "",
    email: "",
    pd_consent_on: "",
    notes: "",
  };
}

export function draftFromSme(sme: Sme | SmeInput): SmeDraft {
  const draft = emptyDraft(sme.kind);
  for (const key of Object.keys(draft) as (keyof SmeDraft)[]) {
    const value = sme[key];
    (draft as Record<string, unknown>)[key] = value ?? "";
  }
  return draft;
}

/** A natural person: surname/name/patronymic, a 12-digit INN, consent to personal data. */
export const isPerson = (kind: SmeKind): boolean => kind !== "legal_entity";
/** ОГРН (ЮЛ) or ОГРНИП (ИП, КФХ); the self-employed have none. */
export const hasOgrn = (kind: SmeKind): boolean => kind !== "self_employed";
export const hasKpp = (kind: SmeKind): boolean => kind === "legal_entity";
/** The self-employed are not in the SME registry and have no category. */
export const hasCategory = (kind: SmeKind): boolean => kind !== "self_employed";
export const ogrnLabel = (kind: SmeKind): string => (kind === "legal_entity" ? "ОГРН" : "ОГРНИП");

/**
 * The input sent to the core. Fields the chosen kind does not have are sent empty, so a value
 * typed before switching the kind neither fails validation under a hidden field nor gets saved;
 * the draft keeps it in case the user switches back.
 */
export function inputFromDraft(d: SmeDraft): SmeInput {
  const person = isPerson(d.kind);
  return {
    ...d,
    last_name: person ? d.last_name : "",
    first_name: person ? d.first_name : "",
    patronymic: person ? d.patronymic : "",
    ogrn: hasOgrn(d.kind) ? d.ogrn : "",
    kpp: hasKpp(d.kind) ? d.kpp : "",
    category: hasCategory(d.kind) && d.category !== "" ? d.category : null,
    registry_included_on: hasCategory(d.kind) && d.registry_included_on !== "" ? d.registry_included_on : null,
    pd_consent_on: person && d.pd_consent_on !== "" ? d.pd_consent_on : null,
  };
}

/** The usual full name of a person's business, offered until the user types their own. */
export function personFullName(d: SmeDraft): string {
  const fio = [d.last_name, d.first_name, d.patronymic].map((s) => s.trim()).filter(Boolean).join(" ");
  if (!fio) return "";
  switch (d.kind) {
    case "sole_proprietor":
      return `Индивидуальный предприниматель ${fio}`;
    case "farm_head":
      return `Глава крестьянского (фермерского) хозяйства ${fio}`;
    default:
      return fio;
  }
}
