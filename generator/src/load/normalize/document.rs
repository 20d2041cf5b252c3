//! The document around the schemas: where schemas sit, and the 3.1 / 3.2 objects that changed.

use serde_json::{Map, Value, json};

use super::{Pass, child};

/// The HTTP methods OpenAPI 3.0 has fields for; any other goes to `x-additional-operations`.
const METHODS_30: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where the document keeps maps whose keys are names the author chose (so `schema` or
/// `examples` there is a name, not a keyword).
const NAMED_MAPS: &[&str] = &[
    "paths",
    "webhooks",
    "responses",
    "content",
    "headers",
    "links",
    "encoding",
    "variables",
    "mapping",
    "scopes",
    "callbacks",
    "additionalOperations",
    "x-additional-operations",
];

/// The dialects whose schemas this pass reads (OpenAPI's own and plain JSON Schema 2020-12).
const KNOWN_DIALECTS: &[&str] = &[
    "https://spec.openapis.org/oas/3.1/dialect/",
    "https://spec.openapis.org/oas/3.2/dialect/",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Rewrites everything but the reference passes (see `refs.rs`).
pub(super) fn rewrite(pass: &mut Pass<'_>, raw: &mut Value) {
    let Value::Object(root) = raw else { return };
    if let Some(Value::String(dialect)) = root.get("jsonSchemaDialect") {
        if !KNOWN_DIALECTS.iter().any(|d| dialect.starts_with(d)) {
            pass.warn(
                "/jsonSchemaDialect",
                format!("schemas are read as OpenAPI's JSON Schema 2020-12 dialect, not {dialect}"),
            );
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    if let Some(Value::Object(info)) = root.get_mut("info") {
        // `info.summary` is new in 3.1; the crate's docs read `description`.
        if !info.contains_key("description") {
            if let Some(summary) = info.get("summary").cloned() {
                info.insert("description".into(), summary);
            }
        }
    }
    let components = root.get("components").cloned();
    // A tag's `summary` (3.2) documents its group when the tag has no `description`.
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            if !tag.contains_key("description") {
                if let Some(summary) = tag.get("summary").cloned() {
                    tag.insert("description".into(), summary);
                }
            }
        }
    }
    tag_parents(root);
    inline_component_refs(root, components.as_ref());
    drop_unsupported_schemes(pass, root);
    walk(pass, raw, "", false);
}

/// Walks the document: `named` says the object's keys are names, not keywords.
fn walk(pass: &mut Pass<'_>, value: &mut Value, pointer: &str, named: bool) {
    match value {
        Value::Object(map) => {
            if !named {
                object(pass, map, pointer);
            }
            for (key, child_value) in map.iter_mut() {
                let at = child(pointer, key);
                if named {
                    walk(pass, child_value, &at, false);
                    continue;
                }
                match key.as_str() {
                    k if k.starts_with("x-") && k != "x-additional-operations" => {}
                    "example" | "examples" | "default" | "enum" | "const" => {}
                    "schema" => pass.schema(child_value, &at),
                    "schemas" if pointer == "/components" => {
                        if let Value::Object(schemas) = child_value {
                            for (name, schema) in schemas.iter_mut() {
                                pass.schema(schema, &child(&at, name));
                            }
                        }
                    }
                    // A callback is a map of expressions to path items.
                    "callbacks" => {
                        if let Value::Object(callbacks) = child_value {
                            for (name, callback) in callbacks.iter_mut() {
                                walk(pass, callback, &child(&at, name), true);
                            }
                        }
                    }
                    k => {
                        let named_map =
                            NAMED_MAPS.contains(&k) || (pointer == "/components" && k != "schemas");
                        walk(pass, child_value, &at, named_map);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(pass, item, &child(pointer, &i.to_string()), false);
            }
        }
        _ => {}
    }
}

/// Rewrites one object of the document (not a schema) that changed in 3.1 or 3.2.
fn object(pass: &mut Pass<'_>, map: &mut Map<String, Value>, pointer: &str) {
    // A path item: methods 3.0 has no field for.
    let is_path_item = pointer.starts_with("/paths/")
        || pointer.starts_with("/webhooks/")
        || pointer.starts_with("/components/pathItems/")
        || pointer.contains("/callbacks/");
    if is_path_item
        && (METHODS_30.iter().any(|m| map.contains_key(*m))
            || map.contains_key("query")
            || map.contains_key("additionalOperations"))
    {
        let mut extra = match map.remove("additionalOperations") {
            Some(Value::Object(ops)) => ops,
            _ => Map::new(),
        };
        if let Some(query @ Value::Object(_)) = map.remove("query") {
            extra.insert("QUERY".into(), query);
        }
        // `responses` became optional in 3.1; `openapiv3` wants the field.
        for (key, op) in map.iter_mut().chain(extra.iter_mut()) {
            if METHODS_30.contains(&key.as_str()) || extra_method(key) {
                if let Value::Object(op) = op {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
        if !extra.is_empty() {
            map.insert("x-additional-operations".into(), Value::Object(extra));
        }
    }
    // A parameter describing the whole query string (3.2).
    if map.get("in").and_then(Value::as_str) == Some("querystring") {
        map.insert("in".into(), "query".into());
        map.insert("x-querystring".into(), Value::Bool(true));
    }
    // A media type of a sequential stream (3.2): its items' schema.
    if let Some(item_schema) = map.remove("itemSchema") {
        map.insert("x-item-schema".into(), Value::Bool(true));
        if map.contains_key("schema") {
            pass.warn(
                &child(pointer, "itemSchema"),
                "both `schema` and `itemSchema`: the item type is generated from `itemSchema`",
            );
        }
        map.insert("schema".into(), item_schema);
    }
}

/// Keys of `additionalOperations` are method names in upper case (`COPY`, `QUERY`).
fn extra_method(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
}

/// Operations tagged with a tag that has a `parent` (3.2) go into nested groups, as
/// `x-speakeasy-group: parent.child` says for 3.0 documents.
fn tag_parents(root: &mut Map<String, Value>) {
    let Some(Value::Array(tags)) = root.get("tags") else {
        return;
    };
    let parent_of: std::collections::HashMap<String, String> = tags
        .iter()
        .filter_map(|t| {
            Some((
                t.get("name")?.as_str()?.to_owned(),
                t.get("parent")?.as_str()?.to_owned(),
            ))
        })
        .collect();
    if parent_of.is_empty() {
        return;
    }
    let group_of = |tag: &str| {
        let mut chain = vec![tag.replace('.', " ")];
        let mut current = tag;
        while let Some(parent) = parent_of.get(current) {
            if chain.len() > parent_of.len() {
                break; // a cycle of parents: stop where it repeats
            }
            chain.push(parent.replace('.', " "));
            current = parent;
        }
        chain.reverse();
        chain.join(".")
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        let mut ops: Vec<&mut Value> = Vec::new();
        for (key, op) in item.iter_mut() {
            if METHODS_30.contains(&key.as_str()) || key == "query" {
                ops.push(op);
            } else if key == "additionalOperations" {
                if let Value::Object(extra) = op {
                    ops.extend(extra.values_mut());
                }
            }
        }
        for op in ops {
            let Value::Object(op) = op else { continue };
            let Some(tag) = op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
            else {
                continue;
            };
            if parent_of.contains_key(tag) && !op.contains_key("x-speakeasy-group") {
                let group = group_of(tag);
                op.insert("x-speakeasy-group".into(), group.into());
            }
        }
    }
}

/// Media types given by `$ref` (3.2 `components/mediaTypes`) are inlined; siblings of the
/// `$ref` win. (Path items given by `$ref`, 3.1 `components/pathItems` among them, were
/// inlined before this pass, by `refs::inline_path_item_refs`, for every version.)
fn inline_component_refs(root: &mut Map<String, Value>, components: Option<&Value>) {
    let Some(components) = components else { return };
    let resolve = |reference: &str, kind: &str| -> Option<Value> {
        let name = reference.strip_prefix(&format!("#/components/{kind}/"))?;
        let name = name.replace("~1", "/").replace("~0", "~");
        components.get(kind)?.get(&name).cloned()
    };
    let inline = |slot: &mut Value, kind: &str| {
        let Value::Object(map) = slot else { return };
        let Some(Value::String(reference)) = map.get("$ref").cloned() else {
            return;
        };
        let Some(Value::Object(target)) = resolve(&reference, kind) else {
            return;
        };
        map.remove("$ref");
        for (k, v) in target {
            map.entry(k).or_insert(v);
        }
    };
    if components.get("mediaTypes").is_none() {
        return;
    }
    fn each_content(value: &mut Value, f: &mut dyn FnMut(&mut Value)) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(content)) = map.get_mut("content") {
                    for media in content.values_mut() {
                        f(media);
                    }
                }
                for v in map.values_mut() {
                    each_content(v, f);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| each_content(v, f)),
            _ => {}
        }
    }
    for section in ["paths", "webhooks", "components"] {
        if let Some(value) = root.get_mut(section) {
            each_content(value, &mut |media| inline(media, "mediaTypes"));
        }
    }
}

/// `mutualTLS` (3.1) is configured on the HTTP client, not sent per request; `openapiv3` cannot
/// read it, so it leaves the document with a warning.
fn drop_unsupported_schemes(pass: &mut Pass<'_>, root: &mut Map<String, Value>) {
    let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    else {
        return;
    };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &mutual {
        schemes.remove(name);
    }
    for name in mutual {
        pass.warn(
            &child("/components/securitySchemes", &name),
            "`mutualTLS`: give the client certificate to the `reqwest::Client` passed to `ClientBuilder::http_client`; requirements naming this scheme are ignored",
        );
        strip_requirement(root, &name);
    }
}

/// Removes a scheme from every security requirement of the document.
fn strip_requirement(value: &mut Map<String, Value>, scheme: &str) {
    for (key, v) in value.iter_mut() {
        if key == "security" {
            if let Value::Array(requirements) = v {
                for requirement in requirements.iter_mut() {
                    if let Value::Object(r) = requirement {
                        r.remove(scheme);
                    }
                }
            }
        } else if let Value::Object(map) = v {
            strip_requirement(map, scheme);
        }
    }
}
