// Russian names of the SME enums, the same words as the core's `label()` and the glossary.
import type { ExportExperience } from "./bindings/ExportExperience";
import type { SmeCategory } from "./bindings/SmeCategory";
import type { SmeKind } from "./bindings/SmeKind";
import type { SmeSort } from "./bindings/SmeSort";

export const KIND_LABEL: Record<SmeKind, string> = {
  legal_entity: "Юридическое лицо",
  sole_proprietor: "Индивидуальный предприниматель",
  farm_head: "Глава КФХ",
  self_employed: "Самозанятый (НПД)",
};

/** The abbreviations staff use in tables. */
export const KIND_SHORT: Record<SmeKind, string> = {
  legal_entity: "ЮЛ",
  sole_proprietor: "ИП",
  farm_head: "КФХ",
  self_employed: "НПД",
};

export const KINDS: readonly SmeKind[] = ["legal_entity", "sole_proprietor", "farm_head", "self_employed"];

export const CATEGORY_LABEL: Record<SmeCategory, string> = {
  micro: "Микропредприятие",
  small: "Малое предприятие",
  medium: "Среднее предприятие",
};

export const CATEGORIES: readonly SmeCategory[] = ["micro", "small", "medium"];

export const EXPORT_EXPERIENCE_LABEL: Record<ExportExperience, string> = {
  none: "Нет опыта экспорта",
  one_off: "Разовые поставки",
  regular: "Регулярный экспорт",
};

export const EXPORT_EXPERIENCES: readonly ExportExperience[] = ["none", "one_off", "regular"];

export const SORT_LABEL: Record<SmeSort, string> = {
  name: "по наименованию",
  inn: "по ИНН",
  newest: "сначала новые",
};

export const SORTS: readonly SmeSort[] = ["name", "inn", "newest"];
