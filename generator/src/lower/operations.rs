//! Paths and operations → IR operations, grouped by tag.

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

use super::Lowerer;
use super::bodies::body_media;
use super::naming::{self, Scope};
use crate::ir::{
    BodyMedia, HttpMethod, Operation, Param, ParamLocation, PathSegment, StatusMatch, TypeRef,
};
use crate::load::Diagnostic;
use crate::load::diagnostic::{escape_token, pointer_tokens};

/// Names an operation's method must leave free: the generated signature uses them.
const RESERVED_PARAMS: &[&str] = &["body", "options", "params", "request", "response", "self"];

/// An operation before grouping: where it wants to go travels with it.
pub(super) struct TaggedOperation {
    pub tag: String,
    /// `x-speakeasy-group`, split at dots (`token.management`).
    pub group_path: Option<Vec<String>>,
    /// `x-speakeasy-name-override`: the method name wanted (any case).
    pub name_override: Option<String>,
    pub operation: Operation,
}

impl<'d> Lowerer<'d> {
    pub(super) fn lower_paths(&mut self) -> Result<Vec<TaggedOperation>, Diagnostic> {
        let mut out = Vec::new();
        let mut seen_ids: IndexMap<String, String> = IndexMap::new();
        for (path, item) in &self.doc.openapi.paths.paths {
            let item_pointer = format!("/paths/{}", escape_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.error(
                        &item_pointer,
                        "path items given by `$ref` are not supported",
                    ));
                }
            };
            let segments = parse_path(path).map_err(|m| self.error(&item_pointer, m))?;
            let standard = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
                (HttpMethod::Options, &item.options),
                (HttpMethod::Head, &item.head),
                (HttpMethod::Patch, &item.patch),
                (HttpMethod::Trace, &item.trace),
            ];
            let mut methods: Vec<(HttpMethod, Cow<'_, openapiv3::Operation>, String)> = standard
                .into_iter()
                .filter_map(|(method, op)| {
                    let pointer =
                        format!("{item_pointer}/{}", method.as_str().to_ascii_lowercase());
                    op.as_ref().map(|op| (method, Cow::Borrowed(op), pointer))
                })
                .collect();
            methods.extend(self.additional_operations(item, &item_pointer)?);
            for (method, op, pointer) in methods {
                let op = op.as_ref();
                let (mut id, id_derived) = match &op.operation_id {
                    Some(id) => (id.clone(), false),
                    None => (derived_operation_id(&method, path), true),
                };
                if let Some(previous) = seen_ids.get(&id).cloned() {
                    // Invalid, but one repeated id should not cost the whole API: the later
                    // operation gets the first free `{id}_2`, `{id}_3`, ...
                    let unique = (2..)
                        .map(|n| format!("{id}_{n}"))
                        .find(|candidate| !seen_ids.contains_key(candidate))
                        .expect("an unused suffix exists");
                    self.warn(
                        &format!("{pointer}/operationId"),
                        format!("operationId `{id}` is used twice (first at {previous}); this operation is named `{unique}`"),
                    );
                    id = unique;
                }
                seen_ids.insert(id.clone(), pointer.clone());
                // Without a tag, the resource the path names (`resources.rs`), so that
                // per-group features can trim documents that have no tags.
                let tag = op.tags.first().cloned().unwrap_or_else(|| {
                    super::resources::resource_of(path).unwrap_or_else(|| "Default".to_owned())
                });
                let operation = self.lower_operation(
                    op,
                    &item.parameters,
                    method.clone(),
                    path,
                    &segments,
                    id,
                    id_derived,
                    &pointer,
                )?;
                let text = |key: &str| {
                    op.extensions
                        .get(key)
                        .and_then(|v| v.as_str())
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                };
                let group_path = text("x-speakeasy-group").map(|g| {
                    g.split('.')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                });
                let declared = self.paging_declared(op, &pointer);
                self.paging.push((operation.id.clone(), declared));
                out.push(TaggedOperation {
                    tag,
                    group_path,
                    name_override: text("x-speakeasy-name-override"),
                    operation,
                });
            }
        }
        Ok(out)
    }

    /// OpenAPI 3.2's `query` method and `additionalOperations` (gathered by `load` under
    /// `x-additional-operations`), with the pointers they have in the document as written.
    fn additional_operations(
        &self,
        item: &openapiv3::PathItem,
        item_pointer: &str,
    ) -> Result<Vec<(HttpMethod, Cow<'static, openapiv3::Operation>, String)>, Diagnostic> {
        let Some(serde_json::Value::Object(extra)) = item.extensions.get("x-additional-operations")
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (name, op) in extra {
            let (method, pointer) = if name == "QUERY" {
                (HttpMethod::Query, format!("{item_pointer}/query"))
            } else {
                let pointer = format!("{item_pointer}/additionalOperations/{}", escape_token(name));
                if name.is_empty() || !name.bytes().all(is_token_char) {
                    return Err(self.error(
                        &pointer,
                        format!("`{name}` is not an HTTP method name (RFC 9110 token characters)"),
                    ));
                }
                let method = match name.to_ascii_uppercase().as_str() {
                    "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" => {
                        return Err(self.error(
                            &pointer,
                            format!("`{name}` has a field of its own in a path item; `additionalOperations` is for other methods"),
                        ));
                    }
                    "QUERY" => HttpMethod::Query,
                    upper => HttpMethod::Other(upper.to_owned()),
                };
                (method, pointer)
            };
            let op: openapiv3::Operation = serde_json::from_value(op.clone())
                .map_err(|e| self.error(&pointer, format!("not a valid operation: {e}")))?;
            out.push((method, Cow::Owned(op), pointer));
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        method: HttpMethod,
        path: &str,
        segments: &[PathSegment],
        id: String,
        id_derived: bool,
        pointer: &str,
    ) -> Result<Operation, Diagnostic> {
        let type_base = naming::type_name(&id, "Operation");
        let mut param_scope = Scope::with_reserved(RESERVED_PARAMS);

        // Operation-level parameters override path-level ones with the same name and location.
        let mut params: Vec<(Parameter, String)> = Vec::new();
        for (i, p) in shared_params.iter().enumerate() {
            let at = format!("{}/parameters/{i}", parent_pointer(pointer));
            params.push((self.parameter(p, &at)?, at));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let at = format!("{pointer}/parameters/{i}");
            let p = self.parameter(p, &at)?;
            let key = |q: &Parameter| (q.parameter_data_ref().name.clone(), location_of(q));
            params.retain(|(q, _)| key(q) != key(&p));
            params.push((p, at));
        }

        let mut ir_params = Vec::with_capacity(params.len());
        for (p, at) in &params {
            let data = p.parameter_data_ref();
            let location = location_of(p);
            let hint = format!("{type_base}{}", naming::type_name(&data.name, "Param"));
            let querystring =
                data.extensions.get("x-querystring") == Some(&serde_json::Value::Bool(true));
            let (location, ty) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (location, self.type_of(schema, &hint, at, 0)?)
                }
                // OpenAPI 3.2 `in: querystring` (`load` makes it a query parameter): the
                // whole query string is the value, encoded as its media type says.
                ParameterSchemaOrContent::Content(content) if querystring => {
                    let Some((mime, media)) = content.first() else {
                        return Err(self.error(
                            &format!("{at}/content"),
                            "a `querystring` parameter needs one media type in `content`",
                        ));
                    };
                    let json = body_media(mime) == Some(BodyMedia::Json);
                    let ty = match &media.schema {
                        Some(schema) => self.type_of(
                            schema,
                            &hint,
                            &format!("{at}/content/{}/schema", escape_token(mime)),
                            0,
                        )?,
                        None => TypeRef::Any,
                    };
                    (ParamLocation::QueryString { json }, ty)
                }
                ParameterSchemaOrContent::Content(_) => {
                    (location, TypeRef::Primitive(crate::ir::Primitive::String))
                }
            };
            let explode = match p {
                Parameter::Query { style, .. } => data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
                _ => data.explode.unwrap_or(false),
            };
            ir_params.push(Param {
                name: data.name.clone(),
                rust_name: param_scope.claim(&naming::snake_name(&data.name, "param"), "_"),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                explode,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        // Every `{name}` in the path needs a path parameter, or the URL cannot be built.
        for segment in segments {
            if let PathSegment::Param(name) = segment {
                if !ir_params
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && &p.name == name)
                {
                    // Real documents forget one (or write a query string into the path):
                    // the URL can still be built from an argument.
                    self.warn(
                        pointer,
                        format!("the path has `{{{name}}}` but the operation declares no path parameter `{name}`; the method takes it as a string argument"),
                    );
                    ir_params.push(Param {
                        name: name.clone(),
                        rust_name: param_scope.claim(&naming::snake_name(name, "param"), "_"),
                        location: ParamLocation::Path,
                        ty: TypeRef::Primitive(crate::ir::Primitive::String),
                        required: true,
                        explode: false,
                        description: None,
                        deprecated: false,
                    });
                }
            }
        }
        // Path parameters in path order first, then the rest in document order.
        ir_params.sort_by_key(|p| match p.location {
            ParamLocation::Path => {
                segments
                    .iter()
                    .position(|s| matches!(s, PathSegment::Param(n) if *n == p.name))
                    .unwrap_or(usize::MAX) as isize
                    - (segments.len() as isize + 1)
            }
            _ => 0,
        });

        let body = match &op.request_body {
            Some(body) => self.request_body(
                body,
                &format!("{type_base}Request"),
                &format!("{pointer}/requestBody"),
            )?,
            None => None,
        };

        let mut responses = Vec::new();
        for (status, response) in &op.responses.responses {
            let status_match = match status {
                StatusCode::Code(code) => StatusMatch::Code(*code),
                StatusCode::Range(range) => StatusMatch::Range(*range),
            };
            let at = format!("{pointer}/responses/{}", status_key(status));
            responses.push(self.response(response, status_match, &type_base, &at)?);
        }
        if let Some(default) = &op.responses.default {
            let at = format!("{pointer}/responses/default");
            responses.push(self.response(default, StatusMatch::Default, &type_base, &at)?);
        }

        // "terminated by a `data: [DONE]` message" may be said of the operation rather than
        // of its response.
        if op
            .description
            .as_deref()
            .is_some_and(|d| d.contains("[DONE]"))
        {
            for body in responses.iter_mut().filter_map(|r| r.body.as_mut()) {
                if let Some(crate::ir::ItemStream {
                    framing:
                        crate::ir::Framing::Events {
                            sentinel: sentinel @ None,
                        },
                    ..
                }) = &mut body.stream
                {
                    *sentinel = Some("[DONE]".to_owned());
                }
            }
        }
        let security = self.operation_security(op.security.as_ref(), pointer)?;
        let has_optional = ir_params.iter().any(|p| !p.required);
        Ok(Operation {
            method_name: String::new(),
            id,
            id_derived,
            http_method: method,
            path: path.to_owned(),
            path_segments: segments.to_vec(),
            params: ir_params,
            body,
            responses,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            security,
            optional_params_type: has_optional.then(|| format!("{type_base}Params")),
            success_enum_type: None,
            byte_stream_method: None,
            pagination: None,
        })
    }

    /// What the operation declares about paging (`lower/pagination.rs` decides).
    fn paging_declared(
        &self,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> super::pagination::Declared {
        let link_header = op.responses.responses.iter().any(|(status, response)| {
            let success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            success
                && self
                    .resolve(response, "responses", pointer)
                    .is_ok_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        });
        super::pagination::Declared {
            pointer: pointer.to_owned(),
            rust: op.extensions.get("x-rust-pagination").cloned(),
            speakeasy: op.extensions.get("x-speakeasy-pagination").cloned(),
            dropshot: op.extensions.get("x-dropshot-pagination").cloned(),
            link_header,
        }
    }

    fn parameter(
        &self,
        p: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<Parameter, Diagnostic> {
        self.resolve(p, "parameters", pointer)
    }

    /// Follows a `$ref` to `#/components/<kind>/<name>` (or any local pointer) and parses it.
    pub(super) fn resolve<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        kind: &str,
        pointer: &str,
    ) -> Result<T, Diagnostic> {
        let mut reference = match item {
            ReferenceOr::Item(item) => return Ok(item.clone()),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        // Follow chains of references, refusing cycles.
        let mut seen = vec![reference.clone()];
        loop {
            let Some(target) = reference.strip_prefix('#') else {
                return Err(self.error(
                    &format!("{pointer}/$ref"),
                    format!("`$ref: {reference}` is an external reference; only references within the document (`#/...`) are supported"),
                ));
            };
            let value = self.doc.raw.pointer(target).ok_or_else(|| {
                self.error(
                    &format!("{pointer}/$ref"),
                    format!("`$ref: {reference}` points at nothing in the document"),
                )
            })?;
            if let Some(next) = value.get("$ref").and_then(|v| v.as_str()) {
                if seen.iter().any(|s| s == next) {
                    return Err(self.error(
                        &format!("{pointer}/$ref"),
                        format!("`$ref: {reference}` is part of a reference cycle"),
                    ));
                }
                seen.push(next.to_owned());
                reference = next.to_owned();
                continue;
            }
            return serde_json::from_value(value.clone()).map_err(|e| {
                self.error(
                    target,
                    format!("`$ref` from {pointer} expects a {kind} object here: {e}"),
                )
            });
        }
    }
}

fn parent_pointer(pointer: &str) -> String {
    let tokens = pointer_tokens(pointer);
    let parent: Vec<&str> = tokens[..tokens.len().saturating_sub(1)]
        .iter()
        .map(String::as_str)
        .collect();
    crate::load::diagnostic::pointer(&parent)
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn status_key(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

/// RFC 9110 `tchar`: what an HTTP method name may contain.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Splits `/api/{serviceId}/x` into literals and parameters.
fn parse_path(path: &str) -> Result<Vec<PathSegment>, String> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("the path `{path}` has an unclosed `{{`"))?;
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            return Err(format!("the path `{path}` has an empty `{{}}`"));
        }
        segments.push(PathSegment::Param(name.to_owned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Ok(segments)
}

/// A stable operationId for operations without one: `get_api_lifecycle_healthcheck`,
/// `delete_pets_by_id`.
fn derived_operation_id(method: &HttpMethod, path: &str) -> String {
    let mut words = vec![method.as_str().to_ascii_lowercase()];
    for part in path.split('/').filter(|p| !p.is_empty()) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{}", naming::snake_name(param, "param"))),
            None => words.push(naming::snake_name(part, "x")),
        }
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_operation_ids() {
        assert_eq!(
            derived_operation_id(&HttpMethod::Get, "/api/lifecycle/healthcheck"),
            "get_api_lifecycle_healthcheck"
        );
        assert_eq!(
            derived_operation_id(&HttpMethod::Delete, "/pets/{petId}"),
            "delete_pets_by_pet_id"
        );
    }

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse_path("/api/{serviceId}/x.{fmt}").unwrap(),
            vec![
                PathSegment::Literal("/api/".into()),
                PathSegment::Param("serviceId".into()),
                PathSegment::Literal("/x.".into()),
                PathSegment::Param("fmt".into()),
            ]
        );
        assert!(parse_path("/a/{b").is_err());
    }

    #[test]
    fn media_kinds() {
        assert_eq!(
            body_media("application/json; charset=utf-8"),
            Some(BodyMedia::Json)
        );
        assert_eq!(
            body_media("application/problem+json"),
            Some(BodyMedia::Json)
        );
        assert_eq!(
            body_media("multipart/form-data"),
            Some(BodyMedia::Multipart)
        );
        assert_eq!(body_media("application/xml"), None);
    }
}
