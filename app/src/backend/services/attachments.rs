//! Photos and voice notes from a visit: kept once per content (the file is named by its SHA-256
//! under `Settings::attachments_dir`), typed by their bytes (`domain::attachment::classify`),
//! location metadata removed from photos, and read only by those who may read the lead.

use super::access::{editable_trip, find_readable};
use super::receipts::{claim, replayed, settle, Claim};
use super::ServiceError;
use crate::backend::entities::{attachment, visit};
use crate::backend::{local_time, Settings};
use crate::domain::attachment::{classify, AttachmentKind};
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::field::AttachmentView;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Where the file of `sha256` lives.
pub fn path_of(settings: &Settings, sha256: &str) -> PathBuf {
    settings.attachments_dir.join(&sha256[..2.min(sha256.len())]).join(sha256)
}

/// A photo without what it says about where and with what it was taken: EXIF and XMP (APP1) and
/// the other application segments but the colour profile of a JPEG; EXIF of PNG and WebP.
fn without_metadata(mime: &str, bytes: Vec<u8>) -> Vec<u8> {
    use img_parts::{Bytes, ImageEXIF};
    let input = Bytes::from(bytes.clone());
    match mime {
        "image/jpeg" => match img_parts::jpeg::Jpeg::from_bytes(input) {
            Ok(mut j) => {
                j.segments_mut().retain(|s| !(0xE1..=0xEF).contains(&s.marker()) || s.marker() == 0xE2);
                j.encoder().bytes().to_vec()
            }
            Err(_) => bytes,
        },
        "image/png" => match img_parts::png::Png::from_bytes(input) {
            Ok(mut p) => {
                p.set_exif(None);
                p.chunks_mut().retain(|c| !matches!(&c.kind(), b"iTXt" | b"tEXt" | b"zTXt"));
                p.encoder().bytes().to_vec()
            }
            Err(_) => bytes,
        },
        "image/webp" => match img_parts::webp::WebP::from_bytes(input) {
            Ok(mut w) => {
                w.set_exif(None);
                w.encoder().bytes().to_vec()
            }
            Err(_) => bytes,
        },
        _ => bytes,
    }
}

/// Keeps `bytes` as a photo or voice note of visit `visit_id` (once per `key`); its id.
/// Who: anyone who may report the visit's trip (see `access::editable_trip`), also after the
/// report. Errors: `Invalid` at `file` (`err.attachment.empty`, `err.attachment.type`,
/// `err.attachment.too_large` with `max` in MB); `NotFound` (no such visit), `Hidden`/
/// `Forbidden` (see `access::editable_trip`); as `receipts::claim`; `Internal` (the file could
/// not be written).
pub async fn add(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &SessionUser,
    key: &str,
    visit_id: i64,
    bytes: Vec<u8>,
) -> Result<i64, ServiceError> {
    let v = visit::Entity::find_by_id(visit_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    editable_trip(db, actor, v.trip_id).await?;
    // A trip member who may not read the lead does not add to it either.
    find_readable(db, actor, v.lead_id).await?;
    let file_error = |key: &str| ServiceError::Invalid(vec![FieldError::new("file", key)]);
    if bytes.is_empty() {
        return Err(file_error("err.attachment.empty"));
    }
    let Some((kind, mime)) = infer::get(&bytes).and_then(|t| classify(t.mime_type())) else {
        return Err(file_error("err.attachment.type"));
    };
    if bytes.len() > kind.max_bytes() {
        return Err(ServiceError::Invalid(vec![
            FieldError::new("file", "err.attachment.too_large").with("max", kind.max_bytes() >> 20)
        ]));
    }
    let bytes = if kind == AttachmentKind::Photo { without_metadata(mime, bytes) } else { bytes };
    let sha = hex::encode(Sha256::digest(&bytes));
    let txn = match claim(db, actor, key).await? {
        Claim::Replay(json) => return replayed(&json),
        Claim::Fresh(txn) => txn,
    };
    let path = path_of(settings, &sha);
    if !path.exists() {
        write_atomically(&path, &bytes).await.map_err(|e| ServiceError::Internal(format!("attachment {sha}: {e}")))?;
    }
    let row = attachment::ActiveModel {
        lead_id: Set(v.lead_id),
        visit_id: Set(Some(v.id)),
        sha256: Set(sha),
        kind: Set(kind.code().into()),
        mime: Set(mime.into()),
        size_bytes: Set(bytes.len() as i64),
        created_by: Set(actor.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    settle(txn, actor, key, "attachment", &row.id).await?;
    Ok(row.id)
}

async fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{}.part", crate::backend::services::auth::random_hex(8)));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await
}

/// Attachment `id` for `actor` to read: its MIME type and file.
/// Errors: `NotFound` (no such attachment, or its lead deleted), `Hidden` (the lead is not
/// theirs to read), `Db`.
pub async fn file(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    id: i64,
) -> Result<(String, PathBuf), ServiceError> {
    let a = attachment::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    find_readable(db, actor, a.lead_id).await?;
    Ok((a.mime, path_of(settings, &a.sha256)))
}

/// The attachments of a visit (`visit`), or of a lead, oldest first, with who added them.
/// No access check: the caller has checked the lead. Errors: `Db`.
pub async fn list(
    db: &impl ConnectionTrait,
    lead_id: i64,
    visit: Option<i64>,
) -> Result<Vec<AttachmentView>, ServiceError> {
    let mut q = attachment::Entity::find().filter(attachment::Column::LeadId.eq(lead_id));
    if let Some(v) = visit {
        q = q.filter(attachment::Column::VisitId.eq(v));
    }
    let rows = q.order_by_asc(attachment::Column::Id).all(db).await?;
    let names = super::users::names(db, rows.iter().map(|a| a.created_by)).await?;
    Ok(rows
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            kind: a.kind,
            mime: a.mime,
            size_bytes: a.size_bytes,
            by: names.get(&a.created_by).cloned().unwrap_or_default(),
            at: local_time(a.created_at),
            visit_id: a.visit_id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_jpegs_exif_goes_and_its_picture_stays() {
        // SOI, APP1 "Exif" (a fake GPS block), APP2 ICC, then a minimal scan.
        let mut jpeg = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0GPS 31.3N 120.7E";
        jpeg.extend([0xFF, 0xE1, 0, (exif.len() + 2) as u8]);
        jpeg.extend_from_slice(exif);
        let icc = b"ICC_PROFILE\0";
        jpeg.extend([0xFF, 0xE2, 0, (icc.len() + 2) as u8]);
        jpeg.extend_from_slice(icc);
        jpeg.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        let out = super::without_metadata("image/jpeg", jpeg.clone());
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS"), "{out:?}");
        assert!(text.contains("ICC_PROFILE"));
        assert!(out.ends_with(&[0xFF, 0xD9]));
    }
}
