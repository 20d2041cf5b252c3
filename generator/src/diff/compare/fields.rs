//! A struct model's fields, and its `additional_properties` map.

use super::types::field_type;
use super::{Cx, Item, entry, rust_type};
use crate::diff::{Area, Rule, RustPath};
use crate::ir::{Field, Struct};

fn field_path(ty: &str, field: &str) -> RustPath {
    RustPath::Field {
        ty: ty.to_owned(),
        field: field.to_owned(),
    }
}

impl Cx<'_> {
    /// `names`: the struct's Rust name in the old and the new crate.
    pub(super) fn fields(&mut self, item: &Item, names: (&str, &str), a: &Struct, b: &Struct) {
        let (old_name, new_name) = names;
        let both = |old: &Field, new: &Field| {
            (
                Some(field_path(old_name, &old.rust_name)),
                Some(field_path(new_name, &new.rust_name)),
            )
        };
        for f in &b.fields {
            if a.fields.iter().any(|x| x.name == f.name) {
                continue;
            }
            let ty = field_type(f, &f.ty);
            let decl = format!("`{}: {ty}`", f.rust_name);
            let e = if f.is_optional() {
                entry(
                    Area::Types,
                    item,
                    Rule::FieldAdded,
                    format!("new optional field {decl}"),
                )
            } else if self.responses.contains(new_name) && !self.requests.contains(new_name) {
                entry(
                    Area::Types,
                    item,
                    Rule::RequiredFieldAddedToResponse,
                    format!("new required field {decl} (response-only type)"),
                )
            } else {
                entry(
                    Area::Types,
                    item,
                    Rule::RequiredFieldAdded,
                    format!("new required field {decl}: `{new_name}::new` takes it"),
                )
            };
            self.push(
                e.naming_both(None, Some(field_path(new_name, &f.rust_name)))
                    .member(&f.name)
                    .now(ty),
            );
        }
        for f in &a.fields {
            let Some(x) = b.fields.iter().find(|x| x.name == f.name) else {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldRemoved,
                    format!("field `{}` removed", f.rust_name),
                )
                .naming_both(Some(field_path(old_name, &f.rust_name)), None)
                .member(&f.name)
                .was(field_type(f, &f.ty));
                self.push(e);
                continue;
            };
            if f.rust_name != x.rust_name {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldRenamed,
                    format!(
                        "field for `{}` renamed `{}` → `{}`",
                        f.name, f.rust_name, x.rust_name
                    ),
                )
                .naming_both(both(f, x).0, both(f, x).1)
                .member(&f.name)
                .values(&f.rust_name, &x.rust_name);
                self.push(e);
            }
            let inner_same = self.same_type(&f.ty, &x.ty) && f.boxed == x.boxed;
            let (before, after) = (field_type(f, &f.ty), field_type(x, &x.ty));
            if !inner_same {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldTypeChanged,
                    format!("field `{}` type `{before}` → `{after}`", x.rust_name),
                )
                .naming_both(both(f, x).0, both(f, x).1)
                .member(&f.name)
                .values(before, after);
                self.push(e);
            } else if f.is_optional() != x.is_optional() {
                let (rule, what) = if x.is_optional() {
                    (Rule::FieldBecameOptional, "optional")
                } else {
                    (Rule::FieldBecameRequired, "required")
                };
                let e = entry(
                    Area::Types,
                    item,
                    rule,
                    format!(
                        "field `{}` is now {what}: `{before}` → `{after}`",
                        x.rust_name
                    ),
                )
                .naming_both(both(f, x).0, both(f, x).1)
                .member(&f.name)
                .values(before, after);
                self.push(e);
            } else if f.required != x.required || f.nullable != x.nullable {
                let presence = |f: &Field| match (f.required, f.nullable) {
                    (true, true) => "required, nullable",
                    (true, false) => "required",
                    (false, true) => "optional, nullable",
                    (false, false) => "optional",
                };
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldPresenceChanged,
                    format!(
                        "field `{}` is now {} (was {}); still `{after}`",
                        x.rust_name,
                        presence(x),
                        presence(f)
                    ),
                )
                .naming_both(both(f, x).0, both(f, x).1)
                .member(&f.name)
                .values(presence(f), presence(x));
                self.push(e);
            }
            if f.deprecated != x.deprecated {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::DeprecationChanged,
                    format!(
                        "field `{}` {}",
                        x.rust_name,
                        if x.deprecated {
                            "deprecated"
                        } else {
                            "no longer deprecated"
                        }
                    ),
                )
                .naming_both(both(f, x).0, both(f, x).1)
                .member(&f.name);
                self.push(e);
            }
        }
        match (&a.additional, &b.additional) {
            (None, Some(t)) => {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesAdded,
                    format!(
                        "new field `additional_properties: BTreeMap<String, {}>`",
                        rust_type(t)
                    ),
                );
                self.push(e.naming_both(None, Some(field_path(new_name, "additional_properties"))));
            }
            (Some(t), None) => {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesChanged,
                    format!(
                        "field `additional_properties: BTreeMap<String, {}>` removed",
                        rust_type(t)
                    ),
                );
                self.push(e.naming_both(Some(field_path(old_name, "additional_properties")), None));
            }
            (Some(s), Some(t)) if !self.same_type(s, t) => {
                let (x, y) = (rust_type(s), rust_type(t));
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesChanged,
                    format!("`additional_properties` values `{x}` → `{y}`"),
                )
                .values(x, y);
                self.push(e.naming_both(
                    Some(field_path(old_name, "additional_properties")),
                    Some(field_path(new_name, "additional_properties")),
                ));
            }
            _ => {}
        }
    }
}
