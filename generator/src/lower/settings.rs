//! The document root's crate settings: `x-rust-default-features`, the optional Cargo features
//! the generated crate turns on by default (a project's overlay sets it; the Authlete crate
//! keeps both serde directions on every model this way). An unknown name is a located warning
//! and is left out: a setting never stops generation.

use super::Lowerer;
use crate::ir::{DESERIALIZE_FEATURE, SERIALIZE_FEATURE};

/// The features that are off unless asked for, and so can be asked for by default.
pub const OPTIONAL_FEATURES: &[&str] = &[SERIALIZE_FEATURE, DESERIALIZE_FEATURE, "native-tls"];

const KEY: &str = "x-rust-default-features";

impl Lowerer<'_> {
    /// `x-rust-default-features`, checked, in the order written, without repeats.
    pub(super) fn default_features(&mut self) -> Vec<String> {
        let Some(value) = self.doc.openapi.extensions.get(KEY).cloned() else {
            return Vec::new();
        };
        let pointer = format!("/{KEY}");
        let Some(names) = value.as_array() else {
            self.warn(
                &pointer,
                format!("{KEY} must be a list of feature names; ignored"),
            );
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match name.as_str() {
                Some(name) if OPTIONAL_FEATURES.contains(&name) => {
                    if !out.iter().any(|n| n == name) {
                        out.push(name.to_owned());
                    }
                }
                _ => self.warn(
                    &format!("{pointer}/{i}"),
                    format!(
                        "not one of the crate's optional features ({}); left out",
                        OPTIONAL_FEATURES.join(", ")
                    ),
                ),
            }
        }
        out
    }
}
