//! A paged operation's stream methods: `{op}_pages(..)` (a `Paginator` of pages, with
//! `.with_options(..)` and `.items()`) and `{op}_all(..)` (every item).
//!
//! Per operation only a static `PageSpec` (the style and its parameter names), a function
//! from a page to its items and one reading its paging values (`Found`: the item count, the
//! next cursor or link, the total, `has_more`) from the same typed fields are generated; the paging itself is the runtime's one generic
//! `Paginator` (`templates/runtime/paginate.rs`). Both methods build the first request with
//! the same private function `op_with` uses (`Pagination::request_fn`), so a page is asked
//! for exactly as a plain call would be.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_file::RustFile;
use super::tokens::{ident, type_tokens};
use crate::ir::{
    Api, FieldStep, Group, Leaf, Operation, OperationSurface, PageStyle, Pagination, TypeRef,
    ValuePath,
};

/// The two stream methods of `op`, named, typed and taking the same arguments as the plain
/// method as its `surface` says; `paging` says how pages follow each other.
pub(super) fn methods(
    file: &mut RustFile,
    api: &Api,
    config: &super::Config,
    group: &Group,
    op: &Operation,
    paging: &Pagination,
    surface: &OperationSurface,
) -> TokenStream {
    let Some(paged) = &surface.paged else {
        return TokenStream::new();
    };
    let (args, arg_names) = super::signatures::args(&surface.args);
    let pages = ident(&paged.pages);
    let all = ident(&paged.all);
    let request_fn = ident(&paging.request_fn);
    let page = type_tokens(&paged.page, false);
    let item = type_tokens(&paged.item, false);
    let spec = page_spec(paging);
    let extract = extract(&paging.items);
    let found = found(paging);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let pages_docs = file.docs(&docs(api, config, group, op, paging, false));
    let all_docs = file.docs(&docs(api, config, group, op, paging, true));
    quote! {
        #pages_docs
        #deprecated
        #too_many
        pub fn #pages(&self, #(#args),*) -> crate::runtime::Paginator<#page, #item> {
            static PAGING: crate::runtime::PageSpec = #spec;
            let first = Self::#request_fn(#(#arg_names,)* &RequestOptions::default());
            crate::runtime::Paginator::new(self.client, first, &PAGING, |page| #extract, #found)
        }

        #all_docs
        #deprecated
        #too_many
        pub fn #all(&self, #(#args),*) -> impl crate::runtime::Stream<Item = Result<#item, Error>> + Send + Unpin + use<> {
            self.#pages(#(#arg_names),*).items()
        }
    }
}

/// `page.a.b` through the fields to the items, `Option`s defaulting to no items.
fn extract(steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(page);
    let mut in_option = false;
    for step in steps {
        let field = ident(&step.rust);
        expr = match (in_option, step.optional, step.boxed) {
            (false, false, false) => quote!(#expr.#field),
            (false, false, true) => quote!((*#expr.#field)),
            (false, true, false) => quote!(#expr.#field),
            (false, true, true) => quote!(#expr.#field.map(|v| *v)),
            (true, true, false) => quote!(#expr.and_then(|v| v.#field)),
            (true, true, true) => quote!(#expr.and_then(|v| v.#field).map(|v| *v)),
            (true, false, false) => quote!(#expr.map(|v| v.#field)),
            (true, false, true) => quote!(#expr.map(|v| *v.#field)),
        };
        in_option |= step.optional;
    }
    if in_option {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// `Option<&Leaf>` (or `&Leaf` when `Ok`): the fields from `base` down a path, references
/// all the way (an `Option` field is `.as_ref()`-ed, later steps `and_then` / `map`).
fn walk(base: TokenStream, steps: &[FieldStep]) -> (TokenStream, bool) {
    let mut expr = base;
    let mut in_option = false;
    for step in steps {
        let field = ident(&step.rust);
        // Field access derefs a `Box` on its own; only `Option`s need care.
        expr = match (in_option, step.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => quote!(#expr.#field.as_ref()),
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (true, false) => quote!(#expr.map(|v| &v.#field)),
        };
        in_option |= step.optional;
    }
    (expr, in_option)
}

/// `Option<Scalar>` of the value at `path` from `base`.
fn scalar(base: TokenStream, path: &ValuePath) -> TokenStream {
    match scalar_parts(base, path) {
        (value, false) => quote!(Some(#value)),
        (option, true) => option,
    }
}

/// The value at `path` from `base` as a `Scalar`, or as an `Option<Scalar>` (then `true`).
fn scalar_parts(base: TokenStream, path: &ValuePath) -> (TokenStream, bool) {
    let (expr, in_option) = walk(base, &path.steps);
    // `v` is a reference inside the `Option`; a place (`page.a`) outside it.
    let convert = |v: TokenStream, place: bool| {
        let borrowed = if place { quote!(&#v) } else { v.clone() };
        match path.leaf {
            Leaf::Text | Leaf::Enum => quote!(crate::runtime::Scalar::from(#v.as_str())),
            Leaf::Number | Leaf::Bool => quote!(crate::runtime::Scalar::number(#borrowed)),
            Leaf::Any => quote!(crate::runtime::Scalar::from(#borrowed)),
        }
    };
    if in_option {
        // A bare call is passed as a path (clippy's `redundant_closure`).
        let option = match path.leaf {
            Leaf::Number | Leaf::Bool => quote!(#expr.map(crate::runtime::Scalar::number)),
            Leaf::Any => quote!(#expr.map(crate::runtime::Scalar::from)),
            Leaf::Text | Leaf::Enum => {
                let value = convert(quote!(v), false);
                quote!(#expr.map(|v| #value))
            }
        };
        (option, true)
    } else {
        (convert(expr, true), false)
    }
}

/// `|page| Found { .. }`: the paging values read from the decoded page.
fn found(paging: &Pagination) -> TokenStream {
    let (items, in_option) = walk(quote!(page), &paging.items);
    let count = if in_option {
        quote!(#items.map_or(0, Vec::len))
    } else {
        quote!(#items.len())
    };
    let none = || quote!(None);
    let (next, total) = match &paging.style {
        PageStyle::Offset { total, .. } | PageStyle::Range { total, .. } => (
            none(),
            total
                .as_ref()
                .map_or_else(none, |t| scalar(quote!(page), t)),
        ),
        PageStyle::Page { pages, .. } => (
            none(),
            pages
                .as_ref()
                .map_or_else(none, |p| scalar(quote!(page), p)),
        ),
        PageStyle::Cursor {
            next,
            in_last_item: false,
            ..
        }
        | PageStyle::NextUrl { next } => (scalar(quote!(page), next), none()),
        PageStyle::Cursor {
            next,
            in_last_item: true,
            ..
        } => {
            let last = if in_option {
                quote!(#items.and_then(|items| items.last()))
            } else {
                quote!(#items.last())
            };
            let next = match scalar_parts(quote!(item), next) {
                (option, true) => quote!(#last.and_then(|item| #option)),
                (value, false) => quote!(#last.map(|item| #value)),
            };
            (next, none())
        }
        PageStyle::Link => (none(), none()),
    };
    let more = match &paging.more {
        Some(flag) => {
            let (expr, in_option) = walk(quote!(page), &flag.path.steps);
            if in_option {
                quote!(#expr.copied())
            } else {
                quote!(Some(#expr))
            }
        }
        None => none(),
    };
    quote! {
        |page| crate::runtime::Found {
            items: #count,
            next: #next,
            total: #total,
            more: #more,
        }
    }
}

/// The `PageSpec` literal: how the next page is asked for.
fn page_spec(paging: &Pagination) -> TokenStream {
    let opt_str = |value: Option<&str>| match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let style = match &paging.style {
        PageStyle::Offset { param, limit, .. } => {
            let limit = opt_str(limit.as_deref());
            quote!(Offset { offset: #param, limit: #limit })
        }
        PageStyle::Page { param, limit, .. } => {
            let limit = opt_str(limit.as_deref());
            quote!(Page { page: #param, limit: #limit })
        }
        PageStyle::Range { start, end, .. } => quote!(Range { start: #start, end: #end }),
        PageStyle::Cursor { param, .. } => quote!(Cursor { param: #param }),
        PageStyle::NextUrl { .. } => quote!(NextUrl),
        PageStyle::Link => quote!(Link),
    };
    let more_when = paging.more.as_ref().is_none_or(|m| m.more_when);
    quote! {
        crate::runtime::PageSpec {
            style: crate::runtime::PageStyle::#style,
            more_when: #more_when,
        }
    }
}

/// The rustdoc of `{op}_pages` (`all` false) or `{op}_all`.
fn docs(
    api: &Api,
    config: &super::Config,
    group: &Group,
    op: &Operation,
    paging: &Pagination,
    all: bool,
) -> Vec<String> {
    let plain = super::tokens::link_name(&api.operation_surface(group, op).method);
    let type_link = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => format!("[`models::{name}`]"),
        other => format!("`{}`", super::tokens::type_text(&type_tokens(other, false))),
    };
    let how = match &paging.style {
        PageStyle::Offset { param, .. } => format!("the offset `{param}`"),
        PageStyle::Page { param, .. } => format!("the page number `{param}`"),
        PageStyle::Range { start, end, .. } => format!("the indexes `{start}` and `{end}`"),
        PageStyle::Cursor { param, .. } => format!("the cursor `{param}`"),
        PageStyle::NextUrl { next } => format!("the link in `{}`", next.dotted()),
        PageStyle::Link => "the `Link: <..>; rel=\"next\"` response header".to_owned(),
    };
    let mut lines = vec![if all {
        format!(
            "Every {} of every page of [`Self::{plain}`], as a stream fetching the pages lazily.",
            type_link(&paging.item)
        )
    } else {
        format!(
            "The pages of [`Self::{plain}`] (each a {}), as a stream fetched lazily.",
            type_link(&paging.page)
        )
    }];
    lines.push(String::new());
    let mut end = format!(
        "Pages follow each other by {how} ({}); the stream ends after an empty page",
        paging.source
    );
    let condition = paging.style.end_condition();
    if !condition.is_empty() {
        end.push(' ');
        end.push_str(&condition);
    }
    if let Some(more) = &paging.more {
        end.push_str(&format!(
            ", or when `{}` is `{}`",
            more.path.dotted(),
            !more.more_when
        ));
    }
    end.push_str(", and after the first error item (any error of the plain call, or [`Error::Pagination`] when the server repeats a cursor, a link or a page). Nothing is sent until it is polled; dropping it stops fetching.");
    lines.push(end);
    lines.push(String::new());
    lines.push(if all {
        format!(
            "The same as `self.{}(..).items()`; for per-call [`RequestOptions`] on every page use [`Self::{}`] with `.with_options(..)`.",
            paging.pages_method,
            super::tokens::link_name(&paging.pages_method)
        )
    } else {
        "`.with_options(RequestOptions)` applies per-call options to every page's request; `.items()` streams the items instead.".to_owned()
    });
    lines.push(String::new());
    let method = if all {
        &paging.all_method
    } else {
        &paging.pages_method
    };
    lines.extend(super::readme::stream_example(
        api, config, group, op, method,
    ));
    lines
}
