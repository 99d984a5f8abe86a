//! Attachments of a message create or edit, validated like Discord: every `files[n]` part named
//! uniquely with a sane, non-empty filename and within the upload limit (413 / 40005 otherwise),
//! and every entry of the body's `attachments` array naming an uploaded part (`id` = `n`) or, on
//! an edit, an attachment the message already has. The bytes are kept for the test.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::super::builders;
use super::super::calls::UploadedFile;
use super::super::state::Inner;
use super::reply::Reply;

/// The uploaded parts by their placeholder `n`, checked.
fn parts_by_index<'a>(inner: &Inner, files: &'a [UploadedFile]) -> Result<HashMap<u64, &'a UploadedFile>, Reply> {
    let mut parts = HashMap::new();
    for file in files {
        let index = placeholder(&file.field).ok_or_else(|| {
            Reply::invalid_form(&file.field, "BASE_TYPE_INVALID", "File fields must be named files[n].")
        })?;
        check_filename(&file.field, file.filename.as_deref().unwrap_or_default())?;
        if file.data.len() as u64 > inner.upload_limit {
            return Err(Reply::error(413, 40005, "Request entity too large"));
        }
        if parts.insert(index, file).is_some() {
            return Err(Reply::invalid_form(
                &file.field,
                "BASE_TYPE_DUPLICATE",
                "Duplicate file field.",
            ));
        }
    }
    Ok(parts)
}

/// `files[12]` → 12.
fn placeholder(field: &str) -> Option<u64> {
    field.strip_prefix("files[")?.strip_suffix(']')?.parse().ok()
}

/// Non-empty, at most 1,024 characters, no path separators or control characters. (Discord's
/// docs require a filename; what it does with odd ones is not documented, so the fake refuses
/// them rather than guess.)
fn check_filename(path: &str, name: &str) -> Result<(), Reply> {
    let odd = name.contains(['/', '\\']) || name.chars().any(char::is_control) || name == "." || name == "..";
    if name.trim().is_empty() {
        Err(Reply::invalid_form(
            path,
            "BASE_TYPE_REQUIRED",
            "A file needs a filename.",
        ))
    } else if odd || name.chars().count() > 1024 {
        Err(Reply::invalid_form(path, "FILENAME_INVALID", "Invalid filename."))
    } else {
        Ok(())
    }
}

/// The attachments a message ends up with. `body` is the message part of the request (for a
/// callback its `data`); `existing` the message's current attachments (empty on create). Without
/// an `attachments` array the existing ones are kept and every upload is appended.
pub fn resolve(
    inner: &mut Inner,
    channel: u64,
    body: &Value,
    files: &[UploadedFile],
    existing: &[Value],
) -> Result<Vec<Value>, Reply> {
    let parts = parts_by_index(inner, files)?;
    let Some(entries) = body.get("attachments").and_then(Value::as_array) else {
        let mut all = existing.to_vec();
        let mut indexes: Vec<&u64> = parts.keys().collect();
        indexes.sort();
        for index in indexes {
            all.push(store(inner, channel, parts[index], None, None));
        }
        return Ok(all);
    };
    let mut result = Vec::new();
    let mut used = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let id = entry_id(entry);
        let kept = existing.iter().find(|a| id.is_some() && entry_id(a) == id);
        match (id.and_then(|n| parts.get(&n)), kept) {
            (Some(part), _) => {
                let name = entry.get("filename").and_then(Value::as_str);
                if let Some(name) = name {
                    check_filename(&format!("attachments.{i}.filename"), name)?;
                }
                let description = entry.get("description").and_then(Value::as_str);
                result.push(store(inner, channel, part, name, description));
                used.extend(id);
            }
            (None, Some(existing)) => result.push(existing.clone()),
            (None, None) => {
                return Err(Reply::invalid_form(
                    &format!("attachments.{i}.id"),
                    "ATTACHMENT_NOT_FOUND",
                    "No file was uploaded for this attachment id.",
                ))
            }
        }
    }
    let mut rest: Vec<(&u64, &&UploadedFile)> = parts.iter().filter(|(n, _)| !used.contains(n)).collect();
    rest.sort_by_key(|(n, _)| **n);
    for (_, part) in rest {
        result.push(store(inner, channel, part, None, None));
    }
    Ok(result)
}

/// An attachment request's `id`: a number (placeholder) or a snowflake string.
fn entry_id(entry: &Value) -> Option<u64> {
    match entry.get("id")? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Stores the bytes under a new attachment id and returns the attachment object.
fn store(inner: &mut Inner, channel: u64, part: &UploadedFile, name: Option<&str>, description: Option<&str>) -> Value {
    let id = builders::next_id();
    let filename = name.or(part.filename.as_deref()).unwrap_or("file").to_string();
    let url = format!("{}/attachments/{channel}/{id}/{filename}", inner.rest_base);
    inner.files.insert(id, part.data.clone());
    json!({
        "id": id.to_string(), "filename": filename, "description": description,
        "size": part.data.len(), "url": url, "proxy_url": url,
        "content_type": part.content_type, "height": null, "width": null,
    })
}

/// `GET /attachments/{channel}/{id}/{filename}`: the bytes, like Discord's CDN.
pub fn download(inner: &Inner, id: u64, content_type: Option<&str>) -> Reply {
    match inner.files.get(&id) {
        Some(data) => Reply::bytes(content_type.unwrap_or("application/octet-stream"), data.clone()),
        None => Reply::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Bytes;

    #[test]
    fn placeholders_and_filenames() {
        assert_eq!(placeholder("files[3]"), Some(3));
        assert_eq!(placeholder("file"), None);
        assert!(check_filename("f", "report.png").is_ok());
        for bad in ["", "  ", "../x", "a/b", "a\\b", "a\u{0}b"] {
            assert!(check_filename("f", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_attachment_id_without_a_part_is_refused() {
        let scene = builders::Scene::new();
        let mut inner = Inner::new(&scene);
        let file = UploadedFile {
            field: "files[0]".to_string(),
            filename: Some("a.csv".to_string()),
            content_type: Some("text/csv".to_string()),
            data: Bytes::from_static(b"a,b\n"),
        };
        let body = json!({ "attachments": [{ "id": 1, "filename": "a.csv" }] });
        let err = resolve(&mut inner, 1, &body, std::slice::from_ref(&file), &[]).unwrap_err();
        assert_eq!(err.status, 400);
        let body = json!({ "attachments": [{ "id": 0, "filename": "b.csv" }] });
        let got = resolve(&mut inner, 1, &body, &[file], &[]).unwrap();
        assert_eq!(got[0]["filename"], "b.csv");
        assert_eq!(got[0]["size"], 4);
    }
}
