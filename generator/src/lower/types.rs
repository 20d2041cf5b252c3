//! Schemas → named types and type references.
//!
//! Component schemas are named up front, so a `$ref` always resolves to a final name. Inline
//! schemas that need a Rust type of their own (objects, enums, unions, merged `allOf`s) are named
//! after where they sit: `{Parent}{Property}`, `{Operation}Request`, `{Operation}Response`, ...
//! An object schema's fields are assembled by `objects.rs`; this module names types, resolves
//! references and decides each schema's `TypeRef`.

use std::collections::{BTreeMap, HashMap};

use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::Lowerer;
use super::formats::{integer, integer_format, number, number_format};
use super::naming::{self, Scope};
use super::objects::{ObjectParts, single_member};
use crate::ir::{Primitive, TypeDef, TypeKind, TypeRef};
use crate::load::Diagnostic;
use crate::load::diagnostic::escape_token;

/// How deep inline schemas may nest inside each other before we refuse the document. Well below
/// anything that could threaten the stack, far above anything a real API writes.
pub(super) const MAX_SCHEMA_DEPTH: usize = 64;

/// How many named types a document may lower to. Real documents stay far below (Stripe's 468
/// operations: about 6,000 before identical ones are merged); a document whose inline schemas
/// are copied into many places (an `allOf` member with inline objects is lowered again in every
/// schema that includes it) can multiply beyond any crate a compiler could build, so it stops
/// here with an error instead of exhausting memory.
const MAX_TYPES: usize = 50_000;

/// Types being built: names claimed so far and the definitions finished so far.
#[derive(Debug, Default)]
pub struct TypeTable {
    pub scope: Scope,
    /// Component schema name → Rust type name.
    pub components: HashMap<String, String>,
    pub defs: BTreeMap<String, TypeDef>,
}

impl<'d> Lowerer<'d> {
    /// Names every component schema, in document order, before anything refers to them.
    pub(super) fn name_components(&mut self) {
        if let Some(components) = &self.doc.openapi.components {
            for name in components.schemas.keys() {
                let rust = self.types.scope.claim(&naming::type_name(name, "Type"), "");
                self.types.components.insert(name.clone(), rust);
            }
        }
    }

    /// Lowers every component schema into a named type definition.
    pub(super) fn lower_components(&mut self) -> Result<(), Diagnostic> {
        let Some(components) = &self.doc.openapi.components else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", escape_token(name));
            let rust = self.types.components[name].clone();
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    // A component that is only a `$ref` is an alias of its target, which
                    // must be a schema at the end of the chain (`A: B, B: A` has none).
                    let target = self.schema_ref(reference, &pointer)?;
                    self.component_schema(reference, &pointer)?;
                    self.insert_def(TypeDef {
                        name: rust.clone(),
                        origin: name.clone(),
                        description: None,
                        deprecated: false,
                        kind: TypeKind::Alias(target),
                    });
                    continue;
                }
            };
            let kind = match self.named_kind(schema, &rust, &pointer, 0)? {
                Some(kind) => kind,
                None => TypeKind::Alias(self.anonymous_type(schema, &rust, &pointer, 0)?),
            };
            if let Some(example) = &schema.schema_data.example {
                self.add_example(
                    format!("{pointer}/example"),
                    TypeRef::Named(rust.clone()),
                    example,
                );
            }
            self.insert_def(TypeDef {
                name: rust,
                origin: name.clone(),
                description: schema.schema_data.description.clone(),
                deprecated: schema.schema_data.deprecated,
                kind,
            });
        }
        Ok(())
    }

    fn insert_def(&mut self, def: TypeDef) {
        self.types.defs.insert(def.name.clone(), def);
    }

    /// Resolves `$ref` to a component schema into a reference to its named type.
    pub(super) fn schema_ref(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Result<TypeRef, Diagnostic> {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            let name = name.replace("~1", "/").replace("~0", "~");
            return match self.types.components.get(&name) {
                Some(rust) => Ok(TypeRef::Named(rust.clone())),
                None => Err(self.error(
                    &format!("{pointer}/$ref"),
                    format!("`$ref: {reference}` points at a schema that does not exist"),
                )),
            };
        }
        if !reference.starts_with('#') {
            return Err(self.error(
                &format!("{pointer}/$ref"),
                format!("`$ref: {reference}` is an external reference; only references within the document (`#/...`) are supported"),
            ));
        }
        Err(self.error(&format!("{pointer}/$ref"), not_a_schema(reference)))
    }

    /// The type of a schema used somewhere (a property, an item, a body): a reference, a
    /// primitive, a list or map, or a new named type called `hint`.
    /// (`S` is `Schema`, or `Box<Schema>` as `openapiv3` holds properties and items.)
    pub(super) fn type_of<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.inline_type(schema.borrow(), hint, pointer, depth),
        }
    }

    fn inline_type(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(self.error(
                pointer,
                format!("schemas nest deeper than {MAX_SCHEMA_DEPTH} levels"),
            ));
        }
        // `allOf: [X]`, `allOf: [X, {description: ..}]`, `oneOf: [X]`, `anyOf: [X]` (ways to
        // annotate a reference) are just X.
        if let Some((below, single)) = single_member(schema) {
            return self.type_of(single, hint, &format!("{pointer}{below}"), depth + 1);
        }
        if self.types.defs.len() >= MAX_TYPES {
            return Err(self.error(
                pointer,
                format!("the document expands to more than {MAX_TYPES} named types (inline schemas copied into many places, e.g. through `allOf`); move repeated inline schemas into `components/schemas` and refer to them"),
            ));
        }
        let name = self.types.scope.claim(hint, "");
        match self.named_kind(schema, &name, pointer, depth)? {
            Some(kind) => {
                self.insert_def(TypeDef {
                    name: name.clone(),
                    origin: pointer.to_owned(),
                    description: schema.schema_data.description.clone(),
                    deprecated: schema.schema_data.deprecated,
                    kind,
                });
                Ok(TypeRef::Named(name))
            }
            None => self.anonymous_type(schema, hint, pointer, depth),
        }
    }

    /// The definition of a schema that needs a named Rust type, or `None` when the schema is a
    /// primitive, list or map that is written in place.
    fn named_kind(
        &mut self,
        schema: &Schema,
        name: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<Option<TypeKind>, Diagnostic> {
        if single_member(schema).is_some() {
            // Typed as its member, in place (`anonymous_type`).
            return Ok(None);
        }
        Ok(match &schema.schema_kind {
            // At least one real value: `enum: [null]` (Dropshot's way to say `null`) is no enum.
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                Some(TypeKind::Enum(self.plain_enum(&values, schema, pointer)))
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let parts = ObjectParts::own(
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    pointer,
                );
                Some(TypeKind::Struct(
                    self.build_struct(parts, name, pointer, depth)?,
                ))
            }
            SchemaKind::AllOf { all_of } if self.unmergeable(all_of, pointer) => None,
            SchemaKind::AllOf { all_of } => {
                let mut parts = ObjectParts::default();
                self.gather_all_of(all_of, pointer, &mut parts, 0)?;
                Some(TypeKind::Struct(
                    self.build_struct(parts, name, pointer, depth)?,
                ))
            }
            SchemaKind::OneOf { one_of } => Some(self.union_or_enum(
                one_of,
                schema,
                name,
                &format!("{pointer}/oneOf"),
                depth,
            )?),
            SchemaKind::AnyOf { any_of } => Some(self.union_or_enum(
                any_of,
                schema,
                name,
                &format!("{pointer}/anyOf"),
                depth,
            )?),
            SchemaKind::Any(any) => {
                let strings: Option<Vec<String>> = any
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect();
                match strings {
                    Some(values)
                        if !values.is_empty()
                            && matches!(any.typ.as_deref(), None | Some("string")) =>
                    {
                        Some(TypeKind::Enum(self.plain_enum(&values, schema, pointer)))
                    }
                    _ if !any.all_of.is_empty() && self.unmergeable(&any.all_of, pointer) => None,
                    _ if !any.properties.is_empty() || !any.all_of.is_empty() => {
                        let mut parts = ObjectParts::own(
                            &any.properties,
                            &any.required,
                            any.additional_properties.as_ref(),
                            pointer,
                        );
                        self.gather_all_of(&any.all_of, pointer, &mut parts, 0)?;
                        Some(TypeKind::Struct(
                            self.build_struct(parts, name, pointer, depth)?,
                        ))
                    }
                    _ if !any.one_of.is_empty() => Some(self.union_or_enum(
                        &any.one_of,
                        schema,
                        name,
                        &format!("{pointer}/oneOf"),
                        depth,
                    )?),
                    _ if !any.any_of.is_empty() => Some(self.union_or_enum(
                        &any.any_of,
                        schema,
                        name,
                        &format!("{pointer}/anyOf"),
                        depth,
                    )?),
                    _ => None,
                }
            }
            _ => None,
        })
    }

    /// Whether an `allOf`'s members cannot be merged into a struct; if so, warns that the
    /// value is typed as JSON (what `anonymous_type` makes of it).
    fn unmergeable(&mut self, all_of: &[ReferenceOr<Schema>], pointer: &str) -> bool {
        let Some(member) = self.non_object_member(all_of, pointer, 0) else {
            return false;
        };
        self.warn(
            &member,
            "this `allOf` member is not an object schema, so the members cannot be merged into a struct; the value is typed as JSON (`serde_json::Value`)",
        );
        true
    }

    /// Types written in place: primitives, lists, maps, `Any`.
    fn anonymous_type(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        if let Some((below, single)) = single_member(schema) {
            return self.type_of(single, hint, &format!("{pointer}{below}"), depth + 1);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s))
                if !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none) =>
            {
                TypeRef::Any
            }
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => {
                    TypeRef::Primitive(Primitive::Bytes)
                }
                _ => TypeRef::Primitive(Primitive::String),
            },
            SchemaKind::Type(Type::Integer(i)) => integer(&i.format),
            SchemaKind::Type(Type::Number(n)) => number(&n.format),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Primitive(Primitive::Bool),
            SchemaKind::Type(Type::Array(_)) | SchemaKind::Any(_)
                if self.has_prefix_items(pointer) =>
            {
                self.tuple(hint, pointer, depth)?
            }
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => TypeRef::List(Box::new(self.element(
                    items,
                    &format!("{hint}Item"),
                    &format!("{pointer}/items"),
                    depth + 1,
                )?)),
                None => TypeRef::List(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(object)) => self.map_of(
                object.additional_properties.as_ref(),
                hint,
                &format!("{pointer}/additionalProperties"),
                depth,
            )?,
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => TypeRef::Primitive(match any.format.as_deref() {
                    Some("binary") => Primitive::Bytes,
                    _ => Primitive::String,
                }),
                Some("integer") => integer_format(any.format.as_deref()),
                Some("number") => number_format(any.format.as_deref()),
                Some("boolean") => TypeRef::Primitive(Primitive::Bool),
                Some("array") => match &any.items {
                    Some(items) => TypeRef::List(Box::new(self.element(
                        items,
                        &format!("{hint}Item"),
                        &format!("{pointer}/items"),
                        depth + 1,
                    )?)),
                    None => TypeRef::List(Box::new(TypeRef::Any)),
                },
                Some("object") => self.map_of(
                    any.additional_properties.as_ref(),
                    hint,
                    &format!("{pointer}/additionalProperties"),
                    depth,
                )?,
                Some(other) => {
                    return Err(self.error(
                        &format!("{pointer}/type"),
                        format!("`type: {other}` is not an OpenAPI 3.0 type (expected string, number, integer, boolean, array or object)"),
                    ));
                }
                None => TypeRef::Any,
            },
            _ => TypeRef::Any,
        })
    }

    /// Looks up the schema a `#/components/schemas/...` reference names.
    pub(super) fn component_schema(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'d Schema, String), Diagnostic> {
        let schemas = &self.doc.openapi.components.as_ref().map(|c| &c.schemas);
        // Components that are only a `$ref` are followed in a loop, refusing cycles (a chain
        // `A → B → A` used to recurse until the stack overflowed).
        let mut current = reference;
        let mut seen: Vec<&str> = Vec::new();
        loop {
            let name = current
                .strip_prefix("#/components/schemas/")
                .map(|n| n.replace("~1", "/").replace("~0", "~"))
                .ok_or_else(|| self.error(&format!("{pointer}/$ref"), not_a_schema(current)))?;
            match schemas.and_then(|s| s.get(&name)) {
                Some(ReferenceOr::Item(schema)) => {
                    return Ok((
                        schema,
                        format!("/components/schemas/{}", escape_token(&name)),
                    ));
                }
                Some(ReferenceOr::Reference { reference: next }) => {
                    if next == current {
                        return Err(
                            self.error(pointer, format!("`$ref: {current}` refers to itself"))
                        );
                    }
                    seen.push(current);
                    if seen.contains(&next.as_str()) {
                        return Err(self.error(
                            &format!("{pointer}/$ref"),
                            format!("`$ref: {reference}` is part of a reference cycle"),
                        ));
                    }
                    current = next;
                }
                None => {
                    return Err(self.error(
                        &format!("{pointer}/$ref"),
                        format!("`$ref: {current}` points at a schema that does not exist"),
                    ));
                }
            }
        }
    }
}

/// Why a local `$ref` in a schema position was not followed: `load` turns every reference to a
/// schema, wherever it is, into one to a component, so what is left points elsewhere.
fn not_a_schema(reference: &str) -> String {
    format!(
        "`$ref: {reference}` is used as a schema but points at something else (a parameter, response or other object), or at nothing"
    )
}
