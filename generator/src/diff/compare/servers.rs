//! The `Server` enum and client-wide items: security schemes and the shared error body.

use super::{Cx, Item, entry, rust_type};
use crate::diff::{Area, Rule, RustPath};
use crate::ir::{Api, TypeRef};

fn server(variant: &str) -> RustPath {
    RustPath::Server {
        variant: variant.to_owned(),
    }
}

/// The servers the crate offers: with none in the document, the emitter's `Local` fallback.
fn effective_servers(api: &Api) -> Vec<(String, String)> {
    if api.servers.is_empty() {
        return vec![("Local".to_owned(), "http://localhost".to_owned())];
    }
    api.servers
        .iter()
        .map(|s| (s.variant.clone(), s.url.clone()))
        .collect()
}

impl Cx<'_> {
    pub(super) fn servers(&mut self) {
        let old = effective_servers(self.old);
        let new = effective_servers(self.new);
        for (variant, url) in &new {
            if !old.iter().any(|(v, _)| v == variant) {
                let e = entry(
                    Area::Servers,
                    &Item::new(server(variant)),
                    Rule::ServerAdded,
                    format!("new server `{url}`"),
                )
                .now(url);
                self.push(e);
            }
        }
        for (variant, url) in &old {
            let gone = Item::old(server(variant));
            match new.iter().find(|(v, _)| v == variant) {
                None => {
                    let e = entry(
                        Area::Servers,
                        &gone,
                        Rule::ServerRemoved,
                        format!("removed (was `{url}`)"),
                    )
                    .was(url);
                    self.push(e);
                }
                Some((_, after)) if after != url => {
                    let e = entry(
                        Area::Servers,
                        &Item::both(server(variant), server(variant)),
                        Rule::ServerUrlChanged,
                        format!("URL `{url}` → `{after}`"),
                    )
                    .values(url, after);
                    self.push(e);
                }
                Some(_) => {}
            }
        }
        if let (Some((a, _)), Some((b, _))) = (old.first(), new.first()) {
            if a != b {
                let e = entry(
                    Area::Servers,
                    &Item::both(RustPath::DefaultServer, RustPath::DefaultServer),
                    Rule::DefaultServerChanged,
                    format!("default server `Server::{a}` → `Server::{b}`"),
                )
                .naming_both(Some(server(a)), Some(server(b)))
                .values(a, b);
                self.push(e);
            }
        }
    }

    pub(super) fn client(&mut self) {
        let schemes = crate::diff::security::schemes(self.old, self.new);
        self.out.extend(schemes);
        let model = |ty: Option<&TypeRef>| {
            ty.map(rust_type)
                .unwrap_or_else(|| "serde_json::Value".to_owned())
        };
        let before = self.old.error_model.as_ref().map(|t| self.canon(t));
        if before != self.new.error_model {
            let (a, b) = (
                model(self.old.error_model.as_ref()),
                model(self.new.error_model.as_ref()),
            );
            let e = entry(
                Area::Client,
                &Item::both(RustPath::ErrorModel, RustPath::ErrorModel),
                Rule::ErrorModelChanged,
                format!("the shared error body `{a}` → `{b}`"),
            )
            .values(a, b);
            self.push(e);
        }
    }
}
