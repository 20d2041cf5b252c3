//! A paged operation's stream methods: `{op}_pages(..)` (a `Paginator` of pages, with
//! `.with_options(..)` and `.items()`) and `{op}_all(..)` (every item).
//!
//! Per operation only a static `PageSpec` (paths and parameter names) and a function from a
//! page to its items are generated; the paging itself is the runtime's one generic
//! `Paginator` (`templates/runtime/paginate.rs`). Both methods build the first request with
//! the same private function `op_with` uses (`Pagination::request_fn`), so a page is asked
//! for exactly as a plain call would be.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc_lines, ident, type_tokens};
use crate::ir::{Api, FieldStep, Group, Operation, PageStyle, Pagination, TypeRef};

/// The two stream methods of `op`, taking the same arguments (`args`, passed on as
/// `arg_names`) as the plain method.
pub(super) fn methods(
    api: &Api,
    config: &super::Config,
    group: &Group,
    op: &Operation,
    paging: &Pagination,
    args: &[TokenStream],
    arg_names: &[TokenStream],
) -> TokenStream {
    let pages = ident(&paging.pages_method);
    let all = ident(&paging.all_method);
    let request_fn = ident(&paging.request_fn);
    let page = type_tokens(&paging.page, false);
    let item = type_tokens(&paging.item, false);
    let spec = page_spec(paging);
    let extract = extract(&paging.items);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let pages_docs = doc_lines(&docs(api, config, group, op, paging, false));
    let all_docs = doc_lines(&docs(api, config, group, op, paging, true));
    quote! {
        #pages_docs
        #deprecated
        #too_many
        pub fn #pages(&self, #(#args),*) -> crate::runtime::Paginator<#page, #item> {
            static PAGING: crate::runtime::PageSpec = #spec;
            let first = Self::#request_fn(#(#arg_names,)* &RequestOptions::default());
            crate::runtime::Paginator::new(self.client, first, &PAGING, |page| #extract)
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

fn path_tokens(path: &[String]) -> TokenStream {
    quote!(&[#(#path),*])
}

fn optional_path(path: Option<&Vec<String>>) -> TokenStream {
    match path {
        Some(path) => {
            let p = path_tokens(path);
            quote!(Some(#p))
        }
        None => quote!(None),
    }
}

/// The `PageSpec` literal: where the paging values are and how the next page is asked for.
fn page_spec(paging: &Pagination) -> TokenStream {
    let items_json: Vec<String> = paging.items.iter().map(|s| s.json.clone()).collect();
    let items = path_tokens(&items_json);
    let none = || quote!(None);
    let (style, next, in_last_item, total) = match &paging.style {
        PageStyle::Offset {
            param,
            limit,
            total,
        } => {
            let limit = opt_str(limit.as_deref());
            (
                quote!(Offset { offset: #param, limit: #limit }),
                none(),
                none(),
                optional_path(total.as_ref()),
            )
        }
        PageStyle::Page {
            param,
            limit,
            pages,
        } => {
            let limit = opt_str(limit.as_deref());
            (
                quote!(Page { page: #param, limit: #limit }),
                none(),
                none(),
                optional_path(pages.as_ref()),
            )
        }
        PageStyle::Range { start, end, total } => (
            quote!(Range { start: #start, end: #end }),
            none(),
            none(),
            optional_path(total.as_ref()),
        ),
        PageStyle::Cursor {
            param,
            next,
            in_last_item,
        } => {
            let path = optional_path(Some(next));
            let (next, last) = if *in_last_item {
                (none(), path)
            } else {
                (path, none())
            };
            (quote!(Cursor { param: #param }), next, last, none())
        }
        PageStyle::NextUrl { next } => (quote!(NextUrl), optional_path(Some(next)), none(), none()),
        PageStyle::Link => (quote!(Link), none(), none(), none()),
    };
    let more = optional_path(paging.more.as_ref().map(|m| &m.path));
    let more_when = paging.more.as_ref().is_none_or(|m| m.more_when);
    quote! {
        crate::runtime::PageSpec {
            wanted: crate::runtime::Wanted {
                items: Some(#items),
                in_last_item: #in_last_item,
                next: #next,
                total: #total,
                more: #more,
            },
            style: crate::runtime::PageStyle::#style,
            more_when: #more_when,
        }
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
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
    let plain = super::apis::link_name(&op.method_name);
    let type_link = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => format!("[`models::{name}`]"),
        other => format!("`{}`", super::tokens::type_text(&type_tokens(other, false))),
    };
    let how = match &paging.style {
        PageStyle::Offset { param, .. } => format!("the offset `{param}`"),
        PageStyle::Page { param, .. } => format!("the page number `{param}`"),
        PageStyle::Range { start, end, .. } => format!("the indexes `{start}` and `{end}`"),
        PageStyle::Cursor { param, .. } => format!("the cursor `{param}`"),
        PageStyle::NextUrl { next } => format!("the link in `{}`", next.join(".")),
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
            more.path.join("."),
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
            super::apis::link_name(&paging.pages_method)
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
