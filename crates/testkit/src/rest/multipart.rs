//! multipart/form-data request bodies as Discord takes them (reference docs, "Uploading Files"):
//! a `payload_json` part with the JSON body (or plain text fields) and one `files[n]` part per
//! file. Parsing is done by the `multer` crate.

use std::convert::Infallible;

use hyper::body::Bytes;
use serde_json::{Map, Value};

use super::super::calls::UploadedFile;
use super::reply::Reply;

/// A parsed form: the JSON body and the file parts in order.
#[derive(Debug, Default)]
pub struct Form {
    pub payload: Value,
    pub files: Vec<UploadedFile>,
}

/// Whether a Content-Type header announces a multipart body.
pub fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Parses a multipart body; a malformed one is Discord's 400 / 50035 Invalid Form Body.
pub async fn parse(body: Bytes, content_type: &str) -> Result<Form, Reply> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| malformed(&e))?;
    let stream = futures::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    let mut form = Form::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| malformed(&e))? {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let data = field.bytes().await.map_err(|e| malformed(&e))?;
        if name == "payload_json" {
            form.payload = serde_json::from_slice(&data)
                .map_err(|_| Reply::invalid_form("payload_json", "BASE_TYPE_BAD_JSON", "Must be valid JSON."))?;
        } else if name.starts_with("files[") || filename.is_some() {
            form.files.push(UploadedFile {
                field: name,
                filename,
                content_type,
                data,
            });
        } else {
            fields.insert(name, Value::String(String::from_utf8_lossy(&data).into_owned()));
        }
    }
    if form.payload.is_null() {
        form.payload = Value::Object(fields);
    }
    Ok(form)
}

fn malformed(error: &multer::Error) -> Reply {
    Reply::error(400, 50035, &format!("Invalid Form Body ({error})"))
}
