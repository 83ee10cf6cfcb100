// What the document buttons do, wherever they are (cards, the «Документы» section): open the archived PDF in the system viewer, save a copy through the native dialog. Each returns the line the toast shows, or nothing when the user cancelled.
import { api } from "./api";
import type { ArchivedDocument } from "./bindings/ArchivedDocument";
import type { DocumentKind } from "./bindings/DocumentKind";

export const KIND_LABEL: Record<DocumentKind, string> = {
  agreement: "Соглашение",
  act: "Акт",
  refusal: "Уведомление об отказе",
  extract: "Выписка из реестра",
  acts_batch: "Акты за период",
};

/** «Акт 1 к соглашению 1-2025-С.pdf»: the number without characters a file name cannot hold. */
export function fileName(doc: ArchivedDocument): string {
  const number = doc.number.replace(/№\s*/g, "").replace(/[\\/:*?"<>|]+/g, "-").replace(/\s+/g, " ").trim();
  const version = doc.version > 1 ? ` (версия ${doc.version})` : "";
  return `${KIND_LABEL[doc.kind]} ${number}${version}.pdf`;
}

/** «№ 12» for a record's number; a period as it is. */
export function numberText(doc: ArchivedDocument): string {
  return doc.kind === "acts_batch" ? doc.number : `№ ${doc.number}`;
}

export async function openDoc(doc: ArchivedDocument): Promise<string> {
  await api.documentOpen(doc.id);
  return `${KIND_LABEL[doc.kind]} ${numberText(doc)} открыт в программе просмотра PDF`;
}

export async function saveAs(doc: ArchivedDocument): Promise<string | void> {
  const path = await api.pickSavePath("Сохранить документ", [{ name: "PDF", extensions: ["pdf"] }], fileName(doc));
  if (!path) return;
  await api.documentSaveCopy(doc.id, path);
  return `Сохранено: ${path}`;
}
