//! Request and response bodies → IR bodies: which media type decides the Rust type, raw bytes
//! for media types without an encoder, stream item types (OpenAPI 3.2 `itemSchema`), and the
//! examples the models are tested with.

use openapiv3::{MediaType, ReferenceOr, RequestBody as OaRequestBody, Response as OaResponse};

use super::Lowerer;
use crate::ir::{BodyMedia, RequestBody, Response, ResponseBody, StatusMatch, TypeRef};
use crate::load::Diagnostic;
use crate::load::diagnostic::escape_token;

impl Lowerer<'_> {
    /// The request body; an inline schema's type is called `hint`.
    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<OaRequestBody>,
        hint: &str,
        pointer: &str,
    ) -> Result<Option<RequestBody>, Diagnostic> {
        let body = self.resolve(body, "requestBodies", pointer)?;
        let mut media = Vec::new();
        let mut chosen: Option<(&str, &MediaType, BodyMedia)> = None;
        for (mime, content) in &body.content {
            if let Some(kind) = body_media(mime) {
                if !media.contains(&kind) {
                    media.push(kind);
                }
                // JSON decides the Rust type when present; other encodings send the same value.
                let better = match &chosen {
                    None => true,
                    Some((_, _, current)) => *current != BodyMedia::Json && kind == BodyMedia::Json,
                };
                if better {
                    chosen = Some((mime, content, kind));
                }
            }
        }
        let Some((mime, content, kind)) = chosen else {
            let Some((mime, content)) = body.content.first() else {
                return Ok(None);
            };
            // Only media types without an encoder of ours: the caller passes the encoded
            // bytes, sent with the document's `Content-Type`. For a string or binary schema
            // (certificates, images, archives) that is exactly what the document means.
            let content_pointer = format!("{pointer}/content/{}", escape_token(mime));
            if !is_bytes_schema(content.schema.as_ref()) {
                self.warn(
                    &content_pointer,
                    format!("no encoder for `{mime}` (supported: JSON, form-urlencoded, multipart/form-data, text/plain, octet-stream); the method takes the body as bytes already encoded as `{mime}`"),
                );
            }
            return Ok(Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                ty: TypeRef::Primitive(crate::ir::Primitive::Bytes),
                media: vec![BodyMedia::Binary],
                raw_media_type: Some(mime.clone()),
            }));
        };
        let content_pointer = format!("{pointer}/content/{}", escape_token(mime));
        let ty = match (&content.schema, kind) {
            (Some(schema), BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart) => {
                self.type_of(schema, hint, &format!("{content_pointer}/schema"), 0)?
            }
            (_, BodyMedia::Text) => TypeRef::Primitive(crate::ir::Primitive::String),
            (_, BodyMedia::Binary) => TypeRef::Primitive(crate::ir::Primitive::Bytes),
            (None, _) => TypeRef::Any,
        };
        if kind == BodyMedia::Json {
            self.media_examples(content, &content_pointer, &ty);
        }
        Ok(Some(RequestBody {
            required: body.required,
            description: body.description.clone(),
            ty,
            media,
            raw_media_type: None,
        }))
    }

    pub(super) fn response(
        &mut self,
        response: &ReferenceOr<OaResponse>,
        status: StatusMatch,
        type_base: &str,
        pointer: &str,
    ) -> Result<Response, Diagnostic> {
        let response = self.resolve(response, "responses", pointer)?;
        let hint = match status {
            StatusMatch::Code(code) if status.is_success() && code == 200 => {
                format!("{type_base}Response")
            }
            StatusMatch::Code(code) => format!("{type_base}Response{code}"),
            StatusMatch::Range(r) => format!("{type_base}Response{r}xx"),
            StatusMatch::Default => format!("{type_base}DefaultResponse"),
        };
        // Prefer JSON when a response offers several media types.
        let mut chosen: Option<(&String, &MediaType, BodyMedia)> = None;
        for (mime, content) in &response.content {
            let kind = body_media(mime).unwrap_or(BodyMedia::Binary);
            let rank = |k: BodyMedia| match k {
                BodyMedia::Json => 0,
                BodyMedia::Text => 1,
                BodyMedia::Binary => 2,
                BodyMedia::Form | BodyMedia::Multipart => 3,
            };
            if chosen
                .as_ref()
                .is_none_or(|(_, _, c)| rank(kind) < rank(*c))
            {
                chosen = Some((mime, content, kind));
            }
        }
        // 204, 205 and 304 never carry a body, whatever the document declares.
        let bodiless = matches!(status, StatusMatch::Code(204 | 205 | 304));
        let body = match chosen {
            None => None,
            Some(_) if bodiless => None,
            Some((mime, content, kind)) => {
                let content_pointer = format!("{pointer}/content/{}", escape_token(mime));
                let streamed = content.extensions.get("x-item-schema").is_some();
                let ty = match (kind, &content.schema) {
                    (BodyMedia::Json, Some(_)) if streamed => {
                        TypeRef::Primitive(crate::ir::Primitive::Bytes)
                    }
                    (BodyMedia::Json, Some(schema)) => {
                        self.type_of(schema, &hint, &format!("{content_pointer}/schema"), 0)?
                    }
                    (BodyMedia::Json, None) => TypeRef::Any,
                    (BodyMedia::Text, _) => TypeRef::Primitive(crate::ir::Primitive::String),
                    _ => TypeRef::Primitive(crate::ir::Primitive::Bytes),
                };
                if kind == BodyMedia::Json {
                    self.media_examples(content, &content_pointer, &ty);
                }
                // OpenAPI 3.2 `itemSchema` (moved to `schema` by `load`): the body is a stream
                // of such items, returned whole for now; the item type is generated for callers.
                let stream_item = match (&content.schema, content.extensions.get("x-item-schema")) {
                    (Some(schema), Some(serde_json::Value::Bool(true))) => Some(self.type_of(
                        schema,
                        &format!("{type_base}Item"),
                        &format!("{content_pointer}/schema"),
                        0,
                    )?),
                    _ => None,
                };
                Some(ResponseBody {
                    media: if stream_item.is_some() && kind == BodyMedia::Json {
                        BodyMedia::Binary
                    } else {
                        kind
                    },
                    ty,
                    media_type: mime.clone(),
                    stream_item,
                })
            }
        };
        Ok(Response {
            status,
            description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
            body,
        })
    }

    /// Records `example` and `examples` of a JSON media type, to test the models with.
    fn media_examples(&mut self, content: &MediaType, pointer: &str, ty: &TypeRef) {
        if let Some(example) = &content.example {
            self.add_example(format!("{pointer}/example"), ty.clone(), example);
        }
        for (name, example) in &content.examples {
            let value = match example {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix('#')
                    .and_then(|p| self.doc.raw.pointer(p))
                    .and_then(|v| v.get("value"))
                    .cloned(),
            };
            if let Some(value) = value {
                self.add_example(
                    format!("{pointer}/examples/{}/value", escape_token(name)),
                    ty.clone(),
                    &value,
                );
            }
        }
    }
}

/// Whether a body schema is a string of any kind (or absent): its bytes are the body.
fn is_bytes_schema(schema: Option<&ReferenceOr<openapiv3::Schema>>) -> bool {
    match schema {
        None => true,
        Some(ReferenceOr::Reference { .. }) => false,
        Some(ReferenceOr::Item(schema)) => {
            matches!(
                &schema.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
            ) || matches!(&schema.schema_kind, openapiv3::SchemaKind::Any(any) if any.typ.as_deref() == Some("string") || *any == openapiv3::AnySchema::default())
        }
    }
}

/// What a media type means for encoding; `None` for what we cannot send.
pub(super) fn body_media(mime: &str) -> Option<BodyMedia> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "*/*" => Some(BodyMedia::Json),
        m if m.ends_with("+json") => Some(BodyMedia::Json),
        "application/x-www-form-urlencoded" => Some(BodyMedia::Form),
        "multipart/form-data" => Some(BodyMedia::Multipart),
        m if m.starts_with("text/") => Some(BodyMedia::Text),
        "application/octet-stream" => Some(BodyMedia::Binary),
        m if m.starts_with("image/") || m.starts_with("audio/") || m.starts_with("video/") => {
            Some(BodyMedia::Binary)
        }
        _ => None,
    }
}
