//! Which way each model travels, and so which serde impls it needs without a Cargo feature.
//!
//! A model only ever sent (reachable from a parameter or a request body, and from no response)
//! needs `Serialize`; one only ever received (from a response, a streamed item, the error model
//! or a webhook payload) needs `Deserialize`. On a payments-size crate the serde impls are most
//! of what `cargo check` reads (BENCHMARKS.md §4), so the other direction's impl is compiled
//! only with the crate's `serialize` or `deserialize` feature, as async-stripe does. A model
//! that travels both ways has both. A model no operation uses (a user may want it either way)
//! has every impl that the models it holds allow: both, unless it holds a model gated one way.

use std::collections::BTreeMap;

use super::{Api, Operation, TypeRef};

/// The Cargo feature that adds `Serialize` to the models only received.
pub const SERIALIZE_FEATURE: &str = "serialize";
/// The Cargo feature that adds `Deserialize` to the models only sent.
pub const DESERIALIZE_FEATURE: &str = "deserialize";

/// How a model is used on the wire. For a model no operation uses: which ways the models it
/// holds can travel (both, when it holds none that is gated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directions {
    /// Reachable from something the client sends.
    pub sent: bool,
    /// Reachable from something the client receives.
    pub received: bool,
}

impl Directions {
    /// Sent and received: both impls, whatever the features.
    pub const BOTH: Directions = Directions {
        sent: true,
        received: true,
    };

    /// The feature without which the model has no `Serialize`, if any: a model never sent.
    pub fn serialize_feature(self) -> Option<&'static str> {
        (!self.sent).then_some(SERIALIZE_FEATURE)
    }

    /// The feature without which the model has no `Deserialize`, if any: a model never
    /// received.
    pub fn deserialize_feature(self) -> Option<&'static str> {
        (!self.received).then_some(DESERIALIZE_FEATURE)
    }
}

impl Operation {
    /// The types the operation sends: its parameters' and its request body's.
    pub fn sent_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.iter().map(|b| &b.ty))
    }

    /// The types it receives: each response body's, and a streamed body's item type.
    pub fn received_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.responses
            .iter()
            .filter_map(|r| r.body.as_ref())
            .flat_map(|b| std::iter::once(&b.ty).chain(b.stream.iter().map(|s| &s.item)))
    }
}

impl Api {
    /// Every named type's [`Directions`]. Transitive: a field, list item, map value, union
    /// variant or alias target travels as its container does. (Aliases and enums have no
    /// direction-dependent impls: for aliases what they name decides, see
    /// [`Api::serde_features_of`].)
    pub fn directions(&self) -> BTreeMap<String, Directions> {
        let mut sent_roots: Vec<&TypeRef> = Vec::new();
        let mut received_roots: Vec<&TypeRef> = Vec::new();
        for (_, op) in self.operations() {
            sent_roots.extend(op.sent_types());
            received_roots.extend(op.received_types());
        }
        received_roots.extend(self.error_model.iter());
        received_roots.extend(self.webhooks.iter().map(|w| &w.payload));
        let none = Directions {
            sent: false,
            received: false,
        };
        let mut used: BTreeMap<String, Directions> = BTreeMap::new();
        for name in self.reachable_types(sent_roots) {
            used.entry(name).or_insert(none).sent = true;
        }
        for name in self.reachable_types(received_roots) {
            used.entry(name).or_insert(none).received = true;
        }
        // A model nothing uses can go each way the structs and unions it holds can (cycles
        // among unused models need no fixed point: what one reaches, it reaches through the
        // other).
        let mut out = used.clone();
        for def in self.types.iter().filter(|t| !used.contains_key(&t.name)) {
            let mut directions = Directions::BOTH;
            for name in self.reachable_types([&TypeRef::Named(def.name.clone())]) {
                if let (true, Some(d)) = (self.has_serde_impls(&name), used.get(&name)) {
                    directions.sent &= d.sent;
                    directions.received &= d.received;
                }
            }
            out.insert(def.name.clone(), directions);
        }
        out
    }

    /// Whether the type's serde impls depend on its direction: structs and unions.
    pub fn has_serde_impls(&self, name: &str) -> bool {
        self.type_def(name).is_some_and(|t| {
            matches!(
                t.kind,
                super::TypeKind::Struct(_) | super::TypeKind::Union(_)
            )
        })
    }

    /// The features code needs to both encode and decode a `ty`: those of every struct and
    /// union inside it (through aliases, lists and maps), as `(serialize, deserialize)`.
    pub fn serde_features_of(
        &self,
        ty: &TypeRef,
        directions: &BTreeMap<String, Directions>,
    ) -> (Option<&'static str>, Option<&'static str>) {
        let mut features = (None, None);
        for name in self.reachable_types([ty]) {
            if let (true, Some(d)) = (self.has_serde_impls(&name), directions.get(&name)) {
                features.0 = features.0.or(d.serialize_feature());
                features.1 = features.1.or(d.deserialize_feature());
            }
        }
        features
    }
}
