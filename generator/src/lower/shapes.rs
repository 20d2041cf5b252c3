//! One type per shape: inline schemas that are structurally identical become one type.
//!
//! Large documents repeat the same inline object or enum in many places (Box's 296 operations
//! gave 1,094 model files; 386 of them are the same type as another but for its name). After
//! lowering, types are grouped by their *shape*: the definition with names of other types
//! replaced by those types' own groups, and without documentation (descriptions, formats and
//! defaults only feed docs). The grouping is repeated until nothing changes, so structs whose
//! fields are duplicate inline types become duplicates themselves.
//!
//! Every reference then names the kept type; each merged name stays as `pub type Merged =
//! Kept;` (declared in `models/mod.rs`), so no name a user may have written disappears when
//! shapes meet (and if they part again, the alias becomes a type of its own again).
//!
//! Which name a group keeps (ARCHITECTURE.md, "Decisions"):
//! - a component schema keeps its own name, always; two identical components stay two types
//!   (their names are the document's);
//! - inline schemas identical to a component take the component's name (the first by Rust
//!   name when several components have that shape);
//! - inline schemas identical only to each other take the shortest of their names, then the
//!   first in alphabetical order.
//!
//! The chosen name depends only on the group's own members, so a schema that is not of that
//! shape cannot rename the group. Every name is one lowering already claimed, so the IR still
//! decides every name and emitters invent none.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Api, Field, Struct, TypeDef, TypeKind, TypeRef, Union};

/// Merges structurally identical types of `api`, points every reference at the name each
/// group keeps and turns the other names into aliases of it. Returns how many were merged.
pub fn share_shapes(api: &mut Api) -> usize {
    let renames = merge_plan(&api.types);
    if renames.is_empty() {
        return 0;
    }
    // A merged type's name stays, as an alias of the kept one: code that names it keeps
    // compiling, and if the shapes part again later it becomes a type of its own again.
    for def in &mut api.types {
        if let Some(keeper) = renames.get(&def.name) {
            def.description = Some(format!(
                "The schema at `{}`: the same shape as `{keeper}`, so another name for it.",
                def.origin.replace('`', "'")
            ));
            def.kind = TypeKind::Alias(TypeRef::Named(keeper.clone()));
        }
    }
    let rename = |ty: &mut TypeRef| rename_in(ty, &renames);
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| rename(&mut f.ty));
                s.additional.iter_mut().for_each(rename);
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.ty)),
            // The merged names' aliases point at their keeper already.
            TypeKind::Alias(target) => rename(target),
            TypeKind::Enum(_) => {}
        }
    }
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        op.params.iter_mut().for_each(|p| rename(&mut p.ty));
        if let Some(body) = &mut op.body {
            rename(&mut body.ty);
        }
        for body in op.responses.iter_mut().filter_map(|r| r.body.as_mut()) {
            rename(&mut body.ty);
            body.stream.iter_mut().for_each(|s| rename(&mut s.item));
        }
    }
    api.webhooks.iter_mut().for_each(|w| rename(&mut w.payload));
    api.examples.iter_mut().for_each(|e| rename(&mut e.ty));
    api.error_model.iter_mut().for_each(rename);
    renames.len()
}

/// Merged type name → the name its group keeps.
fn merge_plan(types: &[TypeDef]) -> HashMap<String, String> {
    // The current group of each type, by the name standing for it.
    let mut canon: HashMap<String, String> = HashMap::new();
    let resolve = |canon: &HashMap<String, String>, name: &str| -> String {
        let mut current = name;
        // Chains are short (a name is re-pointed only when its group grows); the bound guards
        // against a mistake turning into a hang.
        for _ in 0..types.len() + 1 {
            match canon.get(current) {
                Some(next) => current = next,
                None => break,
            }
        }
        current.to_owned()
    };
    // Each type's key, and the names it refers to as the key saw them (raw, resolved): a
    // later round computes a key again only when one of those names resolves differently
    // (most types refer to nothing merged; computing every key each round was most of this).
    let mut cached: Vec<Option<CachedKey>> = vec![None; types.len()];
    loop {
        let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
        for (def, cache) in types.iter().zip(&mut cached) {
            if canon.contains_key(&def.name) {
                continue;
            }
            let fresh = cache.as_ref().is_some_and(|(_, seen)| {
                seen.iter()
                    .all(|(raw, resolved)| resolve(&canon, raw) == *resolved)
            });
            if !fresh {
                let seen = std::cell::RefCell::new(Vec::new());
                let key = shape_key(def, &|n: &str| {
                    let resolved = resolve(&canon, n);
                    seen.borrow_mut().push((n.to_owned(), resolved.clone()));
                    resolved
                });
                *cache = Some((key, seen.into_inner()));
            }
            let (key, _) = cache.as_ref().expect("computed above");
            groups.entry(key.clone()).or_default().push(def);
        }
        let mut changed = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            let Some(keeper) = keeper(members) else {
                continue;
            };
            for member in members {
                if member.name != keeper && is_inline(member) {
                    canon.insert(member.name.clone(), keeper.to_owned());
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    canon
        .keys()
        .map(|name| (name.clone(), resolve(&canon, name)))
        .collect()
}

/// A type's shape key, and each name it refers to with what that name resolved to then.
type CachedKey = (String, Vec<(String, String)>);

/// The name a group of identical types keeps; `None` when there is nothing to merge (only
/// components).
fn keeper<'a>(members: &[&'a TypeDef]) -> Option<&'a str> {
    if members.iter().all(|m| !is_inline(m)) {
        return None;
    }
    let component = members
        .iter()
        .filter(|m| !is_inline(m))
        .map(|m| m.name.as_str())
        .min();
    component.or_else(|| {
        members
            .iter()
            .map(|m| m.name.as_str())
            .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
    })
}

/// Inline types come from a JSON pointer; components keep their schema name as origin.
fn is_inline(def: &TypeDef) -> bool {
    def.origin.starts_with('/')
}

/// What makes two types the same Rust type and the same JSON: everything but names of the types
/// themselves (other types are named by `group`) and documentation.
fn shape_key(def: &TypeDef, group: &dyn Fn(&str) -> String) -> String {
    let kind = match &def.kind {
        TypeKind::Struct(s) => TypeKind::Struct(Struct {
            fields: s
                .fields
                .iter()
                .map(|f| Field {
                    ty: regroup(&f.ty, group),
                    description: None,
                    format: None,
                    default: None,
                    ..f.clone()
                })
                .collect(),
            additional: s.additional.as_ref().map(|a| regroup(a, group)),
        }),
        TypeKind::Union(u) => TypeKind::Union(Union {
            variants: u
                .variants
                .iter()
                .map(|v| crate::ir::UnionVariant {
                    ty: regroup(&v.ty, group),
                    ..v.clone()
                })
                .collect(),
            discriminator: u.discriminator.clone(),
        }),
        TypeKind::Alias(target) => TypeKind::Alias(regroup(target, group)),
        // A value's deprecation is part of the type (`#[deprecated]` on its variant); its
        // description only documents it.
        TypeKind::Enum(e) => TypeKind::Enum(crate::ir::Enum {
            variants: e
                .variants
                .iter()
                .map(|v| crate::ir::EnumVariant {
                    description: None,
                    ..v.clone()
                })
                .collect(),
        }),
    };
    let kind = serde_json::to_string(&kind).expect("the IR serializes");
    format!("{}{kind}", def.deprecated)
}

fn regroup(ty: &TypeRef, group: &dyn Fn(&str) -> String) -> TypeRef {
    let mut ty = ty.clone();
    map_names(&mut ty, &mut |n| *n = group(n));
    ty
}

fn rename_in(ty: &mut TypeRef, renames: &HashMap<String, String>) {
    map_names(ty, &mut |n| {
        if let Some(new) = renames.get(n.as_str()) {
            *n = new.clone();
        }
    });
}

fn map_names(ty: &mut TypeRef, f: &mut dyn FnMut(&mut String)) {
    match ty {
        TypeRef::Named(n) => f(n),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            map_names(inner, f)
        }
        TypeRef::Tuple(items) => items.iter_mut().for_each(|t| map_names(t, f)),
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}
