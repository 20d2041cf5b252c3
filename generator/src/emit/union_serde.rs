//! `Serialize` and `Deserialize` for a union tagged by a property that its variants declare
//! themselves (`Pet` is `oneOf: [Dog, Cat]` by `petType`, and `Dog` has a required `petType`).
//!
//! serde's internally tagged enum takes the tag out of the object before it decodes the
//! variant, so such a variant fails with "missing field `petType`", and writes the tag before
//! the variant's fields, so the JSON has it twice. The impls written here read the object
//! whole, pick the variant by its tag and decode the variant from all of it
//! (`runtime::tagged_object`); they write the variant as it is, adding the tag only when the
//! variant's own field does not hold it (`runtime::serialize_tagged`). A tag no variant has
//! is `Unknown`, as with serde's `#[serde(other)]`. Unions whose variants do not declare the
//! tag keep serde's derive.

use std::fmt::Write as _;

use super::model_serde::{feature_cfg, literal};
use super::tokens::ident;
use crate::ir::{Api, Directions, TypeDef, TypeKind, TypeRef, Union};

/// Whether a variant of `u` declares the tag `property` as one of its fields.
pub fn variants_declare_tag(api: &Api, u: &Union, property: &str) -> bool {
    u.variants.iter().any(|v| {
        let mut ty = &v.ty;
        // Through aliases (a merged variant is an alias of its kept type), with a bound for
        // alias cycles.
        for _ in 0..16 {
            let TypeRef::Named(name) = ty else {
                return false;
            };
            match api.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Struct(s)) => return s.fields.iter().any(|f| f.name == property),
                _ => return false,
            }
        }
        false
    })
}

/// Both impls, as formatted Rust, each under its feature's `cfg` when the union's direction
/// does not need it.
pub fn tagged_union_impls(
    api: &Api,
    def: &TypeDef,
    u: &Union,
    property: &str,
    directions: Directions,
) -> String {
    let name = ident(&def.name).to_string();
    let property = literal(property);
    let tags = |v: &crate::ir::UnionVariant| -> Vec<String> {
        if v.tags.is_empty() {
            vec![v.rust_name.clone()]
        } else {
            v.tags.clone()
        }
    };
    let mut out = String::new();
    feature_cfg(&mut out, directions.serialize_feature());
    let _ = writeln!(out, "impl serde::Serialize for {name} {{");
    out.push_str(
        "    fn serialize<__S: serde::Serializer>(\n        &self,\n        serializer: __S,\n    ) -> Result<__S::Ok, __S::Error> {\n",
    );
    out.push_str("        match self {\n");
    for v in &u.variants {
        let variant = ident(&v.rust_name);
        let tag = literal(&tags(v)[0]);
        let _ = writeln!(
            out,
            "            Self::{variant}(value) => {{\n                crate::runtime::serialize_tagged(serializer, {property}, {tag}, value)\n            }}"
        );
    }
    let _ = writeln!(
        out,
        "            Self::Unknown => crate::runtime::serialize_tagged(\n                serializer,\n                {property},\n                \"Unknown\",\n                &serde_json::Map::new(),\n            ),"
    );
    out.push_str("        }\n    }\n}\n");

    feature_cfg(&mut out, directions.deserialize_feature());
    let _ = writeln!(out, "impl<'de> serde::Deserialize<'de> for {name} {{");
    out.push_str(
        "    fn deserialize<__D: serde::Deserializer<'de>>(\n        deserializer: __D,\n    ) -> Result<Self, __D::Error> {\n",
    );
    let _ = writeln!(
        out,
        "        let (tag, value) = crate::runtime::tagged_object(deserializer, {property})?;"
    );
    out.push_str("        let decoded = match tag.as_str() {\n");
    // A tag two variants claim selects the first, as serde's derive did (a repeated pattern
    // would be unreachable, which `-D warnings` refuses).
    let mut claimed = std::collections::BTreeSet::new();
    for v in &u.variants {
        let variant = ident(&v.rust_name);
        let mine: Vec<String> = tags(v)
            .into_iter()
            .filter(|t| claimed.insert(t.clone()))
            .map(|t| literal(&t))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let pattern = mine.join(" | ");
        let wrap = if super::models::union_variant_boxed(api, v) {
            format!("|v| Self::{variant}(Box::new(v))")
        } else {
            format!("Self::{variant}")
        };
        let _ = writeln!(
            out,
            "            {pattern} => serde_json::from_value(value).map({wrap}),"
        );
    }
    out.push_str("            _ => return Ok(Self::Unknown),\n        };\n");
    out.push_str("        decoded.map_err(<__D::Error as serde::de::Error>::custom)\n    }\n}\n");
    out
}
