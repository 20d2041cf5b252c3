//! Lists, maps and tuples: their element types, with `Option<T>` for elements that admit
//! `null` and Rust tuples for JSON Schema 2020-12 `prefixItems`.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::Lowerer;
use super::objects::is_nullable;
use crate::ir::TypeRef;
use crate::load::Diagnostic;

impl Lowerer<'_> {
    /// Whether the schema at `pointer` has `prefixItems` (JSON Schema 2020-12 tuples), which
    /// `openapiv3` does not read.
    pub(super) fn has_prefix_items(&self, pointer: &str) -> bool {
        self.doc.raw.pointer(pointer).is_some_and(|s| {
            s.get("prefixItems")
                .is_some_and(serde_json::Value::is_array)
        })
    }

    /// `prefixItems` → a Rust tuple when the array has exactly those items (`items: false`,
    /// removed by `load`); with more items after them, a list of any JSON values.
    pub(super) fn tuple(
        &mut self,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        let raw = self.doc.raw.pointer(pointer).cloned().unwrap_or_default();
        let items = raw
            .get("prefixItems")
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default();
        // serde reads and writes tuples of up to 16 elements.
        if raw.get("items").is_some() || items.is_empty() || items.len() > 16 {
            self.warn(
                &format!("{pointer}/prefixItems"),
                "`prefixItems` with further `items` (or more than 16): the list's items are typed as any JSON value",
            );
            return Ok(TypeRef::List(Box::new(TypeRef::Any)));
        }
        let mut types = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let at = format!("{pointer}/prefixItems/{i}");
            let schema: ReferenceOr<Schema> = serde_json::from_value(item)
                .map_err(|e| self.error(&at, format!("not a valid schema: {e}")))?;
            types.push(self.type_of(&schema, &format!("{hint}{i}"), &at, depth + 1)?);
        }
        Ok(TypeRef::Tuple(types))
    }

    pub(super) fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let ty = self.type_of(schema, &format!("{hint}Value"), pointer, depth + 1)?;
                let nullable = matches!(&**schema, ReferenceOr::Item(s) if is_nullable(s));
                TypeRef::Map(Box::new(nullable_element(ty, nullable)))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Any)),
        })
    }

    /// A list item's type: `Option<T>` when the item schema admits `null` (`[T, "null"]`,
    /// `nullable: true`), so a `null` in the list decodes.
    pub(super) fn element(
        &mut self,
        items: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeRef, Diagnostic> {
        let ty = self.type_of(items, hint, pointer, depth)?;
        let nullable = matches!(items, ReferenceOr::Item(s) if is_nullable(s));
        Ok(nullable_element(ty, nullable))
    }
}

/// `Option<T>` for a nullable element; `serde_json::Value` already holds `null`.
fn nullable_element(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Any => ty,
        ty if nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}
