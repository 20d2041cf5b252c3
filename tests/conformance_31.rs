//! An OpenAPI 3.1 document's crate against Prism, the conformance suite's judge.
//!
//! `tests/conformance.rs` checks the Authlete crate (3.0). Here the generator reads svix's
//! real 3.1 document from `../shared/specs/corpus/` (JSON Schema type sets, `$ref` siblings,
//! `nullable`, webhooks), generates its crate into a temporary workspace, and a test program in
//! that crate calls a handful of operations through the generated client against `prism mock`
//! of the same document. Prism checks each request (path, query, headers, the bearer scheme,
//! the JSON body against the 3.1 schema) and reports problems in `sl-violations`; each call must
//! come back without violations and decode into its typed model (Prism's generated responses
//! exercise the 3.1 types: nullable fields, maps, enums).

use std::process::Command;

use authlete_tests::prism::Prism;
use authlete_tests::repo_root;

/// The program run inside the generated crate (`tests/prism.rs`). It prints one line per call
/// and fails when any call failed or Prism reported a violation.
const PROGRAM: &str = r#"
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use corpus_svix::reqwest::StatusCode;
use corpus_svix::reqwest::header::HeaderMap;
use corpus_svix::{apis, models, Client, Hook, HookContext, RetryPolicy};

#[derive(Default)]
struct Violations(Mutex<Vec<String>>);

impl Hook for Violations {
    fn after_response(&self, ctx: &HookContext, status: StatusCode, headers: &HeaderMap) {
        if let Some(found) = headers.get("sl-violations") {
            self.0.lock().unwrap().push(format!(
                "{} ({status}): {}",
                ctx.operation.id,
                found.to_str().unwrap_or("?")
            ));
        }
    }
}

#[tokio::test]
async fn prism_accepts_the_requests_and_the_models_decode_its_responses() {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL names the Prism server");
    let violations = Arc::new(Violations::default());
    let client = Client::builder()
        .bearer_token("testsk_prism")
        .base_url(url)
        .retry(RetryPolicy::none())
        .hook(violations.clone())
        .build()
        .unwrap();
    let mut failures: Vec<String> = Vec::new();
    let mut report = |name: &str, result: Result<(), corpus_svix::Error>| match result {
        Ok(()) => println!("prism-3.1 ok: {name}"),
        Err(e) => failures.push(format!("{name}: {e}")),
    };

    report(
        "v1.health.get",
        client.health().v1_health_get().await,
    );
    let params = apis::application::ApplicationV1ApplicationListParams::new().limit(5);
    report(
        "v1.application.list",
        client.application().v1_application_list(params).await.map(drop),
    );
    let app = models::ApplicationIn::new("Prism").with_uid("prism-app");
    report(
        "v1.application.create",
        client
            .application()
            .v1_application_create(&app, Default::default())
            .await
            .map(drop),
    );
    report(
        "v1.application.get",
        client.application().v1_application_get("app_1").await.map(drop),
    );
    report(
        "v1.event-type.list",
        client
            .event_type()
            .v1_event_type_list(Default::default())
            .await
            .map(drop),
    );
    let mut payload = BTreeMap::new();
    payload.insert("planet".to_owned(), serde_json::json!("Mars"));
    let message = models::MessageIn::new("planet.created", payload);
    report(
        "v1.message.create",
        client
            .message()
            .v1_message_create("app_1", &message, Default::default())
            .await
            .map(drop),
    );
    report(
        "v1.message.list",
        client
            .message()
            .v1_message_list("app_1", Default::default())
            .await
            .map(drop),
    );

    let violations = violations.0.lock().unwrap().clone();
    assert!(
        failures.is_empty() && violations.is_empty(),
        "failed calls: {failures:#?}\nPrism violations: {violations:#?}"
    );
}
"#;

#[test]
fn svix_31_client_against_the_prism_mock() {
    let spec = repo_root().join("../shared/specs/corpus/svix/lib-openapi.json");
    let workspace = tempfile::Builder::new()
        .prefix("prism-31-")
        .tempdir()
        .unwrap();
    let name = "corpus-svix";
    let files = generator::generate(
        &generator::Input::spec(&spec),
        &generator::Config::new(name),
    )
    .expect("the 3.1 document generates");
    let crate_dir = workspace.path().join(name);
    files.write_to(&crate_dir).unwrap();
    std::fs::write(crate_dir.join("tests/prism.rs"), PROGRAM).unwrap();
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{name:?}]\n"),
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .unwrap();

    let prism = Prism::start(&["mock", spec.to_str().expect("UTF-8 path")]);
    let output = Command::new(env!("CARGO"))
        .args([
            "test",
            "--offline",
            "--quiet",
            "--test",
            "prism",
            "--",
            "--nocapture",
        ])
        .current_dir(workspace.path())
        // Shared with tests/corpus.rs, which builds the same dependencies.
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generated-crates"),
        )
        .env("PRISM_URL", &prism.base_url)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated 3.1 client failed against Prism:\n{stdout}\n{stderr}\nPrism's log:\n{}",
        prism.output()
    );
    let calls = stdout.matches("prism-3.1 ok:").count();
    assert_eq!(calls, 7, "{stdout}");
}
