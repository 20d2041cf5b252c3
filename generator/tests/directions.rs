//! Which way each model travels (`ir/directions.rs`) on `tests/fixtures/directions.yaml`, and
//! what the emitted crate makes of it: the impl a model's direction does not need is compiled
//! only with the crate's `serialize` / `deserialize` feature, and `x-rust-default-features`
//! can turn those on by default. `tests/serde_features.rs` compiles and runs the crate.

mod support;

use std::path::{Path, PathBuf};

use generator::ir::{Api, Directions};
use serde_json::{Value, json};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/directions.yaml")
}

/// The fixture as JSON, changed by `edit`, written to a temporary file.
fn edited(edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, PathBuf) {
    support::edited_fixture(&fixture(), edit)
}

fn lower(path: &Path) -> (Api, Vec<String>) {
    let (api, warnings) =
        generator::load_api(&generator::Input::spec(path)).unwrap_or_else(|e| panic!("{e}"));
    (api, warnings.into_iter().map(|w| w.0).collect())
}

fn files(path: &Path) -> generator::FileSet {
    generator::generate(
        &generator::Input::spec(path),
        &generator::Config::new("directions"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

const SENT: Directions = Directions {
    sent: true,
    received: false,
};
const RECEIVED: Directions = Directions {
    sent: false,
    received: true,
};
const BOTH: Directions = Directions::BOTH;

#[test]
fn each_model_travels_the_ways_its_users_do() {
    let (api, _) = lower(&fixture());
    let directions = api.directions();
    let of = |name: &str| {
        assert!(api.type_def(name).is_some(), "no type {name}");
        directions.get(name).copied()
    };
    // A query parameter and a request body, and what they hold.
    assert_eq!(of("Filter"), Some(SENT));
    assert_eq!(of("NewOrder"), Some(SENT));
    assert_eq!(of("NewOrderGift"), Some(SENT));
    // A response, what it holds (a union, its variants, map values), the error body and a
    // webhook payload.
    for name in [
        "Order",
        "Payment",
        "CardPayment",
        "BankPayment",
        "TrackingEvent",
        "TrackingStatus",
        "CarrierId",
        "Problem",
        "Shipment",
    ] {
        assert_eq!(of(name), Some(RECEIVED), "{name}");
    }
    // In a request and in a response, directly (Notes) or inside others (Line, Address).
    for name in ["Notes", "Line", "Address"] {
        assert_eq!(of(name), Some(BOTH), "{name}");
    }
    // Used by nothing: as the models inside allow. Unused holds only Line; Receipt holds
    // Order, only received; Snapshot holds NewOrder and Order, so neither way.
    assert_eq!(of("Unused"), Some(BOTH));
    assert_eq!(of("Receipt"), Some(RECEIVED));
    assert_eq!(
        of("Snapshot"),
        Some(Directions {
            sent: false,
            received: false
        })
    );
    assert_eq!(SENT.deserialize_feature(), Some("deserialize"));
    assert_eq!(SENT.serialize_feature(), None);
    assert_eq!(RECEIVED.serialize_feature(), Some("serialize"));
    assert_eq!(
        BOTH.serialize_feature().or(BOTH.deserialize_feature()),
        None
    );
}

/// The text just before `impl` of `trait_head` in `file`: the `cfg` line, if any.
fn line_before<'a>(file: &'a str, impl_head: &str) -> &'a str {
    let at = file
        .find(impl_head)
        .unwrap_or_else(|| panic!("no `{impl_head}` in:\n{file}"));
    file[..at].lines().last().unwrap_or_default()
}

#[test]
fn the_impl_a_direction_does_not_need_is_behind_its_feature() {
    let files = files(&fixture());
    let model = |name: &str| {
        files
            .get(&format!("src/models/{name}.rs"))
            .unwrap_or_else(|| panic!("no model file {name}"))
    };
    let ser = |name: &str| format!("impl serde::Serialize for {name} {{");
    let de = |name: &str| format!("impl<'de> serde::Deserialize<'de> for {name} {{");
    let gate = |feature: &str| format!("#[cfg(feature = \"{feature}\")]");

    let order = model("order");
    assert_eq!(line_before(order, &ser("Order")), gate("serialize"));
    assert!(!line_before(order, &de("Order")).contains("cfg"));
    let new_order = model("new_order");
    assert!(!line_before(new_order, &ser("NewOrder")).contains("cfg"));
    assert_eq!(line_before(new_order, &de("NewOrder")), gate("deserialize"));
    for (file, name) in [("line", "Line"), ("notes", "Notes"), ("unused", "Unused")] {
        let text = model(file);
        assert!(!line_before(text, &ser(name)).contains("cfg"), "{name}");
        assert!(!line_before(text, &de(name)).contains("cfg"), "{name}");
    }
    let receipt = model("receipt");
    assert_eq!(line_before(receipt, &ser("Receipt")), gate("serialize"));
    let snapshot = model("snapshot");
    assert_eq!(line_before(snapshot, &ser("Snapshot")), gate("serialize"));
    assert_eq!(line_before(snapshot, &de("Snapshot")), gate("deserialize"));
    let any_order: String = model("any_order").split_whitespace().collect();
    assert!(
        any_order.contains("#[derive(Debug,Clone,PartialEq)]")
            && any_order.contains(
                "#[cfg_attr(any(feature=\"serialize\",feature=\"deserialize\"),serde(untagged))]"
            ),
        "{any_order}"
    );
    // A union derives what it needs and the rest under `cfg_attr`; one tagged by a property
    // its variants declare has its impls written out, gated as a struct's.
    let carrier = model("carrier_id");
    assert!(
        carrier.contains("#[derive(Debug, Clone, PartialEq, serde::Deserialize)]")
            && carrier.contains("#[cfg_attr(feature = \"serialize\", derive(serde::Serialize))]"),
        "{carrier}"
    );
    let payment = model("payment");
    assert_eq!(line_before(payment, &ser("Payment")), gate("serialize"));
    assert!(!line_before(payment, &de("Payment")).contains("cfg"));
    assert!(
        payment.contains("#[derive(Debug, Clone, PartialEq)]"),
        "{payment}"
    );

    // The features exist, are off by default, and the README says so.
    let manifest = files.get("Cargo.toml").unwrap();
    assert!(
        manifest.contains("\nserialize = []\ndeserialize = []\n"),
        "{manifest}"
    );
    let default = manifest
        .lines()
        .find(|l| l.starts_with("default = "))
        .unwrap();
    assert!(!default.contains("serialize"), "{default}");
    assert!(
        files
            .get("README.md")
            .unwrap()
            .contains("Both are off by default.")
    );

    // The examples test checks a received model's example one way without `serialize`, and
    // a sent model's only with `deserialize`.
    let test = files.get("tests/spec_examples.rs").unwrap();
    let compact: String = test.split_whitespace().collect();
    for expected in [
        "#[cfg(feature=\"serialize\")]check::<models::Order,>(",
        "#[cfg(not(feature=\"serialize\"))]decodes::<models::Order,>(",
        "#[cfg(feature=\"deserialize\")]check::<models::NewOrder,>(",
    ] {
        assert!(compact.contains(expected), "no {expected} in:\n{test}");
    }
}

#[test]
fn the_document_can_turn_the_serde_features_on_by_default() {
    let (_dir, path) = edited(|doc| {
        doc["x-rust-default-features"] = json!(["deserialize", "serialize", "bogus", "serialize"]);
    });
    let (api, warnings) = lower(&path);
    assert_eq!(api.default_features, ["deserialize", "serialize"]);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("/x-rust-default-features/2")
                && w.contains("not one of the crate's optional features")),
        "{warnings:?}"
    );
    let files = files(&path);
    let default = files
        .get("Cargo.toml")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("default = "))
        .unwrap()
        .to_owned();
    assert!(
        default.starts_with(
            "default = [\"rustls\", \"http2\", \"system-proxy\", \"deserialize\", \"serialize\", "
        ),
        "{default}"
    );
    assert!(
        files
            .get("README.md")
            .unwrap()
            .contains("This crate turns both on by default.")
    );

    // Not a list: a warning, nothing on.
    let (_dir, path) = edited(|doc| doc["x-rust-default-features"] = json!("serialize"));
    let (api, warnings) = lower(&path);
    assert!(api.default_features.is_empty());
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("must be a list of feature names")),
        "{warnings:?}"
    );
}

#[test]
fn a_group_named_like_a_serde_feature_gets_its_own_feature_name() {
    let (_dir, path) = edited(|doc| {
        doc["paths"]["/orders"]["post"]["tags"] = json!(["serialize"]);
    });
    let files = files(&path);
    let manifest = files.get("Cargo.toml").unwrap();
    assert!(manifest.contains("\nserialize-api = []\n"), "{manifest}");
    assert_eq!(
        manifest.matches("\nserialize = []\n").count(),
        1,
        "{manifest}"
    );
}

#[test]
fn diff_reports_an_impl_that_moved_behind_a_feature() {
    let (old, _) = lower(&fixture());
    // Notes comes back no more (only sent now: `Deserialize` needs the feature), and Order
    // now holds the Filter it was found with (received as well: `Deserialize` by default).
    let (_dir, path) = edited(|doc| {
        doc["paths"]["/orders/{id}/notes"]["put"]["responses"] =
            json!({"204": {"description": "Stored."}});
        doc["components"]["schemas"]["Order"]["properties"]["filter"] =
            json!({"$ref": "#/components/schemas/Filter"});
    });
    let (new, _) = lower(&path);
    let changes = generator::diff::compare(&old, &new).changes;
    let find = |rule: &str, item: &str| {
        changes
            .iter()
            .find(|c| c.rule.id() == rule && c.item == item)
            .unwrap_or_else(|| panic!("no {rule} for {item} in {changes:#?}"))
    };
    let gated = find("serde_impl_gated", "models::Notes");
    assert_eq!(gated.severity, generator::diff::Severity::Breaking);
    assert_eq!(gated.member.as_deref(), Some("Deserialize"));
    assert!(
        gated.message.contains("`deserialize` feature"),
        "{}",
        gated.message
    );
    let added = find("serde_impl_added", "models::Filter");
    assert_eq!(added.severity, generator::diff::Severity::Compatible);
    assert_eq!(added.member.as_deref(), Some("Deserialize"));

    // With both features on by default, the impls never change.
    let with_defaults = |mut api: Api| {
        api.default_features = vec!["serialize".into(), "deserialize".into()];
        api
    };
    let changes = generator::diff::compare(&with_defaults(old), &with_defaults(new)).changes;
    assert!(
        !changes
            .iter()
            .any(|c| c.rule.id().starts_with("serde_impl")),
        "{changes:#?}"
    );
}
