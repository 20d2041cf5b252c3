//! Object schemas → struct definitions: the properties and `required` names gathered across an
//! `allOf` (following refs), then one field per property with the facts the schema states
//! (nullable, read/write-only, deprecated, sensitive, default). Naming the struct and the
//! types of its fields is `types.rs`'s job; this module only assembles them.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::formats::schema_format;
use super::naming::{self, Scope};
use super::types::MAX_SCHEMA_DEPTH;
use crate::ir::{Field, Struct, TypeRef};
use crate::load::Diagnostic;
use crate::load::diagnostic::escape_token;

/// The object-ish parts of a schema, gathered across `allOf` members.
#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: Vec<(String, &'a ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) additional_pointer: String,
}

impl<'a> ObjectParts<'a> {
    /// One schema's own properties, `required` and additional properties; `pointer` is the
    /// schema's.
    pub(super) fn own(
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
    ) -> Self {
        ObjectParts {
            properties: properties
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v,
                        format!("{pointer}/properties/{}", escape_token(k)),
                    )
                })
                .collect(),
            required: required.to_vec(),
            additional,
            additional_pointer: format!("{pointer}/additionalProperties"),
        }
    }
}

impl<'d> Lowerer<'d> {
    /// The first member of an `allOf` (following refs and nested `allOf`s) that is not an
    /// object schema, when there is one: then the members cannot be merged into a struct
    /// (`allOf: [oneOf: [..], {properties}]`, or of two primitive types).
    pub(super) fn non_object_member(
        &self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        depth: usize,
    ) -> Option<String> {
        // A cycle or a broken reference is `gather_all_of`'s to report.
        if depth > MAX_SCHEMA_DEPTH {
            return None;
        }
        for (i, member) in members.iter().enumerate() {
            if is_annotation(member) {
                continue;
            }
            let member_pointer = format!("{pointer}/allOf/{i}");
            let (schema, schema_pointer) = match member {
                ReferenceOr::Item(schema) => (schema, member_pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    self.component_schema(reference, &member_pointer).ok()?
                }
            };
            let found = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(_)) => None,
                SchemaKind::AllOf { all_of } => {
                    self.non_object_member(all_of, &schema_pointer, depth + 1)
                }
                SchemaKind::Any(any) => {
                    self.non_object_member(&any.all_of, &schema_pointer, depth + 1)
                }
                _ => Some(member_pointer),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Collects properties and `required` from every member of an `allOf`, following refs.
    pub(super) fn gather_all_of<'s>(
        &self,
        members: &'s [ReferenceOr<Schema>],
        pointer: &str,
        parts: &mut ObjectParts<'s>,
        depth: usize,
    ) -> Result<(), Diagnostic>
    where
        'd: 's,
    {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(self.error(pointer, "`allOf` members refer to each other in a cycle"));
        }
        for (i, member) in members.iter().enumerate() {
            if is_annotation(member) {
                continue;
            }
            let member_pointer = format!("{pointer}/allOf/{i}");
            let (schema, schema_pointer): (&'s Schema, String) = match member {
                ReferenceOr::Item(schema) => (schema, member_pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    let (schema, target) = self.component_schema(reference, &member_pointer)?;
                    (schema, target)
                }
            };
            let add = |props: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
                       required: &'s [String],
                       parts: &mut ObjectParts<'s>| {
                for (k, v) in props {
                    let p = format!("{schema_pointer}/properties/{}", escape_token(k));
                    match parts.properties.iter().position(|(name, _, _)| name == k) {
                        // A later member may restate a property; the first definition wins,
                        // which is what a merged struct can hold.
                        Some(_) => {}
                        None => parts.properties.push((k.clone(), v, p)),
                    }
                }
                for r in required {
                    if !parts.required.contains(r) {
                        parts.required.push(r.clone());
                    }
                }
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    add(&object.properties, &object.required, parts);
                    if object.additional_properties.is_some() {
                        parts.additional = object.additional_properties.as_ref();
                        parts.additional_pointer = format!("{schema_pointer}/additionalProperties");
                    }
                }
                SchemaKind::AllOf { all_of } => {
                    self.gather_all_of(all_of, &schema_pointer, parts, depth + 1)?;
                }
                SchemaKind::Any(any) => {
                    add(&any.properties, &any.required, parts);
                    self.gather_all_of(&any.all_of, &schema_pointer, parts, depth + 1)?;
                }
                _ => {
                    return Err(self.error(
                        &member_pointer,
                        "this `allOf` member is not an object schema, so it cannot be merged into a struct",
                    ));
                }
            }
        }
        Ok(())
    }

    pub(super) fn build_struct(
        &mut self,
        parts: ObjectParts<'_>,
        name: &str,
        _pointer: &str,
        depth: usize,
    ) -> Result<Struct, Diagnostic> {
        // `additional_properties` is the field the emitter adds for extra properties.
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (json_name, schema, pointer) in &parts.properties {
            let hint = format!("{name}{}", naming::type_name(json_name, "Field"));
            let ty = self.type_of(schema, &hint, pointer, depth + 1)?;
            let data = match schema {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let format = match schema {
                ReferenceOr::Item(s) => schema_format(s),
                ReferenceOr::Reference { .. } => None,
            };
            let rust_name = scope.claim(&naming::snake_name(json_name, "field"), "_");
            fields.push(Field {
                name: json_name.clone(),
                rust_name,
                ty,
                required: parts.required.contains(json_name),
                nullable: match schema {
                    ReferenceOr::Item(s) => is_nullable(s),
                    ReferenceOr::Reference { .. } => false,
                },
                boxed: false,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone()),
                default: data.and_then(|d| d.default.clone()),
                sensitive: match schema {
                    ReferenceOr::Item(s) => is_sensitive(s),
                    ReferenceOr::Reference { reference } => self
                        .component_schema(reference, pointer)
                        .is_ok_and(|(s, _)| is_sensitive(s)),
                },
                format,
            });
        }
        // A `required` name without a property: the document wants the field but says
        // nothing of its type. Keep it, as any JSON value, so requests can carry it.
        for required in &parts.required {
            if parts.properties.iter().any(|(name, _, _)| name == required) {
                continue;
            }
            fields.push(Field {
                name: required.clone(),
                rust_name: scope.claim(&naming::snake_name(required, "field"), "_"),
                ty: TypeRef::Any,
                required: true,
                nullable: false,
                boxed: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                description: Some(format!(
                    "Required by the API document, which does not define the `{required}` property (so any JSON value)."
                )),
                format: None,
                default: None,
                sensitive: false,
            });
        }
        let additional = match parts.additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(schema)) => Some(self.type_of(
                schema,
                &format!("{name}Value"),
                &parts.additional_pointer,
                depth + 1,
            )?),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        Ok(Struct { fields, additional })
    }
}

/// Whether an `allOf` member only annotates or constrains (description, title, nullable,
/// example, pattern, format, bounds, ...) and contributes no structure: no type, properties,
/// `required`, items, enum or composition of its own.
fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none() && no_shape(any) && any.all_of.is_empty() && any.not.is_none()
            }
            _ => false,
        },
    }
}

/// Whether a mixed schema states no shape of its own beside its `allOf` / `not`: no
/// properties, `required`, additional properties, items, enum, `oneOf` or `anyOf`.
fn no_shape(any: &openapiv3::AnySchema) -> bool {
    any.properties.is_empty()
        && any.required.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
}

/// A member that only names a primitive type (`{type: string}`, any format or bounds, no
/// enum): beside another member it restates that member's type (`allOf: [$ref, {type: string}]`).
fn is_bare_primitive(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => t.enumeration.is_empty(),
            SchemaKind::Type(Type::Integer(t)) => t.enumeration.is_empty(),
            SchemaKind::Type(Type::Number(t)) => t.enumeration.is_empty(),
            SchemaKind::Type(Type::Boolean(t)) => t.enumeration.is_empty(),
            _ => false,
        },
    }
}

/// The one member of an `allOf` that is not an annotation (nor a bare primitive type beside
/// another member), with its index, when there is exactly one.
fn single_substantive(all_of: &[ReferenceOr<Schema>]) -> Option<(usize, &ReferenceOr<Schema>)> {
    let substantive: Vec<(usize, &ReferenceOr<Schema>)> = all_of
        .iter()
        .enumerate()
        .filter(|(_, m)| !is_annotation(m))
        .collect();
    match substantive.as_slice() {
        [] => None,
        [one] => Some(*one),
        many => {
            let mut shaped = many.iter().filter(|(_, m)| !is_bare_primitive(m));
            let first = shaped.next()?;
            shaped.next().is_none().then_some(*first)
        }
    }
}

/// The one schema that `schema` only wraps, with its pointer below `schema`'s: `allOf: [X]`
/// (plus annotations), `oneOf: [X]` or `anyOf: [X]`. A value is valid against such a wrapper
/// exactly when it is valid against X, so the wrapper has X's type: OpenAPI 3.0 documents use
/// the form to annotate a `$ref` (`nullable`, `description`), and one payments API wraps 542
/// references so; as unions they were 228 one-variant enums that users had to unwrap.
pub(super) fn single_member(schema: &Schema) -> Option<(String, &ReferenceOr<Schema>)> {
    let (keyword, members) = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => {
            let (i, member) = single_substantive(all_of)?;
            return Some((format!("/allOf/{i}"), member));
        }
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        // `allOf: [X]` beside keywords of X's own (`type: string, nullable: true`, as
        // documents write a nullable reference; `format`, `maxLength`): X.
        SchemaKind::Any(any)
            if !any.all_of.is_empty() && any.typ.as_deref() != Some("object") && no_shape(any) =>
        {
            let (i, member) = single_substantive(&any.all_of)?;
            return Some((format!("/allOf/{i}"), member));
        }
        // `openapiv3` reads a schema as `Any` when its keywords mix; it only wraps when the
        // one `oneOf`/`anyOf` is all it says.
        SchemaKind::Any(any) => {
            let bare = openapiv3::AnySchema {
                one_of: Vec::new(),
                any_of: Vec::new(),
                ..any.clone()
            };
            if bare != openapiv3::AnySchema::default() {
                return None;
            }
            match (any.one_of.as_slice(), any.any_of.as_slice()) {
                ([_], []) => ("oneOf", &any.one_of),
                ([], [_]) => ("anyOf", &any.any_of),
                _ => return None,
            }
        }
        _ => return None,
    };
    match members.as_slice() {
        [only] => Some((format!("/{keyword}/0"), only)),
        _ => None,
    }
}

/// Whether a schema holds a secret that `Debug` must not print: `format: password`, or our
/// extension `x-sensitive: true` (which overlays add to documents that do not say so).
fn is_sensitive(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-sensitive") == Some(&serde_json::Value::Bool(true))
        || schema_format(schema).as_deref() == Some("password")
}

/// Whether a schema (or, for an `allOf`, any of its annotations) says `nullable: true`.
pub(super) fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().any(|m| match m {
                ReferenceOr::Item(s) => s.schema_data.nullable,
                ReferenceOr::Reference { .. } => false,
            }),
            _ => false,
        }
}
