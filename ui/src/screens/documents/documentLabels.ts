// Words of the «Документы» section: document kinds, the state of the signed paper, file names offered by «Сохранить как…».
import type { ActRegistryRow } from "../../lib/bindings/ActRegistryRow";
import type { ArchivedDocument } from "../../lib/bindings/ArchivedDocument";
import type { DocumentKind } from "../../lib/bindings/DocumentKind";
import { ruDate } from "../../lib/catalogTerms";

export const KIND_LABEL: Record<DocumentKind, string> = {
  agreement: "Соглашение",
  act: "Акт",
  refusal: "Уведомление об отказе",
  extract: "Выписка из реестра",
};

/** What became of the act's paper: never printed, printed and waiting for signatures, or signed. */
export function paperState(row: ActRegistryRow): string {
  if (row.document_signed) return "подписан";
  return row.document_id === null ? "не печатался" : "ждёт подписи";
}

/** «Акт 1 к соглашению 1-2025-С.pdf»: the number without characters a file name cannot hold. */
export function fileName(doc: ArchivedDocument): string {
  const number = doc.number.replace(/№\s*/g, "").replace(/[\\/:*?"<>|]+/g, "-").replace(/\s+/g, " ").trim();
  const version = doc.version > 1 ? ` (версия ${doc.version})` : "";
  return `${KIND_LABEL[doc.kind]} ${number}${version}.pdf`;
}

export function signedText(doc: ArchivedDocument): string {
  return doc.signed_on === null ? "не подписан" : `подписан ${ruDate(doc.signed_on)}`;
}

/** YYYY-MM-DD of a local date. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
