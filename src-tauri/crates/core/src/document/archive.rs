//! The archive of generated documents: every PDF made from a record is stored with its hash and version (same content → the same version, changed content → a new one, old ones kept), the scan of the signed paper, and which acts still wait for a signed copy.

use crate::db::{Db, Row};
use crate::params;
use crate::staff::Right;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{acts, agreement, dates, extract, records, refusal, Document};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money;

/// What a document is and which record it is printed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentKind {
    /// From an agreement.
    Agreement,
    /// From an act.
    Act,
    /// From an application refused by the centre.
    Refusal,
    /// From an SME of the registry.
    Extract,
    /// All acts of a period in one PDF (from no single record: `source_id` is 0).
    ActsBatch,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Agreement,
        DocumentKind::Act,
        DocumentKind::Refusal,
        DocumentKind::Extract,
        DocumentKind::ActsBatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Agreement => "agreement",
            DocumentKind::Act => "act",
            DocumentKind::Refusal => "refusal",
            DocumentKind::Extract => "extract",
            DocumentKind::ActsBatch => "acts_batch",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Agreement => "Соглашение",
            DocumentKind::Act => "Акт",
            DocumentKind::Refusal => "Уведомление об отказе",
            DocumentKind::Extract => "Выписка из реестра",
            DocumentKind::ActsBatch => "Акты за период",
        }
    }
}

/// One archived document (its PDF and scan are fetched separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArchivedDocument {
    pub id: i64,
    pub kind: DocumentKind,
    /// The id of the agreement, act, application or SME it was printed from.
    pub source_id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
    pub version: u32,
    pub sha256: String,
    pub size: u32,
    pub created_by: String,
    pub created_at: String,
    pub signed_on: Option<NaiveDate>,
    /// The file name of the latest scan of the signed paper.
    pub scan_name: Option<String>,
    /// How many scans are kept (each attached one; none is ever replaced).
    pub scan_count: u32,
    /// For an agreement signed by the head's decision despite a ground to refuse (§6.1): that
    /// decision, so the archive shows why this paper was signed.
    #[ts(optional)]
    pub decision: Option<crate::agreement::HeadDecision>,
}

/// One attached scan of a document's signed paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScanVersion {
    pub id: i64,
    pub document_id: i64,
    pub version: u32,
    pub file_name: String,
    pub scan_type: String,
    pub sha256: String,
    pub size: u32,
    pub attached_by: String,
    pub attached_at: String,
}

/// A row of the acts registry: the act record and whether its signed paper is in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActRegistryRow {
    pub act_id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub agreement_id: i64,
    pub agreement_number: String,
    pub sme_name: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// Signed by both parties according to the act record.
    pub signed_on: Option<NaiveDate>,
    /// The latest archived version of its document, if it was ever printed.
    pub document_id: Option<i64>,
    /// The archived document is marked signed (the signed paper is back).
    pub document_signed: bool,
}

/// A new document made from its record, with everything the archive keeps.
struct Made {
    number: String,
    date: NaiveDate,
    doc: Document,
}

fn make(conn: &Db, kind: DocumentKind, source_id: i64, now: NaiveDateTime) -> Result<Made> {
    Ok(match kind {
        DocumentKind::Agreement => {
            let a = records::agreement_doc(conn, source_id)?;
            Made {
                number: a.number.clone(),
                date: a.date,
                doc: agreement::document(&a, None, now)?,
            }
        }
        DocumentKind::Act => {
            let a = records::act_doc(conn, source_id)?;
            Made {
                number: format!("{} к соглашению № {}", a.number, a.agreement_number),
                date: a.date,
                doc: acts::document(&a, None, now)?,
            }
        }
        DocumentKind::Refusal => {
            let r = records::refusal_doc(conn, source_id)?;
            Made {
                number: r.number.clone(),
                date: r.date,
                doc: refusal::document(&r, None, now)?,
            }
        }
        DocumentKind::ActsBatch => {
            return Err(CoreError::field(
                "kind",
                "Акты за период собираются по датам периода, а не по одной записи: укажите период",
            ))
        }
        DocumentKind::Extract => {
            let inn: String = conn
                .query_opt("SELECT inn FROM sme WHERE id = ?1", [source_id], |r| r.get(0))?
                .ok_or_else(|| CoreError::not_found(format!("СМСП № {source_id} не найден")))?;
            let e = records::extract_doc(conn, &inn, now.date())?;
            Made {
                number: format!("ИНН {}", e.sme.inn),
                date: e.date,
                doc: extract::document(&e, None, now)?,
            }
        }
    })
}

/// The PDF bytes of a document made from its record now, without archiving it (for batch printing).
pub fn render(conn: &Db, kind: DocumentKind, source_id: i64, now: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&make(conn, kind, source_id, now)?.doc)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

const COLUMNS: &str =
    "id, kind, source_id, number, date, title, version, sha256, length(pdf), created_by, created_at, signed_on, \
     (SELECT s.file_name FROM document_scan s WHERE s.document_id = document.id ORDER BY s.version DESC LIMIT 1), \
     (SELECT count(*) FROM document_scan s WHERE s.document_id = document.id)";

fn from_row(r: &Row) -> Result<ArchivedDocument> {
    let kind: String = r.get(1)?;
    Ok(ArchivedDocument {
        id: r.get(0)?,
        kind: DocumentKind::parse(&kind).unwrap_or(DocumentKind::Act),
        source_id: r.get(2)?,
        number: r.get(3)?,
        date: r.get(4)?,
        title: r.get(5)?,
        version: r.get(6)?,
        sha256: r.get(7)?,
        size: r.get(8)?,
        created_by: r.get(9)?,
        created_at: r.get(10)?,
        signed_on: r.get(11)?,
        scan_name: r.get(12)?,
        scan_count: r.get(13)?,
        decision: None,
    })
}

/// Fills in the head's decision of an agreement's document.
fn with_decision(conn: &Db, mut doc: ArchivedDocument) -> Result<ArchivedDocument> {
    if doc.kind == DocumentKind::Agreement {
        doc.decision = crate::agreement::decision(conn, doc.source_id)?;
    }
    Ok(doc)
}

pub fn get(conn: &Db, id: i64) -> Result<ArchivedDocument> {
    let doc = conn
        .query_opt(&format!("SELECT {COLUMNS} FROM document WHERE id = ?1"), [id], from_row)?
        .ok_or_else(|| CoreError::not_found(format!("Документ № {id} в архиве не найден")))?;
    with_decision(conn, doc)
}

/// Makes the document of a record and archives it. When the latest archived version has the same
/// content (the record did not change) that version is returned and nothing is written.
pub fn generate(conn: &mut Db, ctx: &Ctx, kind: DocumentKind, source_id: i64) -> Result<ArchivedDocument> {
    let tx = conn.write(ctx, Right::Documents)?;
    let made = make(&tx, kind, source_id, ctx.now)?;
    let doc = store(&tx, ctx, kind, source_id, None, &made)?;
    tx.commit()?;
    Ok(doc)
}

/// Archives a made document as the next version of its record (or period), unless the latest
/// version shows the same.
fn store(
    tx: &Db,
    ctx: &Ctx,
    kind: DocumentKind,
    source_id: i64,
    period: Option<(NaiveDate, NaiveDate)>,
    made: &Made,
) -> Result<ArchivedDocument> {
    // The file itself differs on every render (creation date, printpdf's random ids): compare what it shows.
    let content = super::content_fingerprint(&made.doc);
    let (from, to) = (period.map(|p| p.0), period.map(|p| p.1));
    let latest: Option<(i64, u32, String)> = tx.query_opt(
        "SELECT id, version, content_sha256 FROM document
             WHERE kind = ?1 AND source_id = ?2 AND period_from IS NOT DISTINCT FROM ?3 AND period_to IS NOT DISTINCT FROM ?4
             ORDER BY version DESC LIMIT 1",
        params![kind.as_str(), source_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if let Some((id, _, hash)) = &latest {
        if *hash == content {
            return get(tx, *id);
        }
    }
    let pdf = super::render(&made.doc)?;
    let version = latest.map_or(1, |l| l.1 + 1);
    let id: i64 = tx.query_row(
        "INSERT INTO document (kind, source_id, period_from, period_to, number, date, title, version, sha256,
                               content_sha256, pdf, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
        params![
            kind.as_str(),
            source_id,
            from,
            to,
            made.number,
            made.date,
            made.doc.meta.title,
            version,
            sha256_hex(&pdf),
            content,
            pdf,
            ctx.actor,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    let doc = get(tx, id)?;
    audit::record(tx, ctx, "document", doc.id, AuditAction::Create, None, Some(&doc))?;
    Ok(doc)
}

/// The archived PDF bytes, exactly as generated.
pub fn pdf(conn: &Db, id: i64) -> Result<Vec<u8>> {
    conn.query_opt("SELECT pdf FROM document WHERE id = ?1", [id], |r| r.get(0))?
        .ok_or_else(|| CoreError::not_found(format!("Документ № {id} в архиве не найден")))
}

/// The latest attached scan: file name and bytes.
pub fn scan(conn: &Db, id: i64) -> Result<Option<(String, Vec<u8>)>> {
    get(conn, id)?;
    conn.query_opt(
        "SELECT file_name, bytes FROM document_scan WHERE document_id = ?1 ORDER BY version DESC LIMIT 1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Every scan attached to a document, the first first.
pub fn scans(conn: &Db, id: i64) -> Result<Vec<ScanVersion>> {
    conn.query_map(
        "SELECT id, document_id, version, file_name, scan_type, sha256, length(bytes), attached_by, attached_at
         FROM document_scan WHERE document_id = ?1 ORDER BY version",
        [id],
        |r| {
            Ok(ScanVersion {
                id: r.get(0)?,
                document_id: r.get(1)?,
                version: r.get(2)?,
                file_name: r.get(3)?,
                scan_type: r.get(4)?,
                sha256: r.get(5)?,
                size: r.get(6)?,
                attached_by: r.get(7)?,
                attached_at: r.get(8)?,
            })
        },
    )
}

/// One scan's bytes.
pub fn scan_version(conn: &Db, scan_id: i64) -> Result<(String, Vec<u8>)> {
    conn.query_opt(
        "SELECT file_name, bytes FROM document_scan WHERE id = ?1",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?
    .ok_or_else(|| CoreError::not_found(format!("Скан № {scan_id} в архиве не найден")))
}

/// The scans moved by migration 0013 get their sha256 (SQL cannot compute it).
pub(crate) fn hash_moved_scans(conn: &Db) -> Result<()> {
    let ids: Vec<i64> = conn.query_map("SELECT id FROM document_scan WHERE sha256 = ''", [], |r| r.get(0))?;
    for id in ids {
        let (_, bytes) = scan_version(conn, id)?;
        conn.execute(
            "UPDATE document_scan SET sha256 = ?2 WHERE id = ?1",
            params![id, sha256_hex(&bytes)],
        )?;
    }
    Ok(())
}

/// The most a scan may weigh.
pub const MAX_SCAN_BYTES: usize = 50 * 1024 * 1024;

/// PDF, JPEG or PNG, recognised by the content (not by the name).
pub fn scan_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else {
        None
    }
}

/// Attaches a scan of the signed paper as its next version: an earlier scan is never replaced (a
/// paper signed, scanned and later rescanned keeps both), and the journal entry of each scan holds
/// its sha256, so the scan shown later can be proven to be the one attached.
pub fn attach_scan(conn: &mut Db, ctx: &Ctx, id: i64, file_name: &str, bytes: &[u8]) -> Result<ArchivedDocument> {
    let name = file_name.trim();
    let Some(ty) = scan_type(bytes) else {
        return Err(CoreError::field(
            "scan",
            format!("Файл «{name}» не похож на PDF, JPEG или PNG: прикрепите скан в одном из этих форматов"),
        ));
    };
    if bytes.len() > MAX_SCAN_BYTES {
        return Err(CoreError::field(
            "scan",
            format!(
                "Файл «{name}» больше {} МБ: отсканируйте с меньшим разрешением",
                MAX_SCAN_BYTES / 1024 / 1024
            ),
        ));
    }
    crate::fields::check_text("file_name", name)?;
    let tx = conn.write(ctx, Right::Documents)?;
    let before = get(&tx, id)?;
    refuse_batch(&before)?;
    let sha256 = sha256_hex(bytes);
    let scan_id: i64 = tx.query_row(
        "INSERT INTO document_scan (document_id, version, file_name, scan_type, sha256, bytes, attached_by, attached_at)
         VALUES (?1, (SELECT COALESCE(max(version), 0) + 1 FROM document_scan WHERE document_id = ?1), ?2, ?3, ?4, ?5,
                 ?6, ?7)
         RETURNING id",
        params![id, name, ty, sha256, bytes, ctx.actor, ctx.stamp()],
        |r| r.get(0),
    )?;
    let scan = scans(&tx, id)?
        .into_iter()
        .find(|s| s.id == scan_id)
        .expect("just written");
    audit::record(
        &tx,
        ctx,
        "document_scan",
        scan_id,
        AuditAction::Create,
        None,
        Some(&scan),
    )?;
    let after = get(&tx, id)?;
    tx.commit()?;
    Ok(after)
}

/// A batch of acts is a print run, not a paper that comes back signed: each act is signed on its own.
fn refuse_batch(doc: &ArchivedDocument) -> Result<()> {
    if doc.kind == DocumentKind::ActsBatch {
        return Err(CoreError::new(
            ErrorCode::Rule,
            "Акты за период подписываются каждый отдельно: прикрепите скан и отметьте подписанным сам акт (вкладка «Акты»)",
        ));
    }
    Ok(())
}

/// Marks the paper signed by both parties on `signed_on` (not before the document's date, not in the future).
pub fn mark_signed(conn: &mut Db, ctx: &Ctx, id: i64, signed_on: NaiveDate) -> Result<ArchivedDocument> {
    let tx = conn.write(ctx, Right::Documents)?;
    let before = get(&tx, id)?;
    refuse_batch(&before)?;
    if signed_on < before.date || signed_on > ctx.now.date() {
        return Err(CoreError::field(
            "signed_on",
            format!(
                "Дата подписания {}: не раньше даты документа {} и не позже сегодняшнего дня",
                dates::short(signed_on),
                dates::short(before.date)
            ),
        ));
    }
    if before.signed_on.is_some() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!("{} № {} уже отмечен подписанным", before.kind.label(), before.number),
        ));
    }
    tx.execute(
        "UPDATE document SET signed_on = ?2 WHERE id = ?1",
        params![id, signed_on],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "document",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// What the archive list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArchiveQuery {
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    #[serde(default)]
    pub source_id: Option<i64>,
    /// Only documents not marked signed.
    #[serde(default)]
    pub unsigned_only: bool,
}

/// Archived documents, newest first (every version).
pub fn list(conn: &Db, q: &ArchiveQuery) -> Result<Vec<ArchivedDocument>> {
    let rows = conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM document
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR source_id = ?2) AND (?3 = 0 OR signed_on IS NULL)
         ORDER BY created_at DESC, id DESC"
        ),
        params![q.kind.map(|k| k.as_str()), q.source_id, q.unsigned_only],
        from_row,
    )?;
    rows.into_iter().map(|d| with_decision(conn, d)).collect()
}

/// Every act with the state of its paper; `unsigned_only` keeps the acts whose signed paper is not
/// yet in the archive (never printed, or printed and not marked signed).
pub fn act_registry(conn: &Db, unsigned_only: bool) -> Result<Vec<ActRegistryRow>> {
    let sql = format!(
        "SELECT a.id, a.number, a.date, g.id, g.number, s.full_name, a.signed_on,
                (SELECT d.id FROM document d WHERE d.kind = 'act' AND d.source_id = a.id
                 ORDER BY d.version DESC LIMIT 1),
                EXISTS (SELECT 1 FROM document d WHERE d.kind = 'act' AND d.source_id = a.id AND d.signed_on IS NOT NULL),
                (SELECT {} FROM act_item WHERE act_id = a.id)
         FROM act a JOIN agreement g ON g.id = a.agreement_id JOIN sme s ON s.id = g.sme_id
         ORDER BY a.date, a.id",
        crate::money::sql_sum_kopecks("amount")
    );
    let rows = conn.query_map(&sql, [], |r| {
        let amount = Decimal::new(r.get(9)?, 2);
        Ok(ActRegistryRow {
            act_id: r.get(0)?,
            number: r.get(1)?,
            date: r.get(2)?,
            agreement_id: r.get(3)?,
            agreement_number: r.get(4)?,
            sme_name: r.get(5)?,
            signed_on: r.get(6)?,
            document_id: r.get(7)?,
            document_signed: r.get(8)?,
            amount: money::kopecks(amount),
        })
    })?;
    Ok(rows
        .into_iter()
        .filter(|r| !unsigned_only || !r.document_signed)
        .collect())
}

/// All acts dated within the period in one PDF, each starting on a new page, archived as a
/// document of kind «Акты за период» (a new version when an act of the period changed); returns
/// how many acts it holds and the archived document.
pub fn acts_batch(conn: &mut Db, ctx: &Ctx, from: NaiveDate, to: NaiveDate) -> Result<(usize, ArchivedDocument)> {
    if from > to {
        return Err(CoreError::field(
            "from",
            "Начало периода позже его конца: поменяйте даты местами",
        ));
    }
    let tx = conn.write(ctx, Right::Documents)?;
    let docs = records::acts_in_period(&tx, from, to)?
        .into_iter()
        .map(|id| records::act_doc(&tx, id))
        .collect::<Result<Vec<_>>>()?;
    if docs.is_empty() {
        return Err(CoreError::field(
            "from",
            format!(
                "С {} по {} актов нет: выберите другой период",
                dates::short(from),
                dates::short(to)
            ),
        ));
    }
    let title = format!("Акты с {} по {}", dates::short(from), dates::short(to));
    let made = Made {
        number: format!("{}–{}", dates::short(from), dates::short(to)),
        date: to,
        doc: acts::batch_document(&docs, None, &title, ctx.now)?,
    };
    let doc = store(&tx, ctx, DocumentKind::ActsBatch, 0, Some((from, to)), &made)?;
    tx.commit()?;
    Ok((docs.len(), doc))
}
