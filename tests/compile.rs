//! Every fixture generates a crate that compiles with zero warnings (clippy, `-D warnings`),
//! including its generated tests, and that is formatted as `cargo fmt` would.

use authlete_tests::{cargo_in, generate_and_clippy, generated_workspace, repo_root};

/// Every `tests/fixtures/*.{yaml,json}` as `(fixture-NAME, path)`, sorted.
fn fixture_specs() -> Vec<(String, std::path::PathBuf)> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            let name = format!(
                "fixture-{}",
                path.file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .replace('_', "-")
            );
            specs.push((name, path));
        }
    }
    specs.sort();
    assert!(specs.len() >= 10);
    specs
}

#[test]
fn fixture_crates_compile_warning_free() {
    if let Err(report) = generate_and_clippy(&fixture_specs()) {
        panic!("{report}");
    }
}

/// Each fixture crate's examples test (`tests/spec_examples.rs`, generated when the document
/// has examples) passes with both serde features, so every example decodes into its model
/// and encodes back to the same JSON. Clippy above only compiles these tests; running them
/// is what caught tagged unions whose variants declare the tag.
#[test]
fn fixture_examples_round_trip() {
    let specs = fixture_specs();
    let workspace = generated_workspace(&specs, &[]).unwrap();
    let crates: Vec<&str> = specs
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| {
            workspace
                .path()
                .join(name)
                .join("tests/spec_examples.rs")
                .exists()
        })
        .collect();
    assert!(crates.len() >= 5, "{crates:?}");
    let features: Vec<String> = crates
        .iter()
        .map(|name| format!("{name}/serialize,{name}/deserialize"))
        .collect();
    let features = features.join(",");
    let mut args = vec!["test", "--offline", "--test", "spec_examples", "--features"];
    args.push(&features);
    for name in &crates {
        args.extend(["-p", name]);
    }
    let output = cargo_in(workspace.path(), &args).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // One passing run per crate: a crate whose test was left out would pass with fewer.
    let runs = stdout
        .lines()
        .filter(|l| l.starts_with("test result: ok. 1 passed"))
        .count();
    assert_eq!(runs, crates.len(), "{stdout}");
}

/// `tests/fixtures/deprecation.yaml` deprecates an operation, a parameter, types of every kind,
/// fields and enum values (both ways a document can say it). Its crate compiles warning-free (above); a crate using those items gets one
/// warning per use, and a use of the non-deprecated items next to them gets none.
#[test]
fn deprecated_items_warn_their_users_only() {
    let specs = [(
        "fixture-deprecation".to_owned(),
        repo_root().join("tests/fixtures/deprecation.yaml"),
    )];
    let manifest = r#"[package]
name = "deprecation-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
fixture-deprecation = { path = "../fixture-deprecation" }
"#;
    // Each line marked `// warns: NAME` must produce a deprecation warning naming NAME, and
    // no other line may produce one.
    let lib = r#"
use fixture_deprecation::{Client, apis, models};

pub async fn uses(client: &Client) {
    let thing = models::OldThing::new("n", models::OldColor::Red); // warns: OldThing
    let thing = thing.with_former("f"); // warns: with_former
    let _ = &thing.former; // warns: former
    let _: Option<models::OldAlias> = None; // warns: OldAlias
    let _: Option<models::OldUnion> = None; // warns: OldUnion
    let params = apis::old::OldOldCallParams::new().verbose(true); // warns: verbose
    let _ = client.old().old_call("id", Some(&thing), params).await; // warns: old_call
    let fresh = models::NewThing::new(Vec::new());
    let _ = fresh.also_old.len();
    let _ = models::Shade::Dark; // warns: Dark
    let _ = matches!(models::Mood::from("grumpy"), models::Mood::Grumpy); // warns: Grumpy
    let fresh = fresh.with_shade(models::Shade::Light).with_mood(models::Mood::Happy);
    // Values a user receives, compares by their text or sends do not warn: only naming does.
    let _ = fresh.shade.as_ref().map(models::Shade::as_str);
    let _ = "grumpy".parse::<models::Mood>();
    let params = apis::new::NewNewCallParams::new().mood(models::Mood::from("grumpy"));
    let _ = client.new_2().new_call(params).await;
}
"#;
    let workspace = generated_workspace(&specs, &[("deprecation-user", manifest, lib)]).unwrap();
    let output = cargo_in(
        workspace.path(),
        &[
            "check",
            "--workspace",
            "--offline",
            "--message-format=short",
        ],
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    // Short messages read `path:line:col: warning: use of deprecated ... `name``.
    let mut expected = Vec::new();
    for (i, line) in lib.lines().enumerate() {
        if let Some((_, name)) = line.split_once("// warns: ") {
            expected.push((i + 1, name.trim()));
        }
    }
    for (line, name) in &expected {
        let at = format!("deprecation-user/src/lib.rs:{line}:");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&at) && w.contains("deprecated") && w.contains(name)),
            "no deprecation warning for `{name}` at line {line}:\n{stderr}"
        );
    }
    for warning in &warnings {
        let Some(rest) = warning.split_once("deprecation-user/src/lib.rs:") else {
            // Only the summary ("`deprecation-user` (lib) generated N warnings") is allowed.
            assert!(
                warning.starts_with("warning: `deprecation-user`"),
                "{stderr}"
            );
            continue;
        };
        let line: usize = rest.1.split(':').next().unwrap().parse().unwrap();
        assert!(
            expected.iter().any(|(l, _)| *l == line),
            "unexpected warning: {warning}"
        );
    }
}

/// Merged inline types stay as aliases in `models/mod.rs`, gated by the features of the type
/// they name (`emit/features.rs`): `tests/fixtures/shapes.yaml`'s crate compiles with each of
/// its groups alone and with none, so no alias is left on while its target is compiled out.
/// (That the gating still trims, rather than compiling the targets always, is pinned by the
/// fixture's golden `models/mod.rs`.)
#[test]
fn shape_aliases_compile_with_each_group_alone() {
    let specs = [(
        "fixture-shapes".to_owned(),
        repo_root().join("tests/fixtures/shapes.yaml"),
    )];
    let workspace = generated_workspace(&specs, &[]).unwrap();
    // The transport features of the default set stay on, so the dependencies are the build the
    // other tests share.
    for groups in ["orders", "returns", ""] {
        let features = format!("rustls,http2,system-proxy,{groups}");
        let output = cargo_in(
            workspace.path(),
            &[
                "check",
                "--offline",
                "--quiet",
                "--no-default-features",
                "--features",
                features.trim_end_matches(','),
            ],
        )
        .unwrap();
        assert!(
            output.status.success(),
            "features {features}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
