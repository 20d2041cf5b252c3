//! The group of an operation without tags: the resource its path names.
//!
//! Documents without tags (Stripe's has none for 468 operations) used to put every operation in
//! one `default` group, so the per-group Cargo features could not trim anything. The resource is
//! the first literal path segment after any version or API prefix: `/v1/customers/{id}/sources`
//! → `customers`, `/api/v2/kernel/restart` → `kernel`, `/posts.json` → `posts`. It depends on
//! the operation's own path only, so adding operations never moves existing ones.

/// The resource of `path`, or `None` when the path names none (`/`, `/{id}`, `/v1`).
pub fn resource_of(path: &str) -> Option<String> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        // `posts.json`, `users:batch`: the name before an extension or a custom method.
        .map(|s| s.split(['.', ':']).next().unwrap_or(s))
        .find(|s| !s.is_empty() && !is_prefix(s))
        .map(str::to_owned)
}

/// Segments that say which API or version, not which resource: `api`, `rest`, `v1`, `v2beta1`,
/// `v1.0` (cut at the dot by the caller), `2024-01-01`.
fn is_prefix(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    if lower == "api" || lower == "rest" {
        return true;
    }
    let version = lower
        .strip_prefix('v')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let date = lower.starts_with(|c: char| c.is_ascii_digit())
        && lower.chars().all(|c| c.is_ascii_digit() || c == '-');
    version || date
}

#[cfg(test)]
mod tests {
    use super::resource_of;

    #[test]
    fn the_first_segment_after_version_and_api_prefixes() {
        let cases = [
            ("/v1/customers/{customer}/sources", Some("customers")),
            ("/v1/customers", Some("customers")),
            ("/api/v2/kernel/restart", Some("kernel")),
            ("/api/{serviceId}/auth/token", Some("auth")),
            ("/v2beta1/projects", Some("projects")),
            ("/2024-01-01/invoices", Some("invoices")),
            ("/posts.json", Some("posts")),
            ("/admin/users/{id}.json", Some("admin")),
            ("/users:batchGet", Some("users")),
            ("/vehicles", Some("vehicles")),
            ("/v1", None),
            ("/{id}", None),
            ("/", None),
        ];
        for (path, want) in cases {
            assert_eq!(resource_of(path).as_deref(), want, "{path}");
        }
    }
}
