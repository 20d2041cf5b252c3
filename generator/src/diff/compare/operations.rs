//! Operations: matched, then compared by what callers write (the methods, their arguments,
//! the `…Params` setters, the stream methods).

use std::collections::BTreeMap;

use super::{Cx, Item, entry, rust_type};
use crate::diff::{Area, Change, Crate, Named, Rule, RustPath};
use crate::ir::{Api, Operation, OperationSurface};

/// An operation and how callers reach it.
pub(super) struct Op<'a> {
    pub(super) op: &'a Operation,
    pub(super) surface: OperationSurface,
}

impl Op<'_> {
    fn all(api: &Api) -> Vec<Op<'_>> {
        api.operations()
            .map(|(group, op)| Op {
                op,
                surface: api.operation_surface(group, op),
            })
            .collect()
    }

    /// The method, as a path: `client().management().update()`.
    fn path(&self) -> RustPath {
        self.method(&self.surface.method)
    }

    /// Another method of the same handle.
    fn method(&self, method: &str) -> RustPath {
        RustPath::Method {
            accessors: self.surface.accessors.clone(),
            method: method.to_owned(),
        }
    }

    pub(super) fn params_field(&self, field: &str) -> Option<RustPath> {
        let params = self.surface.params.as_ref()?;
        Some(RustPath::ParamsField {
            params: params.name.clone(),
            field: field.to_owned(),
        })
    }

    fn http(&self) -> String {
        format!("{} {}", self.op.http_method.as_str(), self.op.path)
    }
}

/// Pairs `old` and `new` operations, first by the method callers call (accessor chain and
/// name: what the overlay gives them, so the same call is the same operation even when the
/// upstream id or path behind it changed), then by `operationId`, then by HTTP method and
/// path; returns the pairs (as indices) and the unmatched of each side.
fn pair(old: &[Op], new: &[Op]) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut old_left: Vec<usize> = (0..old.len()).collect();
    let mut new_left: Vec<usize> = (0..new.len()).collect();
    let mut pairs = Vec::new();
    let keys: [&dyn Fn(&Op) -> String; 3] =
        [&|o| o.surface.path(), &|o| o.op.id.clone(), &|o| o.http()];
    for key in keys {
        let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &new_left {
            by_key.entry(key(&new[i])).or_default().push(i);
        }
        let mut still = Vec::new();
        for &i in &old_left {
            match by_key.get_mut(&key(&old[i])) {
                Some(found) if !found.is_empty() => pairs.push((i, found.remove(0))),
                _ => still.push(i),
            }
        }
        let taken: Vec<usize> = pairs.iter().map(|(_, j)| *j).collect();
        new_left.retain(|j| !taken.contains(j));
        old_left = still;
    }
    (pairs, old_left, new_left)
}

impl Cx<'_> {
    pub(super) fn operations(&mut self) {
        let (old_api, new_api) = (self.old, self.new);
        let (old, new) = (Op::all(old_api), Op::all(new_api));
        let (pairs, removed, added) = pair(&old, &new);
        for i in removed {
            let e = entry(
                Area::Operations,
                &Item::old(old[i].path()),
                Rule::OperationRemoved,
                format!("removed (`{}`)", old[i].http()),
            );
            self.push(e);
        }
        for j in added {
            let e = entry(
                Area::Operations,
                &Item::new(new[j].path()),
                Rule::OperationAdded,
                format!("new operation (`{}`)", new[j].http()),
            );
            self.push(e);
        }
        for (i, j) in pairs {
            self.operation(&old[i], &new[j]);
        }
    }

    fn operation(&mut self, old: &Op, new: &Op) {
        let item = Item::both(old.path(), new.path());
        let (o, n) = (old.op, new.op);
        let (old_path, new_path) = (old.surface.path(), new.surface.path());
        let ids = if o.id != n.id {
            format!(" (operationId `{}` → `{}`)", o.id, n.id)
        } else {
            String::new()
        };
        if old_path != new_path {
            let rule = if old.surface.accessors != new.surface.accessors {
                Rule::OperationMoved
            } else {
                Rule::OperationRenamed
            };
            let verb = match rule {
                Rule::OperationMoved => "moved",
                _ => "renamed",
            };
            let e = entry(
                Area::Operations,
                &item,
                rule,
                format!("{verb} to `{new_path}`{ids}"),
            )
            .values(&old_path, &new_path);
            self.push(e);
        } else if o.id != n.id {
            let e = entry(
                Area::Operations,
                &item,
                Rule::OperationIdChanged,
                format!("operationId `{}` → `{}`", o.id, n.id),
            )
            .values(&o.id, &n.id);
            self.push(e);
        }
        if o.path != n.path {
            let e = entry(
                Area::Operations,
                &item,
                Rule::OperationPathChanged,
                format!("path `{}` → `{}`", o.path, n.path),
            )
            .values(&o.path, &n.path);
            self.push(e);
        }
        if o.http_method != n.http_method {
            let (a, b) = (o.http_method.as_str(), n.http_method.as_str());
            let e = entry(
                Area::Operations,
                &item,
                Rule::OperationMethodChanged,
                format!("HTTP method `{a}` → `{b}`"),
            )
            .values(a, b);
            self.push(e);
        }
        if o.deprecated != n.deprecated {
            let e = entry(
                Area::Operations,
                &item,
                Rule::DeprecationChanged,
                if n.deprecated {
                    "deprecated"
                } else {
                    "no longer deprecated"
                },
            );
            self.push(e);
        }
        self.pagination(&item, old, new);
        if let Some(change) =
            crate::diff::security::operation(self.old, self.new, &item.text(), item.names(), o, n)
        {
            self.out.push(change);
        }
        let first = self.out.len();
        self.params(&item, old, new);
        self.body(&item, old, new);
        self.responses(&item, old, new);
        for change in &mut self.out[first..] {
            for (side, op) in [(Crate::Old, old), (Crate::New, new)] {
                for method in sibling_methods(change, &op.surface) {
                    change.names.push(Named {
                        side,
                        path: op.method(method),
                    });
                }
            }
            change.names.sort();
            change.names.dedup();
        }
    }

    /// The stream methods of a paged operation: new ones are compatible, lost (or renamed)
    /// ones break their callers.
    fn pagination(&mut self, item: &Item, old: &Op, new: &Op) {
        let (o, n) = (&old.surface.paged, &new.surface.paged);
        let names = |paged: &Option<crate::ir::Paged>| {
            paged
                .as_ref()
                .map(|p| format!("`{}` / `{}`", p.all, p.pages))
        };
        let (rule, message) = match (names(o), names(n)) {
            (None, Some(new)) => (Rule::PaginationAdded, format!("now paged: {new}")),
            (Some(old), None) => (
                Rule::PaginationRemoved,
                format!("no longer paged: {old} removed"),
            ),
            (Some(old), Some(new)) if old != new => (
                Rule::PaginationRemoved,
                format!("stream methods {old} renamed to {new}"),
            ),
            _ => return,
        };
        let mut e = entry(Area::Operations, item, rule, message);
        for (side, op, paged) in [(Crate::Old, old, o), (Crate::New, new, n)] {
            if let Some(p) = paged {
                e = e
                    .naming(side, op.method(&p.all))
                    .naming(side, op.method(&p.pages));
            }
        }
        self.push(e);
    }

    fn body(&mut self, item: &Item, old: &Op, new: &Op) {
        let (o, n) = (old.op, new.op);
        match (&o.body, &n.body) {
            (None, None) => {}
            (None, Some(b)) => {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::BodyAdded,
                    format!("new request body: argument `body: {}`", body_arg(new)),
                )
                .now(rust_type(&b.ty));
                self.push(e);
            }
            (Some(b), None) => {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::BodyRemoved,
                    format!("request body removed: argument `body: {}`", body_arg(old)),
                )
                .was(rust_type(&b.ty));
                self.push(e);
            }
            (Some(a), Some(b)) => {
                if !self.same_type(&a.ty, &b.ty) {
                    let (x, y) = (rust_type(&a.ty), rust_type(&b.ty));
                    let e = entry(
                        Area::Operations,
                        item,
                        Rule::BodyTypeChanged,
                        format!("request body type `{x}` → `{y}`"),
                    )
                    .values(x, y);
                    self.push(e);
                }
                if a.required != b.required {
                    let (rule, what) = if b.required {
                        (Rule::BodyBecameRequired, "required")
                    } else {
                        (Rule::BodyBecameOptional, "optional")
                    };
                    let e = entry(
                        Area::Operations,
                        item,
                        rule,
                        format!(
                            "request body is now {what}: argument `body: {}` → `body: {}`",
                            body_arg(old),
                            body_arg(new)
                        ),
                    );
                    self.push(e);
                }
                for m in &b.media {
                    if !a.media.contains(m) {
                        let e = entry(
                            Area::Operations,
                            item,
                            Rule::BodyMediaAdded,
                            format!("request body also accepts `{}`", m.mime()),
                        )
                        .member(m.mime());
                        self.push(e);
                    }
                }
                for m in &a.media {
                    if !b.media.contains(m) {
                        let e = entry(
                            Area::Operations,
                            item,
                            Rule::BodyMediaRemoved,
                            format!("request body no longer accepts `{}`", m.mime()),
                        )
                        .member(m.mime());
                        self.push(e);
                    }
                }
                if let (Some(x), Some(y)) = (a.media.first(), b.media.first()) {
                    if x != y && b.media.contains(x) {
                        let e = entry(
                            Area::Operations,
                            item,
                            Rule::BodyDefaultMediaChanged,
                            format!(
                                "request body sent as `{}` by default (was `{}`)",
                                y.mime(),
                                x.mime()
                            ),
                        )
                        .values(x.mime(), y.mime());
                        self.push(e);
                    }
                }
            }
        }
    }
}

/// The `body` argument's type, as the surface spells it (it follows the required
/// parameters).
fn body_arg(op: &Op) -> String {
    let at = op.op.required_params().count();
    op.surface
        .args
        .get(at)
        .map(|arg| crate::ir::RustText::rust(&arg.ty))
        .unwrap_or_default()
}

/// The other methods of an operation that a change to its arguments or result changes too:
/// every method takes the same arguments (`_with` adds options, the stream methods page
/// through the same call), and `_with` returns what the plain method returns.
fn sibling_methods<'s>(change: &Change, surface: &'s OperationSurface) -> Vec<&'s str> {
    let about_params_struct = change
        .names
        .iter()
        .any(|n| matches!(n.path, RustPath::ParamsField { .. }));
    match change.rule {
        Rule::ParamRemoved | Rule::ParamTypeChanged if about_params_struct => Vec::new(),
        Rule::RequiredParamAdded
        | Rule::ParamsArgumentAdded
        | Rule::ParamRemoved
        | Rule::ParamTypeChanged
        | Rule::ParamBecameRequired
        | Rule::ParamBecameOptional
        | Rule::RequiredParamsReordered
        | Rule::BodyAdded
        | Rule::BodyRemoved
        | Rule::BodyTypeChanged
        | Rule::BodyBecameRequired
        | Rule::BodyBecameOptional => surface.methods(),
        Rule::ReturnTypeChanged => vec![surface.method.as_str(), surface.method_with.as_str()],
        _ => Vec::new(),
    }
}
