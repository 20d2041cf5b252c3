//! The serde features of a generated crate, on `tests/fixtures/directions.yaml`
//! (`ir::Directions`): a model the client only receives has no `Serialize` and one it only
//! sends no `Deserialize` unless the crate's `serialize` / `deserialize` feature is on, and the
//! crate's own examples test passes both ways. `generator/tests/directions.rs` checks which
//! model goes which way.

use authlete_tests::{cargo_in, generated_workspace, repo_root};

const CRATE: &str = "fixture-directions";

fn user(name: &str, features: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{CRATE} = {{ path = \"../{CRATE}\"{features} }}\nserde_json = \"1\"\n"
    )
}

/// Each way a model travels, with the default features.
const USES: &str = r#"
use fixture_directions::models::{Line, NewOrder, Order};

pub fn send(order: &NewOrder) -> String {
    serde_json::to_string(order).unwrap()
}

pub fn receive(json: &str) -> Order {
    serde_json::from_str(json).unwrap()
}

pub fn both_ways(line: &Line) -> Line {
    serde_json::from_str(&serde_json::to_string(line).unwrap()).unwrap()
}
"#;

/// The other way: compiles only with the features.
const OTHER_WAY: &str = r#"
use fixture_directions::models::{NewOrder, Order, Payment};

pub fn read_request(json: &str) -> NewOrder {
    serde_json::from_str(json).unwrap()
}

pub fn store(order: &Order, payment: &Payment) -> String {
    serde_json::to_string(&(order, payment)).unwrap()
}
"#;

#[test]
fn a_models_other_direction_compiles_only_with_its_feature() {
    let specs = [(
        CRATE.to_owned(),
        repo_root().join("tests/fixtures/directions.yaml"),
    )];
    let with_features = r#", features = ["serialize", "deserialize"]"#;
    let workspace = generated_workspace(
        &specs,
        &[
            ("uses", &user("uses", ""), USES),
            ("other-way", &user("other-way", ""), OTHER_WAY),
            (
                "other-way-with-features",
                &user("other-way-with-features", with_features),
                OTHER_WAY,
            ),
        ],
    )
    .unwrap();
    // One package per build: Cargo unifies features over the packages it builds together.
    let check = |package: &str| {
        cargo_in(
            workspace.path(),
            &[
                "check",
                "--offline",
                "--message-format=short",
                "-p",
                package,
            ],
        )
        .unwrap()
    };
    for package in ["uses", "other-way-with-features"] {
        let output = check(package);
        assert!(
            output.status.success(),
            "{package}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = check("other-way");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error[")).collect();
    for (model, missing) in [
        ("NewOrder", "Deserialize"),
        ("Order", "Serialize"),
        ("Payment", "Serialize"),
    ] {
        assert!(
            errors
                .iter()
                // `NewOrder` or `fixture_directions::models::NewOrder`, by rustc's choice.
                .any(
                    |e| (e.contains(&format!("`{model}:")) || e.contains(&format!("::{model}:")))
                        && e.contains(missing)
                ),
            "no error for {model} without {missing}:\n{stderr}"
        );
    }

    // The crate's examples test: decode-only for the received models without `serialize`,
    // round trips of every example with both features.
    for features in [None, Some("serialize,deserialize")] {
        let mut args = vec!["test", "--offline", "-p", CRATE, "--test", "spec_examples"];
        if let Some(features) = features {
            args.extend(["--features", features]);
        }
        let output = cargo_in(workspace.path(), &args).unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("test result: ok. 1 passed"),
            "features {features:?}:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
