//! Finds the deepest node that fails to deserialize.
//!
//! `openapiv3` flattens an `extensions` map into almost every struct, and serde's `flatten`
//! buffers the input, so `serde_path_to_error` stops at the first flattened level (often just
//! `/paths`). When that happens we check the document again piece by piece with the typed
//! structs of each level: the first child that fails on its own is where the problem is.

use openapiv3 as oa;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::diagnostic::escape_token;

/// What a node is, so we know which type to check it against and what its children are.
#[derive(Clone, Copy)]
enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Responses,
    Response,
    Parameter,
    RequestBody,
    Components,
    Schema,
}

/// The pointer and message of the deepest failure under the document root, if any node fails.
pub fn deepest_failure(document: &Value) -> Option<(String, String)> {
    failure(document, Kind::Document, String::new())
}

fn check<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(value.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn check_kind(value: &Value, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Document => check::<oa::OpenAPI>(value),
        Kind::Paths => check::<oa::Paths>(value),
        Kind::PathItem => check::<oa::ReferenceOr<oa::PathItem>>(value),
        Kind::Operation => check::<oa::Operation>(value),
        Kind::Responses => check::<oa::Responses>(value),
        Kind::Response => check::<oa::ReferenceOr<oa::Response>>(value),
        Kind::Parameter => check::<oa::ReferenceOr<oa::Parameter>>(value),
        Kind::RequestBody => check::<oa::ReferenceOr<oa::RequestBody>>(value),
        Kind::Components => check::<oa::Components>(value),
        Kind::Schema => check::<oa::ReferenceOr<oa::Schema>>(value),
    }
}

/// The children worth checking separately, with their kinds. Each comes with the pointer
/// suffix that reaches it, already escaped (`parameters/0`, `~1pets`, `schemas/A`).
fn children(value: &Value, kind: Kind) -> Vec<(String, &Value, Kind)> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    let entries = |k: Kind| -> Vec<(String, &Value, Kind)> {
        map.iter()
            .filter(|(key, _)| !key.starts_with("x-"))
            .map(|(key, v)| (escape_token(key), v, k))
            .collect()
    };
    let field = |name: &str, k: Kind| map.get(name).map(|v| (name.to_owned(), v, k));
    let items = |name: &str, k: Kind| -> Vec<(String, &Value, Kind)> {
        match map.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{name}/{i}"), v, k))
                .collect(),
            _ => Vec::new(),
        }
    };
    match kind {
        Kind::Document => [
            field("paths", Kind::Paths),
            field("components", Kind::Components),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Kind::Paths => entries(Kind::PathItem),
        Kind::PathItem => {
            let mut out: Vec<_> = [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .into_iter()
            .filter_map(|m| field(m, Kind::Operation))
            .collect();
            out.extend(items("parameters", Kind::Parameter));
            out
        }
        Kind::Operation => {
            let mut out = items("parameters", Kind::Parameter);
            out.extend(field("requestBody", Kind::RequestBody));
            out.extend(field("responses", Kind::Responses));
            out
        }
        Kind::Responses => entries(Kind::Response),
        Kind::Components => {
            let group = |name: &str, k: Kind| -> Vec<(String, &Value, Kind)> {
                match map.get(name) {
                    Some(Value::Object(entries)) => entries
                        .iter()
                        .map(|(key, v)| (format!("{name}/{}", escape_token(key)), v, k))
                        .collect(),
                    _ => Vec::new(),
                }
            };
            let mut out = group("schemas", Kind::Schema);
            out.extend(group("responses", Kind::Response));
            out.extend(group("parameters", Kind::Parameter));
            out.extend(group("requestBodies", Kind::RequestBody));
            out
        }
        Kind::Schema => {
            let mut out: Vec<_> = match map.get("properties") {
                Some(Value::Object(props)) => props
                    .iter()
                    .map(|(key, v)| (format!("properties/{}", escape_token(key)), v, Kind::Schema))
                    .collect(),
                _ => Vec::new(),
            };
            out.extend(field("items", Kind::Schema));
            for combinator in ["allOf", "oneOf", "anyOf"] {
                out.extend(items(combinator, Kind::Schema));
            }
            out
        }
        Kind::Response | Kind::Parameter | Kind::RequestBody => Vec::new(),
    }
}

fn failure(value: &Value, kind: Kind, pointer: String) -> Option<(String, String)> {
    let message = check_kind(value, kind).err()?;
    for (suffix, child, child_kind) in children(value, kind) {
        let child_pointer = format!("{pointer}/{suffix}");
        if let Some(deeper) = failure(child, child_kind, child_pointer) {
            return Some(deeper);
        }
    }
    Some((pointer, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_a_bad_response_under_flattened_levels() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": 5}}}}}});
        let (pointer, message) = deepest_failure(&doc).unwrap();
        assert_eq!(pointer, "/paths/~1a~1{id}/get/responses/200");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn finds_a_bad_schema_property() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "array", "items": 7}}}}}});
        let (pointer, _) = deepest_failure(&doc).unwrap();
        assert_eq!(pointer, "/components/schemas/A/properties/b/items");
    }

    #[test]
    fn valid_documents_have_no_failure() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert!(deepest_failure(&doc).is_none());
    }
}
