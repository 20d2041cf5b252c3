//! `oneOf` / `anyOf` → a Rust enum with a variant per member, tagged by the discriminator and
//! its mapping when the document has one.

use openapiv3::{ReferenceOr, Schema};

use super::Lowerer;
use super::enums::string_members;
use super::naming::{self, Scope};
use crate::ir::{TypeKind, Union, UnionVariant};
use crate::load::Diagnostic;

impl Lowerer<'_> {
    /// A `oneOf` / `anyOf` at `pointer` (the keyword's): a string enum when every member is
    /// string values only (`enums.rs`), otherwise a union.
    pub(super) fn union_or_enum(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        name: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeKind, Diagnostic> {
        match string_members(members) {
            Some(e) => Ok(TypeKind::Enum(e)),
            None => self.union(members, schema, name, pointer, depth),
        }
    }

    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        name: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeKind, Diagnostic> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{i}");
            let (base, tags) = match member {
                ReferenceOr::Reference { reference } => {
                    let target = reference.rsplit('/').next().unwrap_or("Variant").to_owned();
                    let mut tags: Vec<String> = discriminator
                        .map(|d| {
                            d.mapping
                                .iter()
                                .filter(|(_, r)| *r == reference)
                                .map(|(tag, _)| tag.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    if discriminator.is_some() && tags.is_empty() {
                        // Without a mapping the tag is the schema's name.
                        tags.push(target.clone());
                    }
                    (naming::variant_name(&target, "Variant"), tags)
                }
                ReferenceOr::Item(item) => (
                    item.schema_data
                        .title
                        .as_deref()
                        .map(|t| naming::variant_name(t, "Variant"))
                        .unwrap_or_else(|| format!("Variant{i}")),
                    Vec::new(),
                ),
            };
            let ty = self.type_of(member, &format!("{name}{base}"), &member_pointer, depth + 1)?;
            variants.push(UnionVariant {
                rust_name: scope.claim(&base, ""),
                ty,
                tags,
                boxed: false,
            });
        }
        Ok(TypeKind::Union(Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
        }))
    }
}
