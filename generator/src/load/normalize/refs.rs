//! References lowering does not follow as written: percent-encoded fragments, references to a
//! schema that is not a component (below one, in a path's parameter or response, anywhere
//! OpenAPI 3.0 lets a `$ref` point), and JSON Schema 2020-12's `$defs`, `$anchor`, `$id` and
//! `$dynamicRef`.
//!
//! Lowering names a type per component schema and resolves `#/components/schemas/NAME` only,
//! so every other target becomes a component of its own (named after where it was) and the
//! references to it are rewritten. A generic schema with `$dynamicRef` (JSON Schema's way to
//! write `Page<T>`) is copied once per binding, which is how a Rust type is specialised.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{Pass, child};
use crate::load::diagnostic::{escape_token, pointer_tokens as split_pointer};

const SCHEMAS: &str = "#/components/schemas/";

/// Copies every schema some `$ref` targets below a component (or by anchor or `$id`) into
/// `components/schemas`; returns old reference → new reference.
pub(super) fn hoist_nested_targets(
    pass: &mut Pass<'_>,
    raw: &mut Value,
) -> BTreeMap<String, String> {
    let mut names = Names::default();
    collect(raw, "", &mut names);
    let mut taken: Vec<String> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut moved = BTreeMap::new();
    let mut copies = Vec::new();
    for reference in &names.refs {
        let target = if let Some(anchor) = reference
            .strip_prefix('#')
            .filter(|a| !a.is_empty() && !a.starts_with('/'))
        {
            match names.anchors.get(anchor) {
                Some(pointer) => pointer.clone(),
                None => continue,
            }
        } else if let Some(pointer) = names.ids.get(reference.as_str()) {
            pointer.clone()
        } else if let Some(pointer) = reference.strip_prefix('#') {
            pointer.to_owned()
        } else {
            continue;
        };
        // A component itself needs no copy, only (for anchors and ids) a plain reference.
        let tokens = split_pointer(&target);
        if tokens.len() == 3 && tokens[0] == "components" && tokens[1] == "schemas" {
            if reference != &format!("#{target}") {
                moved.insert(reference.clone(), format!("#{target}"));
            }
            continue;
        }
        let by_name = !reference.starts_with("#/");
        if !by_name && !is_schema_position(&tokens) {
            // A parameter, response or other object: lowering resolves those where it is.
            continue;
        }
        let Some(schema) = raw.pointer(&target).cloned() else {
            pass.warn(
                "",
                format!("`$ref: {reference}` points at nothing; it stays as written"),
            );
            continue;
        };
        let name = unique(&hoisted_name(&tokens), &mut taken);
        moved.insert(
            reference.clone(),
            format!("{SCHEMAS}{}", escape_token(&name)),
        );
        copies.push((name, schema));
    }
    if !copies.is_empty() {
        if let Some(Value::Object(root)) = Some(&mut *raw) {
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(components) = components {
                let schemas = components
                    .entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(schemas) = schemas {
                    for (name, schema) in copies {
                        schemas.insert(name, schema);
                    }
                }
            }
        }
    }
    moved
}

/// Whether the JSON pointer `tokens` names a place that holds a schema (OpenAPI 3.0 allows a
/// `$ref` to any of them: a property of another schema, a parameter's or a response's
/// schema), as opposed to a parameter, response or other object, which lowering resolves.
fn is_schema_position(tokens: &[String]) -> bool {
    const SCHEMA_MAPS: &[&str] = &[
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
    ];
    const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
    const SCHEMA_KEYWORDS: &[&str] = &[
        "schema",
        "items",
        "additionalProperties",
        "not",
        "contains",
        "unevaluatedItems",
        "unevaluatedProperties",
    ];
    if tokens.len() >= 3 && tokens[0] == "components" && tokens[1] == "schemas" {
        return true;
    }
    if tokens.first().is_some_and(|t| t == "$defs") {
        return true;
    }
    let (Some(last), Some(parent)) = (
        tokens.last(),
        tokens.len().checked_sub(2).map(|i| &tokens[i]),
    ) else {
        return false;
    };
    SCHEMA_KEYWORDS.contains(&last.as_str())
        || SCHEMA_MAPS.contains(&parent.as_str())
        || (SCHEMA_LISTS.contains(&parent.as_str()) && last.parse::<usize>().is_ok())
}

/// Rewrites each `$ref` whose fragment is percent-encoded (`#/paths/~1pets~1%7Bid%7D`, the URI
/// form RFC 6901 section 6 gives) to the plain pointer, when only the decoded one resolves.
pub(super) fn decode_percent_refs(raw: &mut Value) {
    let mut refs = Vec::new();
    all_refs(raw, &mut refs);
    let mut decoded = BTreeMap::new();
    for reference in refs {
        let Some(fragment) = reference.strip_prefix('#') else {
            continue;
        };
        if !fragment.contains('%') || raw.pointer(fragment).is_some() {
            continue;
        }
        let Ok(plain) = percent_encoding::percent_decode_str(fragment).decode_utf8() else {
            continue;
        };
        if raw.pointer(&plain).is_some() {
            decoded.insert(reference.clone(), format!("#{plain}"));
        }
    }
    if !decoded.is_empty() {
        rewrite_refs(raw, &decoded);
    }
}

/// A path item (or webhook) given by a local `$ref` (to another path's item, or a 3.1
/// `components/pathItems` entry) is replaced by a copy of its target; keys beside the `$ref`
/// win. OpenAPI 3.0 allows the form, and `openapiv3` reads it, but lowering needs the item.
pub(super) fn inline_path_item_refs(pass: &mut Pass<'_>, raw: &mut Value) {
    for section in ["paths", "webhooks"] {
        inline_section_refs(pass, raw, section);
    }
}

fn inline_section_refs(pass: &mut Pass<'_>, raw: &mut Value, section: &str) {
    let Some(Value::Object(items)) = raw.get(section) else {
        return;
    };
    let mut targets = Vec::new();
    for (key, item) in items {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        // Followed through chains of path items that are references themselves.
        let mut seen = vec![reference.to_owned()];
        let mut target = reference.strip_prefix('#').and_then(|p| raw.pointer(p));
        while let Some(next) = target.and_then(|t| t.get("$ref")).and_then(Value::as_str) {
            if seen.iter().any(|s| s == next) {
                target = None;
                break;
            }
            seen.push(next.to_owned());
            target = next.strip_prefix('#').and_then(|p| raw.pointer(p));
        }
        match target {
            Some(Value::Object(target)) => targets.push((key.clone(), target.clone())),
            _ => pass.warn(
                &format!("{}/$ref", child(&format!("/{section}"), key)),
                format!("the path item `$ref: {reference}` does not resolve to a path item in this document; it is left out"),
            ),
        }
    }
    let Some(Value::Object(items)) = raw.get_mut(section) else {
        return;
    };
    for (key, target) in targets {
        if let Some(Value::Object(item)) = items.get_mut(&key) {
            item.remove("$ref");
            for (k, v) in target {
                item.entry(k).or_insert(v);
            }
        }
    }
    // What did not resolve would stop lowering; the warning above says it is dropped.
    items.retain(|_, item| item.get("$ref").is_none());
}

/// Every `$ref` string with a `%` in it (the only ones [`decode_percent_refs`] looks at).
fn all_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if reference.contains('%') && !out.contains(reference) {
                    out.push(reference.clone());
                }
            }
            map.values().for_each(|v| all_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| all_refs(v, out)),
        _ => {}
    }
}

/// Replaces every `$ref` found in `moved`.
pub(super) fn rewrite_refs(value: &mut Value, moved: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(new) = moved.get(reference.as_str()) {
                    *reference = new.clone();
                }
            }
            map.values_mut().for_each(|v| rewrite_refs(v, moved));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, moved)),
        _ => {}
    }
}

#[derive(Default)]
struct Names {
    /// References that do not name a component schema directly, in document order.
    refs: Vec<String>,
    anchors: HashMap<String, String>,
    ids: HashMap<String, String>,
}

/// Gathers references, `$anchor`s and `$id`s (examples and extensions are data, not schemas).
fn collect(value: &Value, pointer: &str, names: &mut Names) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let direct = reference
                    .strip_prefix(SCHEMAS)
                    .is_some_and(|rest| !rest.contains('/'));
                let other_component = reference.starts_with("#/components/")
                    && !reference.starts_with(SCHEMAS)
                    && split_pointer(&reference[1..]).len() == 3;
                if !direct && !other_component && !names.refs.contains(reference) {
                    names.refs.push(reference.clone());
                }
            }
            if let Some(Value::String(anchor)) = map.get("$anchor") {
                names.anchors.insert(anchor.clone(), pointer.to_owned());
            }
            if let Some(Value::String(id)) = map.get("$id") {
                names.ids.insert(id.clone(), pointer.to_owned());
            }
            for (key, v) in map {
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                collect(v, &child(pointer, key), names);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &child(pointer, &i.to_string()), names);
            }
        }
        _ => {}
    }
}

/// A readable name for a schema found at `tokens`: the meaningful tokens joined
/// (`components/schemas/Pet/$defs/Owner` → `Pet_Owner`; lowering makes it `PetOwner`).
fn hoisted_name(tokens: &[String]) -> String {
    let skip = [
        "components",
        "schemas",
        "$defs",
        "properties",
        "items",
        "content",
        "schema",
        "paths",
        "webhooks",
        "allOf",
        "oneOf",
        "anyOf",
        "application/json",
    ];
    let parts: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| !skip.contains(t) && !t.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if parts.is_empty() {
        "Schema".to_owned()
    } else {
        parts.join("_")
    }
}

fn unique(base: &str, taken: &mut Vec<String>) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Specialises generic schemas: a use site `{$ref: Generic, $defs: {t: {$dynamicAnchor: T,
/// ...binding}}}` gets a copy of `Generic` with every `$dynamicRef: '#T'` replaced by the
/// binding. The copy is named after the use site's `$id` when it has one
/// (`.../PaginatedPlanets`), else `{Generic}_{binding}`. A generic schema's own default
/// binding (its `$defs` entry with the anchor) fills the references left in the original.
pub(super) fn specialize_dynamic_refs(pass: &mut Pass<'_>, raw: &mut Value) {
    let Some(Value::Object(schemas)) = raw.pointer("/components/schemas").cloned() else {
        return;
    };
    let generic: HashMap<String, Value> = schemas
        .iter()
        .filter(|(_, s)| contains_dynamic_ref(s))
        .map(|(name, s)| (name.clone(), s.clone()))
        .collect();
    if generic.is_empty() {
        return;
    }
    let mut taken: Vec<String> = schemas.keys().cloned().collect();
    let mut made: HashMap<(String, String), String> = HashMap::new();
    let mut new_components = Vec::new();
    bind_use_sites(raw, &generic, &mut |name, bindings, id| {
        let key = (
            name.to_owned(),
            serde_json::to_string(bindings).unwrap_or_default(),
        );
        if let Some(existing) = made.get(&key) {
            return existing.clone();
        }
        let base = id
            .and_then(|id| id.rsplit('/').next())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                let binding = bindings
                    .values()
                    .next()
                    .and_then(|b| b.get("$ref"))
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .unwrap_or("Bound");
                format!("{name}_{binding}")
            });
        let new_name = unique(&base, &mut taken);
        let mut copy = generic[name].clone();
        substitute(&mut copy, bindings);
        new_components.push((new_name.clone(), copy));
        made.insert(key, new_name.clone());
        new_name
    });
    let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") else {
        return;
    };
    for (name, copy) in new_components {
        schemas.insert(name, copy);
    }
    // The generic schemas themselves: their own default bindings, else any value.
    for name in generic.keys() {
        let Some(schema) = schemas.get_mut(name) else {
            continue;
        };
        let defaults = own_bindings(schema);
        substitute(schema, &defaults);
        if contains_dynamic_ref(schema) {
            pass.warn(
                &child("/components/schemas", name),
                "a `$dynamicRef` here has no `$dynamicAnchor` binding it; it is typed as any JSON value",
            );
        }
    }
}

fn contains_dynamic_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.contains_key("$dynamicRef") || map.values().any(contains_dynamic_ref)
        }
        Value::Array(items) => items.iter().any(contains_dynamic_ref),
        _ => false,
    }
}

/// The `$defs` entries of a schema that declare a `$dynamicAnchor`: anchor → schema.
fn own_bindings(schema: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(defs)) = schema.get("$defs") {
        for def in defs.values() {
            if let Some(Value::String(anchor)) = def.get("$dynamicAnchor") {
                let mut binding = def.clone();
                if let Value::Object(b) = &mut binding {
                    b.remove("$dynamicAnchor");
                }
                out.insert(anchor.clone(), binding);
            }
        }
    }
    out
}

/// Replaces `{$dynamicRef: '#A', ...}` by the binding of `A`, and drops the `$defs` entries
/// that only declared bindings.
fn substitute(value: &mut Value, bindings: &BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$dynamicRef") {
                if let Some(binding) = bindings.get(target.trim_start_matches('#')) {
                    let mut replaced = binding.clone();
                    if let Value::Object(r) = &mut replaced {
                        for (k, v) in map.iter() {
                            if k != "$dynamicRef" {
                                r.entry(k.clone()).or_insert(v.clone());
                            }
                        }
                    }
                    *value = replaced;
                    return;
                }
            }
            if let Some(Value::Object(defs)) = map.get_mut("$defs") {
                defs.retain(|_, d| d.get("$dynamicAnchor").is_none());
                if defs.is_empty() {
                    map.remove("$defs");
                }
            }
            map.values_mut().for_each(|v| substitute(v, bindings));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, bindings)),
        _ => {}
    }
}

/// Names the specialised copy of a generic schema for its bindings and the use site's `$id`.
type Specialise<'a> = dyn FnMut(&str, &BTreeMap<String, Value>, Option<&str>) -> String + 'a;

/// Finds use sites of generic schemas with bindings and points them at specialised copies
/// (named by `specialise(generic, bindings, $id)`).
fn bind_use_sites(
    value: &mut Value,
    generic: &HashMap<String, Value>,
    specialise: &mut Specialise<'_>,
) {
    match value {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMAS))
                .map(|n| n.replace("~1", "/").replace("~0", "~"));
            if let Some(name) = target.filter(|n| generic.contains_key(n)) {
                let bindings = own_bindings(&Value::Object(map.clone()));
                if !bindings.is_empty() {
                    let id = map.get("$id").and_then(Value::as_str).map(str::to_owned);
                    let new = specialise(&name, &bindings, id.as_deref());
                    map.insert(
                        "$ref".into(),
                        format!("{SCHEMAS}{}", escape_token(&new)).into(),
                    );
                    map.remove("$defs");
                    map.remove("$id");
                    return;
                }
            }
            for (key, v) in map.iter_mut() {
                if !key.starts_with("x-") && key != "example" && key != "examples" {
                    bind_use_sites(v, generic, specialise);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| bind_use_sites(v, generic, specialise)),
        _ => {}
    }
}
