//! What a call returns, and the documented responses that do not decide it.

use super::operations::Op;
use super::{Cx, Item, entry, rust_type};
use crate::diff::{Area, Rule};
use crate::ir::{BodyMedia, Returns, RustText, StatusEnum, StatusMatch, StatusVariant, TypeRef};

impl Cx<'_> {
    /// An old return type spelled with new type names.
    fn canon_returns(&self, r: &Returns) -> Returns {
        match r {
            Returns::Body(ty) => Returns::Body(self.canon(ty)),
            Returns::Optional(inner) => Returns::Optional(Box::new(self.canon_returns(inner))),
            Returns::EventStream(ty) => Returns::EventStream(self.canon(ty)),
            Returns::JsonStream(ty) => Returns::JsonStream(self.canon(ty)),
            Returns::Statuses(e) => Returns::Statuses(StatusEnum {
                name: e.name.clone(),
                variants: e
                    .variants
                    .iter()
                    .map(|v| StatusVariant {
                        holds: v.holds.as_ref().map(|h| self.canon_returns(h)),
                        ..v.clone()
                    })
                    .collect(),
            }),
            Returns::Unit | Returns::Text | Returns::Bytes => r.clone(),
        }
    }

    pub(super) fn responses(&mut self, item: &Item, old: &Op, new: &Op) {
        let (o, n) = (old.op, new.op);
        let (before, after) = (&old.surface.returns, &new.surface.returns);
        // The surface decides the return type from every 2xx response (`T`, `Option<T>`, an
        // enum per status, a stream): a body-less 2xx added upstream changes it.
        let return_changed = self.canon_returns(before) != *after;
        if return_changed {
            let (a, b) = (returns_text(before), returns_text(after));
            let e = entry(
                Area::Operations,
                item,
                Rule::ReturnTypeChanged,
                format!("return type `{a}` → `{b}`"),
            )
            .values(a, b);
            self.push(e);
        }
        let deciding = |status: StatusMatch| return_changed && status.is_success();
        for r in &o.responses {
            let Some(after) = n.responses.iter().find(|x| x.status == r.status) else {
                let status = status_text(r.status);
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ResponseRemoved,
                    format!("response `{status}` no longer documented"),
                )
                .member(&status);
                self.push(e);
                continue;
            };
            let before = r.body.as_ref().map(|b| (b.media, self.canon(&b.ty)));
            let now = after.body.as_ref().map(|b| (b.media, b.ty.clone()));
            if before != now && !deciding(r.status) {
                let status = status_text(r.status);
                let (a, b) = (
                    body_text(r.body.as_ref().map(|b| (b.media, &b.ty))),
                    body_text(after.body.as_ref().map(|b| (b.media, &b.ty))),
                );
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ResponseChanged,
                    format!("response `{status}` body {a} → {b}"),
                )
                .member(&status)
                .values(a, b);
                self.push(e);
            }
        }
        for r in &n.responses {
            if o.responses.iter().any(|x| x.status == r.status) {
                continue;
            }
            let status = status_text(r.status);
            let body = match &r.body {
                Some(b) => format!(" with body `{}`", rust_type(&b.ty)),
                None => String::new(),
            };
            let e = entry(
                Area::Operations,
                item,
                Rule::ResponseAdded,
                format!("new documented response `{status}`{body}"),
            )
            .member(&status);
            self.push(e);
        }
    }
}

/// A return type as reports spell it; a per-status enum with its variants, which are part of
/// its signature.
fn returns_text(r: &Returns) -> String {
    match r {
        Returns::Statuses(e) => {
            let variants: Vec<String> = e
                .variants
                .iter()
                .map(|v| match &v.holds {
                    Some(h) => format!("{}({})", v.name, h.rust()),
                    None => v.name.clone(),
                })
                .collect();
            format!("{} {{ {} }}", e.name, variants.join(", "))
        }
        other => other.rust(),
    }
}

fn status_text(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

fn body_text(body: Option<(BodyMedia, &TypeRef)>) -> String {
    match body {
        None => "none".to_owned(),
        Some((media, ty)) => format!("`{}` (`{}`)", rust_type(ty), media.mime()),
    }
}
