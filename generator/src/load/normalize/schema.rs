//! One JSON Schema 2020-12 schema → its OpenAPI 3.0 spelling (see the table in `mod.rs`).

use serde_json::{Map, Value, json};

use super::{Pass, child};

/// Marks a schema that only admits `null`, so a `oneOf`/`anyOf` holding it can drop it and
/// become nullable instead. Internal to this pass and lowering; never in a user's document.
pub const NULL_MARK: &str = "x-generator-null";

/// Keywords that hold one sub-schema.
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "contentSchema",
];
/// Keywords that hold a list of sub-schemas.
const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keywords that hold a map of sub-schemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// Keywords we cannot express in Rust types, and what the generated code does instead.
const UNMAPPED: &[(&str, &str)] = &[
    (
        "if",
        "`if`/`then`/`else` is not checked; the type comes from the schema's other keywords",
    ),
    (
        "dependentRequired",
        "`dependentRequired` is not checked; the fields it names stay optional",
    ),
    (
        "dependentSchemas",
        "`dependentSchemas` is not checked; the type comes from the schema's other keywords",
    ),
    (
        "propertyNames",
        "`propertyNames` is not checked; map keys are plain strings",
    ),
    (
        "contains",
        "`contains` is not checked; the list's items keep the type from `items`",
    ),
    (
        "unevaluatedItems",
        "`unevaluatedItems` is not checked; the list's items keep the type from `items`",
    ),
];

/// Keywords that belong to one JSON type, moved into that type's branch when `type` lists
/// several.
fn keywords_of(typ: &str) -> &'static [&'static str] {
    match typ {
        "string" => &[
            "format",
            "enum",
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

impl Pass<'_> {
    /// Rewrites the schema at `pointer`, its sub-schemas first.
    pub(super) fn schema(&mut self, value: &mut Value, pointer: &str) {
        if let Value::Bool(admits_all) = value {
            *value = if *admits_all {
                json!({})
            } else {
                json!({"not": {}})
            };
            return;
        }
        let Value::Object(map) = value else { return };
        for key in ONE {
            if let Some(sub @ Value::Object(_)) = map.get_mut(*key) {
                self.schema(sub, &child(pointer, key));
            }
        }
        for key in LIST {
            if let Some(Value::Array(members)) = map.get_mut(*key) {
                for (i, member) in members.iter_mut().enumerate() {
                    self.schema(member, &child(&child(pointer, key), &i.to_string()));
                }
            }
        }
        for key in MAP {
            if let Some(Value::Object(members)) = map.get_mut(*key) {
                for (name, member) in members.iter_mut() {
                    self.schema(member, &child(&child(pointer, key), name));
                }
            }
        }
        self.keywords(map, pointer);
        self.null_branches(map);
        self.type_list(map, pointer);
        wrap_ref_siblings(value);
    }

    /// The keyword-for-keyword mappings of one schema object.
    fn keywords(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(value) = map.remove("const") {
            if !map.contains_key("type") {
                if let Some(typ) = json_type(&value) {
                    map.insert("type".into(), typ.into());
                }
            }
            map.insert("enum".into(), Value::Array(vec![value]));
        }
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                map.entry("example").or_insert(first);
            }
        }
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(bound @ Value::Number(_)) = map.get(exclusive).cloned() {
                map.insert(inclusive.into(), bound);
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
        let encoding = map.remove("contentEncoding");
        let media = map.remove("contentMediaType");
        if !map.contains_key("format") {
            match (&encoding, &media) {
                (Some(Value::String(e)), _) if e.starts_with("base64") => {
                    map.insert("format".into(), "byte".into());
                }
                (None, Some(_)) => {
                    map.insert("format".into(), "binary".into());
                }
                _ => {}
            }
        }
        if let Some(Value::Object(patterns)) = map.remove("patternProperties") {
            if !map.contains_key("additionalProperties") {
                let value = if patterns.len() == 1 {
                    patterns
                        .into_iter()
                        .next()
                        .map(|(_, v)| v)
                        .unwrap_or_default()
                } else {
                    self.warn(
                        &child(pointer, "patternProperties"),
                        "several `patternProperties`: their values are typed as any JSON value",
                    );
                    json!({})
                };
                map.insert("additionalProperties".into(), value);
            }
        }
        if let Some(unevaluated) = map.remove("unevaluatedProperties") {
            map.entry("additionalProperties").or_insert(unevaluated);
        }
        if map.get("items").is_some_and(Value::is_boolean) {
            // `items: false` closes a tuple (`prefixItems`); `true` adds nothing.
            map.remove("items");
        }
        if map
            .get("discriminator")
            .is_some_and(|d| d.get("defaultMapping").is_some())
        {
            self.warn(
                &child(&child(pointer, "discriminator"), "defaultMapping"),
                "`defaultMapping` (3.2) is not used: a discriminator value without a mapping decodes as the union's `Unknown` variant, not as the default schema",
            );
        }
        for (keyword, instead) in UNMAPPED {
            if map.contains_key(*keyword) {
                self.warn(&child(pointer, keyword), *instead);
            }
        }
        if map.contains_key("$dynamicRef") {
            self.warn(
                &child(pointer, "$dynamicRef"),
                "`$dynamicRef` without a `$dynamicAnchor` binding it: the value is typed as any JSON value",
            );
            map.remove("$dynamicRef");
        }
        if map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null))
        {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }

    /// `type: [..]`: `"null"` makes the schema nullable; several other types make a union.
    fn type_list(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let (nulls, rest): (Vec<String>, Vec<String>) =
            types.into_iter().partition(|t| t == "null");
        if !nulls.is_empty() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match rest.as_slice() {
            [] => {
                map.remove("type");
                map.insert(NULL_MARK.into(), Value::Bool(true));
            }
            [one] => {
                map.insert("type".into(), one.clone().into());
            }
            several => {
                map.remove("type");
                if map.contains_key("oneOf") || map.contains_key("anyOf") {
                    self.warn(
                        &child(pointer, "type"),
                        "`type` lists several types beside `oneOf`/`anyOf`: the value is typed as any JSON value",
                    );
                    return;
                }
                let mut branches = Vec::new();
                for typ in several {
                    let mut branch = Map::new();
                    branch.insert("title".into(), title_of(typ).into());
                    branch.insert("type".into(), typ.clone().into());
                    for keyword in keywords_of(typ) {
                        if let Some(value) = map.get(*keyword) {
                            branch.insert((*keyword).into(), value.clone());
                        }
                    }
                    branches.push(Value::Object(branch));
                }
                for typ in several {
                    for keyword in keywords_of(typ) {
                        map.remove(*keyword);
                    }
                }
                map.insert("oneOf".into(), Value::Array(branches));
            }
        }
    }

    /// `oneOf`/`anyOf` members that only admit `null` go; what is left is nullable.
    fn null_branches(&mut self, map: &mut Map<String, Value>) {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = map.get_mut(key) else {
                continue;
            };
            let before = members.len();
            members.retain(|m| !admits_only_null(m));
            if members.len() == before {
                continue;
            }
            map.insert("nullable".into(), Value::Bool(true));
            let Some(Value::Array(members)) = map.remove(key) else {
                continue;
            };
            match members.len() {
                0 => {
                    map.insert(NULL_MARK.into(), Value::Bool(true));
                }
                1 => {
                    let Some(Value::Object(only)) = members.into_iter().next() else {
                        continue;
                    };
                    if only.contains_key("$ref") {
                        // A reference plus annotations: 3.0's `allOf: [$ref]` idiom.
                        let mut all_of = vec![Value::Object(only)];
                        if let Some(Value::Array(existing)) = map.remove("allOf") {
                            all_of.extend(existing);
                        }
                        map.insert("allOf".into(), Value::Array(all_of));
                    } else {
                        for (k, v) in only {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
                _ => {
                    map.insert(key.into(), Value::Array(members));
                }
            }
        }
    }
}

/// `{$ref, description, nullable, ...}` → `{allOf: [{$ref}], description, nullable, ...}`: in 3.1
/// the siblings of a `$ref` apply, and this is how 3.0 (and so lowering) says the same.
fn wrap_ref_siblings(value: &mut Value) {
    let Value::Object(map) = value else { return };
    if !map.contains_key("$ref") {
        return;
    }
    // Identifiers and bindings used by the reference passes carry no meaning of their own here.
    for key in [
        "$id",
        "$schema",
        "$comment",
        "$anchor",
        "$dynamicAnchor",
        "$defs",
    ] {
        map.remove(key);
    }
    if map.len() == 1 {
        return;
    }
    let reference = map.remove("$ref").unwrap_or_default();
    let mut all_of = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(existing)) = map.remove("allOf") {
        all_of.extend(existing);
    }
    map.insert("allOf".into(), Value::Array(all_of));
}

/// Whether a (rewritten) schema admits only `null`.
fn admits_only_null(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    if map.get(NULL_MARK) == Some(&Value::Bool(true)) {
        return true;
    }
    map.get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The JSON type of a `const` value.
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// Variant names of a union made from `type: [..]`.
fn title_of(typ: &str) -> &'static str {
    match typ {
        "string" => "String",
        "integer" => "Integer",
        "number" => "Number",
        "boolean" => "Boolean",
        "array" => "List",
        "object" => "Object",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn run(schema: Value) -> (Value, Vec<String>) {
        let mut pass = Pass {
            path: Path::new("t.yaml"),
            text: "",
            warnings: Vec::new(),
        };
        let mut schema = schema;
        pass.schema(&mut schema, "/s");
        let warnings = pass.warnings.into_iter().map(|w| w.0).collect();
        (schema, warnings)
    }

    #[test]
    fn type_lists() {
        let (s, _) = run(json!({"type": ["string", "null"], "format": "date"}));
        assert_eq!(
            s,
            json!({"type": "string", "format": "date", "nullable": true})
        );
        let (s, _) = run(json!({"type": ["string", "integer"], "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "oneOf": [
                {"title": "String", "type": "string"},
                {"title": "Integer", "type": "integer"}
            ]})
        );
    }

    #[test]
    fn null_branches_make_the_rest_nullable() {
        let (s, _) = run(
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}], "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let (s, _) =
            run(json!({"oneOf": [{"type": "string"}, {"enum": [null]}, {"type": "integer"}]}));
        assert_eq!(
            s,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn keywords() {
        let (s, _) = run(json!({"const": "x"}));
        assert_eq!(s, json!({"type": "string", "enum": ["x"]}));
        let (s, _) = run(json!({"type": "number", "exclusiveMinimum": 0, "examples": [1, 2]}));
        assert_eq!(
            s,
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "example": 1})
        );
        let (s, _) = run(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _) = run(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _) =
            run(json!({"type": "object", "patternProperties": {"^x": {"type": "integer"}}}));
        assert_eq!(
            s,
            json!({"type": "object", "additionalProperties": {"type": "integer"}})
        );
        let (s, _) = run(json!({"properties": {"a": true, "b": false}}));
        assert_eq!(s, json!({"properties": {"a": {}, "b": {"not": {}}}}));
    }

    #[test]
    fn ref_siblings_apply() {
        let (s, _) =
            run(json!({"$ref": "#/components/schemas/A", "description": "d", "nullable": true}));
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let (s, _) = run(json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn unmapped_keywords_warn_with_their_pointer() {
        let (_, warnings) =
            run(json!({"type": "object", "if": {}, "then": {}, "dependentRequired": {}}));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("at /s/if"), "{warnings:?}");
        assert!(
            warnings[1].contains("fields it names stay optional"),
            "{warnings:?}"
        );
    }
}
