//! Every real-world document in `../shared/specs/corpus/` (see its MANIFEST.md) generates a
//! crate that passes `cargo clippy --all-targets -D warnings` and `cargo fmt --check`. The crates share one temporary
//! workspace and the repository's target directory, so dependencies are built once.

use authlete_tests::{generate_and_clippy, repo_root};

#[test]
fn corpus_crates_compile_warning_free() {
    let corpus = repo_root().join("../shared/specs/corpus");
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let spec = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .unwrap_or_else(|| panic!("no document in {}", dir.display()));
        // Crate names allow no dots (`scalar-galaxy-3.2`).
        let name =
            format!("corpus-{}", dir.file_name().unwrap().to_string_lossy()).replace('.', "-");
        specs.push((name, spec));
    }
    specs.sort();
    assert!(specs.len() >= 10, "the corpus has shrunk: {specs:?}");
    if let Err(report) = generate_and_clippy(&specs) {
        panic!("{report}");
    }
}

/// Issue 14's promise for every corpus document: each operation can be authenticated with
/// builder calls or environment variables alone (some alternative of its requirements names
/// only schemes the client can produce, or none), and the generated README says how when the
/// document declares schemes.
#[test]
fn every_corpus_operation_authenticates_with_builder_calls_alone() {
    use generator::ir::SchemeKind;
    let corpus = repo_root().join("../shared/specs/corpus");
    let mut checked = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let dir = entry.unwrap().path();
        let Some(spec) = std::fs::read_dir(&dir).ok().and_then(|files| {
            files.map(|e| e.unwrap().path()).find(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
        }) else {
            continue;
        };
        let (api, _) = generator::load_api(&generator::Input::spec(&spec)).unwrap();
        let givable = |name: &String| {
            api.security_schemes
                .iter()
                .find(|s| &s.name == name)
                .is_some_and(|s| !matches!(s.kind, SchemeKind::Other { .. }))
        };
        for (_, op) in api.operations() {
            assert!(
                op.security.is_empty() || op.security.iter().any(|alt| alt.iter().all(givable)),
                "{}: `{}` needs {:?}, which no builder call supplies",
                spec.display(),
                op.id,
                op.security
            );
            checked += 1;
        }
        let readme = generator::generate(
            &generator::Input::spec(&spec),
            &generator::Config::new("corpus-check"),
        )
        .unwrap()
        .get("README.md")
        .unwrap()
        .to_owned();
        for scheme in &api.security_schemes {
            if matches!(scheme.kind, SchemeKind::Other { .. }) {
                continue;
            }
            for var in &scheme.env {
                assert!(
                    readme.contains(&format!("CORPUS_CHECK_{var}")),
                    "{}: the README does not name `CORPUS_CHECK_{var}` for scheme `{}`",
                    spec.display(),
                    scheme.name
                );
            }
        }
    }
    assert!(checked > 700, "only {checked} operations checked");
}
