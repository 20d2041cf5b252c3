//! OpenAPI Overlay Specification 1.0: `update` and `remove` actions, each selecting nodes of
//! the document with an RFC 9535 JSONPath `target`, applied in order before lowering.
//!
//! Overlays let us (and API owners) rename, document and correct the upstream document without
//! editing it. Semantics follow the specification: `update` merges an object into each
//! selected object (recursively; arrays are appended to; other values replace) or appends to a
//! selected array; `remove: true` deletes each selected node and wins over `update`.

use std::path::Path;

use serde_json::Value;
use serde_json_path::JsonPath;

use super::Diagnostic;
use super::locate;

/// A problem worth telling the user that does not stop generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub String);

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads the overlay at `path` and applies it to `document`, read from `document_path`
/// (named in warnings).
pub fn apply_file(
    path: &Path,
    document_path: &Path,
    document: &mut Value,
) -> Result<Vec<Warning>, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(path, format!("cannot read the overlay: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::new(path, "the overlay is not valid UTF-8"))?;
    let overlay = super::parse_text(path, &text)?;
    apply(path, &text, &overlay, document_path, document)
}

/// Applies a parsed overlay; `path` and `text` locate errors, `document_path` names the
/// document in warnings.
///
/// A target that matches nothing is a warning, not an error: the same overlay is applied to
/// older documents (`diff`, the changelog), which lack what was added upstream since.
pub fn apply(
    path: &Path,
    text: &str,
    overlay: &Value,
    document_path: &Path,
    document: &mut Value,
) -> Result<Vec<Warning>, Diagnostic> {
    let at = |pointer: &str, message: String| {
        Diagnostic::new(path, message)
            .at(pointer)
            .line(locate::line_of(text, pointer))
    };
    let Value::Object(root) = overlay else {
        return Err(Diagnostic::new(
            path,
            "an overlay must be a mapping with `overlay`, `info` and `actions`",
        )
        .at(""));
    };
    match root.get("overlay") {
        Some(Value::String(v)) if v.starts_with("1.") => {}
        Some(other) => {
            return Err(at(
                "/overlay",
                format!("unsupported overlay version {other}; this generator reads Overlay 1.x"),
            ));
        }
        None => {
            return Err(Diagnostic::new(
                path,
                "not an overlay: the required field `overlay` (e.g. `overlay: 1.0.0`) is missing",
            )
            .at(""));
        }
    }
    let Some(Value::Array(actions)) = root.get("actions") else {
        return Err(at(
            "/actions",
            "an overlay needs an `actions` list".to_owned(),
        ));
    };
    let mut warnings = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let pointer = format!("/actions/{i}");
        let described = action
            .get("description")
            .and_then(Value::as_str)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            return Err(at(
                &pointer,
                format!("action {i}{described} has no `target` JSONPath"),
            ));
        };
        let path_expr = JsonPath::parse(target).map_err(|e| {
            at(
                &format!("{pointer}/target"),
                format!("action {i}{described}: `{target}` is not a valid JSONPath: {e}"),
            )
        })?;
        let remove = match action.get("remove") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(other) => {
                return Err(at(
                    &format!("{pointer}/remove"),
                    format!("action {i}{described}: `remove` must be true or false, not {other}"),
                ));
            }
        };
        let update = action.get("update");
        if !remove && update.is_none() {
            return Err(at(
                &pointer,
                format!("action {i}{described} has neither `update` nor `remove: true`"),
            ));
        }
        // Resolve targets to JSON pointers first: the query borrows the document immutably.
        let mut pointers: Vec<String> = path_expr
            .query_located(document)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            warnings.push(Warning(format!(
                "{}: action {i}{described}: target `{target}` matches nothing in {}",
                path.display(),
                document_path.display()
            )));
            continue;
        }
        if remove {
            // Remove from the back so that array indices of earlier matches stay valid.
            pointers.sort();
            pointers.reverse();
            for p in &pointers {
                remove_at(document, p);
            }
        } else if let Some(update) = update {
            for p in &pointers {
                let Some(node) = document.pointer_mut(p) else {
                    continue;
                };
                match (node, update) {
                    (Value::Array(items), value) => match value {
                        Value::Array(more) => items.extend(more.iter().cloned()),
                        other => items.push(other.clone()),
                    },
                    (node @ Value::Object(_), Value::Object(_)) => merge(node, update),
                    (_, _) => {
                        return Err(at(
                            &format!("{pointer}/update"),
                            format!(
                                "action {i}{described}: `update` must be an object when the target (`{p}`) is an object or a value"
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(warnings)
}

/// Recursive merge: objects merge key by key, arrays are appended to, anything else replaces.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (key, value) in u {
                match t.get_mut(key) {
                    Some(existing @ (Value::Object(_) | Value::Array(_)))
                        if existing.is_object() == value.is_object()
                            && existing.is_array() == value.is_array() =>
                    {
                        merge(existing, value)
                    }
                    _ => {
                        t.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (t, u) => *t = u.clone(),
    }
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(overlay: Value, mut doc: Value) -> (Result<Vec<Warning>, Diagnostic>, Value) {
        let result = apply(
            Path::new("o.yaml"),
            "",
            &overlay,
            Path::new("doc.yaml"),
            &mut doc,
        );
        (result, doc)
    }

    #[test]
    fn update_merges_and_remove_deletes() {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "a_api", "tags": ["X"]}}, "/b": {"get": {"operationId": "b"}}}});
        let overlay = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.paths['/a'].get", "update": {"x-speakeasy-name-override": "get", "tags": ["Y"]}},
            {"target": "$.paths['/b']", "remove": true}
        ]});
        let (result, doc) = run(overlay, doc);
        assert!(result.unwrap().is_empty());
        assert_eq!(
            doc["paths"]["/a"]["get"]["x-speakeasy-name-override"],
            "get"
        );
        assert_eq!(doc["paths"]["/a"]["get"]["tags"], json!(["X", "Y"]));
        assert!(doc["paths"].get("/b").is_none());
    }

    #[test]
    fn values_are_replaced_and_wildcards_reach_every_match() {
        let doc = json!({"items": [{"id": "1"}, {"id": "2"}]});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.items[*]", "update": {"id": 7}}
        ]});
        let (result, doc) = run(overlay, doc);
        result.unwrap();
        assert_eq!(doc, json!({"items": [{"id": 7}, {"id": 7}]}));
    }

    #[test]
    fn unmatched_targets_warn() {
        let overlay =
            json!({"overlay": "1.0.0", "actions": [{"target": "$.nothing", "update": {}}]});
        let (result, _) = run(overlay, json!({}));
        let warnings = result.unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .0
                .contains("target `$.nothing` matches nothing in doc.yaml"),
            "{warnings:?}"
        );
    }

    #[test]
    fn bad_overlays_are_errors_naming_the_action() {
        let cases = [
            (
                json!({"overlay": "2.0.0", "actions": []}),
                "unsupported overlay version",
            ),
            (json!({"actions": []}), "`overlay`"),
            (
                json!({"overlay": "1.0.0", "actions": [{"target": "$[", "update": {}}]}),
                "not a valid JSONPath",
            ),
            (
                json!({"overlay": "1.0.0", "actions": [{"target": "$.a"}]}),
                "neither `update` nor `remove",
            ),
            (
                json!({"overlay": "1.0.0", "actions": [{"update": {}}]}),
                "no `target`",
            ),
        ];
        for (overlay, expected) in cases {
            let (result, _) = run(overlay, json!({"a": {}}));
            let e = result.unwrap_err();
            assert!(e.message.contains(expected), "{e}");
        }
    }
}
