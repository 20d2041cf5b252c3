//! A model's serde impls with the crate's default features (`ir::Directions`): a model that
//! stops travelling one way keeps that way's impl only behind the `serialize` /
//! `deserialize` feature, which breaks code that encodes or decodes it; one that starts
//! travelling a new way gains the impl.

use super::{Cx, Item, entry};
use crate::diff::{Area, Rule};
use crate::ir::{Api, DESERIALIZE_FEATURE, Directions, SERIALIZE_FEATURE, TypeDef};

/// Whether `def` has `Serialize` and `Deserialize` with `api`'s default features; `None` for
/// kinds whose impls never depend on the direction (enums, aliases).
fn default_impls(
    api: &Api,
    directions: &std::collections::BTreeMap<String, Directions>,
    def: &TypeDef,
) -> Option<(bool, bool)> {
    if !api.has_serde_impls(&def.name) {
        return None;
    }
    let d = directions
        .get(&def.name)
        .copied()
        .unwrap_or(Directions::BOTH);
    let on =
        |feature: Option<&str>| feature.is_none_or(|f| api.default_features.iter().any(|d| d == f));
    Some((on(d.serialize_feature()), on(d.deserialize_feature())))
}

impl Cx<'_> {
    pub(super) fn serde_impls(&mut self, item: &Item, old: &TypeDef, new: &TypeDef) {
        let (Some(before), Some(after)) = (
            default_impls(self.old, &self.old_directions, old),
            default_impls(self.new, &self.new_directions, new),
        ) else {
            return;
        };
        let ways = [
            (
                before.0,
                after.0,
                "Serialize",
                SERIALIZE_FEATURE,
                "no request holds it",
            ),
            (
                before.1,
                after.1,
                "Deserialize",
                DESERIALIZE_FEATURE,
                "no response holds it",
            ),
        ];
        for (had, has, name, feature, why) in ways {
            let e = match (had, has) {
                (true, false) => entry(
                    Area::Types,
                    item,
                    Rule::SerdeImplGated,
                    format!("`{name}` only with the `{feature}` feature now ({why})"),
                ),
                (false, true) => entry(
                    Area::Types,
                    item,
                    Rule::SerdeImplAdded,
                    format!("now implements `{name}` without the `{feature}` feature"),
                ),
                _ => continue,
            };
            self.push(e.member(name));
        }
    }
}
