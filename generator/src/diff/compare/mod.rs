//! IR × IR → [`Change`]s: entities are matched, then compared member by member.
//!
//! - operations by `operationId`; left-overs with the same HTTP method and path are the same
//!   operation under a new id;
//! - types by Rust name; left-overs with the same origin (component name or JSON pointer) are
//!   the same type under a new name, and references to it are compared through the rename so
//!   one rename is reported once;
//! - parameters by location and wire name, fields by JSON name, enum values by value, union
//!   variants by Rust name, responses by status, servers by `Server` variant.

mod fields;
mod operations;
mod params;
mod responses;
mod serde_impls;
mod servers;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use super::{Area, Change, Crate, Diff, Named, Rule, RustPath, Side};
use crate::ir::{Api, Directions, TypeKind, TypeRef};
use types::{type_renames, usage};

/// Every change from `old` to `new`, classified and sorted.
pub fn compare(old: &Api, new: &Api) -> Diff {
    let renames = type_renames(old, new);
    let old_directions = old.directions();
    let new_directions = new.directions();
    let (old_requests, old_responses) = usage(&old_directions);
    let (new_requests, new_responses) = usage(&new_directions);
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
        old_directions,
        new_directions,
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
    /// Types (new names) reachable from responses, streamed items, webhook payloads or the
    /// error model, in either document.
    responses: BTreeSet<String>,
    /// Which way each model travels in each document (its serde impls without features).
    old_directions: BTreeMap<String, Directions>,
    new_directions: BTreeMap<String, Directions>,
    out: Vec<Change>,
}

/// What a change is about, as each crate spells it: both for an entity found in both (the
/// spellings differ when it was renamed), the old one alone for a removal, the new one alone
/// for an addition. Reports show the old spelling when there is one.
#[derive(Debug, Clone)]
struct Item {
    old: Option<RustPath>,
    new: Option<RustPath>,
}

impl Item {
    fn both(old: RustPath, new: RustPath) -> Self {
        Item {
            old: Some(old),
            new: Some(new),
        }
    }

    fn old(path: RustPath) -> Self {
        Item {
            old: Some(path),
            new: None,
        }
    }

    fn new(path: RustPath) -> Self {
        Item {
            old: None,
            new: Some(path),
        }
    }

    fn text(&self) -> String {
        self.old
            .as_ref()
            .or(self.new.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    fn names(&self) -> Vec<Named> {
        let old = self.old.iter().map(|p| Named {
            side: Crate::Old,
            path: p.clone(),
        });
        let new = self.new.iter().map(|p| Named {
            side: Crate::New,
            path: p.clone(),
        });
        old.chain(new).collect()
    }
}

/// A change under construction.
struct Entry {
    area: Area,
    item: Item,
    member: Option<String>,
    rule: Rule,
    message: String,
    old: Option<String>,
    new: Option<String>,
    names: Vec<Named>,
}

fn entry(area: Area, item: &Item, rule: Rule, message: impl Into<String>) -> Entry {
    Entry {
        area,
        item: item.clone(),
        member: None,
        rule,
        message: message.into(),
        old: None,
        new: None,
        names: Vec::new(),
    }
}

impl Entry {
    fn member(mut self, member: &str) -> Self {
        self.member = Some(member.to_owned());
        self
    }

    /// The change also names `path`, an item of the crate `side`.
    fn naming(mut self, side: Crate, path: RustPath) -> Self {
        self.names.push(Named { side, path });
        self
    }

    /// The change also names the member `path` of both crates, or of one when the other is
    /// `None`.
    fn naming_both(self, old: Option<RustPath>, new: Option<RustPath>) -> Self {
        let e = match old {
            Some(p) => self.naming(Crate::Old, p),
            None => self,
        };
        match new {
            Some(p) => e.naming(Crate::New, p),
            None => e,
        }
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

    fn into_change(self) -> Change {
        let mut names = self.item.names();
        names.extend(self.names);
        names.sort();
        names.dedup();
        Change {
            severity: self.rule.severity(),
            area: self.area,
            item: self.item.text(),
            member: self.member,
            rule: self.rule,
            message: self.message,
            old: self.old,
            new: self.new,
            names,
        }
    }
}

impl Cx<'_> {
    fn push(&mut self, e: Entry) {
        self.out.push(e.into_change());
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

/// A type reference as Rust source (models by bare name), as the surface spells it.
pub(super) fn rust_type(ty: &TypeRef) -> String {
    crate::ir::RustText::rust(ty)
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
