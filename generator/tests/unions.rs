//! Unions (`lower/unions.rs`, `lower/types.rs`) on `tests/fixtures/unions.yaml`: a `oneOf` /
//! `anyOf` with one member is that member's type, wherever it appears.

use std::path::Path;

use generator::ir::{Api, Primitive, TypeKind, TypeRef};

fn lower() -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/unions.yaml");
    generator::load_api(&generator::Input::spec(&path))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

#[test]
fn one_member_unions_are_their_member() {
    let api = lower();
    let Some(TypeKind::Struct(profile)) = api.type_def("Profile").map(|t| &t.kind) else {
        panic!("Profile is not a struct");
    };
    let field = |name: &str| profile.fields.iter().find(|f| f.name == name).unwrap();
    // The wrapper's own keywords still apply: `nullable` and the description.
    assert_eq!(field("pet").ty, named("Pet"));
    assert!(field("pet").nullable);
    assert_eq!(
        field("pet").description.as_deref(),
        Some("The pet, when there is one.")
    );
    assert_eq!(field("owner").ty, named("Dog"));
    assert!(!field("owner").nullable);
    // A reference back to the struct itself is still boxed by the cycle pass.
    assert_eq!(field("previous").ty, named("Profile"));
    assert!(field("previous").boxed);
    assert_eq!(field("nickname").ty, TypeRef::Primitive(Primitive::String));
    // A component that only wraps another is an alias of it.
    assert_eq!(
        api.type_def("OnlyCat").map(|t| &t.kind),
        Some(&TypeKind::Alias(named("Cat")))
    );
    // No one-variant union is left anywhere.
    for t in &api.types {
        if let TypeKind::Union(u) = &t.kind {
            assert!(u.variants.len() > 1, "{} is a union of one", t.name);
        }
    }
}

/// A union tagged by a property its variants declare has its serde impls written out
/// (`emit/union_serde.rs`); a tag two variants claim selects the first only, as serde's derive
/// did, so no match arm is unreachable.
#[test]
fn a_tag_two_variants_claim_selects_the_first() {
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Tags", "version": "1"},
        "paths": {"/pets": {"get": {"operationId": "getPet", "responses": {"200": {
            "description": "A pet.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
        }}}}},
        "components": {"schemas": {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
                "discriminator": {"propertyName": "petType", "mapping": {
                    "dog": "#/components/schemas/Dog",
                    "Cat": "#/components/schemas/Dog"
                }}
            },
            "Dog": {"type": "object", "required": ["petType"], "properties": {
                "petType": {"type": "string"}, "bark": {"type": "boolean"}}},
            "Cat": {"type": "object", "required": ["petType"], "properties": {
                "petType": {"type": "string"}, "lives": {"type": "integer"}}}
        }}
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tags.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let files = generator::generate(
        &generator::Input::spec(&path),
        &generator::Config::new("tags"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pet = files.get("src/models/pet.rs").unwrap();
    assert!(
        pet.contains("crate::runtime::tagged_object(deserializer, \"petType\")"),
        "{pet}"
    );
    let arms: Vec<&str> = pet
        .lines()
        .filter(|l| l.contains("serde_json::from_value"))
        .collect();
    // Cat, unmapped, would be tagged by its name, which the mapping gives Dog.
    assert_eq!(arms.len(), 1, "{pet}");
    assert!(arms[0].contains("\"dog\" | \"Cat\""), "{arms:?}");
}
