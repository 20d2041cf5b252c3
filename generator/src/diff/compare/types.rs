//! Models: matched by Rust name (or by origin, when renamed), then compared by kind.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cx, Item, article, entry, rust_type};
use crate::diff::{Area, Crate, Rule, RustPath};
use crate::ir::{Api, Directions, Field, TypeDef, TypeKind, TypeRef};

fn type_path(name: &str) -> RustPath {
    RustPath::Type {
        name: name.to_owned(),
    }
}

fn variant_path(ty: &str, variant: &str) -> RustPath {
    RustPath::Variant {
        ty: ty.to_owned(),
        variant: variant.to_owned(),
    }
}

/// Types that disappeared under one name and appeared under another with the same origin.
pub(super) fn type_renames(old: &Api, new: &Api) -> BTreeMap<String, String> {
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

/// The named types reachable from requests (parameters, bodies) and from what the client
/// receives (responses, streamed items, webhook payloads, the error model).
pub(super) fn usage(
    directions: &BTreeMap<String, Directions>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let pick = |way: fn(&Directions) -> bool| {
        directions
            .iter()
            .filter(|(_, d)| way(d))
            .map(|(name, _)| name.clone())
            .collect()
    };
    (pick(|d| d.sent), pick(|d| d.received))
}

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// The Rust type of a struct field, as the surface spells it.
pub(super) fn field_type(f: &Field, ty: &TypeRef) -> String {
    crate::ir::surface::field_text(f, ty)
}

impl Cx<'_> {
    pub(super) fn types(&mut self) {
        let targets: BTreeSet<String> = self.renames.values().cloned().collect();
        for t in &self.new.types {
            if self.old.type_def(&t.name).is_none() && !targets.contains(&t.name) {
                let what = match &t.kind {
                    TypeKind::Alias(target) => format!("new alias of `{}`", rust_type(target)),
                    kind => format!("new {}", kind_name(kind)),
                };
                let e = entry(
                    Area::Types,
                    &Item::new(type_path(&t.name)),
                    Rule::TypeAdded,
                    what,
                );
                self.push(e);
            }
        }
        for t in &self.old.types {
            let gone = Item::old(type_path(&t.name));
            let after = match self.new.type_def(&t.name) {
                Some(after) => after,
                None => match self.renames.get(&t.name).and_then(|n| self.new.type_def(n)) {
                    Some(after) => {
                        let e = entry(
                            Area::Types,
                            &Item::both(type_path(&t.name), type_path(&after.name)),
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
                            &gone,
                            Rule::TypeRemoved,
                            format!("removed ({})", kind_name(&t.kind)),
                        );
                        self.push(e);
                        continue;
                    }
                },
            };
            self.type_def(
                &Item::both(type_path(&t.name), type_path(&after.name)),
                t,
                after,
            );
        }
    }

    /// Compares `old` with `new`, its match; members are named in each crate by the names of
    /// the definitions given (`new` may be the target of the alias `item` became).
    fn type_def(&mut self, item: &Item, old: &TypeDef, new: &TypeDef) {
        if self.became_alias_of_same_shape(item, old, new) {
            return;
        }
        self.serde_impls(item, old, new);
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
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.fields(item, (&old.name, &new.name), a, b)
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for v in &b.variants {
                    if !a.variants.iter().any(|x| x.value == v.value) {
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::EnumValueAdded,
                            format!("new value `{}` (`{}::{}`)", v.value, new.name, v.rust_name),
                        )
                        .naming(Crate::New, variant_path(&new.name, &v.rust_name))
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
                            .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
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
                                .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
                                .naming(Crate::New, variant_path(&new.name, &x.rust_name))
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
                                .naming(Crate::New, variant_path(&new.name, &x.rust_name))
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
                let variant_type = crate::ir::surface::variant_text;
                for v in &b.variants {
                    if !a.variants.iter().any(|x| x.rust_name == v.rust_name) {
                        let e = entry(
                            Area::Types,
                            item,
                            Rule::UnionVariantAdded,
                            format!("new variant `{}({})`", v.rust_name, variant_type(v, &v.ty)),
                        )
                        .naming(Crate::New, variant_path(&new.name, &v.rust_name))
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
                        .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
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
                        .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
                        .naming(Crate::New, variant_path(&new.name, &x.rust_name))
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
                            .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
                            .naming(Crate::New, variant_path(&new.name, &x.rust_name))
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
                            .naming(Crate::Old, variant_path(&old.name, &v.rust_name))
                            .naming(Crate::New, variant_path(&new.name, &x.rust_name))
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
    fn became_alias_of_same_shape(&mut self, item: &Item, old: &TypeDef, new: &TypeDef) -> bool {
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
            .any(|c| c.severity == crate::diff::Severity::Breaking)
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
        .naming(Crate::New, type_path(&name))
        .values(&old.name, &name);
        self.out.insert(mark, e.into_change());
        true
    }
}
