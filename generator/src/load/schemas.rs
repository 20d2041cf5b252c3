//! Checks nested schemas from the inside out before the whole document is deserialized.
//!
//! `openapiv3::ReferenceOr<T>` deserializes `T` a second time when the first attempt fails (to
//! word its error), and a schema holds its sub-schemas as `ReferenceOr<Schema>`. A schema that
//! is invalid `d` levels down is therefore deserialized about `2^d` times: a 25-level `allOf`
//! chain with a bad leaf took minutes (found by `fuzz/`, target `structured`). Checking tall
//! schemas innermost first stops at the first invalid one, so no deserialization ever runs over
//! a deep invalid subtree. The pointer and message of that schema are what the user sees.
//!
//! Only schemas with sub-schemas at least [`CHECKED_HEIGHT`] levels deep are checked on their
//! own, so ordinary documents pay almost nothing; an invalid schema below them costs at most
//! `2^CHECKED_HEIGHT` attempts before a checked ancestor reports it.

use openapiv3 as oa;
use serde_json::Value;

use super::diagnostic::escape_token;

/// Schemas this tall (levels of sub-schemas below them) are deserialized on their own.
const CHECKED_HEIGHT: usize = 4;

/// The pointer and message of the innermost invalid schema among tall ones, if any.
pub fn first_invalid(document: &Value) -> Option<(String, String)> {
    let mut walk = Walk { found: None };
    walk.document(document);
    walk.found
}

struct Walk {
    found: Option<(String, String)>,
}

fn check_schema(value: &Value) -> Result<(), String> {
    serde_json::from_value::<oa::ReferenceOr<oa::Schema>>(value.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The sub-schemas of a schema, with the pointer suffixes that reach them.
fn sub_schemas(value: &Value) -> Vec<(String, &Value)> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    if map.contains_key("$ref") {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, schema) in properties {
            out.push((format!("properties/{}", escape_token(name)), schema));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(schema @ Value::Object(_)) = map.get(key) {
            out.push((key.to_owned(), schema));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            for (i, member) in members.iter().enumerate() {
                out.push((format!("{key}/{i}"), member));
            }
        }
    }
    out
}

impl Walk {
    /// Walks a schema's sub-schemas first, then checks the schema itself when it is tall.
    /// Returns its height, or `None` once an invalid schema was found.
    fn schema(&mut self, value: &Value, pointer: &str) -> Option<usize> {
        let mut height = 0;
        for (suffix, child) in sub_schemas(value) {
            let child_height = self.schema(child, &format!("{pointer}/{suffix}"))?;
            height = height.max(child_height + 1);
        }
        if height >= CHECKED_HEIGHT {
            if let Err(message) = check_schema(value) {
                // Below here only short schemas were left unchecked: find the innermost one.
                self.found =
                    Some(innermost(value, pointer).unwrap_or((pointer.to_owned(), message)));
                return None;
            }
        }
        Some(height)
    }

    fn document(&mut self, value: &Value) -> Option<()> {
        if let Some(Value::Object(paths)) = value.get("paths") {
            for (path, item) in paths {
                self.path_item(item, &format!("/paths/{}", escape_token(path)))?;
            }
        }
        let Some(Value::Object(components)) = value.get("components") else {
            return Some(());
        };
        let each = |key: &str| -> Vec<(String, &Value)> {
            match components.get(key) {
                Some(Value::Object(entries)) => entries
                    .iter()
                    .map(|(name, v)| (format!("/components/{key}/{}", escape_token(name)), v))
                    .collect(),
                _ => Vec::new(),
            }
        };
        for (pointer, schema) in each("schemas") {
            self.schema(schema, &pointer)?;
        }
        for (pointer, parameter) in each("parameters") {
            self.parameter(parameter, &pointer)?;
        }
        for (pointer, header) in each("headers") {
            self.parameter(header, &pointer)?;
        }
        for (pointer, response) in each("responses") {
            self.response(response, &pointer)?;
        }
        for (pointer, body) in each("requestBodies") {
            self.content(body, &pointer)?;
        }
        for (pointer, callback) in each("callbacks") {
            self.callback(callback, &pointer)?;
        }
        Some(())
    }

    fn path_item(&mut self, value: &Value, pointer: &str) -> Option<()> {
        self.parameters(value, pointer)?;
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(operation) = value.get(method) {
                self.operation(operation, &format!("{pointer}/{method}"))?;
            }
        }
        Some(())
    }

    fn operation(&mut self, value: &Value, pointer: &str) -> Option<()> {
        self.parameters(value, pointer)?;
        if let Some(body) = value.get("requestBody") {
            self.content(body, &format!("{pointer}/requestBody"))?;
        }
        if let Some(Value::Object(responses)) = value.get("responses") {
            for (status, response) in responses {
                let at = format!("{pointer}/responses/{}", escape_token(status));
                self.response(response, &at)?;
            }
        }
        if let Some(Value::Object(callbacks)) = value.get("callbacks") {
            for (name, callback) in callbacks {
                let at = format!("{pointer}/callbacks/{}", escape_token(name));
                self.callback(callback, &at)?;
            }
        }
        Some(())
    }

    fn callback(&mut self, value: &Value, pointer: &str) -> Option<()> {
        if let Value::Object(expressions) = value {
            for (expression, item) in expressions {
                self.path_item(item, &format!("{pointer}/{}", escape_token(expression)))?;
            }
        }
        Some(())
    }

    fn parameters(&mut self, value: &Value, pointer: &str) -> Option<()> {
        if let Some(Value::Array(parameters)) = value.get("parameters") {
            for (i, parameter) in parameters.iter().enumerate() {
                self.parameter(parameter, &format!("{pointer}/parameters/{i}"))?;
            }
        }
        Some(())
    }

    /// A parameter or a header: a `schema` or a `content` map.
    fn parameter(&mut self, value: &Value, pointer: &str) -> Option<()> {
        if let Some(schema) = value.get("schema") {
            self.schema(schema, &format!("{pointer}/schema"))?;
        }
        self.content(value, pointer)
    }

    fn response(&mut self, value: &Value, pointer: &str) -> Option<()> {
        if let Some(Value::Object(headers)) = value.get("headers") {
            for (name, header) in headers {
                self.parameter(header, &format!("{pointer}/headers/{}", escape_token(name)))?;
            }
        }
        self.content(value, pointer)
    }

    /// The `content` map of a parameter, header, request body or response.
    fn content(&mut self, value: &Value, pointer: &str) -> Option<()> {
        let Some(Value::Object(media)) = value.get("content") else {
            return Some(());
        };
        for (mime, media_type) in media {
            let at = format!("{pointer}/content/{}", escape_token(mime));
            if let Some(schema) = media_type.get("schema") {
                self.schema(schema, &format!("{at}/schema"))?;
            }
            if let Some(Value::Object(encodings)) = media_type.get("encoding") {
                for (property, encoding) in encodings {
                    let Some(Value::Object(headers)) = encoding.get("headers") else {
                        continue;
                    };
                    for (name, header) in headers {
                        let header_at = format!(
                            "{at}/encoding/{}/headers/{}",
                            escape_token(property),
                            escape_token(name)
                        );
                        self.parameter(header, &header_at)?;
                    }
                }
            }
        }
        Some(())
    }
}

/// The innermost invalid schema at or below `value` (every one checked: the caller knows the
/// schemas below it are short).
fn innermost(value: &Value, pointer: &str) -> Option<(String, String)> {
    for (suffix, child) in sub_schemas(value) {
        if let Some(found) = innermost(child, &format!("{pointer}/{suffix}")) {
            return Some(found);
        }
    }
    check_schema(value)
        .err()
        .map(|message| (pointer.to_owned(), message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(keyword: &str, depth: usize, leaf: Value) -> Value {
        let mut schema = leaf;
        for _ in 0..depth {
            schema = match keyword {
                "items" => json!({"type": "array", "items": schema}),
                "properties" => json!({"type": "object", "properties": {"p": schema}}),
                _ => json!({ keyword: [schema] }),
            };
        }
        schema
    }

    fn document(schema: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Deep": schema}}})
    }

    #[test]
    fn valid_tall_schemas_pass() {
        for keyword in ["allOf", "anyOf", "oneOf", "items", "properties"] {
            // Deep enough to check several levels; shallow enough for a test thread's stack.
            let doc = document(nested(keyword, 16, json!({"type": "string"})));
            assert_eq!(first_invalid(&doc), None, "{keyword}");
        }
    }

    #[test]
    fn finds_the_innermost_invalid_schema_quickly() {
        // Without the check, deserializing this takes about 2^30 attempts.
        let doc = document(nested("allOf", 30, json!({"anyOf": ["not a schema"]})));
        let started = std::time::Instant::now();
        let (pointer, message) = first_invalid(&doc).expect("the leaf is invalid");
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!(
            pointer,
            format!("/components/schemas/Deep{}/anyOf/0", "/allOf/0".repeat(30))
        );
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn looks_inside_operations_and_headers() {
        let bad = nested("items", 10, json!({"type": "object", "required": "x"}));
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "headers": {"X-H": {"schema": bad}}}}}}}});
        let (pointer, _) = first_invalid(&doc).expect("the header schema is invalid");
        assert_eq!(
            pointer,
            format!(
                "/paths/~1a/get/responses/200/headers/X-H/schema{}",
                "/items".repeat(10)
            )
        );
    }
}
