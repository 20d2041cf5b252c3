//! Malformed documents get a clear error naming the file, the JSON pointer and (where known)
//! the line; the CLI exits non-zero without panicking and leaves the output untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Config, Input, generate};

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Text the message must contain.
    message: &'static str,
    pointer: Option<&'static str>,
    line: Option<usize>,
}

fn case(name: &'static str, text: impl Into<Vec<u8>>, message: &'static str) -> Case {
    Case {
        name,
        bytes: text.into(),
        message,
        pointer: None,
        line: None,
    }
}

impl Case {
    fn at(mut self, pointer: &'static str, line: Option<usize>) -> Self {
        self.pointer = Some(pointer);
        self.line = line;
        self
    }
}

fn alias_bomb() -> String {
    let mut s = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    s
}

fn deep_nesting(depth: usize) -> String {
    format!(
        "{HEAD}paths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

fn deep_schema(depth: usize) -> String {
    let mut s = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep:\n");
    let mut indent = String::from("      ");
    for _ in 0..depth {
        s.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent}  p:\n"
        ));
        indent.push_str("    ");
    }
    s.push_str(&format!("{indent}type: string\n"));
    s
}

fn cases() -> Vec<Case> {
    let full = include_str!("../../tests/fixtures/refs.yaml");
    vec![
        case("empty", "", "the file is empty"),
        case("whitespace", "  \n\n", "the file is empty"),
        case("not yaml", "openapi: [unclosed\n  - : :\n", "not valid YAML"),
        case("not json", "{\"openapi\": \"3.0.3\",", "not valid JSON"),
        case("scalar root", "just a string\n", "root is not a mapping").at("", None),
        case("list root", "- a\n- b\n", "root is not a mapping"),
        case("swagger 2", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "Swagger 2.0").at("/swagger", Some(1)),
        case("openapi 4.0", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "unsupported OpenAPI version \"4.0.0\"").at("/openapi", Some(1)),
        case("querystring without content", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: querystring, content: {}}\n      responses: {'204': {description: ok}}\n", "needs one media type").at("/paths/~1a/get/parameters/0/content", Some(7)),
        case("security scheme of unknown type", format!("{HEAD}paths: {{}}\ncomponents:\n  securitySchemes:\n    s: {{type: magic}}\n"), "unknown variant `magic`").at("/components/securitySchemes/s", Some(8)),
        case("api key without name", format!("{HEAD}paths: {{}}\ncomponents:\n  securitySchemes:\n    s: {{type: apiKey, in: header}}\n"), "missing field `name`").at("/components/securitySchemes/s", Some(8)),
        case("oauth2 without flows", format!("{HEAD}paths: {{}}\ncomponents:\n  securitySchemes:\n    s: {{type: oauth2}}\n"), "missing field `flows`").at("/components/securitySchemes/s", Some(8)),
        case("undeclared scheme required globally", format!("{HEAD}paths: {{}}\nsecurity:\n  - missing: []\n"), "names `missing`, which `components.securitySchemes` does not define").at("/security/0/missing", Some(7)),
        case("undeclared scheme required by an operation", format!("{HEAD}paths:\n  /a:\n    get:\n      security: [{{nope: []}}]\n      responses: {{'204': {{description: ok}}}}\n"), "names `nope`").at("/paths/~1a/get/security/0/nope", Some(8)),
        case("openapi 4", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "expected 3.0.x"),
        case("openapi number", "openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "must be a version string"),
        case("no openapi", "info: {title: t, version: '1'}\npaths: {}\n", "`openapi` is missing"),
        case("no info", "openapi: 3.0.3\npaths: {}\n", "`info` is missing"),
        case("no paths", HEAD, "`paths` is missing"),
        case("info without title", "openapi: 3.0.3\ninfo:\n  version: '1'\npaths: {}\n", "missing field `title`").at("/info", Some(2)),
        case("responses not a map", format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 7\n"), "not a valid OpenAPI document").at("/paths/~1a/get/responses", Some(8)),
        case(
            "dangling schema ref",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n"),
            "points at a schema that does not exist",
        )
        .at("/components/schemas/A/properties/b/$ref", Some(11)),
        case(
            "dangling parameter ref",
            format!("{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses: {{'200': {{description: ok}}}}\n"),
            "points at nothing in the document",
        )
        .at("/paths/~1a/get/parameters/0/$ref", Some(9)),
        case(
            "schema ref to a response",
            format!("{HEAD}paths: {{}}\ncomponents:\n  responses:\n    R: {{description: ok}}\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/responses/R'}}\n"),
            "is used as a schema but points at something else",
        )
        .at("/components/schemas/A/properties/b/$ref", Some(13)),
        case(
            "cyclic parameter refs",
            format!("{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/P'\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  parameters:\n    P: {{$ref: '#/components/parameters/Q'}}\n    Q: {{$ref: '#/components/parameters/P'}}\n"),
            "reference cycle",
        ),
        case(
            "cyclic schema aliases",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - type: object\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - type: object\n"),
            "cycle",
        ),
        case(
            "external ref to a missing file",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: 'other.yaml#/components/schemas/B'}}\n"),
            "external reference",
        )
        .at("/components/schemas/A/properties/b/$ref", Some(11)),
        case(
            "invalid type",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: strnig\n"),
            "`type: strnig` is not an OpenAPI 3.0 type",
        )
        .at("/components/schemas/A/type", Some(9)),
        case("truncated", &full[..full.len() / 2], ""),
        case("invalid utf-8", b"openapi: 3.0.3\ninfo: {title: \xff\xfe}\n".to_vec(), "not valid UTF-8"),
        case("alias bomb", alias_bomb(), "not valid YAML"),
        case("deeply nested json value", deep_nesting(5000), "nest"),
        case("deeply nested schemas", deep_schema(100), "nest"),
        // Found by fuzzing (fuzz/, target `structured`): each level of an invalid schema was
        // deserialized twice by `openapiv3`, so this took about 2^30 attempts.
        case(
            "deep invalid schema",
            deep_invalid_schema(30),
            "not a valid OpenAPI document",
        )
        .at(deep_invalid_pointer(30), Some(10 + 2 * 30)),
        // Found while fuzzing: a `$ref` chain between components recursed until the stack
        // overflowed when an `allOf` followed it.
        case(
            "cyclic schema ref chain",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    C:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - type: object\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"),
            "reference cycle",
        )
        .at("/components/schemas/C/allOf/0/$ref", Some(10)),
        case(
            "cyclic schema aliases by ref",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"),
            "reference cycle",
        )
        .at("/components/schemas/A/$ref", Some(8)),
        case("shape explosion", shape_explosion(6), "expands to more than 50000 named types"),
    ]
}

/// Schemas whose inline parts multiply: each level has ten properties, each an inline `allOf`
/// of the level below plus one field, so the level below's inline properties are lowered again
/// under each of them (10^levels types from a 2 KB document).
fn shape_explosion(levels: usize) -> String {
    let mut s = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    L0:\n      type: object\n      properties:\n        a: {{type: object, properties: {{x: {{type: string}}}}}}\n"
    );
    for level in 1..=levels {
        s.push_str(&format!(
            "    L{level}:\n      type: object\n      properties:\n"
        ));
        for p in 0..10 {
            s.push_str(&format!(
                "        p{p}: {{allOf: [{{$ref: '#/components/schemas/L{}'}}, {{type: object, properties: {{extra{p}: {{type: string}}}}}}]}}\n",
                level - 1
            ));
        }
    }
    s
}

/// `allOf` nested `depth` times around a schema whose `anyOf` member is not a schema.
fn deep_invalid_schema(depth: usize) -> String {
    let mut s = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep:\n");
    let mut indent = String::from("      ");
    for _ in 0..depth {
        s.push_str(&format!("{indent}allOf:\n{indent}  -\n"));
        indent.push_str("    ");
    }
    s.push_str(&format!("{indent}anyOf:\n{indent}  - not a schema\n"));
    s
}

fn deep_invalid_pointer(depth: usize) -> &'static str {
    let pointer = format!(
        "/components/schemas/Deep{}/anyOf/0",
        "/allOf/0".repeat(depth)
    );
    Box::leak(pointer.into_boxed_str())
}

fn write_case(dir: &Path, case: &Case) -> PathBuf {
    let path = dir.join(format!("{}.yaml", case.name.replace(' ', "_")));
    std::fs::write(&path, &case.bytes).unwrap();
    path
}

#[test]
fn every_bad_document_gets_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let path = write_case(dir.path(), &case);
        let error = match generate(&Input::spec(&path), &Config::new("x")) {
            Err(generator::Error::Spec(d)) => d,
            Err(other) => panic!("{}: expected a document error, got {other}", case.name),
            Ok(_) => {
                // A truncated document can still be a valid one; then it must generate.
                assert!(
                    case.message.is_empty(),
                    "{}: generated without error",
                    case.name
                );
                continue;
            }
        };
        let shown = error.to_string();
        assert!(
            shown.starts_with(&path.display().to_string()),
            "{}: no file in `{shown}`",
            case.name
        );
        assert!(
            shown.contains(case.message),
            "{}: `{shown}` lacks `{}`",
            case.name,
            case.message
        );
        if let Some(pointer) = case.pointer {
            assert_eq!(
                error.pointer.as_deref(),
                Some(pointer),
                "{}: {shown}",
                case.name
            );
            assert_eq!(error.line, case.line, "{}: {shown}", case.name);
        }
    }
}

#[test]
fn cli_exits_2_and_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "precious").unwrap();
    for case in cases().into_iter().filter(|c| !c.message.is_empty()) {
        let spec = write_case(dir.path(), &case);
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{}: {stderr}", case.name);
        assert!(stderr.starts_with("error: "), "{}: {stderr}", case.name);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        let entries: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
        assert_eq!(entries.len(), 1, "{}: output changed", case.name);
        assert_eq!(
            std::fs::read_to_string(out.join("keep.txt")).unwrap(),
            "precious"
        );
    }
    // Nothing was left beside the output either (no staging directories).
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Deep but valid nesting generates: `Vec<Vec<..>>` sixty levels deep is parsed by `syn` on an
/// emit worker thread, whose default 2 MiB stack overflowed at ~45 levels in debug builds
/// (found while fuzzing). Run through the binary, whose main thread has the usual stack.
#[test]
fn cli_generates_deeply_nested_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mut schema = String::from("{type: string}");
    for _ in 0..60 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let spec = dir.path().join("deep.yaml");
    std::fs::write(
        &spec,
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--crate-name")
        .arg("deep")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let model = std::fs::read_to_string(dir.path().join("out/src/models/deep.rs")).unwrap();
    assert_eq!(model.matches("Vec<").count(), 60, "{model}");
}

#[test]
fn cli_rejects_bad_flags_and_missing_files() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["--no-such-flag"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
    let (code, stderr) = run(&[
        "--spec",
        "/nonexistent/spec.yaml",
        "--out",
        "/nonexistent/out",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("/nonexistent/spec.yaml") && stderr.contains("cannot read"),
        "{stderr}"
    );
    let (code, stderr) = run(&["--crate-name", "9 bad name"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a valid crate name"), "{stderr}");
}

#[test]
fn check_reports_stale_output_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/refs.yaml");
    let out = dir.path().join("crate");
    let run_generator = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(
        run_generator(&["--check"]).status.code(),
        Some(1),
        "missing output is stale"
    );
    assert_eq!(run_generator(&[]).status.code(), Some(0));
    assert_eq!(run_generator(&["--check"]).status.code(), Some(0));
    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
    std::fs::write(out.join("stray.rs"), "").unwrap();
    let output = run_generator(&["--check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("changed: src/lib.rs") && stdout.contains("extra:   stray.rs"),
        "{stdout}"
    );
}

/// Invalid forms real documents have (APIs.guru: a repeated operationId, a path variable no
/// parameter declares, often a query string written into the path) cost a located warning,
/// not the whole API.
#[test]
fn repeated_operation_ids_and_undeclared_path_variables_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let load = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (api, warnings) = generator::load_api(&generator::Input::spec(&path))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let warnings: Vec<String> = warnings.into_iter().map(|w| w.0).collect();
        (api, warnings)
    };
    let (api, warnings) = load(
        "dup.yaml",
        format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'200': {{description: ok}}}}\n  /b:\n    get:\n      operationId: same\n      responses: {{'200': {{description: ok}}}}\n"
        ),
    );
    let ids: Vec<&str> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"same") && ids.contains(&"same_2"), "{ids:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(":12: at /paths/~1b/get/operationId")
            && warnings[0].contains("is used twice")
            && warnings[0].contains("`same_2`"),
        "{warnings:?}"
    );

    let (api, warnings) = load(
        "undeclared.yaml",
        format!(
            "{HEAD}paths:\n  /a/{{id}}?format={{format}}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
        ),
    );
    let op = &api.groups[0].operations[0];
    let params: Vec<(&str, bool)> = op
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.location == generator::ir::ParamLocation::Path && p.required,
            )
        })
        .collect();
    assert_eq!(params, [("id", true), ("format", true)]);

    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains(":7: at /paths/~1a~1{id}?format={format}/get")
            && warnings[0].contains("declares no path parameter `id`"),
        "{warnings:?}"
    );

    // A malformed callback (a `$ref` where its path item belongs) does not stop the API:
    // callbacks are not generated. Well-formed ones, and links, pass without a word.
    let (api, warnings) = load(
        "callback.yaml",
        format!(
            "{HEAD}paths:\n  /a:\n    post:\n      callbacks:\n        done:\n          '{{$request.body#/url}}': '#/components/callbacks/done'\n      responses:\n        '204':\n          description: ok\n          links:\n            self: {{operationId: get_b}}\n  /b:\n    get:\n      operationId: get_b\n      responses: {{'204': {{description: ok}}}}\n"
        ),
    );
    assert_eq!(
        api.groups.iter().map(|g| g.operations.len()).sum::<usize>(),
        2
    );
    assert!(
        warnings.len() == 1
            && warnings[0].contains("/paths/~1a/post")
            && warnings[0].contains("without its callbacks and links"),
        "{warnings:?}"
    );
    let (_, warnings) = load(
        "links.yaml",
        format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: get_a\n      responses:\n        '204':\n          description: ok\n          links:\n            again: {{operationId: get_a}}\n"
        ),
    );
    assert!(warnings.is_empty(), "{warnings:?}");

    // A path item given by `$ref` (3.0 allows it) is its target; one that does not resolve
    // is left out with a warning.
    let (api, warnings) = load(
        "path_item_ref.yaml",
        format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses: {{'204': {{description: ok}}}}\n  /b:\n    $ref: '#/paths/~1a'\n  /c:\n    $ref: '#/paths/~1nowhere'\n"
        ),
    );
    let mut paths: Vec<&str> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.path.as_str())
        .collect();
    paths.sort();
    assert_eq!(paths, ["/a", "/b"]);
    assert!(
        warnings.len() == 1
            && warnings[0].contains("/paths/~1c/$ref")
            && warnings[0].contains("left out"),
        "{warnings:?}"
    );
}
