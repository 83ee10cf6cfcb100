// Words of the «Документы» section: document kinds, the state of the signed paper, file names offered by «Сохранить как…».
import type { ActRegistryRow } from "../../lib/bindings/ActRegistryRow";
import type { ArchivedDocument } from "../../lib/bindings/ArchivedDocument";
import { ruDate } from "../../lib/catalogTerms";

export { fileName, KIND_LABEL } from "../../lib/documentActions";

/** What became of the act's paper: never printed, printed and waiting for signatures, or signed. */
export function paperState(row: ActRegistryRow): string {
  if (row.document_signed) return "подписан";
  return row.document_id === null ? "не печатался" : "ждёт подписи";
}

export function signedText(doc: ArchivedDocument): string {
  return doc.signed_on === null ? "не подписан" : `подписан ${ruDate(doc.signed_on)}`;
}

/** YYYY-MM-DD of a local date. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
