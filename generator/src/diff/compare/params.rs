//! Operations' parameters: removed, added, retyped, made required or optional, renamed,
//! reordered, sent another way; each as the caller sees it (a positional argument, or a field
//! and setter of the `…Params` struct).

use std::collections::BTreeMap;

use super::operations::Op;
use super::{Cx, Item, entry, rust_type};
use crate::diff::{Area, Rule};
use crate::ir::{Operation, Param, ParamLocation, TypeRef};

impl Cx<'_> {
    pub(super) fn params(&mut self, item: &Item, old_op: &Op, new_op: &Op) {
        let (o, n) = (old_op.op, new_op.op);
        let key = |p: &Param| (p.location, p.name.clone());
        let old: BTreeMap<_, &Param> = o.params.iter().map(|p| (key(p), p)).collect();
        let new: BTreeMap<_, &Param> = n.params.iter().map(|p| (key(p), p)).collect();
        let params_type = |op: &Op| {
            op.surface
                .params
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let (o_params, n_params) = (params_type(old_op), params_type(new_op));
        let mut params_argument_reported = false;
        for p in &o.params {
            if new.contains_key(&key(p)) {
                continue;
            }
            let message = if p.required {
                format!(
                    "removed required parameter {}: the method takes one argument fewer",
                    param_desc(p)
                )
            } else {
                format!(
                    "removed optional parameter {}: `{}::{}` is gone",
                    param_desc(p),
                    o_params,
                    p.rust_name
                )
            };
            let field = (!p.required).then(|| old_op.params_field(&p.rust_name));
            let e = entry(Area::Operations, item, Rule::ParamRemoved, message)
                .naming_both(field.flatten(), None)
                .member(&p.name)
                .was(rust_type(&p.ty));
            self.push(e);
        }
        for p in &n.params {
            let Some(before) = old.get(&key(p)) else {
                let ty = rust_type(&p.ty);
                let e = if p.required {
                    entry(
                        Area::Operations,
                        item,
                        Rule::RequiredParamAdded,
                        format!(
                            "new required parameter {}: argument `{}: {ty}`",
                            param_desc(p),
                            p.rust_name
                        ),
                    )
                } else if old_op.surface.params.is_none() && !params_argument_reported {
                    params_argument_reported = true;
                    entry(
                        Area::Operations,
                        item,
                        Rule::ParamsArgumentAdded,
                        format!(
                            "new optional parameter {}: the method gains a `params: {}` argument",
                            param_desc(p),
                            n_params
                        ),
                    )
                } else {
                    entry(
                        Area::Operations,
                        item,
                        Rule::OptionalParamAdded,
                        format!(
                            "new optional parameter {}: `{}::{}({ty})`",
                            param_desc(p),
                            n_params,
                            p.rust_name
                        ),
                    )
                };
                let field = (!p.required).then(|| new_op.params_field(&p.rust_name));
                self.push(e.naming_both(None, field.flatten()).member(&p.name).now(ty));
                continue;
            };
            let before = *before;
            if !self.same_type(&before.ty, &p.ty) {
                let (a, b) = (rust_type(&before.ty), rust_type(&p.ty));
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ParamTypeChanged,
                    format!("parameter {} type `{a}` → `{b}`", param_desc(p)),
                )
                .member(&p.name)
                .values(a, b);
                self.push(e);
            }
            if before.required != p.required {
                let (rule, message) = if p.required {
                    (
                        Rule::ParamBecameRequired,
                        format!(
                            "parameter {} is now required: a positional argument instead of `{}::{}`",
                            param_desc(p),
                            o_params,
                            before.rust_name
                        ),
                    )
                } else {
                    (
                        Rule::ParamBecameOptional,
                        format!(
                            "parameter {} is now optional: moved from the arguments to `{}::{}`",
                            param_desc(p),
                            n_params,
                            p.rust_name
                        ),
                    )
                };
                // The `…Params` field on the side where the parameter is optional.
                let (was, now) = if p.required {
                    (old_op.params_field(&before.rust_name), None)
                } else {
                    (None, new_op.params_field(&p.rust_name))
                };
                self.push(
                    entry(Area::Operations, item, rule, message)
                        .naming_both(was, now)
                        .member(&p.name),
                );
            } else if !p.required && before.rust_name != p.rust_name {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ParamRenamed,
                    format!(
                        "optional parameter `{}`: `{}::{}` → `{}::{}`",
                        p.name, o_params, before.rust_name, n_params, p.rust_name
                    ),
                )
                .naming_both(
                    old_op.params_field(&before.rust_name),
                    new_op.params_field(&p.rust_name),
                )
                .member(&p.name)
                .values(&before.rust_name, &p.rust_name);
                self.push(e);
            }
            if before.explode != p.explode
                && p.location == ParamLocation::Query
                && matches!(p.ty, TypeRef::List(_))
            {
                let style = |explode: bool| {
                    if explode {
                        "one `key=value` pair per item"
                    } else {
                        "comma-separated"
                    }
                };
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ParamStyleChanged,
                    format!(
                        "parameter {} is now sent {} (was {})",
                        param_desc(p),
                        style(p.explode),
                        style(before.explode)
                    ),
                )
                .member(&p.name);
                self.push(e);
            }
            if before.deprecated != p.deprecated {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::DeprecationChanged,
                    format!(
                        "parameter {} {}",
                        param_desc(p),
                        if p.deprecated {
                            "deprecated"
                        } else {
                            "no longer deprecated"
                        }
                    ),
                )
                .member(&p.name);
                self.push(e);
            }
        }
        // Positional arguments that survive on both sides, in each side's order.
        let still_required = |op: &Operation, other: &BTreeMap<_, &Param>| -> Vec<String> {
            op.required_params()
                .filter(|p| other.get(&key(p)).is_some_and(|q| q.required))
                .map(|p| p.rust_name.clone())
                .collect()
        };
        let before: Vec<String> = still_required(o, &new);
        let after: Vec<String> = still_required(n, &old);
        let before_keys: Vec<_> = o
            .required_params()
            .filter(|p| new.get(&key(p)).is_some_and(|q| q.required))
            .map(key)
            .collect();
        let after_keys: Vec<_> = n
            .required_params()
            .filter(|p| old.get(&key(p)).is_some_and(|q| q.required))
            .map(key)
            .collect();
        if before_keys != after_keys {
            let (a, b) = (before.join(", "), after.join(", "));
            let e = entry(
                Area::Operations,
                item,
                Rule::RequiredParamsReordered,
                format!("positional arguments reordered: `({a})` → `({b})`"),
            )
            .values(a, b);
            self.push(e);
        }
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::QueryString { .. } => "query string",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// `` `start` (query) `` or `` `service_id` (path `serviceId`) ``.
fn param_desc(p: &Param) -> String {
    if p.rust_name == p.name {
        format!("`{}` ({})", p.rust_name, location(p.location))
    } else {
        format!("`{}` ({} `{}`)", p.rust_name, location(p.location), p.name)
    }
}
