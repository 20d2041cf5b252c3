//! `tests/spec_examples.rs` of the generated crate: every JSON example in the document must
//! decode into its model and encode back without losing anything, and `Debug` of the decoded
//! model (alone and in a `Vec`) must not show any value the example holds in a sensitive field.
//!
//! This is the cheapest check that the models match what the API owner says the API sends.
//! An example whose model lacks an impl without a serde feature ([`crate::ir::Directions`]) is
//! checked under that feature's `cfg`; one only received is still decoded without it.

use proc_macro2::TokenStream;
use quote::quote;

use super::Config;
use super::tokens::type_tokens;
use crate::ir::{Api, DESERIALIZE_FEATURE, SERIALIZE_FEATURE, TypeRef};

/// Sensitive example values shorter than this are not searched for in `Debug` output.
const MIN_SECRET_CHARS: usize = 8;

pub fn examples_test(api: &Api, config: &Config) -> Option<TokenStream> {
    let features = super::features::model_features(api);
    let directions = api.directions();
    let cfg_of = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => super::features::model_cfg(&features, name),
        _ => quote!(),
    };
    let mut secret_count = 0;
    let checks: Vec<TokenStream> = api
        .examples
        .iter()
        .filter(|e| !matches!(e.ty, TypeRef::Any))
        .map(|e| {
            let ty = type_tokens(&e.ty, false);
            let pointer = &e.pointer;
            let json = serde_json::to_string(&e.value).unwrap_or_default();
            // Checked only when the model is compiled (see the crate's group features).
            let cfg = cfg_of(&e.ty);
            // Short values ("1", "true") could appear in `Debug` for other reasons.
            let secrets: Vec<String> = api
                .sensitive_values(&e.ty, &e.value)
                .into_iter()
                .filter(|v| v.chars().count() >= MIN_SECRET_CHARS)
                .collect();
            secret_count += secrets.len();
            let args = quote!((failures, #pointer, #json, &[#(#secrets),*]));
            // A model only sent decodes with the `deserialize` feature only; one only
            // received encodes back with `serialize` only, and without it is checked one way.
            match api.serde_features_of(&e.ty, &directions) {
                (None, None) => quote!(#cfg check::<#ty> #args;),
                (Some(ser), None) => quote! {
                    #cfg #[cfg(feature = #ser)] check::<#ty> #args;
                    #cfg #[cfg(not(feature = #ser))] decodes::<#ty> #args;
                },
                (ser, Some(de)) => {
                    let ser = ser.map(|ser| quote!(#[cfg(feature = #ser)]));
                    quote!(#cfg #ser #[cfg(feature = #de)] check::<#ty> #args;)
                }
            }
        })
        .collect();
    if checks.is_empty() {
        return None;
    }
    // With a serde feature off, the checks gated on it are compiled out, and the helpers (and
    // `models`) may then have no user.
    let gated = api
        .examples
        .iter()
        .any(|e| api.serde_features_of(&e.ty, &directions) != (None, None));
    let allow_when_gated = |lint: &str| {
        let (ser, de, lint) = (
            SERIALIZE_FEATURE,
            DESERIALIZE_FEATURE,
            quote::format_ident!("{lint}"),
        );
        gated.then(|| quote!(#[cfg_attr(not(all(feature = #ser, feature = #de)), allow(#lint))]))
    };
    let maybe_unused = allow_when_gated("dead_code");
    let maybe_unused_import = allow_when_gated("unused_imports");
    let krate = quote::format_ident!("{}", config.crate_ident());
    let count = checks.len();
    Some(quote! {
        //! Every JSON example in the API document decodes into its model and encodes back
        //! without losing a field or changing a value.

        // A deprecated model's examples are checked too.
        #![allow(deprecated)]

        #maybe_unused_import
        use #krate::models;
        use serde_json::Value;

        /// [`decodes`], then encodes what was decoded and compares it with the example;
        /// records what went wrong.
        #maybe_unused
        fn check<T>(failures: &mut Vec<String>, pointer: &str, json: &str, secrets: &[&str])
        where
            T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
        {
            let Some((original, decoded)) = decodes::<T>(failures, pointer, json, secrets) else {
                return;
            };
            let encoded = match serde_json::to_value(&decoded) {
                Ok(encoded) => encoded,
                Err(e) => {
                    failures.push(format!("{pointer}: does not encode: {e}"));
                    return;
                }
            };
            if let Err(at) = same(&original, &encoded, String::new()) {
                failures.push(format!("{pointer}: changed on the round trip at `{at}`"));
            }
        }

        /// Decodes `json` as `T` and looks for the example's `secrets` (its values of
        /// sensitive fields) in `Debug` of what was decoded; records what went wrong, and
        /// returns the example and what it decoded to.
        #maybe_unused
        fn decodes<T>(
            failures: &mut Vec<String>,
            pointer: &str,
            json: &str,
            secrets: &[&str],
        ) -> Option<(Value, T)>
        where
            T: serde::de::DeserializeOwned + std::fmt::Debug,
        {
            let original: Value = serde_json::from_str(json).expect("the generator wrote valid JSON");
            let decoded: T = match serde_path_to_error::deserialize(&original) {
                Ok(decoded) => decoded,
                Err(e) => {
                    failures.push(format!("{pointer}: does not decode at `{}`: {}", e.path(), e.inner()));
                    return None;
                }
            };
            // Also inside a container, whose `Debug` is the derived one.
            let shown = format!("{decoded:?} {:?}", [&decoded]);
            for secret in secrets {
                // `Debug` of a string escapes quotes and backslashes: look for both spellings.
                let escaped = format!("{secret:?}");
                if shown.contains(secret) || shown.contains(&escaped[1..escaped.len() - 1]) {
                    failures.push(format!("{pointer}: `Debug` shows the secret {secret:?}"));
                }
            }
            Some((original, decoded))
        }

        /// Whether `encoded` carries everything `original` does. Nulls may be dropped (unset
        /// optional fields are not sent) and numbers compare by value (`1` and `1.0`; see
        /// [`same_number`]).
        #maybe_unused
        fn same(original: &Value, encoded: &Value, at: String) -> Result<(), String> {
            match (original, encoded) {
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        let here = format!("{at}/{key}");
                        match b.get(key) {
                            Some(other) => same(value, other, here)?,
                            None if value.is_null() => {}
                            None => return Err(here),
                        }
                    }
                    Ok(())
                }
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                    .iter()
                    .zip(b)
                    .enumerate()
                    .try_for_each(|(i, (x, y))| same(x, y, format!("{at}/{i}"))),
                (Value::Number(a), Value::Number(b)) if same_number(a, b) => Ok(()),
                (a, b) if a == b => Ok(()),
                _ => Err(at),
            }
        }

        /// Whether two JSON numbers are the same value, as `f64` or, for a `format: float`
        /// field (an `f32`, which holds `-5.883` as `-5.88299989…`), as `f32`.
        #maybe_unused
        fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
            match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x == y || x as f32 == y as f32,
                (x, y) => x == y,
            }
        }

        /// How many values of sensitive fields the examples hold (that `check` looks for).
        pub const SECRETS_CHECKED: usize = #secret_count;

        #[test]
        fn document_examples_round_trip() {
            // Not `let mut`: with the serde features off, every check may be compiled out.
            let failures: &mut Vec<String> = &mut Vec::new();
            #(#checks)*
            assert!(
                failures.is_empty(),
                "{} of {} examples failed:\n{}",
                failures.len(),
                #count,
                failures.join("\n")
            );
        }
    })
}
