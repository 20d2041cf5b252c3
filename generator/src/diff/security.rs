//! What a change of security schemes or requirements does to callers.
//!
//! Callers give credentials per *family* (`bearer_token`, `api_key`, `basic_auth`,
//! `oauth2_client_credentials`) when a document has one scheme of that family, or per scheme
//! (`credential(&security::X, ..)`) when it has several; `from_env` reads variables named the
//! same way. So a requirement is compared by what the caller supplies: a scheme's family when
//! it is alone in it, its name otherwise. An operation is *tightened* (breaking) when a caller
//! who could meet one of its old alternatives can meet none of the new ones.

use std::collections::BTreeSet;

use super::{Area, Change, Crate, Named, Rule, RustPath};
use crate::ir::{Api, Operation, SchemeKind, SecurityScheme};

/// A change about `item`, which names `names`.
fn change(area: Area, item: &str, names: Vec<Named>, rule: Rule, message: String) -> Change {
    Change {
        severity: rule.severity(),
        area,
        item: item.to_owned(),
        member: None,
        rule,
        message,
        old: None,
        new: None,
        names,
    }
}

/// `security::X` of the crate `side`.
fn static_of(side: Crate, scheme: &SecurityScheme) -> Named {
    Named {
        side,
        path: RustPath::Security {
            name: scheme.const_name.clone(),
        },
    }
}

fn family_shared(api: &Api, family: &str) -> bool {
    api.security_schemes
        .iter()
        .filter(|s| s.kind.family() == family)
        .count()
        > 1
}

/// What a caller supplies for scheme `name` of `api`: its family (the family setters and
/// plain environment names cover every scheme of a family), or its name when both documents
/// have several schemes of that family, where callers tell them apart.
fn identity(api: &Api, other: &Api, name: &str) -> String {
    let Some(scheme) = api.security_schemes.iter().find(|s| s.name == name) else {
        return format!("scheme:{name}");
    };
    let family = scheme.kind.family();
    if family_shared(api, family) && family_shared(other, family) {
        format!("scheme:{name}")
    } else {
        format!("family:{family}")
    }
}

/// Alternatives as sets of identities; no requirement is one empty alternative.
fn alternatives(api: &Api, other: &Api, op: &Operation) -> BTreeSet<BTreeSet<String>> {
    if op.security.is_empty() {
        return BTreeSet::from([BTreeSet::new()]);
    }
    op.security
        .iter()
        .map(|alt| alt.iter().map(|name| identity(api, other, name)).collect())
        .collect()
}

fn describe(security: &[Vec<String>]) -> String {
    if security.is_empty() {
        return "none".to_owned();
    }
    let alternatives: Vec<String> = security
        .iter()
        .map(|alt| match alt.as_slice() {
            [] => "anonymous".to_owned(),
            names => names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" + "),
        })
        .collect();
    alternatives.join(" or ")
}

/// The operation's requirement change, if any.
pub fn operation(
    old_api: &Api,
    new_api: &Api,
    item: &str,
    names: Vec<Named>,
    o: &Operation,
    n: &Operation,
) -> Option<Change> {
    let before = alternatives(old_api, new_api, o);
    let after = alternatives(new_api, old_api, n);
    if before == after {
        return None;
    }
    let tightened = before
        .iter()
        .any(|old| !after.iter().any(|new| new.is_subset(old)));
    let (was, mut now) = (describe(&o.security), describe(&n.security));
    if was == now {
        now.push_str(" (another kind of credential)");
    }
    let (rule, message) = if tightened {
        (
            Rule::OperationSecurityTightened,
            format!(
                "authentication {was} → {now}: callers with only the old credentials are refused"
            ),
        )
    } else {
        (
            Rule::OperationSecurityRelaxed,
            format!("authentication {was} → {now}: every old way to call it still works"),
        )
    };
    let mut c = change(Area::Operations, item, names, rule, message);
    c.old = Some(was);
    c.new = Some(now);
    Some(c)
}

/// Schemes added, removed, renamed or changed, and environment variables renamed.
pub fn schemes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let find = |api: &'_ Api, name: &str| -> Option<SecurityScheme> {
        api.security_schemes
            .iter()
            .find(|s| s.name == name)
            .cloned()
    };
    let removed: Vec<&SecurityScheme> = old
        .security_schemes
        .iter()
        .filter(|s| find(new, &s.name).is_none())
        .collect();
    let mut added: Vec<&SecurityScheme> = new
        .security_schemes
        .iter()
        .filter(|s| find(old, &s.name).is_none())
        .collect();
    for gone in removed {
        let item = format!("security::{}", gone.const_name);
        // One scheme replaced by one of the same kind: a rename.
        if let Some(pos) = added.iter().position(|s| s.kind == gone.kind) {
            let renamed = added.remove(pos);
            let names = vec![static_of(Crate::Old, gone), static_of(Crate::New, renamed)];
            let mut c = change(
                Area::Client,
                &item,
                names.clone(),
                Rule::SecuritySchemeRenamed,
                format!(
                    "scheme `{}` → `{}` (`security::{}`); requests are unchanged",
                    gone.name, renamed.name, renamed.const_name
                ),
            );
            c.old = Some(gone.name.clone());
            c.new = Some(renamed.name.clone());
            out.push(c);
            env_change(&mut out, &item, names, gone, renamed);
            continue;
        }
        let mut c = change(
            Area::Client,
            &item,
            vec![static_of(Crate::Old, gone)],
            Rule::SecuritySchemeRemoved,
            format!("scheme `{}` ({}) removed", gone.name, kind_name(&gone.kind)),
        );
        c.old = Some(gone.name.clone());
        out.push(c);
    }
    for fresh in added {
        let item = format!("security::{}", fresh.const_name);
        let mut c = change(
            Area::Client,
            &item,
            vec![static_of(Crate::New, fresh)],
            Rule::SecuritySchemeAdded,
            format!(
                "scheme `{}` ({}) declared",
                fresh.name,
                kind_name(&fresh.kind)
            ),
        );
        c.new = Some(fresh.name.clone());
        out.push(c);
    }
    for a in &old.security_schemes {
        let Some(b) = find(new, &a.name) else {
            continue;
        };
        let item = format!("security::{}", a.const_name);
        let names = vec![static_of(Crate::Old, a), static_of(Crate::New, &b)];
        if a.kind != b.kind {
            let (old, new) = (kind_name(&a.kind), kind_name(&b.kind));
            let (rule, consequence) = if a.kind.family() != b.kind.family() {
                (
                    Rule::SecuritySchemeKindChanged,
                    "; the credential given for it no longer fits",
                )
            } else {
                (Rule::SecuritySchemeChanged, "")
            };
            let message = format!("scheme `{}`: {old} → {new}{consequence}", a.name);
            let mut c = change(Area::Client, &item, names.clone(), rule, message);
            c.old = Some(old);
            c.new = Some(new);
            out.push(c);
        }
        if a.kind.family() == b.kind.family() {
            env_change(&mut out, &item, names, a, &b);
        }
    }
    out
}

fn env_change(
    out: &mut Vec<Change>,
    item: &str,
    names: Vec<Named>,
    a: &SecurityScheme,
    b: &SecurityScheme,
) {
    if a.env != b.env {
        let (was, now) = (a.env.join(", "), b.env.join(", "));
        let mut c = change(
            Area::Client,
            item,
            names,
            Rule::SecurityEnvChanged,
            format!(
                "`Client::from_env` reads `{now}` (after the crate's prefix) instead of `{was}` for scheme `{}`",
                b.name
            ),
        );
        c.old = Some(was);
        c.new = Some(now);
        out.push(c);
    }
}

fn kind_name(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer => "bearer token".to_owned(),
        SchemeKind::Basic => "HTTP basic".to_owned(),
        SchemeKind::ApiKey { location, param } => {
            format!(
                "API key in {} `{param}`",
                format!("{location:?}").to_lowercase()
            )
        }
        SchemeKind::OAuth2ClientCredentials { token_url, scopes } => {
            let mut text = format!("OAuth 2.0 client credentials at `{token_url}`");
            if !scopes.is_empty() {
                text.push_str(&format!(" with scopes `{}`", scopes.join(" ")));
            }
            text
        }
        SchemeKind::Other { what } => what.clone(),
    }
}
