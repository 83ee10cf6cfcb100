// Russian names for the SME registry import, eligibility checks and table import: the same words
// as the core's `label()`/`rule_source()` (eligibility/mod.rs, sme/import_table.rs), and the small
// pure helpers the screens share (progress figures, paths, regions, a check's draft).
import type { CheckInput } from "./bindings/CheckInput";
import type { CheckSource } from "./bindings/CheckSource";
import type { Criterion } from "./bindings/Criterion";
import type { FnsSnapshot } from "./bindings/FnsSnapshot";
import type { ImportField } from "./bindings/ImportField";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { Outcome } from "./bindings/Outcome";
import type { Verdict } from "./bindings/Verdict";

export const CRITERION_LABEL: Record<Criterion, string> = {
  in_sme_registry: "Включён в единый реестр субъектов МСП",
  npd_payer: "Зарегистрирован как плательщик налога на профессиональный доход",
  in_centre_region: "Зарегистрирован в регионе центра",
  not_in_liquidation: "Не в состоянии реорганизации или ликвидации, не банкрот, деятельность не приостановлена",
  not_same_group: "Не состоит в одной группе лиц с ЦПЭ или исполнителем",
  not_financial_organisation:
    "Не кредитная или страховая организация, не инвестиционный или негосударственный пенсионный фонд, не профучастник рынка ценных бумаг, не ломбард",
  not_production_sharing: "Не участник соглашений о разделе продукции",
  not_gambling: "Не ведёт деятельность в сфере игорного бизнеса",
  not_currency_non_resident: "Не является валютным нерезидентом РФ",
  not_excise_or_minerals:
    "Не производит и не реализует подакцизные товары, не добывает и не реализует полезные ископаемые (кроме общераспространённых)",
};

export const CRITERION_SOURCE: Record<Criterion, string> = {
  in_sme_registry: "Регламент, п. 4.3, пп. 1",
  npd_payer: "Регламент, п. 4.1",
  in_centre_region: "Регламент, п. 4.1; п. 4.3, пп. 2",
  not_in_liquidation: "Регламент, п. 4.2",
  not_same_group: "Регламент, п. 4.3, пп. 3",
  not_financial_organisation: "Регламент, п. 4.3, пп. 4",
  not_production_sharing: "Регламент, п. 4.3, пп. 5",
  not_gambling: "Регламент, п. 4.3, пп. 6",
  not_currency_non_resident: "Регламент, п. 4.3, пп. 7",
  not_excise_or_minerals: "Регламент, п. 4.3, пп. 8",
};

/** Criteria answered from the imported registry (the rest are checked by staff). */
export const AUTOMATIC: readonly Criterion[] = ["in_sme_registry", "in_centre_region"];

export const OUTCOME_LABEL: Record<Outcome, string> = {
  pass: "соответствует",
  fail: "не соответствует",
  unknown: "не проверено",
};
export const OUTCOMES: readonly Outcome[] = ["pass", "fail", "unknown"];

export const VERDICTS: readonly Verdict[] = ["eligible", "not_eligible", "needs_recheck"];

export const VERDICT_LABEL: Record<Verdict, string> = {
  eligible: "Соответствует требованиям",
  not_eligible: "Не соответствует требованиям",
  needs_recheck: "Нужна проверка",
};

export const IMPORT_FIELD_LABEL: Record<ImportField, string> = {
  kind: "Вид",
  full_name: "Полное наименование",
  short_name: "Сокращённое наименование",
  last_name: "Фамилия",
  first_name: "Имя",
  patronymic: "Отчество",
  inn: "ИНН",
  ogrn: "ОГРН/ОГРНИП",
  kpp: "КПП",
  category: "Категория",
  registry_included_on: "Дата включения в реестр МСП",
  region_code: "Код региона",
  legal_address: "Юридический адрес",
  okved_main: "Основной ОКВЭД",
  okved_extra: "Дополнительные ОКВЭД",
  products: "Продукция",
  hs_codes: "Коды ТН ВЭД",
  target_countries: "Целевые страны",
  head_position: "Должность руководителя",
  head_name: "Руководитель",
  contact_person: "Контактное лицо",
  phone: "Телефон",
  email: "E-mail",
  notes: "Примечание",
};
export const IMPORT_FIELDS = Object.keys(IMPORT_FIELD_LABEL) as ImportField[];

/** «2019-02-10» -> «10.02.2019»; anything else as given. */
export function ruDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** «2025-03-01T10:00:00» or «2025-03-01 10:00:00» -> «01.03.2025 10:00». */
export function ruDateTime(stamp: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(stamp);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : ruDate(stamp);
}

const count = new Intl.NumberFormat("ru-RU");
export const formatCount = (n: number): string => count.format(n);

/** The paths typed into the file field: one a line (or separated by «;»), blanks dropped. */
export function parsePaths(text: string): string[] {
  return text
    .split(/[\n;]/)
    .map((p) => p.trim().replace(/^"(.*)"$/, "$1"))
    .filter((p) => p !== "");
}

/** Region codes typed as «27, 28» or «27 28»; empty means all regions. */
export function parseRegions(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** Why the region field cannot be used, or null. The core checks again; this is for typing. */
export function regionsProblem(text: string): string | null {
  const bad = parseRegions(text).find((r) => !/^\d{2}$/.test(r));
  return bad === undefined ? null : `Регион «${bad}»: укажите код из двух цифр, например 27; несколько — через запятую`;
}

/** Share of the import done, 0..100: by bytes when the archives declare sizes, else by files. */
export function progressPercent(p: ImportProgress): number {
  const share =
    p.bytes_total > 0 ? p.bytes_read / p.bytes_total : p.files_total > 0 ? p.files_done / p.files_total : 0;
  return Math.max(0, Math.min(100, Math.round(share * 100)));
}

/** «Файлы: 1 из 2 · записей прочитано 120 000, загружено 4 100, пропущено 3 · 85,3 МБ/с». */
export function progressLine(p: ImportProgress): string {
  const speed = p.mb_per_s.toLocaleString("ru-RU", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return (
    `Файлы: ${p.files_done} из ${p.files_total} · записей прочитано ${formatCount(p.records_seen)}, ` +
    `загружено ${formatCount(p.records_imported)}, пропущено ${formatCount(p.records_skipped)}` +
    (p.records_duplicate > 0 ? `, повторов ИНН ${formatCount(p.records_duplicate)}` : "") +
    ` · ${speed} МБ/с`
  );
}

export function snapshotRegions(s: FnsSnapshot): string {
  return s.regions.length === 0 ? "все регионы" : s.regions.join(", ");
}

export function sourceLabel(source: CheckSource): string {
  return source.kind === "snapshot"
    ? `Выгрузка реестра МСП на ${ruDate(source.state_date)}${source.snapshot_id === null ? " (удалена)" : ""}`
    : `Проверено вручную: ${source.comment}`;
}

/** What would stop the core from recording the check, by field, so the form can say it first. */
export function checkProblems(input: CheckInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (input.source.kind === "manual" && input.source.comment.trim() === "") {
    out.source = "Источник: при ручной проверке укажите, где и как проверено (например, «сайт ФНС, выписка от 01.03.2025»)";
  }
  if (input.source.kind === "snapshot" && input.source.snapshot_id === null) {
    out.source = "Источник: выберите загруженную выгрузку реестра МСП или «проверено вручную»";
  }
  for (const c of input.criteria) {
    if (c.outcome === "fail" && c.reason.trim() === "") {
      out[`reason-${c.criterion}`] = "Критерий не выполнен: укажите причину";
    }
  }
  return out;
}

/** Where the error list of a table goes by default: beside it, «СМСП.xlsx» -> «СМСП-ошибки.csv». */
export function errorsCsvPath(tablePath: string): string {
  const base = tablePath.replace(/\.(xlsx|csv)$/i, "");
  return `${base}-ошибки.csv`;
}

/** The export file must end in .xlsx or .csv: the core picks the format by it. */
export function exportPathProblem(path: string): string | null {
  if (path.trim() === "") return "Файл: выберите, куда сохранить, кнопкой «Выбрать…»";
  return /\.(xlsx|csv)$/i.test(path.trim()) ? null : "Файл: имя должно оканчиваться на .xlsx или .csv";
}

/** The snapshot's files grouped by archive: «data.zip — 3 файла XML», a bare XML as it is. */
export function groupFiles(files: readonly string[]): string[] {
  const out: { name: string; n: number }[] = [];
  for (const f of files) {
    const i = f.indexOf(": ");
    const name = i >= 0 ? f.slice(0, i) : f;
    const last = out.at(-1);
    if (i >= 0 && last?.name === name) last.n += 1;
    else out.push({ name, n: i >= 0 ? 1 : 0 });
  }
  return out.map(({ name, n }) => (n === 0 ? name : `${name} — ${n} ${plural(n, "файл", "файла", "файлов")} XML`));
}

export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
