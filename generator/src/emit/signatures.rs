//! Tokens for the operation surface ([`crate::ir::surface`]): the argument and return types
//! it decides, printed as an API module spells them (`models::X`, `crate::runtime::…`).
//! Nothing here decides a type; it only prints one.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{ident, type_tokens};
use crate::ir::{Arg, ArgType, Returns};

/// `name: Type` for each argument, and the names alone (to pass them on).
pub(super) fn args(args: &[Arg]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    args.iter()
        .map(|arg| {
            let name = ident(&arg.name);
            let ty = arg_type(&arg.ty);
            (quote!(#name: #ty), quote!(#name))
        })
        .unzip()
}

pub(super) fn arg_type(ty: &ArgType) -> TokenStream {
    match ty {
        ArgType::Str => quote!(&str),
        ArgType::ByteSlice => quote!(&[u8]),
        ArgType::Slice(item) => {
            let item = type_tokens(item, false);
            quote!(&[#item])
        }
        ArgType::Value(ty) => type_tokens(ty, false),
        ArgType::Ref(ty) => {
            let ty = type_tokens(ty, false);
            quote!(&#ty)
        }
        ArgType::Optional(inner) => {
            let inner = arg_type(inner);
            quote!(Option<#inner>)
        }
        ArgType::Params(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The type inside `Result<_, Error>`.
pub(super) fn returns(r: &Returns) -> TokenStream {
    match r {
        Returns::Unit => quote!(()),
        Returns::Body(ty) => type_tokens(ty, false),
        Returns::Text => quote!(String),
        Returns::Bytes => quote!(bytes::Bytes),
        Returns::Optional(inner) => {
            let inner = returns(inner);
            quote!(Option<#inner>)
        }
        Returns::EventStream(item) => {
            let item = type_tokens(item, false);
            quote!(crate::runtime::EventStream<#item>)
        }
        Returns::JsonStream(item) => {
            let item = type_tokens(item, false);
            quote!(crate::runtime::JsonStream<#item>)
        }
        Returns::Statuses(e) => {
            let name = ident(&e.name);
            quote!(#name)
        }
    }
}
