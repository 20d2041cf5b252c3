//! `Serialize` and `Deserialize` for struct models, written out instead of derived.
//!
//! serde_derive's expansion for a struct also accepts a JSON array in place of the object,
//! matches field names as bytes and integers as well as strings, tracks duplicate fields and
//! declares a field enum with its own visitor; on the Authlete crate that was more than half of
//! `cargo check`'s time (issue 7's measurements, BENCHMARKS.md). The impls written here read an
//! object as a map and write one: a `match` on the field name (the runtime's `FieldName`,
//! borrowed from the input when it can be) and one `serialize_entry` per field. The JSON is the
//! same as the derive's: names as in the document, optional fields skipped when `None`
//! (required nullable ones sent as `null`), additional properties after the declared fields;
//! unknown names are skipped, a missing required field is serde's `missing field` error, and a
//! repeated name keeps its last value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{ident, type_tokens};
use crate::ir::{Field, Struct, TypeDef};

/// Both impls for the struct model `def`; `field_type` gives a field's Rust type as declared.
pub fn struct_serde_impls(
    def: &TypeDef,
    s: &Struct,
    field_type: impl Fn(&Field) -> TokenStream,
) -> TokenStream {
    // Reading deprecated fields is what these impls are for.
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let serialize = serialize_impl(def, s);
    let deserialize = deserialize_impl(def, s, field_type);
    quote! {
        #allow_deprecated
        #serialize
        #allow_deprecated
        #deserialize
    }
}

/// Whether `None` is left out of the JSON rather than sent as `null`: always, except for a
/// required nullable field, whose `null` is meaningful.
fn skipped_when_none(f: &Field) -> bool {
    f.is_optional() && (!f.required || f.read_only || f.write_only)
}

fn serialize_impl(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    if s.fields.is_empty() && s.additional.is_none() {
        return quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?)
                }
            }
        };
    }
    let entries = s.fields.iter().map(|f| {
        let rust = ident(&f.rust_name);
        let json = &f.name;
        if skipped_when_none(f) {
            quote! {
                if let Some(value) = &self.#rust {
                    map.serialize_entry(#json, value)?;
                }
            }
        } else {
            quote!(map.serialize_entry(#json, &self.#rust)?;)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        quote! {
            for (name, value) in &self.additional_properties {
                map.serialize_entry(name, value)?;
            }
        }
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                #additional
                map.end()
            }
        }
    }
}

fn deserialize_impl(
    def: &TypeDef,
    s: &Struct,
    field_type: impl Fn(&Field) -> TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    // The wording serde_derive uses, so that decode errors read as before.
    let expecting = format!("struct {}", def.name);
    let local = |f: &Field| format_ident!("field_{}", f.rust_name);

    // A struct whose fields are all optional is filled in place, starting from all `None`.
    // Otherwise each field gets a local: the field's own `Option`, or an `Option` around a
    // required one. In place is cheaper to compile: every `?` is a return that drops what is
    // live, so N locals make N drops at each of N returns, a quadratic amount of MIR that
    // dominated `cargo check` on the large models.
    let in_place = s.fields.iter().all(Field::is_optional);
    let locals: Vec<TokenStream> = if in_place {
        vec![quote!(let mut value = <#name>::default();)]
    } else {
        s.fields
            .iter()
            .map(|f| {
                let local = local(f);
                let ty = field_type(f);
                if f.is_optional() {
                    quote!(let mut #local: #ty = None;)
                } else {
                    quote!(let mut #local: Option<#ty> = None;)
                }
            })
            .collect()
    };
    let arms = s.fields.iter().map(|f| {
        let json = &f.name;
        let target = if in_place {
            let rust = ident(&f.rust_name);
            quote!(value.#rust)
        } else {
            let local = local(f);
            quote!(#local)
        };
        if f.is_optional() {
            quote!(#json => #target = map.next_value()?,)
        } else {
            quote!(#json => #target = Some(map.next_value()?),)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let rust = ident(&f.rust_name);
        let local = local(f);
        let json = &f.name;
        if f.is_optional() {
            quote!(#rust: #local,)
        } else {
            quote! {
                #rust: #local.ok_or_else(|| <A::Error as serde::de::Error>::missing_field(#json))?,
            }
        }
    });
    let (additional_local, additional_init) = match &s.additional {
        Some(_) if in_place => (None, None),
        Some(ty) => {
            let ty = type_tokens(ty, true);
            (
                Some(quote! {
                    let mut additional_properties = std::collections::BTreeMap::<String, #ty>::new();
                }),
                Some(quote!(additional_properties,)),
            )
        }
        None => (None, None),
    };
    let additional_target = if in_place {
        quote!(value.additional_properties)
    } else {
        quote!(additional_properties)
    };
    let unknown = if s.additional.is_some() {
        quote!(#additional_target.insert(name.as_str().to_owned(), map.next_value()?);)
    } else {
        quote!(map.next_value::<serde::de::IgnoredAny>()?;)
    };
    let each_name = if s.fields.is_empty() {
        // No declared field to match: every name is unknown (a lone `_` arm is a lint).
        unknown
    } else {
        quote! {
            match name.as_str() {
                #(#arms)*
                _ => {
                    #unknown
                }
            }
        }
    };
    let finish = if in_place {
        quote!(Ok(value))
    } else {
        quote! {
            Ok(#name {
                #(#inits)*
                #additional_init
            })
        }
    };
    let name_binding = if s.fields.is_empty() && s.additional.is_none() {
        quote!(_name)
    } else {
        quote!(name)
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#locals)*
                        #additional_local
                        while let Some(#name_binding) = map.next_key::<crate::runtime::FieldName<'de>>()? {
                            #each_name
                        }
                        #finish
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}
