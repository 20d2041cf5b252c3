//! Load: bytes on disk → a parsed, checked OpenAPI 3.0 document.
//!
//! Every failure is a [`Diagnostic`] naming the file, the JSON pointer and, where we can find
//! it, the line. The raw JSON value is kept beside the typed document so that later stages can
//! resolve arbitrary local `$ref` pointers and report lines.

pub mod diagnostic;
pub mod locate;
mod narrow;
mod normalize;
pub mod overlay;
mod schemas;
mod yaml;

use std::path::{Path, PathBuf};

pub use diagnostic::Diagnostic;
use serde_json::Value;

/// Deeper documents are refused before anything recurses over them. It is `serde_json`'s own
/// limit for JSON text, and YAML gets the same one (counted in `yaml.rs`), so a document is
/// accepted or refused alike in either syntax and nothing later can overflow the stack.
pub const MAX_DEPTH: usize = 128;

/// A document ready for lowering.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    pub raw: Value,
    pub openapi: openapiv3::OpenAPI,
}

impl Document {
    /// A diagnostic located at `pointer` in this document.
    pub fn error_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.path, message)
            .at(pointer)
            .line(locate::line_of(&self.text, pointer))
    }
}

/// Reads and parses the document at `path` (YAML or JSON).
pub fn load(path: &Path) -> Result<Document, Diagnostic> {
    load_with_overlays(path, &[]).map(|(document, _)| document)
}

/// Reads the document at `path`, applies `overlays` in order, then parses it as OpenAPI.
/// Returns the warnings the overlays produced (targets that match nothing).
pub fn load_with_overlays(
    path: &Path,
    overlays: &[PathBuf],
) -> Result<(Document, Vec<overlay::Warning>), Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    let text = utf8(path, &bytes)?;
    let mut raw = parse_text(path, &text)?;
    let mut warnings = Vec::new();
    for overlay_path in overlays {
        warnings.extend(overlay::apply_file(overlay_path, path, &mut raw)?);
    }
    let (document, read_warnings) = check_root(path, &text, raw)?;
    warnings.extend(read_warnings);
    Ok((document, warnings))
}

fn utf8(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            Err(Diagnostic::new(
                path,
                format!(
                    "the file is not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
            .line(Some(line)))
        }
    }
}

/// Parses a document from bytes; `path` is used in diagnostics only.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let text = utf8(path, bytes)?;
    let raw = parse_text(path, &text)?;
    let (document, _) = check_root(path, &text, raw)?;
    Ok(document)
}

/// Parses YAML or JSON text into a JSON value.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(Diagnostic::new(path, "the file is empty"));
    }
    let value = if trimmed.starts_with('{') {
        serde_json::from_str::<Value>(trimmed).map_err(|e| {
            let message = yaml::depth_message(&e.to_string(), MAX_DEPTH);
            Diagnostic::new(path, format!("not valid JSON: {message}")).line(Some(e.line()))
        })?
    } else {
        yaml::from_str(trimmed, MAX_DEPTH).map_err(|e| {
            let message = yaml::depth_message(&e.to_string(), MAX_DEPTH);
            Diagnostic::new(path, format!("not valid YAML: {message}"))
                .line(e.location().map(|l| l.line()))
        })?
    };
    check_depth(path, &value, 0)?;
    Ok(value)
}

fn check_depth(path: &Path, value: &Value, depth: usize) -> Result<(), Diagnostic> {
    let nests = match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => false,
    };
    if depth >= MAX_DEPTH && nests {
        return Err(Diagnostic::new(
            path,
            format!("the document nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    match value {
        Value::Array(items) => items
            .iter()
            .try_for_each(|v| check_depth(path, v, depth + 1)),
        Value::Object(map) => map
            .values()
            .try_for_each(|v| check_depth(path, v, depth + 1)),
        _ => Ok(()),
    }
}

/// Checks the version and the required fields, brings 3.1 / 3.2 documents into the form lowering
/// reads (`normalize`), then parses the result with `openapiv3`.
fn check_root(
    path: &Path,
    text: &str,
    mut raw: Value,
) -> Result<(Document, Vec<overlay::Warning>), Diagnostic> {
    let at = |pointer: &str, message: String| located(path, text, pointer, message);
    let Value::Object(root) = &raw else {
        return Err(Diagnostic::new(
            path,
            "the document's root is not a mapping (an OpenAPI document is an object with `openapi`, `info` and `paths`)",
        )
        .at(""));
    };
    if root.contains_key("swagger") {
        return Err(at(
            "/swagger",
            "this is a Swagger 2.0 document; only OpenAPI 3.x is supported (convert it first, e.g. with swagger2openapi)".into(),
        ));
    }
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => {
            return Err(at(
                "/openapi",
                format!("`openapi` must be a version string like \"3.0.3\", found {other}"),
            ));
        }
        None => {
            return Err(Diagnostic::new(
                path,
                "the required field `openapi` is missing (is this an OpenAPI document?)",
            )
            .at(""));
        }
    };
    let mut warnings = match version_family(&version) {
        Some(Family::V30) => normalize::normalize_refs(path, text, &mut raw),
        Some(Family::V31) => normalize::normalize(path, text, &mut raw),
        None => {
            return Err(at(
                "/openapi",
                format!("unsupported OpenAPI version {version:?}; expected 3.0.x, 3.1.x or 3.2.x"),
            ));
        }
    };
    let Value::Object(root) = &mut raw else {
        unreachable!("checked above")
    };
    for field in ["info", "paths"] {
        if !root.contains_key(field) {
            return Err(
                Diagnostic::new(path, format!("the required field `{field}` is missing")).at(""),
            );
        }
    }
    // `info.version` is required, but a document without it still describes its API fully
    // (real ones omit it); the crate's docs then show no API version.
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if !info.contains_key("version") {
            let w = at(
                "/info",
                "`info.version` is missing; the crate's docs show no API version".into(),
            );
            warnings.push(overlay::Warning(w.to_string()));
            info.insert("version".into(), Value::String(String::new()));
        }
    }
    let openapi = match parse(path, text, &raw) {
        Ok(openapi) => openapi,
        // Callbacks and links are not generated: a document that only fails in them (a
        // callback `$ref` where a path item belongs) is read without them, with a warning.
        Err(error) => {
            let mut stripped = raw.clone();
            let Some(first) = drop_ungenerated(&mut stripped) else {
                return Err(error);
            };
            let openapi = parse(path, text, &stripped).map_err(|_| error.clone())?;
            // Where it failed, when known; else where the first callback or link was.
            let w = at(
                error.pointer.as_deref().unwrap_or(&first),
                format!(
                    "the document does not read as OpenAPI ({}); without its callbacks and links, which are not generated, it does: they are left out",
                    error.message
                ),
            );
            warnings.push(overlay::Warning(w.to_string()));
            raw = stripped;
            openapi
        }
    };
    Ok((
        Document {
            path: path.to_path_buf(),
            text: text.to_owned(),
            raw,
            openapi,
        },
        warnings,
    ))
}

/// A diagnostic at `pointer` of the document read from `path`, with its line in `text`.
fn located(path: &Path, text: &str, pointer: &str, message: String) -> Diagnostic {
    Diagnostic::new(path, message)
        .at(pointer)
        .line(locate::line_of(text, pointer))
}

/// `raw` as `openapiv3`'s document, or the located reason it is not one.
fn parse(path: &Path, text: &str, raw: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    let at = |pointer: &str, message: String| located(path, text, pointer, message);
    // Deep invalid schemas first: deserializing them as part of the document takes exponential
    // time (see `schemas.rs`).
    if let Some((pointer, message)) = schemas::first_invalid(raw) {
        return Err(at(
            &pointer,
            format!("not a valid OpenAPI document: {message}"),
        ));
    }
    // Plainly first: tracking the path costs about as much again as the parse (a payments-size
    // document: ~10 % of generation), and only a failure needs it, so only a failure pays it.
    let plain = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(raw);
    match plain {
        Ok(openapi) => Ok(openapi),
        Err(_) => serde_path_to_error::deserialize(raw),
    }
    .map_err(|e| {
        let mut pointer = json_pointer_of(e.path());
        let mut message = e.inner().to_string();
        // Flattened extension maps hide the path below them; look deeper when that happened.
        if let Some((deeper, deeper_message)) = narrow::deepest_failure(raw) {
            if deeper.len() > pointer.len() {
                pointer = deeper;
                message = deeper_message;
            }
        }
        at(&pointer, format!("not a valid OpenAPI document: {message}"))
    })
}

/// Removes callbacks and links, which the crate does not generate (README, "Not generated
/// yet"); returns where the first one was, or `None` when there were none.
fn drop_ungenerated(raw: &mut Value) -> Option<String> {
    let mut first: Option<String> = None;
    let mut note = |pointer: String| {
        first.get_or_insert(pointer);
    };
    let escape = diagnostic::escape_token;
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for (method, op) in item.iter_mut() {
                let Value::Object(op) = op else { continue };
                let at = format!("/paths/{}/{}", escape(path), escape(method));
                if op.remove("callbacks").is_some() {
                    note(format!("{at}/callbacks"));
                }
                if let Some(found) = drop_links(op.get_mut("responses"), &format!("{at}/responses"))
                {
                    note(found);
                }
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get_mut("components") {
        if components.remove("callbacks").is_some() {
            note("/components/callbacks".to_owned());
        }
        if components.remove("links").is_some() {
            note("/components/links".to_owned());
        }
        if let Some(found) = drop_links(components.get_mut("responses"), "/components/responses") {
            note(found);
        }
    }
    first
}

/// Removes the `links` of every response in `responses` (a map by status or name at
/// `pointer`); returns where the first was.
fn drop_links(responses: Option<&mut Value>, pointer: &str) -> Option<String> {
    let Some(Value::Object(responses)) = responses else {
        return None;
    };
    let mut first = None;
    for (key, response) in responses.iter_mut() {
        let removed = response.as_object_mut().and_then(|r| r.remove("links"));
        if removed.is_some() && first.is_none() {
            first = Some(format!("{pointer}/{}/links", diagnostic::escape_token(key)));
        }
    }
    first
}

/// The OpenAPI versions read, by how their schemas are written.
enum Family {
    /// 3.0.x: OpenAPI's own schema dialect, read as it is.
    V30,
    /// 3.1.x and 3.2.x: JSON Schema 2020-12, rewritten by `normalize` first.
    V31,
}

fn version_family(version: &str) -> Option<Family> {
    let mut parts = version.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    match (major, minor) {
        ("3", "0") => Some(Family::V30),
        ("3", "1" | "2") => Some(Family::V31),
        _ => None,
    }
}

/// Converts serde_path_to_error's path into a JSON pointer.
fn json_pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&diagnostic::escape_token(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&diagnostic::escape_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Document, Diagnostic> {
        load_bytes(Path::new("t.yaml"), text.as_bytes())
    }

    #[test]
    fn accepts_yaml_and_json() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert!(load_str(yaml).is_ok());
        let json = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert!(load_str(json).is_ok());
    }

    #[test]
    fn numeric_yaml_keys_become_strings() {
        let value = parse_text(Path::new("t"), "a:\n  200: x\n").unwrap();
        assert_eq!(value["a"]["200"], "x");
    }

    #[test]
    fn refuses_swagger_and_other_versions() {
        let e = load_str("swagger: '2.0'\ninfo: {}\npaths: {}\n").unwrap_err();
        assert!(e.message.contains("Swagger 2.0"), "{e}");
        assert_eq!(e.line, Some(1));
        for version in ["4.0.0", "2.0", "3"] {
            let e = load_str(&format!(
                "openapi: '{version}'\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"
            ))
            .unwrap_err();
            assert!(e.message.contains("unsupported OpenAPI version"), "{e}");
            assert_eq!(e.pointer.as_deref(), Some("/openapi"));
        }
        let e = load_str("info: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(e.message.contains("`openapi` is missing"), "{e}");
    }

    #[test]
    fn reads_31_and_32_without_paths() {
        for version in ["3.1.0", "3.1.1", "3.2.0"] {
            let doc = load_str(&format!(
                "openapi: {version}\ninfo: {{title: t, version: '1'}}\nwebhooks: {{}}\n"
            ))
            .unwrap();
            assert!(doc.openapi.paths.paths.is_empty());
        }
        // 3.0 still requires `paths`.
        let e = load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n").unwrap_err();
        assert!(e.message.contains("`paths` is missing"), "{e}");
    }

    #[test]
    fn invalid_31_schemas_are_located() {
        let yaml = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: 7\n";
        let e = load_str(yaml).unwrap_err();
        assert!(
            e.pointer
                .as_deref()
                .is_some_and(|p| p.starts_with("/components/schemas/A")),
            "{e}"
        );
        assert!(e.message.contains("expected a sequence"), "{e}");
        assert_eq!(e.line, Some(8), "{e}");
    }

    #[test]
    fn integers_beyond_64_bits_and_deep_yaml_are_read() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: integer\n      minimum: -9223372036854776000\n";
        let doc = load_str(yaml).unwrap();
        assert_eq!(
            doc.raw
                .pointer("/components/schemas/A/minimum")
                .and_then(Value::as_f64),
            Some(-9.223372036854776e18)
        );
        // The same nesting is accepted, or refused, in YAML flow style and in JSON alike.
        let nested = |levels: usize, yaml: bool| {
            let (open, close) = if yaml {
                ("{type: object, properties: {a: ", "}}")
            } else {
                ("{\"type\": \"object\", \"properties\": {\"a\": ", "}}")
            };
            let schema = format!("{}{{}}{}", open.repeat(levels), close.repeat(levels));
            if yaml {
                format!(
                    "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents: {{schemas: {{A: {schema}}}}}\n"
                )
            } else {
                format!(
                    "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"A\": {schema}}}}}}}"
                )
            }
        };
        // Parsing such a document recurses deeply; give it the main thread's stack, as the
        // command-line tool has (test threads get 2 MiB).
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                for yaml in [true, false] {
                    assert!(
                        load_str(&nested(60, yaml)).is_ok(),
                        "60 levels, yaml: {yaml}"
                    );
                    let e = load_str(&nested(70, yaml)).unwrap_err();
                    assert!(e.message.contains("deeper than 128"), "yaml: {yaml}: {e}");
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn locates_schema_errors() {
        let yaml = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let e = load_str(yaml).unwrap_err();
        assert_eq!(
            e.pointer.as_deref(),
            Some("/paths/~1a/get/responses"),
            "{e}"
        );
        assert_eq!(e.line, Some(8), "{e}");
    }
}
