//! What several emitters must agree on about a model's Rust form: a field's declared type and
//! which types are merged aliases. Kept apart from `models` so that the emitters `models` calls
//! (`model_serde`) and the ones that call into models' facts (`features`, `emit::emit`) depend
//! on this module one way, not on each other.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::type_tokens;
use crate::ir::{Field, TypeDef, TypeKind, TypeRef};

/// The field's Rust type as declared in the struct (`Option<Box<T>>` and the like).
pub(super) fn field_type(field: &Field) -> TokenStream {
    crate::ir::surface::field_wrappers(field).fold(type_tokens(&field.ty, true), |ty, wrapper| {
        let wrapper = proc_macro2::Ident::new(wrapper, proc_macro2::Span::call_site());
        quote!(#wrapper<#ty>)
    })
}

/// The type a merged inline type names (`lower::shapes` leaves an alias in its place), or
/// `None` for any other type. Such aliases are declared in `models/mod.rs` itself: a file each
/// would be most of a big crate's files (Box: 388 of 1,094).
pub(super) fn merged_alias_target(def: &TypeDef) -> Option<&str> {
    match &def.kind {
        TypeKind::Alias(TypeRef::Named(target)) if def.origin.starts_with('/') => Some(target),
        _ => None,
    }
}
