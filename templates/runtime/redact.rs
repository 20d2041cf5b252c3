//! What the models' `Debug` impls print in place of secrets.
//!
//! A model field the document marks sensitive (`format: password`, or the
//! `x-sensitive: true` extension, which the crate's overlay adds to tokens,
//! secrets, codes and private keys) is printed as `<redacted>` by `Debug`, so
//! that logging a request or response does not log credentials. The value
//! itself is untouched: the field is public and serializes as it is.

use std::fmt;

/// Printed by `Debug` in place of a sensitive value.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An optional sensitive value as `Debug` shows it: `None`, or
/// `Some(<redacted>)`. Whether a secret is set is no secret, and it is often
/// what a log reader wants to know.
pub(crate) fn redact_option<T>(value: &Option<T>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_no_value() {
        assert_eq!(format!("{:?}", Redacted), "<redacted>");
        assert_eq!(
            format!("{:?}", redact_option(&Some("s3cret"))),
            "Some(<redacted>)"
        );
        assert_eq!(format!("{:?}", redact_option::<String>(&None)), "None");
    }
}
