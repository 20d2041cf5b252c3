//! `components.securitySchemes` → [`ir::SecurityScheme`]s, and `security` requirements →
//! each operation's alternatives ([`ir::Operation::security`]).
//!
//! | scheme | kind | sent as |
//! | --- | --- | --- |
//! | `http` + `bearer`, `openIdConnect`, `oauth2` without a client-credentials flow | `Bearer` | `Authorization: Bearer <token>` |
//! | `http` + `basic` | `Basic` | `Authorization: Basic base64(user:password)` |
//! | `apiKey` | `ApiKey` | the key, verbatim, in the named header, query parameter or cookie |
//! | `oauth2` with `clientCredentials` | `OAuth2ClientCredentials` | a token the client fetches and refreshes |
//! | `http` + any other scheme (`digest`, ...) | `Other` | nothing: a hook adds it (warned) |
//!
//! Environment names and the `security::` statics are chosen here, so emitters and `diff` read
//! them from the IR.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::Lowerer;
use super::naming::{self, Scope};
use crate::ir::{ApiKeyLocation, SchemeKind, SecurityScheme};
use crate::load::Diagnostic;
use crate::load::diagnostic::escape_token;

impl Lowerer<'_> {
    /// Reads every declared scheme and the document-wide requirement.
    pub(super) fn lower_security(&mut self) -> Result<(), Diagnostic> {
        let openapi = &self.doc.openapi;
        let declared: Vec<(String, ReferenceOr<openapiv3::SecurityScheme>)> = openapi
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter())
            .map(|(name, scheme)| (name.clone(), scheme.clone()))
            .collect();
        let scopes = self.requested_scopes();
        let mut consts = Scope::with_reserved(&["ALL"]);
        let mut schemes = Vec::new();
        for (name, scheme) in &declared {
            let pointer = format!("/components/securitySchemes/{}", escape_token(name));
            let Some(scheme) = self.resolve_scheme(scheme, &pointer)? else {
                continue;
            };
            let kind = self.scheme_kind(&scheme, &pointer, scopes.get(name));
            let base = naming::snake_name(name, "scheme").to_uppercase();
            schemes.push(SecurityScheme {
                name: name.clone(),
                const_name: consts.claim(&base, "_"),
                kind,
                description: description_of(&scheme),
                env: Vec::new(),
            });
        }
        name_environment(&mut schemes);
        self.security_schemes = schemes;
        if let Some(requirements) = &openapi.security {
            self.global_security = self.requirements(requirements, "/security")?;
        }
        Ok(())
    }

    /// An operation's alternatives: its own `security`, else the document's.
    pub(super) fn operation_security(
        &self,
        own: Option<&Vec<SecurityRequirement>>,
        pointer: &str,
    ) -> Result<Vec<Vec<String>>, Diagnostic> {
        match own {
            Some(requirements) => self.requirements(requirements, &format!("{pointer}/security")),
            None => Ok(self.global_security.clone()),
        }
    }

    fn requirements(
        &self,
        requirements: &[SecurityRequirement],
        pointer: &str,
    ) -> Result<Vec<Vec<String>>, Diagnostic> {
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut names = Vec::new();
            for name in requirement.keys() {
                if !self.security_schemes.iter().any(|s| &s.name == name) {
                    return Err(self.error(
                        &format!("{pointer}/{i}/{}", escape_token(name)),
                        format!(
                            "security requirement names `{name}`, which \
                             `components.securitySchemes` does not define"
                        ),
                    ));
                }
                names.push(name.clone());
            }
            alternatives.push(names);
        }
        Ok(alternatives)
    }

    /// Every scope any requirement lists, per scheme, in first-use order: what a
    /// client-credentials token asks for unless the caller says otherwise.
    fn requested_scopes(&self) -> BTreeMap<String, Vec<String>> {
        let openapi = &self.doc.openapi;
        let mut all: Vec<&SecurityRequirement> = openapi.security.iter().flatten().collect();
        for (_, item) in openapi.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (_, op) in item.iter() {
                    all.extend(op.security.iter().flatten());
                }
            }
        }
        let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for requirement in all {
            for (name, listed) in requirement {
                let entry = scopes.entry(name.clone()).or_default();
                for scope in listed {
                    if !entry.contains(scope) {
                        entry.push(scope.clone());
                    }
                }
            }
        }
        scopes
    }

    /// Follows a `$ref` to another scheme of the same document.
    fn resolve_scheme(
        &mut self,
        scheme: &ReferenceOr<openapiv3::SecurityScheme>,
        pointer: &str,
    ) -> Result<Option<openapiv3::SecurityScheme>, Diagnostic> {
        match scheme {
            ReferenceOr::Item(scheme) => Ok(Some(scheme.clone())),
            ReferenceOr::Reference { reference } => {
                let target = reference
                    .strip_prefix('#')
                    .and_then(|p| self.doc.raw.pointer(p))
                    .and_then(|v| serde_json::from_value(v.clone()).ok());
                if target.is_none() {
                    self.warn(
                        pointer,
                        format!(
                            "`$ref: {reference}` is not a security scheme of this document; \
                             the scheme is left out and requirements naming it fail"
                        ),
                    );
                }
                Ok(target)
            }
        }
    }

    fn scheme_kind(
        &mut self,
        scheme: &openapiv3::SecurityScheme,
        pointer: &str,
        scopes: Option<&Vec<String>>,
    ) -> SchemeKind {
        use openapiv3::SecurityScheme as S;
        match scheme {
            S::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => SchemeKind::Bearer,
            S::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => SchemeKind::Basic,
            S::HTTP { scheme, .. } => {
                self.warn(
                    &format!("{pointer}/scheme"),
                    format!(
                        "HTTP authentication scheme `{scheme}` is not generated; the client \
                         sends nothing for it, so add the `Authorization` header with a hook"
                    ),
                );
                SchemeKind::Other {
                    what: format!("HTTP `{scheme}` authentication"),
                }
            }
            S::APIKey { location, name, .. } => SchemeKind::ApiKey {
                location: match location {
                    APIKeyLocation::Header => ApiKeyLocation::Header,
                    APIKeyLocation::Query => ApiKeyLocation::Query,
                    APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                },
                param: name.clone(),
            },
            S::OAuth2 { flows, .. } => match &flows.client_credentials {
                Some(flow) => SchemeKind::OAuth2ClientCredentials {
                    token_url: flow.token_url.clone(),
                    scopes: scopes.cloned().unwrap_or_default(),
                },
                None => {
                    let any_flow = flows.implicit.is_some()
                        || flows.password.is_some()
                        || flows.authorization_code.is_some();
                    if !any_flow {
                        self.warn(
                            &format!("{pointer}/flows"),
                            "OAuth 2.0 scheme declares no flow; the client sends a bearer \
                             token the caller obtains",
                        );
                    }
                    SchemeKind::Bearer
                }
            },
            S::OpenIDConnect { .. } => SchemeKind::Bearer,
        }
    }
}

fn description_of(scheme: &openapiv3::SecurityScheme) -> Option<String> {
    use openapiv3::SecurityScheme as S;
    match scheme {
        S::APIKey { description, .. }
        | S::HTTP { description, .. }
        | S::OAuth2 { description, .. }
        | S::OpenIDConnect { description, .. } => description.clone(),
    }
}

/// `BEARER`, `API_KEY`, ... when a scheme is the only one of its family; else the scheme's
/// name in SCREAMING_SNAKE_CASE first (`ADMIN_USERNAME`), so no two schemes share a variable.
fn name_environment(schemes: &mut [SecurityScheme]) {
    let mut per_family: BTreeMap<&'static str, usize> = BTreeMap::new();
    for scheme in schemes.iter() {
        *per_family.entry(scheme.kind.family()).or_default() += 1;
    }
    for scheme in schemes.iter_mut() {
        let shared = per_family[scheme.kind.family()] > 1;
        scheme.env = scheme
            .kind
            .env_roles()
            .iter()
            .map(|role| {
                if shared {
                    format!("{}_{role}", scheme.const_name.trim_end_matches('_'))
                } else {
                    (*role).to_owned()
                }
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(name: &str, kind: SchemeKind) -> SecurityScheme {
        SecurityScheme {
            name: name.to_owned(),
            const_name: name.to_uppercase(),
            kind,
            description: None,
            env: Vec::new(),
        }
    }

    #[test]
    fn environment_names_are_plain_unless_a_family_is_shared() {
        let key = |param: &str| SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            param: param.to_owned(),
        };
        let mut schemes = vec![
            scheme("bearer", SchemeKind::Bearer),
            scheme("app", key("X-App")),
            scheme("user", key("X-User")),
            scheme("basic", SchemeKind::Basic),
        ];
        name_environment(&mut schemes);
        let env: Vec<Vec<String>> = schemes.into_iter().map(|s| s.env).collect();
        assert_eq!(
            env,
            [
                vec!["BEARER"],
                vec!["APP_API_KEY"],
                vec!["USER_API_KEY"],
                vec!["USERNAME", "PASSWORD"]
            ]
        );
    }
}
