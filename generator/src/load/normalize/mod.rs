//! OpenAPI 3.1 and 3.2 documents → the one form lowering reads.
//!
//! Lowering reads documents through `openapiv3`'s types, which follow OpenAPI 3.0. OpenAPI 3.1
//! replaced 3.0's schema dialect with JSON Schema 2020-12, and 3.2 added methods, parameter
//! locations and media type fields; almost all of it has an exact 3.0 spelling or an extension
//! lowering reads. This pass rewrites the document's JSON in place, keyword by keyword, before
//! `openapiv3` sees it:
//!
//! | 3.1 / 3.2 | becomes |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `oneOf` with one branch per type (an untagged union) |
//! | `{type: "null"}` / `enum: [null]` in `oneOf`/`anyOf` | the branch goes, the rest is nullable |
//! | `const: v` | `enum: [v]` |
//! | `examples: [..]` (schemas) | `example` (the first) |
//! | numeric `exclusiveMinimum` / `exclusiveMaximum` | `minimum` / `maximum` + the boolean |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `$ref` with siblings | `allOf: [{$ref}]` with the siblings beside it (3.0's annotation idiom) |
//! | `patternProperties`, `unevaluatedProperties` | `additionalProperties` |
//! | boolean schemas | `{}` / `{not: {}}` |
//! | `$defs`, `$anchor`, `$id` targets, refs below a component | hoisted into `components/schemas` |
//! | `$dynamicRef` bound by a `$dynamicAnchor` | a specialised copy of the generic schema |
//! | path item `$ref`, `components/pathItems`, `components/mediaTypes` | inlined |
//! | `query` method, `additionalOperations` | `x-additional-operations` (read by lowering) |
//! | `in: querystring` | `in: query` + `x-querystring: true` (lowering sends the whole query string) |
//! | tag `parent` | `x-speakeasy-group` of the tag's operations (nested groups) |
//! | tag `summary` | the tag's `description` when it has none (`kind` is a hint for doc tools) |
//! | `itemSchema` | `schema` + `x-item-schema: true` (lowering types the items) |
//! | `discriminator.defaultMapping` | not used (warning) |
//! | `webhooks` | kept; lowering types their payloads |
//!
//! `prefixItems` stays as written (lowering makes tuples of it). Keywords that shape no Rust type
//! and cannot be mapped (`if`/`then`/`else`, `dependentRequired`, `propertyNames`, ...) stay in
//! the JSON, where `openapiv3` ignores them, and each gets a located [`Warning`] saying what the
//! generated code does instead. The table in the README lists every keyword.
//!
//! Pointers in warnings are those of the document as written, so their lines are found.

mod document;
mod refs;
mod schema;

use std::path::Path;

use serde_json::Value;

use super::locate;
use super::overlay::Warning;

/// Rewrites a 3.1 or 3.2 document in place; returns the warnings, located in `text`.
pub fn normalize(path: &Path, text: &str, raw: &mut Value) -> Vec<Warning> {
    let mut pass = Pass {
        path,
        text,
        warnings: Vec::new(),
    };
    // References first, on the schemas as written (pointers into them are still valid), so
    // the copies they make are rewritten with everything else.
    references(&mut pass, raw, true);
    document::rewrite(&mut pass, raw);
    pass.warnings
}

/// What a 3.0 document needs of this pass: its schema keywords are read as written, but a
/// `$ref` may still be percent-encoded or point at a schema that is not a component.
pub fn normalize_refs(path: &Path, text: &str, raw: &mut Value) -> Vec<Warning> {
    let mut pass = Pass {
        path,
        text,
        warnings: Vec::new(),
    };
    references(&mut pass, raw, false);
    pass.warnings
}

/// Percent-encoded fragments decoded, path item references inlined, `$dynamicRef`s
/// specialised (JSON Schema 2020-12 only), then every schema a reference targets outside
/// `components/schemas` made a component.
fn references(pass: &mut Pass<'_>, raw: &mut Value, dynamic_refs: bool) {
    refs::decode_percent_refs(raw);
    refs::inline_path_item_refs(pass, raw);
    if dynamic_refs {
        refs::specialize_dynamic_refs(pass, raw);
    }
    let hoisted = refs::hoist_nested_targets(pass, raw);
    if !hoisted.is_empty() {
        refs::rewrite_refs(raw, &hoisted);
    }
}

/// State of one normalization: where warnings point.
pub(super) struct Pass<'a> {
    path: &'a Path,
    text: &'a str,
    warnings: Vec<Warning>,
}

impl Pass<'_> {
    /// Records a warning at `pointer` (of the document as written).
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = super::Diagnostic::new(self.path, message)
            .at(pointer)
            .line(locate::line_of(self.text, pointer));
        self.warnings.push(Warning(diagnostic.to_string()));
    }
}

/// `pointer` with one more token.
fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", super::diagnostic::escape_token(token))
}
