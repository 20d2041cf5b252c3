//! One type per shape (`lower/shapes.rs`, ARCHITECTURE.md "Decisions") on
//! `tests/fixtures/shapes.yaml`: identical inline schemas share one type, the names they would
//! have had stay as aliases, and adding schemas to the document renames nothing.

mod support;

use std::path::{Path, PathBuf};

use generator::diff::{self, Severity};
use generator::ir::{Api, TypeKind, TypeRef};
use serde_json::{Value, json};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shapes.yaml")
}

fn lower(path: &Path) -> Api {
    generator::load_api(&generator::Input::spec(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

/// The fixture as JSON, changed by `edit`, lowered.
fn lower_edited(edit: impl FnOnce(&mut Value)) -> Api {
    let (_dir, path) = support::edited_fixture(&fixture(), edit);
    lower(&path)
}

fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.type_def(name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

fn alias_of(api: &Api, name: &str) -> Option<String> {
    match kind(api, name) {
        TypeKind::Alias(TypeRef::Named(target)) => Some(target.clone()),
        _ => None,
    }
}

fn field_type(api: &Api, owner: &str, field: &str) -> TypeRef {
    let TypeKind::Struct(s) = kind(api, owner) else {
        panic!("{owner} is not a struct");
    };
    let f = s.fields.iter().find(|f| f.name == field).unwrap();
    f.ty.clone()
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

#[test]
fn identical_inline_schemas_share_one_type() {
    let api = lower(&fixture());
    // An inline schema identical to a component (but for its description) uses the component.
    assert_eq!(
        field_type(&api, "ListOrdersResponse", "billing"),
        named("Address")
    );
    assert_eq!(
        alias_of(&api, "ListOrdersResponseBilling").as_deref(),
        Some("Address")
    );
    // Identical components stay two types.
    assert!(matches!(kind(&api, "PostalAddress"), TypeKind::Struct(_)));
    assert!(matches!(kind(&api, "Address"), TypeKind::Struct(_)));
    // A different `required` is a different shape.
    assert!(matches!(
        kind(&api, "ListOrdersResponsePickup"),
        TypeKind::Struct(_)
    ));
    // Three identical inline enums: one type, the shortest name.
    for name in [
        "ListOrdersResponseTrackingState",
        "ListReturnsResponseShipmentState",
    ] {
        assert_eq!(
            alias_of(&api, name).as_deref(),
            Some("ListReturnsResponseStatus"),
            "{name}"
        );
    }
    // Structs whose fields became the same type are merged in turn (same length: the first
    // alphabetically).
    assert_eq!(
        field_type(&api, "ListReturnsResponse", "shipment"),
        named("ListOrdersResponseTracking")
    );
    assert_eq!(
        field_type(&api, "ListOrdersResponseTracking", "state"),
        named("ListReturnsResponseStatus")
    );
    // Nothing refers to an alias: every reference names the kept type.
    for def in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for f in &s.fields {
                if let TypeRef::Named(n) = &f.ty {
                    assert!(
                        alias_of(&api, n).is_none() || n == "ListOrdersResponseBilling",
                        "{}.{} names the alias {n}",
                        def.name,
                        f.name
                    );
                }
            }
        }
    }
}

/// Every type of `old` has the same name, the same kind and (for aliases) the same target in
/// `new`, and `diff` reports no breaking change.
fn assert_nothing_renamed(old: &Api, new: &Api) {
    for def in &old.types {
        let after = new
            .type_def(&def.name)
            .unwrap_or_else(|| panic!("{} disappeared", def.name));
        assert_eq!(
            std::mem::discriminant(&def.kind),
            std::mem::discriminant(&after.kind),
            "{} changed kind",
            def.name
        );
        assert_eq!(
            alias_of(old, &def.name),
            alias_of(new, &def.name),
            "{}",
            def.name
        );
    }
    let changes = diff::compare(old, new);
    let breaking: Vec<_> = changes
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .collect();
    assert!(breaking.is_empty(), "{breaking:#?}");
}

#[test]
fn an_unrelated_schema_renames_nothing() {
    let old = lower(&fixture());
    let new = lower_edited(|doc| {
        // A component and an operation with inline objects and enums of other shapes, the
        // operation first in document order and the component first among components.
        let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
        let mut first = serde_json::Map::new();
        first.insert(
            "Zone".into(),
            json!({"type": "object", "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["land", "sea"]}}}),
        );
        first.append(schemas);
        *schemas = first;
        let paths = doc["paths"].as_object_mut().unwrap();
        let mut first = serde_json::Map::new();
        first.insert(
            "/zones".into(),
            json!({"get": {"operationId": "list_zones", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": {
                            "type": "object",
                            "properties": {"code": {"type": "string"}}}},
                        "state": {"type": "string", "enum": ["open", "closed"]}}}}}}}}}),
        );
        first.append(paths);
        *paths = first;
    });
    assert!(new.type_def("Zone").is_some() && new.type_def("ListZonesResponse").is_some());
    assert_nothing_renamed(&old, &new);
}

#[test]
fn a_schema_joining_a_group_keeps_every_name() {
    let old = lower(&fixture());
    // One more inline enum of the shared shape, with a longer name than the kept one: it joins
    // the group as an alias; the group keeps its name.
    let new = lower_edited(|doc| {
        doc["paths"]["/returns"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["properties"]["previous_status"] =
            json!({"type": "string", "enum": ["pending", "shipped", "delivered"]});
    });
    assert_eq!(
        alias_of(&new, "ListReturnsResponsePreviousStatus").as_deref(),
        Some("ListReturnsResponseStatus")
    );
    assert_nothing_renamed(&old, &new);
}

/// Where the merged names and the feature gates are written: a merged name is declared in its
/// kept type's file and re-exported with it, under that module's one `cfg`; a model only one
/// group uses is gated by that group's feature; a model every group uses has no gate (it would
/// list every feature). `tests/compile.rs` builds the crates with single features.
#[test]
fn merged_names_live_in_the_kept_types_file_and_shared_models_are_ungated() {
    let api = lower(&fixture());
    let files = generator::emit::emit(&api, &generator::Config::new("shapes")).unwrap();
    let file = |path: &str| {
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_owned()
    };
    let models = file("src/models/mod.rs");
    assert!(
        !models.contains("pub type"),
        "aliases left in mod.rs:\n{models}"
    );
    // `ListOrdersResponseBilling` is `Address`, which only the orders group reaches.
    assert_eq!(
        alias_of(&api, "ListOrdersResponseBilling").as_deref(),
        Some("Address")
    );
    assert!(
        file("src/models/address.rs").contains("\npub type ListOrdersResponseBilling = Address;\n"),
        "the alias is not in address.rs"
    );
    assert!(
        models.contains(
            "#[cfg(feature = \"orders\")]\nmod address;\n#[cfg(feature = \"orders\")]\npub use self::address::{Address, ListOrdersResponseBilling};\n"
        ),
        "{models}"
    );
    // Both groups (all of them) reach the tracking type: no `cfg` at all.
    assert_eq!(api.groups.len(), 2, "the fixture's groups changed");
    let tracking = models
        .find("mod list_orders_response_tracking;")
        .expect("tracking module");
    let before = models[..tracking].lines().last().unwrap_or_default();
    assert!(!before.starts_with("#[cfg"), "gated: {before}");
    assert!(models.contains("pub use self::list_orders_response_tracking::{\n    ListOrdersResponseTracking, ListReturnsResponseShipment,\n};"));
}
