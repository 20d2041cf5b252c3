//! The overlay in `spec/overlay.yaml` gives every Authlete operation an idiomatic group and
//! method name, applied by the default `cargo run -p generator`.

use std::collections::BTreeSet;

use authlete_tests::repo_root;
use generator::{Input, ir::Api, load_api};

fn authlete() -> Api {
    let (api, warnings) = load_api(&Input::with_default_overlay(
        repo_root().join("spec/openapi.yaml"),
    ))
    .unwrap();
    assert!(warnings.is_empty(), "overlay warnings: {warnings:?}");
    api
}

/// `(accessor path, method)` of the operation with `id`.
fn call_of(api: &Api, id: &str) -> (String, String) {
    let (group, op) = api
        .operations()
        .find(|(_, op)| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    (api.accessor_path(group), op.method_name.clone())
}

#[test]
fn the_issue_examples_read_as_intended() {
    let api = authlete();
    assert_eq!(
        call_of(&api, "idtoken_reissue_api"),
        ("token().management()".into(), "reissue_id_token".into())
    );
    assert_eq!(
        call_of(&api, "service_get_api"),
        ("service()".into(), "get".into())
    );
    assert_eq!(
        call_of(&api, "client_flag_update_api"),
        ("client().management()".into(), "update_lock_flag".into())
    );
    assert_eq!(
        call_of(&api, "get_api_lifecycle_healthcheck"),
        ("lifecycle()".into(), "health_check".into())
    );
}

#[test]
fn every_operation_has_its_override_exactly() {
    // Overlay names are chosen to be unique in their group; a de-duplication suffix would
    // mean two overrides collide.
    let overlay: serde_json::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo_root().join("spec/overlay.yaml")).unwrap(),
    )
    .unwrap();
    let overrides: BTreeSet<String> = overlay["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["update"]["x-speakeasy-name-override"].as_str())
        .map(str::to_owned)
        .collect();
    let api = authlete();
    let mut count = 0;
    for (group, op) in api.operations() {
        count += 1;
        assert!(
            overrides.contains(&op.method_name),
            "{} ({}) is named `{}`, which is no override: missing from the overlay or de-duplicated",
            op.id,
            group.module,
            op.method_name
        );
        assert!(
            !group.tag.contains(' '),
            "{} is still grouped by its tag `{}`",
            op.id,
            group.tag
        );
    }
    assert_eq!(count, 88);
}

#[test]
fn method_names_are_unique_within_each_group() {
    let api = authlete();
    for group in &api.groups {
        let mut seen = BTreeSet::new();
        for op in &group.operations {
            assert!(
                seen.insert(&op.method_name),
                "{}: `{}` twice",
                group.module,
                op.method_name
            );
        }
        for child in api.children(&group.module) {
            assert!(
                !seen.contains(&child.accessor),
                "{}: `{}` is both a method and a sub-group",
                group.module,
                child.accessor
            );
        }
    }
}

#[test]
fn every_method_and_path_of_the_document_has_a_method() {
    let api = authlete();
    let raw: serde_json::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo_root().join("spec/openapi.yaml")).unwrap(),
    )
    .unwrap();
    let mut expected = BTreeSet::new();
    for (path, item) in raw["paths"].as_object().unwrap() {
        for method in [
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ] {
            if item.get(method).is_some() {
                expected.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let generated: BTreeSet<(String, String)> = api
        .operations()
        .map(|(_, op)| (op.http_method.as_str().to_owned(), op.path.clone()))
        .collect();
    assert_eq!(expected.len(), 88);
    assert_eq!(generated, expected);
    // And each has its `_with` method in the generated sources (a plain `fn` returning the
    // call's future, or an `async fn` for the responses decoded in place).
    let sources: String = std::fs::read_dir(repo_root().join("generated/src/apis"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for (_, op) in api.operations() {
        let plain = format!("pub fn {}_with(", op.method_name);
        let asynchronous = format!("pub async fn {}_with(", op.method_name);
        let template = format!("path_template: {:?}", op.path);
        assert!(
            (sources.contains(&plain) || sources.contains(&asynchronous))
                && sources.contains(&template),
            "{} has no generated method",
            op.id
        );
    }
}

/// The nine request bodies the upstream document leaves optional, though the API does not act
/// without them, are required through the overlay (each action says why), so their methods
/// take `&T`. No Authlete operation has an optional body left.
#[test]
fn the_overlay_makes_the_bodies_the_api_needs_required() {
    let overlay = std::fs::read_to_string(repo_root().join("spec/overlay.yaml")).unwrap();
    let overlay: serde_json::Value = serde_yaml::from_str(&overlay).unwrap();
    let mut marked = BTreeSet::new();
    for action in overlay["actions"].as_array().unwrap() {
        if action["update"]["required"] == serde_json::Value::Bool(true)
            && action["target"].as_str().unwrap().ends_with(".requestBody")
        {
            let description = action["description"].as_str().unwrap_or_default();
            let (id, reason) = description.split_once(": ").expect("`operationId: reason`");
            assert!(reason.len() > 20, "a reason for {id}: {description:?}");
            marked.insert(id.to_owned());
        }
    }
    let expected: BTreeSet<String> = [
        "service_create_api",
        "service_update_api",
        "client_create_api",
        "client_update_api",
        "client_flag_update_api",
        "client_authorization_update_api",
        "idtoken_reissue_api",
        "jose_verify_api",
        "federation_configuration_api",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(marked, expected);
    let api = authlete();
    for (_, op) in api.operations() {
        if let Some(body) = &op.body {
            assert!(body.required, "{}: body still optional", op.id);
        }
    }
}
