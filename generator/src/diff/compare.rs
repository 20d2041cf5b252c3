//! IR × IR → [`Change`]s: entities are matched, then compared member by member.
//!
//! - operations by `operationId`; left-overs with the same HTTP method and path are the same
//!   operation under a new id;
//! - types by Rust name; left-overs with the same origin (component name or JSON pointer) are
//!   the same type under a new name, and references to it are compared through the rename so
//!   one rename is reported once;
//! - parameters by location and wire name, fields by JSON name, enum values by value, union
//!   variants by Rust name, responses by status, servers by `Server` variant.

use std::collections::{BTreeMap, BTreeSet};

use super::{Area, Change, Diff, Rule, Side};
use crate::ir::{
    Api, BodyMedia, Field, Framing, Group, Operation, Param, ParamLocation, Primitive, StatusMatch,
    TypeDef, TypeKind, TypeRef,
};

/// Every change from `old` to `new`, classified and sorted.
pub fn compare(old: &Api, new: &Api) -> Diff {
    let renames = type_renames(old, new);
    let (old_requests, old_responses) = usage(old);
    let (new_requests, new_responses) = usage(new);
    let rename = |names: BTreeSet<String>| -> BTreeSet<String> {
        names
            .into_iter()
            .map(|n| renames.get(&n).cloned().unwrap_or(n))
            .collect()
    };
    let mut requests = rename(old_requests);
    requests.extend(new_requests);
    let mut responses = rename(old_responses);
    responses.extend(new_responses);
    let mut cx = Cx {
        old,
        new,
        renames,
        requests,
        responses,
        out: Vec::new(),
    };
    cx.operations();
    cx.types();
    cx.servers();
    cx.client();
    let mut changes = cx.out;
    changes.sort_by(|a, b| {
        (a.area, &a.item, a.severity, &a.member, a.rule, &a.message)
            .cmp(&(b.area, &b.item, b.severity, &b.member, b.rule, &b.message))
    });
    changes.dedup();
    Diff {
        old: side("old", old),
        new: side("new", new),
        changes,
    }
}

fn side(label: &str, api: &Api) -> Side {
    Side {
        label: label.to_owned(),
        title: api.title.clone(),
        version: api.version.clone(),
    }
}

struct Cx<'a> {
    old: &'a Api,
    new: &'a Api,
    /// Old Rust type name → new one, for types renamed upstream.
    renames: BTreeMap<String, String>,
    /// Types (new names) reachable from parameters or request bodies, in either document.
    requests: BTreeSet<String>,
    /// Types (new names) reachable from responses or the error model, in either document.
    responses: BTreeSet<String>,
    out: Vec<Change>,
}

/// A change under construction.
struct Entry {
    area: Area,
    item: String,
    member: Option<String>,
    rule: Rule,
    message: String,
    old: Option<String>,
    new: Option<String>,
}

fn entry(area: Area, item: &str, rule: Rule, message: impl Into<String>) -> Entry {
    Entry {
        area,
        item: item.to_owned(),
        member: None,
        rule,
        message: message.into(),
        old: None,
        new: None,
    }
}

impl Entry {
    fn member(mut self, member: &str) -> Self {
        self.member = Some(member.to_owned());
        self
    }

    fn values(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.old = Some(old.into());
        self.new = Some(new.into());
        self
    }

    fn was(mut self, old: impl Into<String>) -> Self {
        self.old = Some(old.into());
        self
    }

    fn now(mut self, new: impl Into<String>) -> Self {
        self.new = Some(new.into());
        self
    }
}

impl Cx<'_> {
    fn push(&mut self, e: Entry) {
        self.out.push(Change {
            severity: e.rule.severity(),
            area: e.area,
            item: e.item,
            member: e.member,
            rule: e.rule,
            message: e.message,
            old: e.old,
            new: e.new,
        });
    }

    /// An old type reference spelled with new type names.
    fn canon(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(n) => TypeRef::Named(self.renames.get(n).unwrap_or(n).clone()),
            TypeRef::List(inner) => TypeRef::List(Box::new(self.canon(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.canon(inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.canon(inner))),
            TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|t| self.canon(t)).collect()),
            other => other.clone(),
        }
    }

    /// Same Rust type: after renames, and with the new crate's aliases resolved on both
    /// sides (`type A = B` makes `A` and `B` one type, so a field moving from `A` to `B`
    /// changes nothing for callers).
    fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        let old = self.canon(old);
        old == *new || self.resolve_new(&old, 0) == self.resolve_new(new, 0)
    }

    /// `ty` with every alias of the new crate replaced by what it names.
    fn resolve_new(&self, ty: &TypeRef, depth: usize) -> TypeRef {
        // Aliases cannot form cycles in Rust; the bound only guards against a bad IR.
        if depth > 64 {
            return ty.clone();
        }
        match ty {
            TypeRef::Named(n) => match self.new.type_def(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => self.resolve_new(target, depth + 1),
                _ => ty.clone(),
            },
            TypeRef::List(inner) => TypeRef::List(Box::new(self.resolve_new(inner, depth + 1))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.resolve_new(inner, depth + 1))),
            TypeRef::Nullable(inner) => {
                TypeRef::Nullable(Box::new(self.resolve_new(inner, depth + 1)))
            }
            TypeRef::Tuple(items) => TypeRef::Tuple(
                items
                    .iter()
                    .map(|t| self.resolve_new(t, depth + 1))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Operations
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Op<'a> {
    group: &'a Group,
    op: &'a Operation,
}

impl Op<'_> {
    /// How callers reach the method: `token_endpoint().auth_token_api()`.
    fn rust_path(&self) -> String {
        format!("{}().{}()", self.group.module, self.op.method_name)
    }

    fn http(&self) -> String {
        format!("{} {}", self.op.http_method.as_str(), self.op.path)
    }
}

impl Cx<'_> {
    fn operations(&mut self) {
        let old_ops: BTreeMap<&str, Op> = self
            .old
            .operations()
            .map(|(group, op)| (op.id.as_str(), Op { group, op }))
            .collect();
        let new_ops: BTreeMap<&str, Op> = self
            .new
            .operations()
            .map(|(group, op)| (op.id.as_str(), Op { group, op }))
            .collect();
        let mut pairs = Vec::new();
        let mut old_only = Vec::new();
        for (id, old) in &old_ops {
            match new_ops.get(id) {
                Some(new) => pairs.push((*old, *new)),
                None => old_only.push(*old),
            }
        }
        let mut new_by_route: BTreeMap<(crate::ir::HttpMethod, &str), Op> = new_ops
            .iter()
            .filter(|(id, _)| !old_ops.contains_key(*id))
            .map(|(_, op)| ((op.op.http_method.clone(), op.op.path.as_str()), *op))
            .collect();
        let mut removed = Vec::new();
        for old in old_only {
            match new_by_route.remove(&(old.op.http_method.clone(), old.op.path.as_str())) {
                Some(new) => pairs.push((old, new)),
                None => removed.push(old),
            }
        }
        for old in removed {
            let e = entry(
                Area::Operations,
                &old.rust_path(),
                Rule::OperationRemoved,
                format!("removed (`{}`)", old.http()),
            );
            self.push(e);
        }
        for new in new_by_route.into_values() {
            let e = entry(
                Area::Operations,
                &new.rust_path(),
                Rule::OperationAdded,
                format!("new operation (`{}`)", new.http()),
            );
            self.push(e);
        }
        for (old, new) in pairs {
            self.operation(old, new);
        }
    }

    fn operation(&mut self, old: Op, new: Op) {
        let item = old.rust_path();
        let (o, n) = (old.op, new.op);
        let new_path = new.rust_path();
        let ids = if o.id != n.id {
            format!(" (operationId `{}` → `{}`)", o.id, n.id)
        } else {
            String::new()
        };
        if item != new_path {
            let rule = if old.group.module != new.group.module {
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
            .values(&item, &new_path);
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
        self.pagination(&item, o, n);
        if let Some(change) = super::security::operation(self.old, self.new, &item, o, n) {
            self.out.push(change);
        }
        self.params(&item, o, n);
        self.body(&item, o, n);
        self.responses(&item, o, n);
    }

    /// The stream methods of a paged operation: new ones are compatible, lost (or renamed)
    /// ones break their callers.
    fn pagination(&mut self, item: &str, o: &Operation, n: &Operation) {
        let names = |op: &Operation| {
            op.pagination
                .as_ref()
                .map(|p| format!("`{}` / `{}`", p.all_method, p.pages_method))
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
        let e = entry(Area::Operations, item, rule, message);
        self.push(e);
    }

    fn params(&mut self, item: &str, o: &Operation, n: &Operation) {
        let key = |p: &Param| (p.location, p.name.clone());
        let old: BTreeMap<_, &Param> = o.params.iter().map(|p| (key(p), p)).collect();
        let new: BTreeMap<_, &Param> = n.params.iter().map(|p| (key(p), p)).collect();
        let params_type = |op: &Operation| op.optional_params_type.clone().unwrap_or_default();
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
                    params_type(o),
                    p.rust_name
                )
            };
            let e = entry(Area::Operations, item, Rule::ParamRemoved, message)
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
                } else if o.optional_params_type.is_none() && !params_argument_reported {
                    params_argument_reported = true;
                    entry(
                        Area::Operations,
                        item,
                        Rule::ParamsArgumentAdded,
                        format!(
                            "new optional parameter {}: the method gains a `params: {}` argument",
                            param_desc(p),
                            params_type(n)
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
                            params_type(n),
                            p.rust_name
                        ),
                    )
                };
                self.push(e.member(&p.name).now(ty));
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
                            params_type(o),
                            before.rust_name
                        ),
                    )
                } else {
                    (
                        Rule::ParamBecameOptional,
                        format!(
                            "parameter {} is now optional: moved from the arguments to `{}::{}`",
                            param_desc(p),
                            params_type(n),
                            p.rust_name
                        ),
                    )
                };
                self.push(entry(Area::Operations, item, rule, message).member(&p.name));
            } else if !p.required && before.rust_name != p.rust_name {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::ParamRenamed,
                    format!(
                        "optional parameter `{}`: `{}::{}` → `{}::{}`",
                        p.name,
                        params_type(o),
                        before.rust_name,
                        params_type(n),
                        p.rust_name
                    ),
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

    fn body(&mut self, item: &str, o: &Operation, n: &Operation) {
        match (&o.body, &n.body) {
            (None, None) => {}
            (None, Some(b)) => {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::BodyAdded,
                    format!("new request body: argument `body: {}`", body_arg(b)),
                )
                .now(rust_type(&b.ty));
                self.push(e);
            }
            (Some(b), None) => {
                let e = entry(
                    Area::Operations,
                    item,
                    Rule::BodyRemoved,
                    format!("request body removed: argument `body: {}`", body_arg(b)),
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
                            body_arg(a),
                            body_arg(b)
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

    fn responses(&mut self, item: &str, o: &Operation, n: &Operation) {
        let (old_out, new_out) = (output(o), output(n));
        let old_ret = old_out.map(|(_, media, ty, f)| (media, self.canon(ty), f));
        let new_ret = new_out.map(|(_, media, ty, f)| (media, ty.clone(), f));
        let return_changed = return_type(old_ret.as_ref()) != return_type(new_ret.as_ref());
        if return_changed {
            let a = return_type(old_out.map(|(_, m, t, f)| (m, t.clone(), f)).as_ref());
            let b = return_type(new_ret.as_ref());
            let e = entry(
                Area::Operations,
                item,
                Rule::ReturnTypeChanged,
                format!("return type `{a}` → `{b}`"),
            )
            .values(a, b);
            self.push(e);
        }
        let deciding: Vec<StatusMatch> = [old_out, new_out]
            .iter()
            .flatten()
            .map(|(s, _, _, _)| *s)
            .collect();
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
            if before != now && !(return_changed && deciding.contains(&r.status)) {
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

fn body_arg(b: &crate::ir::RequestBody) -> String {
    let ty = match &b.ty {
        TypeRef::Primitive(Primitive::Bytes) => "&[u8]".to_owned(),
        TypeRef::Primitive(Primitive::String) => "&str".to_owned(),
        other => format!("&{}", rust_type(other)),
    };
    if b.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// The response that decides what the method returns: the first 2xx one with a body; for
/// a streamed body, the item type and how items are framed.
fn output(op: &Operation) -> Option<(StatusMatch, BodyMedia, &TypeRef, Option<&Framing>)> {
    op.responses
        .iter()
        .filter(|r| r.status.is_success())
        .find_map(|r| {
            r.body.as_ref().map(|b| match &b.stream {
                Some(stream) => (r.status, b.media, &stream.item, Some(&stream.framing)),
                None => (r.status, b.media, &b.ty, None),
            })
        })
}

/// The method's return type, as the emitter writes it (inside `Result<_, Error>`).
fn return_type(out: Option<&(BodyMedia, TypeRef, Option<&Framing>)>) -> String {
    match out {
        None => "()".to_owned(),
        Some((_, item, Some(Framing::Events { .. }))) => {
            format!("EventStream<{}>", rust_type(item))
        }
        Some((_, item, Some(_))) => format!("JsonStream<{}>", rust_type(item)),
        Some((BodyMedia::Text, _, None)) => "String".to_owned(),
        Some((BodyMedia::Binary, _, None)) => "bytes::Bytes".to_owned(),
        Some((_, ty, None)) => rust_type(ty),
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

/// A type reference as Rust source (models by bare name).
pub(super) fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Bytes => "Vec<u8>",
        }
        .to_owned(),
        TypeRef::List(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Tuple(items) => format!(
            "({},)",
            items.iter().map(rust_type).collect::<Vec<_>>().join(", ")
        ),
        TypeRef::Any => "serde_json::Value".to_owned(),
    }
}

// ------------------------------------------------------------------------------------------
// Types
// ------------------------------------------------------------------------------------------

/// Types that disappeared under one name and appeared under another with the same origin.
fn type_renames(old: &Api, new: &Api) -> BTreeMap<String, String> {
    let by_origin = |api: &Api, other: &Api| -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in &api.types {
            if other.type_def(&t.name).is_none() {
                map.entry(t.origin.clone())
                    .or_default()
                    .push(t.name.clone());
            }
        }
        map
    };
    let gone = by_origin(old, new);
    let mut appeared = by_origin(new, old);
    let mut renames = BTreeMap::new();
    for (origin, names) in gone {
        if let (Some(mut names_after), [name]) = (appeared.remove(&origin), names.as_slice()) {
            if names_after.len() == 1 {
                renames.insert(name.clone(), names_after.remove(0));
            }
        }
    }
    renames
}

/// The named types reachable from requests (parameters, bodies) and from responses.
fn usage(api: &Api) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for (_, op) in api.operations() {
        request_roots.extend(op.params.iter().map(|p| &p.ty));
        request_roots.extend(op.body.iter().map(|b| &b.ty));
        response_roots.extend(
            op.responses
                .iter()
                .filter_map(|r| r.body.as_ref().map(|b| &b.ty)),
        );
    }
    response_roots.extend(api.error_model.iter());
    (
        api.reachable_types(request_roots),
        api.reachable_types(response_roots),
    )
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// The Rust type of a struct field, as the emitter writes it.
fn field_type(f: &Field, ty: &TypeRef) -> String {
    let mut t = rust_type(ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    if f.is_optional() {
        t = format!("Option<{t}>");
    }
    t
}

impl Cx<'_> {
    fn types(&mut self) {
        let targets: BTreeSet<String> = self.renames.values().cloned().collect();
        for t in &self.new.types {
            if self.old.type_def(&t.name).is_none() && !targets.contains(&t.name) {
                let what = match &t.kind {
                    TypeKind::Alias(target) => format!("new alias of `{}`", rust_type(target)),
                    kind => format!("new {}", kind_name(kind)),
                };
                let e = entry(
                    Area::Types,
                    &format!("models::{}", t.name),
                    Rule::TypeAdded,
                    what,
                );
                self.push(e);
            }
        }
        for t in &self.old.types {
            let item = format!("models::{}", t.name);
            let after = match self.new.type_def(&t.name) {
                Some(after) => after,
                None => match self.renames.get(&t.name).and_then(|n| self.new.type_def(n)) {
                    Some(after) => {
                        let e = entry(
                            Area::Types,
                            &item,
                            Rule::TypeRenamed,
                            format!("renamed to `models::{}`", after.name),
                        )
                        .values(&t.name, &after.name);
                        self.push(e);
                        after
                    }
                    None => {
                        let e = entry(
                            Area::Types,
                            &item,
                            Rule::TypeRemoved,
                            format!("removed ({})", kind_name(&t.kind)),
                        );
                        self.push(e);
                        continue;
                    }
                },
            };
            self.type_def(&item, t, after);
        }
    }

    fn type_def(&mut self, item: &str, old: &TypeDef, new: &TypeDef) {
        if self.became_alias_of_same_shape(item, old, new) {
            return;
        }
        if old.deprecated != new.deprecated {
            let e = entry(
                Area::Types,
                item,
                Rule::DeprecationChanged,
                if new.deprecated {
                    "deprecated"
                } else {
                    "no longer deprecated"
                },
            );
            self.push(e);
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.fields(item, &new.name, a, b),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for v in &b.variants {
                    if !a.variants.iter().any(|x| x.value == v.value) {
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::EnumValueAdded,
                            format!("new value `{}` (`{}::{}`)", v.value, new.name, v.rust_name),
                        )
                        .member(&v.value);
                        self.push(e);
                    }
                }
                for v in &a.variants {
                    match b.variants.iter().find(|x| x.value == v.value) {
                        None => {
                            let e = entry(
                                Area::Types,
                                item,
                                Rule::EnumValueRemoved,
                                format!(
                                    "value `{}` removed (`{}::{}`)",
                                    v.value, old.name, v.rust_name
                                ),
                            )
                            .member(&v.value);
                            self.push(e);
                        }
                        Some(x) => {
                            if x.rust_name != v.rust_name {
                                let e = entry(
                                    Area::Types,
                                    item,
                                    Rule::EnumVariantRenamed,
                                    format!(
                                        "value `{}`: variant `{}` → `{}`",
                                        v.value, v.rust_name, x.rust_name
                                    ),
                                )
                                .member(&v.value)
                                .values(&v.rust_name, &x.rust_name);
                                self.push(e);
                            }
                            // As for fields: a value deprecated, or no longer, is a warning at
                            // most, for code that names its variant.
                            if x.deprecated != v.deprecated {
                                let e = entry(
                                    Area::Types,
                                    item,
                                    Rule::DeprecationChanged,
                                    format!(
                                        "value `{}` (`{}::{}`) {}",
                                        x.value,
                                        new.name,
                                        x.rust_name,
                                        if x.deprecated {
                                            "deprecated"
                                        } else {
                                            "no longer deprecated"
                                        }
                                    ),
                                )
                                .member(&v.value);
                                self.push(e);
                            }
                        }
                    }
                }
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                if a.discriminator != b.discriminator {
                    let show = |d: &Option<String>| match d {
                        Some(p) => format!("`{p}`"),
                        None => "none".to_owned(),
                    };
                    let e = entry(
                        Area::Types,
                        item,
                        Rule::UnionDiscriminatorChanged,
                        format!(
                            "discriminator {} → {}",
                            show(&a.discriminator),
                            show(&b.discriminator)
                        ),
                    );
                    self.push(e);
                }
                let variant_type = |v: &crate::ir::UnionVariant, ty: &TypeRef| {
                    let t = rust_type(ty);
                    if v.boxed { format!("Box<{t}>") } else { t }
                };
                for v in &b.variants {
                    if !a.variants.iter().any(|x| x.rust_name == v.rust_name) {
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::UnionVariantAdded,
                            format!("new variant `{}({})`", v.rust_name, variant_type(v, &v.ty)),
                        )
                        .member(&v.rust_name);
                        self.push(e);
                    }
                }
                for v in &a.variants {
                    let Some(x) = b.variants.iter().find(|x| x.rust_name == v.rust_name) else {
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::UnionVariantRemoved,
                            format!(
                                "variant `{}({})` removed",
                                v.rust_name,
                                variant_type(v, &v.ty)
                            ),
                        )
                        .member(&v.rust_name);
                        self.push(e);
                        continue;
                    };
                    let before = variant_type(v, &self.canon(&v.ty));
                    let after = variant_type(x, &x.ty);
                    if before != after {
                        let before = variant_type(v, &v.ty);
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::UnionVariantChanged,
                            format!("variant `{}` holds `{before}` → `{after}`", v.rust_name),
                        )
                        .member(&v.rust_name)
                        .values(before, after);
                        self.push(e);
                    }
                    // A new discriminator re-tags every variant; reported once above.
                    let tags_comparable = a.discriminator == b.discriminator;
                    for tag in &x.tags {
                        if tags_comparable && !v.tags.contains(tag) {
                            let e = entry(
                                Area::Types,
                                item,
                                Rule::UnionTagAdded,
                                format!("variant `{}` also selected by `{tag}`", v.rust_name),
                            )
                            .member(&v.rust_name);
                            self.push(e);
                        }
                    }
                    for tag in &v.tags {
                        if tags_comparable && !x.tags.contains(tag) {
                            let e = entry(
                                Area::Types,
                                item,
                                Rule::UnionTagRemoved,
                                format!("variant `{}` no longer selected by `{tag}`", v.rust_name),
                            )
                            .member(&v.rust_name);
                            self.push(e);
                        }
                    }
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if !self.same_type(a, b) {
                    let (x, y) = (rust_type(a), rust_type(b));
                    let e = entry(
                        Area::Types,
                        item,
                        Rule::AliasChanged,
                        format!("alias of `{x}` → `{y}`"),
                    )
                    .values(x, y);
                    self.push(e);
                }
            }
            (a, b) => {
                let (x, y) = (kind_name(a), kind_name(b));
                let e = entry(
                    Area::Types,
                    item,
                    Rule::TypeKindChanged,
                    format!("changed from {} {x} to {} {y}", article(x), article(y)),
                )
                .values(x, y);
                self.push(e);
            }
        }
    }

    /// A type that became an alias of another of its kind (one type per shape merged it into
    /// a type it now equals): callers' code compiles as before unless the comparison with the
    /// alias target finds something breaking. Reports `type_became_alias` and the target's
    /// compatible differences, and returns true; false leaves it to the kind rules.
    fn became_alias_of_same_shape(&mut self, item: &str, old: &TypeDef, new: &TypeDef) -> bool {
        let TypeKind::Alias(target) = &new.kind else {
            return false;
        };
        if matches!(old.kind, TypeKind::Alias(_)) {
            return false;
        }
        let TypeRef::Named(name) = self.resolve_new(target, 0) else {
            return false;
        };
        let Some(resolved) = self.new.type_def(&name) else {
            return false;
        };
        if std::mem::discriminant(&old.kind) != std::mem::discriminant(&resolved.kind) {
            return false;
        }
        let mark = self.out.len();
        self.type_def(item, old, resolved);
        if self.out[mark..]
            .iter()
            .any(|c| c.severity == super::Severity::Breaking)
        {
            self.out.truncate(mark);
            return false;
        }
        let e = entry(
            Area::Types,
            item,
            Rule::TypeBecameAlias,
            format!(
                "now an alias of `{name}`, {} {} of the same shape",
                article(kind_name(&resolved.kind)),
                kind_name(&resolved.kind)
            ),
        )
        .values(&old.name, &name);
        self.out.insert(
            mark,
            Change {
                severity: e.rule.severity(),
                area: e.area,
                item: e.item,
                member: e.member,
                rule: e.rule,
                message: e.message,
                old: e.old,
                new: e.new,
            },
        );
        true
    }

    fn fields(&mut self, item: &str, new_name: &str, a: &crate::ir::Struct, b: &crate::ir::Struct) {
        for f in &b.fields {
            if a.fields.iter().any(|x| x.name == f.name) {
                continue;
            }
            let ty = field_type(f, &f.ty);
            let decl = format!("`{}: {ty}`", f.rust_name);
            let e = if f.is_optional() {
                entry(
                    Area::Types,
                    item,
                    Rule::FieldAdded,
                    format!("new optional field {decl}"),
                )
            } else if self.responses.contains(new_name) && !self.requests.contains(new_name) {
                entry(
                    Area::Types,
                    item,
                    Rule::RequiredFieldAddedToResponse,
                    format!("new required field {decl} (response-only type)"),
                )
            } else {
                entry(
                    Area::Types,
                    item,
                    Rule::RequiredFieldAdded,
                    format!("new required field {decl}: `{new_name}::new` takes it"),
                )
            };
            self.push(e.member(&f.name).now(ty));
        }
        for f in &a.fields {
            let Some(x) = b.fields.iter().find(|x| x.name == f.name) else {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldRemoved,
                    format!("field `{}` removed", f.rust_name),
                )
                .member(&f.name)
                .was(field_type(f, &f.ty));
                self.push(e);
                continue;
            };
            if f.rust_name != x.rust_name {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldRenamed,
                    format!(
                        "field for `{}` renamed `{}` → `{}`",
                        f.name, f.rust_name, x.rust_name
                    ),
                )
                .member(&f.name)
                .values(&f.rust_name, &x.rust_name);
                self.push(e);
            }
            let inner_same = self.same_type(&f.ty, &x.ty) && f.boxed == x.boxed;
            let (before, after) = (field_type(f, &f.ty), field_type(x, &x.ty));
            if !inner_same {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldTypeChanged,
                    format!("field `{}` type `{before}` → `{after}`", x.rust_name),
                )
                .member(&f.name)
                .values(before, after);
                self.push(e);
            } else if f.is_optional() != x.is_optional() {
                let (rule, what) = if x.is_optional() {
                    (Rule::FieldBecameOptional, "optional")
                } else {
                    (Rule::FieldBecameRequired, "required")
                };
                let e = entry(
                    Area::Types,
                    item,
                    rule,
                    format!(
                        "field `{}` is now {what}: `{before}` → `{after}`",
                        x.rust_name
                    ),
                )
                .member(&f.name)
                .values(before, after);
                self.push(e);
            } else if f.required != x.required || f.nullable != x.nullable {
                let presence = |f: &Field| match (f.required, f.nullable) {
                    (true, true) => "required, nullable",
                    (true, false) => "required",
                    (false, true) => "optional, nullable",
                    (false, false) => "optional",
                };
                let e = entry(
                    Area::Types,
                    item,
                    Rule::FieldPresenceChanged,
                    format!(
                        "field `{}` is now {} (was {}); still `{after}`",
                        x.rust_name,
                        presence(x),
                        presence(f)
                    ),
                )
                .member(&f.name)
                .values(presence(f), presence(x));
                self.push(e);
            }
            if f.deprecated != x.deprecated {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::DeprecationChanged,
                    format!(
                        "field `{}` {}",
                        x.rust_name,
                        if x.deprecated {
                            "deprecated"
                        } else {
                            "no longer deprecated"
                        }
                    ),
                )
                .member(&f.name);
                self.push(e);
            }
        }
        match (&a.additional, &b.additional) {
            (None, Some(t)) => {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesAdded,
                    format!(
                        "new field `additional_properties: BTreeMap<String, {}>`",
                        rust_type(t)
                    ),
                );
                self.push(e);
            }
            (Some(t), None) => {
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesChanged,
                    format!(
                        "field `additional_properties: BTreeMap<String, {}>` removed",
                        rust_type(t)
                    ),
                );
                self.push(e);
            }
            (Some(s), Some(t)) if !self.same_type(s, t) => {
                let (x, y) = (rust_type(s), rust_type(t));
                let e = entry(
                    Area::Types,
                    item,
                    Rule::AdditionalPropertiesChanged,
                    format!("`additional_properties` values `{x}` → `{y}`"),
                )
                .values(x, y);
                self.push(e);
            }
            _ => {}
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

// ------------------------------------------------------------------------------------------
// Servers and client-wide items
// ------------------------------------------------------------------------------------------

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
    fn servers(&mut self) {
        let old = effective_servers(self.old);
        let new = effective_servers(self.new);
        for (variant, url) in &new {
            if !old.iter().any(|(v, _)| v == variant) {
                let e = entry(
                    Area::Servers,
                    &format!("Server::{variant}"),
                    Rule::ServerAdded,
                    format!("new server `{url}`"),
                )
                .now(url);
                self.push(e);
            }
        }
        for (variant, url) in &old {
            let item = format!("Server::{variant}");
            match new.iter().find(|(v, _)| v == variant) {
                None => {
                    let e = entry(
                        Area::Servers,
                        &item,
                        Rule::ServerRemoved,
                        format!("removed (was `{url}`)"),
                    )
                    .was(url);
                    self.push(e);
                }
                Some((_, after)) if after != url => {
                    let e = entry(
                        Area::Servers,
                        &item,
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
                    "Server::default()",
                    Rule::DefaultServerChanged,
                    format!("default server `Server::{a}` → `Server::{b}`"),
                )
                .values(a, b);
                self.push(e);
            }
        }
    }

    fn client(&mut self) {
        let schemes = super::security::schemes(self.old, self.new);
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
                "ResultError",
                Rule::ErrorModelChanged,
                format!("the shared error body `{a}` → `{b}`"),
            )
            .values(a, b);
            self.push(e);
        }
    }
}
