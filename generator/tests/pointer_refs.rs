//! Forms of real OpenAPI 3.0 documents that lowering once refused, on
//! `tests/fixtures/pointer_refs.yaml`: `$ref`s to schemas that are not components (hoisted by
//! `load/normalize/refs.rs`, for every version), percent-encoded fragments, and `allOf`s that
//! annotate a primitive type or cannot be a struct (`lower/objects.rs`). `tests/compile.rs`
//! builds the fixture's crate with clippy `-D warnings`.

use std::path::Path;

use generator::ir::{Api, Primitive, TypeKind, TypeRef};

fn lower() -> (Api, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pointer_refs.yaml");
    let (api, warnings) =
        generator::load_api(&generator::Input::spec(&path)).unwrap_or_else(|e| panic!("{e}"));
    (api, warnings.into_iter().map(|w| w.0).collect())
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

/// What a named type finally is, through aliases.
fn resolved(api: &Api, ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => resolved(api, target),
            _ => ty.clone(),
        },
        other => other.clone(),
    }
}

#[test]
fn references_to_schemas_anywhere_are_followed() {
    let (api, _) = lower();
    let Some(TypeKind::Struct(shelter)) = api.type_def("Shelter").map(|t| &t.kind) else {
        panic!("Shelter is not a struct");
    };
    let field = |name: &str| {
        let f = shelter.fields.iter().find(|f| f.name == name).unwrap();
        resolved(&api, &f.ty)
    };
    // A property of another component, and a parameter's schema.
    assert_eq!(field("owner_name"), TypeRef::Primitive(Primitive::String));
    assert_eq!(field("capacity"), TypeRef::Primitive(Primitive::I32));
    // A percent-encoded pointer into another path's response: the same type as that response.
    let ops: Vec<_> = api.groups.iter().flat_map(|g| &g.operations).collect();
    let body = |id: &str, status: u16| {
        let op = ops.iter().find(|o| o.id == id).unwrap();
        let response = op
            .responses
            .iter()
            .find(|r| r.status == generator::ir::StatusMatch::Code(status))
            .unwrap_or_else(|| panic!("{id}: no {status}"));
        resolved(&api, &response.body.as_ref().unwrap().ty)
    };
    assert_eq!(body("get_twin", 200), body("get_pet", 200));
    assert!(matches!(body("get_pet", 200), TypeRef::Named(_)));
    // A percent-encoded reference to a response object in a path.
    assert_eq!(body("get_twin", 404), named("Problem"));
}

#[test]
fn all_of_annotating_a_primitive_is_that_primitive() {
    let (api, warnings) = lower();
    let Some(TypeKind::Struct(shelter)) = api.type_def("Shelter").map(|t| &t.kind) else {
        panic!("Shelter is not a struct");
    };
    let field = |name: &str| shelter.fields.iter().find(|f| f.name == name).unwrap();
    // `allOf: [$ref, {pattern, description}]` and `allOf: [$ref, {type: string}]`.
    assert_eq!(field("arn").ty, named("Arn"));
    assert_eq!(field("region_id").ty, named("Arn"));
    // `allOf: [$ref]` beside `format` and `maxLength`, no `type`.
    assert_eq!(field("label_arn").ty, named("Arn"));
    // `allOf: [$ref]` beside `type: string, nullable: true`.
    assert_eq!(field("opened_at").ty, named("Timestamp"));
    assert!(field("opened_at").nullable);
    // A union merged with an object is JSON, and the warning says where and why.
    assert_eq!(field("layout").ty, TypeRef::Any);
    let warning = warnings
        .iter()
        .find(|w| w.contains("/components/schemas/Shelter/properties/layout/allOf/0"))
        .unwrap_or_else(|| panic!("no warning for `layout`: {warnings:?}"));
    assert!(warning.contains("serde_json::Value"), "{warning}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}
