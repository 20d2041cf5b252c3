//! What every string enum model is: `string_enum!` writes the enum and its
//! impls from the variants and their values on the wire.
//!
//! A string enum costs about seventy lines written out (the enum, `as_str`,
//! `From<&str>`, `FromStr`, `Display`, `Ord`, and serde both ways), all of
//! one shape; big documents have hundreds of them. The generator writes one
//! invocation per enum instead, so each model file holds what the document
//! decides (names, values, docs) and the shape lives here once.

/// A string enum model: each variant is a value on the wire, and
/// `Unknown(String)` keeps any other value as received (new values decode and
/// re-encode unchanged). Ordered by the value on the wire, known before
/// `Unknown` on a tie, so a value the API adds later never changes how
/// existing values compare.
///
/// Variants take attributes: docs, and `#[deprecated]` for a value the document
/// deprecates. That warns whoever names the variant; the macro's own uses of it
/// (`as_str`, `From<&str>`, the derives) expand at the invocation, in the
/// models module, which allows `deprecated`, so decoding or printing such a
/// value warns nobody.
// The non-generic methods are `#[inline]`: a debug build then compiles them only in
// crates that call them (as it does derived impls, small enough to be inlinable across
// crates by default), not once per enum in this crate whether used or not (seven
// functions an enum; measured on the generator's flagship crate, BENCHMARKS.md).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the crate does not know; kept as received.
            Unknown(String),
        }

        /// Ordered by the value on the wire (then known before [`Self::Unknown`]), so a
        /// value the API adds later never changes how existing values compare.
        impl ::std::cmp::Ord for $name {
            #[inline]
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                let unknown = |v: &Self| matches!(v, Self::Unknown(_));
                ::std::cmp::Ord::cmp(self.as_str(), other.as_str())
                    .then_with(|| ::std::cmp::Ord::cmp(&unknown(self), &unknown(other)))
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl $name {
            /// The value on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            #[inline]
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                match $crate::runtime::enum_value(deserializer) {
                    ::std::result::Result::Ok(value) => {
                        ::std::result::Result::Ok(Self::from(value.as_ref()))
                    }
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(e),
                }
            }
        }
    };
}

pub(crate) use string_enum;

/// The string a deserializer holds, for an enum's `Deserialize`: generic over
/// the format only, so it is instantiated once per format rather than once per
/// enum and format.
pub(crate) fn enum_value<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    string_enum! {
        /// A test enum.
        pub enum Color {
            /// `red`
            Red = "red",
            /// `light-blue`
            LightBlue = "light-blue",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let colors: Vec<Color> = serde_json::from_str(r#"["red", "light-blue", "green"]"#).unwrap();
        assert_eq!(
            colors,
            vec![Color::Red, Color::LightBlue, Color::Unknown("green".into())]
        );
        assert_eq!(
            serde_json::to_string(&colors).unwrap(),
            r#"["red","light-blue","green"]"#
        );
        assert_eq!("light-blue".parse::<Color>().unwrap(), Color::LightBlue);
        assert_eq!(Color::LightBlue.to_string(), "light-blue");
    }

    #[test]
    fn orders_by_wire_value_known_first() {
        let mut colors = vec![
            Color::Red,
            Color::Unknown("red".into()),
            Color::Unknown("blue".into()),
            Color::LightBlue,
        ];
        colors.sort();
        assert_eq!(
            colors,
            vec![
                Color::Unknown("blue".into()),
                Color::LightBlue,
                Color::Red,
                Color::Unknown("red".into()),
            ]
        );
    }
}
