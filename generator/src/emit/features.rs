//! Cargo features per group, so that users who need a few groups compile only those.
//!
//! Every group gets a feature named after its module in kebab-case (`token_management` →
//! `token-management`), all on by default; a sub-group's feature turns on its parent's, since
//! the parent handle is the way to it. A model is compiled when any group that uses it (through
//! a parameter, body or response, directly or inside another model) is enabled; models no
//! operation reaches, those the error model needs, and those every group uses are always
//! compiled.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, DESERIALIZE_FEATURE, Group, SERIALIZE_FEATURE, TypeRef};

/// Features the crate's manifest defines for itself (and Cargo's `default`).
const RESERVED: &[&str] = &[
    "default",
    "rustls",
    "native-tls",
    "http2",
    "system-proxy",
    SERIALIZE_FEATURE,
    DESERIALIZE_FEATURE,
];

/// The feature that turns on a group; `-api` is appended where a name is taken.
pub fn group_feature(group: &Group) -> String {
    let name = group.module.replace('_', "-");
    if RESERVED.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

/// `#[cfg(feature = "...")]` for a group.
pub fn group_cfg(group: &Group) -> TokenStream {
    let feature = group_feature(group);
    quote!(#[cfg(feature = #feature)])
}

/// The `[features]` lines of the generated Cargo.toml, and the default list (the document's
/// optional defaults, then every group).
pub fn cargo_features(api: &Api) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut defaults: Vec<String> = api
        .default_features
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect();
    for group in &api.groups {
        let feature = group_feature(group);
        let parent = group
            .parent
            .as_deref()
            .and_then(|p| api.group(p))
            .map(|p| format!("\"{}\"", group_feature(p)))
            .unwrap_or_default();
        lines.push(format!("{feature} = [{parent}]"));
        defaults.push(format!("\"{feature}\""));
    }
    (lines, defaults)
}

/// For each model, the features that need it; `None` when it is always compiled.
pub fn model_features(api: &Api) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let mut needed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for group in &api.groups {
        let roots: Vec<&TypeRef> = group
            .operations
            .iter()
            .flat_map(|op| op.sent_types().chain(op.received_types()))
            .collect();
        for name in api.reachable_types(roots) {
            needed.entry(name).or_default().insert(group_feature(group));
        }
    }
    // A merged inline type (an alias `lower::shapes` left in place of an identical type) is
    // needed where the type it names is: nothing refers to the alias itself.
    for def in &api.types {
        if let Some(target) = super::model_types::merged_alias_target(def) {
            if let Some(features) = needed.get(target).cloned() {
                needed.entry(def.name.clone()).or_default().extend(features);
            }
        }
    }
    // Always compiled: the error model, webhook payloads, the models no operation uses, and
    // everything those contain (an always-compiled model cannot hold a gated one).
    let unused: Vec<TypeRef> = api
        .types
        .iter()
        .filter(|t| !needed.contains_key(&t.name))
        .map(|t| TypeRef::Named(t.name.clone()))
        .collect();
    let always = api.reachable_types(
        unused
            .iter()
            .chain(api.error_model.iter())
            .chain(api.webhooks.iter().map(|w| &w.payload)),
    );
    // A model every group needs is compiled whatever is enabled, so its `cfg` would only list
    // every feature: it is left out. What such a model holds is needed by every group too.
    let every_group = api
        .groups
        .iter()
        .map(group_feature)
        .collect::<BTreeSet<_>>();
    api.types
        .iter()
        .map(|t| {
            let features = match needed.get(&t.name) {
                Some(features) if !always.contains(&t.name) && *features != every_group => {
                    Some(features.clone())
                }
                _ => None,
            };
            (t.name.clone(), features)
        })
        .collect()
}

/// `#[cfg(any(feature = ..))]` for a model, or nothing when it is always compiled.
pub fn model_cfg(features: &BTreeMap<String, Option<BTreeSet<String>>>, name: &str) -> TokenStream {
    match features.get(name) {
        Some(Some(set)) if set.len() == 1 => {
            let feature = set.iter().next();
            quote!(#[cfg(feature = #feature)])
        }
        Some(Some(set)) => {
            let set = set.iter();
            quote!(#[cfg(any(#(feature = #set),*))])
        }
        _ => quote!(),
    }
}
