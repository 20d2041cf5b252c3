//! Request and response bodies → IR bodies: which media type decides the Rust type, raw bytes
//! for media types without an encoder, stream item types (OpenAPI 3.2 `itemSchema`), and the
//! examples the models are tested with.

use openapiv3::{MediaType, ReferenceOr, RequestBody as OaRequestBody, Response as OaResponse};

use super::Lowerer;
use crate::ir::{
    BodyMedia, Framing, ItemStream, RequestBody, Response, ResponseBody, StatusMatch, TypeKind,
    TypeRef,
};
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
                let item_schema = content.extensions.get("x-item-schema").is_some();
                let framing = framing(mime, content, &response.description);
                let ty = match (kind, &content.schema) {
                    _ if item_schema || framing.is_some() => {
                        TypeRef::Primitive(crate::ir::Primitive::Bytes)
                    }
                    (BodyMedia::Json, Some(schema)) => {
                        self.type_of(schema, &hint, &format!("{content_pointer}/schema"), 0)?
                    }
                    (BodyMedia::Json, None) => TypeRef::Any,
                    (BodyMedia::Text, _) => TypeRef::Primitive(crate::ir::Primitive::String),
                    _ => TypeRef::Primitive(crate::ir::Primitive::Bytes),
                };
                if kind == BodyMedia::Json && framing.is_none() && !item_schema {
                    self.media_examples(content, &content_pointer, &ty);
                }
                // A sequential media type: its schema (3.0 practice) or OpenAPI 3.2
                // `itemSchema` (moved to `schema` by `load`) describes one item.
                let stream = match (framing, &content.schema) {
                    (Some(framing), Some(schema)) => {
                        let item = self.type_of(
                            schema,
                            &format!("{type_base}Item"),
                            &format!("{content_pointer}/schema"),
                            0,
                        )?;
                        let item = match framing {
                            Framing::Events { .. } => self.event_data_type(item),
                            _ => item,
                        };
                        Some(ItemStream { framing, item })
                    }
                    (Some(framing), None) => Some(ItemStream {
                        item: match framing {
                            Framing::Events { .. } => {
                                TypeRef::Primitive(crate::ir::Primitive::String)
                            }
                            _ => TypeRef::Any,
                        },
                        framing,
                    }),
                    // A 3.2 item schema under a media type without a framing of ours
                    // (`multipart/mixed`, `application/xml`): the body stays bytes.
                    (None, _) => None,
                };
                Some(ResponseBody {
                    media: if item_schema && kind == BodyMedia::Json {
                        BodyMedia::Binary
                    } else {
                        kind
                    },
                    ty,
                    media_type: mime.clone(),
                    stream,
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

impl Lowerer<'_> {
    /// What one server-sent event's `data` decodes into. An item schema shaped like the event
    /// itself (OpenAPI 3.2's way: properties among `data`, `event`, `id`, `retry`, `data`
    /// among them) describes the data through its `data` property; any other schema
    /// describes the data (every SDK's reading of `text/event-stream` with a schema).
    fn event_data_type(&self, item: TypeRef) -> TypeRef {
        let TypeRef::Named(name) = &item else {
            return item;
        };
        let Some(TypeKind::Struct(s)) = self.types.defs.get(name).map(|d| &d.kind) else {
            return item;
        };
        let event_shaped = s
            .fields
            .iter()
            .all(|f| matches!(f.name.as_str(), "data" | "event" | "id" | "retry"));
        match s.fields.iter().find(|f| f.name == "data") {
            Some(data) if event_shaped => data.ty.clone(),
            _ => item,
        }
    }
}

/// How the items of a sequential media type are delimited; `None` for a whole body.
/// Server-sent events may end with a sentinel `data` value: Speakeasy's
/// `x-speakeasy-sse-sentinel` on the media type, or `[DONE]` when the response says so.
fn framing(mime: &str, content: &MediaType, description: &str) -> Option<Framing> {
    match essence(mime).as_str() {
        "text/event-stream" => {
            let sentinel = match content.extensions.get("x-speakeasy-sse-sentinel") {
                Some(serde_json::Value::String(text)) => Some(text.clone()),
                _ => description.contains("[DONE]").then(|| "[DONE]".to_owned()),
            };
            Some(Framing::Events { sentinel })
        }
        "application/jsonl"
        | "application/x-jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines"
        | "application/x-ndjson"
        | "application/ndjson" => Some(Framing::Lines),
        "application/json-seq" => Some(Framing::Sequence),
        _ => None,
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

/// A media type without parameters, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`.
fn essence(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// What a media type means for encoding; `None` for what we cannot send.
pub(super) fn body_media(mime: &str) -> Option<BodyMedia> {
    match essence(mime).as_str() {
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
