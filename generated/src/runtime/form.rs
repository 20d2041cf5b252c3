//! `application/x-www-form-urlencoded` encoding of a JSON value.
//!
//! Request models are serialized to a [`serde_json::Value`] first (one generic
//! step), so this encoder works on values only and is compiled once.

use serde_json::Value;

/// Encodes a JSON object as a form body.
///
/// Follows the OpenAPI default for form bodies (`style: form, explode: true`):
/// - strings, numbers and booleans become `key=value`;
/// - arrays of scalars repeat the key (`scopes=a&scopes=b`);
/// - nested objects, and objects inside arrays, have no standard flat form, so
///   they are sent as compact JSON text, the usual convention of APIs that
///   take structured parameters in form bodies;
/// - `null` (an unset optional field) is skipped.
///
/// Anything but an object has no field names to use as keys and is rejected.
pub(crate) fn encode_form(value: &Value) -> Result<String, String> {
    let Value::Object(fields) = value else {
        return Err(format!(
            "a form body must be a JSON object, not {}",
            kind(value)
        ));
    };
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (key, value) in fields {
        match value {
            Value::Array(items) => {
                for item in items {
                    if let Some(text) = scalar_text(item) {
                        form.append_pair(key, &text);
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(other) {
                    form.append_pair(key, &text);
                }
            }
        }
    }
    Ok(form.finish())
}

/// The text sent for one value, or `None` for `null`.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        // `Value`'s Display is compact JSON and cannot fail.
        nested @ (Value::Array(_) | Value::Object(_)) => Some(nested.to_string()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::encode_form;
    use serde_json::json;

    fn pairs(body: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn scalars_use_their_string_form() {
        let body = encode_form(&json!({"s": "x", "n": 42, "f": 1.5, "b": true})).unwrap();
        let mut got = pairs(&body);
        got.sort();
        assert_eq!(
            got,
            vec![p("b", "true"), p("f", "1.5"), p("n", "42"), p("s", "x")]
        );
    }

    #[test]
    fn arrays_of_scalars_repeat_the_key_in_order() {
        let body = encode_form(&json!({"scopes": ["openid", "profile", null, 7]})).unwrap();
        assert_eq!(body, "scopes=openid&scopes=profile&scopes=7");
    }

    #[test]
    fn nested_values_are_compact_json() {
        let body = encode_form(&json!({
            "obj": {"a": 1},
            "list": [{"k": "v"}, ["x"]],
        }))
        .unwrap();
        let mut got = pairs(&body);
        // Field order depends on serde_json's `preserve_order`; item order must not.
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                p("list", r#"{"k":"v"}"#),
                p("list", r#"["x"]"#),
                p("obj", r#"{"a":1}"#)
            ]
        );
    }

    #[test]
    fn nulls_are_skipped_and_empty_strings_kept() {
        let body = encode_form(&json!({"a": null, "b": "", "c": []})).unwrap();
        assert_eq!(body, "b=");
    }

    #[test]
    fn special_characters_round_trip() {
        let value = "a b&c=d+e%f/g?h#i\u{e9}\n";
        let body = encode_form(&json!({ "parameters": value })).unwrap();
        assert!(!body.contains(' ') && !body.contains('\n') && !body.contains('#'));
        assert_eq!(pairs(&body), vec![p("parameters", value)]);
    }

    #[test]
    fn non_objects_are_rejected() {
        for v in [json!(null), json!("x"), json!([1]), json!(3)] {
            assert!(encode_form(&v).is_err(), "{v}");
        }
    }
}
