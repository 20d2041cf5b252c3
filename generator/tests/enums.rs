//! Deprecated enum values (`lower/enums.rs`): the two ways a document says a single value is
//! deprecated, what the IR makes of them, and that shape merging keeps a deprecation apart.

use generator::ir::{Api, EnumVariant, TypeKind, TypeRef};

/// `yaml` (a whole document) lowered, with its warnings.
fn lower(yaml: &str) -> (Api, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, yaml).unwrap();
    let (api, warnings) =
        generator::load_api(&generator::Input::spec(&path)).unwrap_or_else(|e| panic!("{e}"));
    (api, warnings.into_iter().map(|w| w.0).collect())
}

fn document(version: &str, schemas: &str) -> String {
    format!(
        "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

fn document_31(schemas: &str) -> (Api, Vec<String>) {
    lower(&document("3.1.0", schemas))
}

fn variants<'a>(api: &'a Api, name: &str) -> &'a [EnumVariant] {
    match &api
        .type_def(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .kind
    {
        TypeKind::Enum(e) => &e.variants,
        other => panic!("{name} is not an enum: {other:?}"),
    }
}

/// (value, Rust name, deprecated, description) of each variant.
fn summary(variants: &[EnumVariant]) -> Vec<(&str, &str, bool, Option<&str>)> {
    variants
        .iter()
        .map(|v| {
            (
                v.value.as_str(),
                v.rust_name.as_str(),
                v.deprecated,
                v.description.as_deref(),
            )
        })
        .collect()
}

const EXPECTED: &[(&str, &str, bool, Option<&str>)] = &[
    ("light", "Light", false, Some("A light shade.")),
    ("dark", "Dark", true, Some("Dark")),
    ("dim", "Dim", false, None),
];

#[test]
fn a_one_of_of_string_consts_is_one_enum_with_deprecated_values() {
    let (api, warnings) = document_31(
        "    Shade:\n      oneOf:\n        - {const: light, description: A light shade.}\n        - {const: dark, title: Dark, deprecated: true}\n        - {const: dim}\n",
    );
    assert_eq!(summary(variants(&api, "Shade")), EXPECTED);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn the_30_form_and_any_of_are_the_same_enum() {
    let (api, _) = lower(&document(
        "3.0.3",
        "    Shade:\n      anyOf:\n        - {type: string, enum: [light], description: A light shade.}\n        - {type: string, enum: [dark], title: Dark, deprecated: true}\n        - {enum: [dim]}\n",
    ));
    assert_eq!(summary(variants(&api, "Shade")), EXPECTED);
}

#[test]
fn other_unions_stay_unions() {
    // A member that is any string, a non-string value, a `$ref`: each keeps the union.
    for members in [
        "        - {const: a}\n        - {type: string}\n",
        "        - {const: a}\n        - {const: 1}\n",
        "        - {const: a}\n        - {$ref: '#/components/schemas/B'}\n",
    ] {
        let (api, _) = document_31(&format!(
            "    U:\n      oneOf:\n{members}    B: {{const: b}}\n"
        ));
        assert!(
            matches!(api.type_def("U").unwrap().kind, TypeKind::Union(_)),
            "{members}"
        );
    }
}

/// Dropshot's form: members of several values each; a member's deprecation and doc are its
/// values'.
#[test]
fn members_of_several_values_are_one_enum_too() {
    let (api, _) = lower(&document(
        "3.0.3",
        "    State:\n      oneOf:\n        - {type: string, enum: [Detached, Faulted]}\n        - {type: string, enum: [Gone, Lost], description: Old states., deprecated: true}\n",
    ));
    assert_eq!(
        summary(variants(&api, "State")),
        [
            ("Detached", "Detached", false, None),
            ("Faulted", "Faulted", false, None),
            ("Gone", "Gone", true, Some("Old states.")),
            ("Lost", "Lost", true, Some("Old states.")),
        ]
    );
}

#[test]
fn x_enum_deprecated_as_a_list_or_a_map() {
    let (api, warnings) = lower(&document(
        "3.0.3",
        "    ListForm:\n      type: string\n      enum: [new, old, older]\n      x-enum-deprecated: [old, older]\n    MapForm:\n      enum: [new, old, older]\n      x-enum-deprecated: {old: true, older: false}\n",
    ));
    let deprecated =
        |name| -> Vec<bool> { variants(&api, name).iter().map(|v| v.deprecated).collect() };
    assert_eq!(deprecated("ListForm"), [false, true, true]);
    assert_eq!(deprecated("MapForm"), [false, true, false]);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn x_enum_deprecated_naming_no_value_or_malformed_is_a_located_warning() {
    let (api, warnings) = lower(&document(
        "3.0.3",
        "    Typo:\n      type: string\n      enum: [new, old]\n      x-enum-deprecated: [olde]\n    Odd:\n      type: string\n      enum: [a]\n      x-enum-deprecated: a\n",
    ));
    assert!(variants(&api, "Typo").iter().all(|v| !v.deprecated));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`olde` is not a value") && w.contains("Typo")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("neither a list") && w.contains("Odd")),
        "{warnings:?}"
    );
}

/// Two inline enums that differ only in a value's deprecation are two types (one would drop or
/// invent a warning); differing only in a value's description, they are one.
#[test]
fn deprecation_is_part_of_an_enums_shape_its_description_is_not() {
    let (api, _) = document_31(
        "    Holder:\n      type: object\n      properties:\n        a:\n          oneOf: [{const: x}, {const: y, deprecated: true}]\n        b:\n          oneOf: [{const: x}, {const: y}]\n        c:\n          oneOf: [{const: x, description: The x.}, {const: y}]\n",
    );
    let field = |name: &str| match &api.type_def("Holder").unwrap().kind {
        TypeKind::Struct(s) => s.fields.iter().find(|f| f.name == name).unwrap().ty.clone(),
        other => panic!("{other:?}"),
    };
    let target = |ty: TypeRef| -> String {
        let TypeRef::Named(name) = ty else {
            panic!("{ty:?}")
        };
        match &api.type_def(&name).unwrap().kind {
            TypeKind::Alias(TypeRef::Named(to)) => to.clone(),
            _ => name,
        }
    };
    assert_ne!(target(field("a")), target(field("b")));
    assert_eq!(target(field("b")), target(field("c")));
}
