//! What a project tells the generator through overlay extensions (`x-rust-readme-…`,
//! `x-rust-examples`, `lower/readme.rs`), and that the generator itself holds no API of its
//! own: the Authlete-specific README tour, retry example and example programs live in
//! `spec/overlay.yaml` and `spec/examples/`, not in `generator/` or `templates/`.

use std::path::{Path, PathBuf};

use generator::{Config, Input};

const DOCUMENT: &str = r#"openapi: 3.0.3
info: {title: T, version: '1'}
x-rust-readme-example: get_pet
x-rust-readme-tour: [list_pets, no_such_op, 7, get_pet]
x-rust-readme-retry-example: search_pets
x-rust-examples:
  - file: search.rs
    calls:
      - {operation: search_pets, call: pets().search, body: Search}
  - file: missing_operation.rs
    calls:
      - {operation: gone_op, call: pets().gone}
  - file: ../escape.rs
    calls: []
paths:
  /pets:
    get: {operationId: list_pets, tags: [pets], responses: {'200': {description: ok}}}
  /pets/{id}:
    get:
      operationId: get_pet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /pets/search:
    post:
      operationId: search_pets
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {title: Search, type: object, properties: {q: {type: string}}}
      responses: {'200': {description: ok}}
"#;

const SEARCH: &str = "use pets::{Client, models};\n\nasync fn run(client: Client) {\n    let body = models::Search::new();\n    client\n        .pets()\n        .search(&body)\n        .await\n        .unwrap();\n}\n";

/// A project folder: the document, and `examples/` holding `programs`.
fn project(programs: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    std::fs::write(&spec, DOCUMENT).unwrap();
    std::fs::create_dir(dir.path().join("examples")).unwrap();
    for (file, text) in programs {
        std::fs::write(dir.path().join("examples").join(file), text).unwrap();
    }
    (dir, spec)
}

#[test]
fn hints_are_read_and_bad_ones_warned_about_with_their_pointer() {
    let (_dir, spec) = project(&[]);
    let (api, warnings) = generator::load_api(&Input::spec(&spec)).unwrap();
    let warnings: Vec<String> = warnings.into_iter().map(|w| w.0).collect();
    assert_eq!(api.readme.example.as_deref(), Some("get_pet"));
    assert_eq!(api.readme.tour, ["list_pets", "get_pet"]);
    assert_eq!(api.readme.retry_example.as_deref(), Some("search_pets"));
    let files: Vec<&str> = api
        .readme
        .programs
        .iter()
        .map(|p| p.file.as_str())
        .collect();
    assert_eq!(files, ["search.rs", "missing_operation.rs"]);
    let has = |pointer: &str, text: &str| {
        warnings
            .iter()
            .any(|w| w.contains(pointer) && w.contains(text))
    };
    assert!(
        has("/x-rust-readme-tour/1", "`no_such_op`"),
        "{warnings:#?}"
    );
    assert!(
        has("/x-rust-readme-tour/2", "not an operationId"),
        "{warnings:#?}"
    );
    assert!(has("/x-rust-examples/2", "`../escape.rs`"), "{warnings:#?}");
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn programs_are_copied_with_their_calls_respelled_and_left_out_when_an_operation_is_missing() {
    let (_dir, spec) = project(&[
        ("search.rs", SEARCH),
        ("missing_operation.rs", "fn f(c: C) { c.pets().gone(); }\n"),
    ]);
    let files = generator::generate(&Input::with_default_overlay(&spec), &Config::new("pets"))
        .unwrap_or_else(|e| panic!("{e}"));
    let search = files.get("examples/search.rs").expect("examples/search.rs");
    // The group accessor is `pets()`, the method `search_pets` (no overlay renames it).
    assert!(
        search.contains(".pets()\n        .search_pets(&body)"),
        "{search}"
    );
    // The body model is re-spelled too: the document names it after the operation.
    assert!(
        search.contains("models::SearchPetsRequest::new()"),
        "{search}"
    );
    assert!(
        files.get("examples/missing_operation.rs").is_none(),
        "a program calling an operation the document lacks is left out"
    );
    let readme = files.get("README.md").unwrap();
    // The tour calls the two operations it names, in order, and retries use the named POST.
    let list = readme.find(".list_pets(").expect("tour calls list_pets");
    assert!(
        readme[list..].contains(".get_pet("),
        "the tour then calls get_pet"
    );
    assert!(
        readme.contains(".search_pets_with("),
        "retry example: {readme}"
    );
}

#[test]
fn a_program_that_does_not_spell_a_declared_call_stops_generation_naming_the_file() {
    let (_dir, spec) = project(&[
        ("search.rs", &SEARCH.replace(".search(", ".find(")),
        ("missing_operation.rs", "fn f(c: C) { c.pets().gone(); }\n"),
    ]);
    let err = generator::generate(&Input::with_default_overlay(&spec), &Config::new("pets"))
        .expect_err("the overlay and the program disagree");
    let message = err.to_string();
    assert!(message.contains("search.rs"), "{message}");
    assert!(message.contains("pets().search"), "{message}");

    let (_dir, spec) = project(&[("search.rs", SEARCH)]);
    let err = generator::generate(&Input::with_default_overlay(&spec), &Config::new("pets"))
        .expect_err("a named program is missing");
    assert!(err.to_string().contains("missing_operation.rs"), "{err}");
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "tmpl") {
            out.push(path);
        }
    }
}

/// The generator and the templates every generated crate gets name no API: Authlete appears
/// in the project's overlay and examples only. Comments may cite it (benchmarks measure its
/// crate) and unit tests may use its prose; code and templates may not. The one exception is
/// the command line's default crate name, which is this repository's output.
#[test]
fn the_generator_and_its_templates_name_no_api() {
    let mut files = Vec::new();
    rust_files(&repo().join("templates"), &mut files);
    rust_files(&repo().join("generator/src"), &mut files);
    let mut found = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let is_template = path.starts_with(repo().join("templates"));
        // Unit tests in files of their own (`…/tests/*.rs`, `tests.rs`).
        let relative = path.strip_prefix(repo()).unwrap_or(path);
        if relative.components().any(|c| c.as_os_str() == "tests") || path.ends_with("tests.rs") {
            continue;
        }
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let lower = line.to_lowercase();
            if !lower.contains("authlete") {
                continue;
            }
            let trimmed = line.trim_start();
            // Comments and docs of the generator's own code (`//`, `///`, `//!`).
            let comment = trimmed.starts_with("//");
            let cli_default = line.contains("default_value = \"authlete\"");
            // In templates even plain comments are copied into every crate.
            if is_template || !(comment || cli_default) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "API-specific text:\n{}", found.join("\n"));
}
