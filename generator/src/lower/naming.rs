//! Every Rust name the generator emits is chosen here.
//!
//! Rules, in order: convert the document's spelling with `heck`; replace what is not an
//! identifier; step around Rust keywords and the names the generated code itself uses;
//! then de-duplicate within a scope by appending `2`, `3`, ... in the order names are asked
//! for. Because the lowering walks the document in document order, the result is deterministic.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024. Raw identifiers (`r#type`) work for all but
/// `crate`, `self`, `super` and `Self`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names the generated code uses unqualified; a model with one of these names would
/// shadow it, so models get a `Model` suffix instead.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "BTreeMap",
    "Value",
    "Self",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "Hash",
    "Fn",
    "Into",
    "From",
];

/// Whether `name` must be written as a raw identifier (or renamed).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Splits words on anything that is not an ASCII letter or digit, so that `urn:ietf:x-y` and
/// `a.b` convert like `urn_ietf_x_y` (heck alone would glue some words together), and
/// non-ASCII letters, which identifiers should not carry, separate words instead.
fn words(input: &str) -> String {
    input
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

fn ascii_only(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `UpperCamelCase` for types; `fallback` when nothing usable is left. Names that would
/// shadow what generated code uses unqualified get a `Model` suffix.
pub fn type_name(input: &str, fallback: &str) -> String {
    let mut name = variant_name(input, fallback);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// `UpperCamelCase` for enum variants (which shadow nothing); `fallback` when nothing usable
/// is left.
pub fn variant_name(input: &str, fallback: &str) -> String {
    let mut name = ascii_only(&words(input).to_upper_camel_case());
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{fallback}{name}");
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// `snake_case` for fields, parameters, methods and modules; keywords stay as they are (the
/// emitter writes them as raw identifiers) except those that cannot be raw.
pub fn snake_name(input: &str, fallback: &str) -> String {
    let mut name = ascii_only(&words(input).to_snake_case());
    if name.is_empty() || name.chars().all(|c| c == '_') {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{fallback}_{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The module (file) name of each model type, `snake_case` of the type name, unique: two type
/// names can have the same snake case (`GMRequest`, `GmRequest` → `gm_request`), so later ones
/// (in name order) get `_2`, `_3`, ...; keywords, `mod` and `models` get a trailing `_`.
pub fn model_modules<'a>(
    type_names: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeMap<String, String> {
    let mut names: Vec<&str> = type_names.into_iter().collect();
    names.sort_unstable();
    let mut scope = Scope::new();
    names
        .into_iter()
        .map(|name| {
            let mut module = name.to_snake_case();
            // `models::models` is clippy's `module_inception`.
            if is_keyword(&module) || module == "mod" || module == "models" {
                module.push('_');
            }
            (name.to_owned(), scope.claim(&module, "_"))
        })
        .collect()
}

/// A scope in which every name is unique.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope that already holds `names` (names the emitter uses for itself).
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `base`, or `base2`, `base3`, ... when it is taken. With `separator` `_` the
    /// suffixes read `base_2` (for snake_case names).
    pub fn claim(&mut self, base: &str, separator: &str) -> String {
        self.claim_where(base, separator, |_| true)
    }

    /// Like [`Scope::claim`], but the chosen name must also satisfy `extra_free` (used to keep
    /// an operation's `_with` sibling free as well).
    pub fn claim_where(
        &mut self,
        base: &str,
        separator: &str,
        extra_free: impl Fn(&str) -> bool,
    ) -> String {
        let free = |name: &str, taken: &BTreeSet<String>| !taken.contains(name) && extra_free(name);
        // A trailing `_` (the escape of `Self`, `self`, ...) is dropped before a number is
        // added: `Self_2` and `self__2` are not camel / snake case, `Self2` and `self_2` are.
        let stem = base
            .strip_suffix('_')
            .filter(|s| !s.is_empty())
            .unwrap_or(base);
        let name = if free(base, &self.taken) {
            base.to_owned()
        } else {
            (2..)
                .map(|n| format!("{stem}{separator}{n}"))
                .find(|candidate| free(candidate, &self.taken))
                .unwrap_or_else(|| base.to_owned())
        };
        self.taken.insert(name.clone());
        name
    }

    /// Marks `name` as taken without checking.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("idtoken_reissue_request", "Type"),
            "IdtokenReissueRequest"
        );
        assert_eq!(type_name("g_m_request", "Type"), "GMRequest");
        assert_eq!(type_name("result", "Type"), "ResultModel");
        assert_eq!(
            type_name("urn:ietf:params:oauth:grant-type:device_code", "V"),
            "UrnIetfParamsOauthGrantTypeDeviceCode"
        );
        assert_eq!(type_name("RS256", "V"), "Rs256");
        assert_eq!(type_name("3des", "V"), "V3des");
        assert_eq!(type_name("***", "Type"), "Type");
        assert_eq!(variant_name("***", "Value"), "Value");
        assert_eq!(variant_name("Option", "Value"), "Option");
        assert_eq!(type_name("über", "T"), "Ber");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("serviceId", "p"), "service_id");
        assert_eq!(snake_name("type", "p"), "type");
        assert!(is_keyword("type"));
        assert_eq!(snake_name("self", "p"), "self_");
        assert_eq!(snake_name("$ref", "p"), "ref");
        assert_eq!(snake_name("@", "field"), "field");
        assert_eq!(snake_name("1st", "field"), "field_1st");
        assert_eq!(snake_name("Token Endpoint", "group"), "token_endpoint");
    }

    #[test]
    fn scopes_deduplicate_in_order() {
        let mut scope = Scope::with_reserved(&["body"]);
        assert_eq!(scope.claim("body", "_"), "body_2");
        assert_eq!(scope.claim("x", "_"), "x");
        assert_eq!(scope.claim("x", "_"), "x_2");
        assert_eq!(scope.claim("T", ""), "T");
        assert_eq!(scope.claim("T", ""), "T2");
    }

    #[test]
    fn numbers_replace_a_trailing_escape() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("Self_", ""), "Self_");
        assert_eq!(scope.claim("Self_", ""), "Self2");
        assert_eq!(scope.claim("self_", "_"), "self_");
        assert_eq!(scope.claim("self_", "_"), "self_2");
    }

    #[test]
    fn model_modules_are_unique() {
        let modules = model_modules(["GmRequest", "GMRequest", "Type", "Mod", "Gm2Request"]);
        assert_eq!(modules["GMRequest"], "gm_request");
        assert_eq!(modules["GmRequest"], "gm_request_2");
        assert_eq!(modules["Type"], "type_");
        assert_eq!(modules["Mod"], "mod_");
        let unique: BTreeSet<&String> = modules.values().collect();
        assert_eq!(unique.len(), modules.len());
    }

    #[test]
    fn claim_where_keeps_siblings_free() {
        let mut scope = Scope::new();
        scope.reserve("a_with");
        let name = scope.claim_where("a", "_", |n| n != "a");
        assert_eq!(name, "a_2");
    }
}
