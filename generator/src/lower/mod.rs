//! Lower: a loaded document → the IR.
//!
//! The steps run in a fixed order so names come out the same every time: name the component
//! schemas; lower them; lower paths in document order (naming inline types as they appear);
//! group operations by tag and name their methods; break type cycles; pick the error model.

mod cycles;
pub mod naming;
mod operations;
mod types;

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SecurityScheme};

use crate::ir::{Api, Auth, AuthKind, Example, Group, Server, StatusMatch, TypeRef};
use crate::load::{Diagnostic, Document};
use naming::Scope;

/// Client methods that group accessors must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "builder", "new", "from_env", "execute", "base_url", "clone", "fmt", "config",
];

pub(crate) struct Lowerer<'d> {
    doc: &'d Document,
    types: types::TypeTable,
    examples: Vec<Example>,
    auth: Option<Auth>,
    globally_authenticated: bool,
}

/// Builds the IR of a loaded document.
pub fn lower(doc: &Document) -> Result<Api, Diagnostic> {
    let mut lowerer = Lowerer {
        doc,
        types: types::TypeTable::default(),
        examples: Vec::new(),
        auth: None,
        globally_authenticated: false,
    };
    lowerer.lower_auth()?;
    lowerer.name_components();
    lowerer.lower_components()?;
    let operations = lowerer.lower_paths()?;
    let groups = lowerer.group(operations);

    let mut types: Vec<_> = std::mem::take(&mut lowerer.types.defs)
        .into_values()
        .collect();
    cycles::box_cycles(&mut types);
    let error_model = error_model(&groups);
    let openapi = &doc.openapi;
    let mut examples = lowerer.examples;
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    Ok(Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        servers: servers(&openapi.servers),
        groups,
        types,
        error_model,
        auth: lowerer.auth,
        examples,
        readme_example: openapi
            .extensions
            .get("x-rust-readme-example")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    })
}

impl Lowerer<'_> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.doc.error_at(pointer, message)
    }

    fn add_example(&mut self, pointer: String, ty: TypeRef, value: &serde_json::Value) {
        self.examples.push(Example {
            pointer,
            ty,
            value: value.clone(),
        });
    }

    /// The first global security requirement decides how the client authenticates.
    fn lower_auth(&mut self) -> Result<(), Diagnostic> {
        let openapi = &self.doc.openapi;
        let schemes = openapi.components.as_ref().map(|c| &c.security_schemes);
        let Some(requirements) = &openapi.security else {
            // No global requirement: use the first scheme operations may name.
            if let Some((name, scheme)) = schemes.and_then(|s| s.iter().next()) {
                self.auth = self.auth_of(name, scheme)?;
            }
            return Ok(());
        };
        let Some(name) = requirements.iter().flat_map(|r| r.keys()).next() else {
            return Ok(());
        };
        let scheme = schemes.and_then(|s| s.get(name)).ok_or_else(|| {
            self.error(
                "/security",
                format!("security requirement names `{name}`, which `components.securitySchemes` does not define"),
            )
        })?;
        self.auth = self.auth_of(name, scheme)?;
        self.globally_authenticated =
            self.auth.is_some() && requirements.iter().all(|r| !r.is_empty());
        Ok(())
    }

    fn auth_of(
        &self,
        name: &str,
        scheme: &ReferenceOr<SecurityScheme>,
    ) -> Result<Option<Auth>, Diagnostic> {
        let ReferenceOr::Item(scheme) = scheme else {
            return Ok(None);
        };
        Ok(match scheme {
            SecurityScheme::HTTP {
                scheme: http_scheme,
                description,
                ..
            } if http_scheme.eq_ignore_ascii_case("bearer") => Some(Auth {
                scheme_name: name.to_owned(),
                kind: AuthKind::Bearer,
                description: description.clone(),
            }),
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => Some(Auth {
                scheme_name: name.to_owned(),
                kind: AuthKind::Bearer,
                description: description.clone(),
            }),
            // API keys and basic auth are not generated yet: callers can add the header
            // through a hook or per-call options.
            _ => None,
        })
    }

    /// Groups operations by tag, in the order the document declares its tags.
    fn group(&self, operations: Vec<operations::TaggedOperation>) -> Vec<Group> {
        let declared: Vec<&str> = self
            .doc
            .openapi
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let mut by_tag: BTreeMap<(usize, String), Vec<crate::ir::Operation>> = BTreeMap::new();
        for tagged in operations {
            let rank = declared
                .iter()
                .position(|t| *t == tagged.tag)
                .unwrap_or(declared.len());
            by_tag
                .entry((rank, tagged.tag))
                .or_default()
                .push(tagged.operation);
        }
        let mut module_scope = Scope::with_reserved(CLIENT_METHODS);
        let mut handle_scope = Scope::new();
        let mut groups = Vec::new();
        for ((_, tag), mut ops) in by_tag {
            let mut method_scope = Scope::new();
            for op in &mut ops {
                let base = naming::snake_name(&op.id, "operation");
                // `name` and `name_with` must both be free.
                let name = {
                    let taken = method_scope.clone();
                    method_scope.claim_where(&base, "_", |n| !taken.contains(&format!("{n}_with")))
                };
                method_scope.reserve(&format!("{name}_with"));
                op.method_name = name;
            }
            let description = self
                .doc
                .openapi
                .tags
                .iter()
                .find(|t| t.name == tag)
                .and_then(|t| t.description.clone());
            groups.push(Group {
                module: module_scope.claim(&naming::snake_name(&tag, "group"), "_"),
                handle: handle_scope.claim(&naming::type_name(&tag, "Group"), ""),
                tag,
                description,
                operations: ops,
            });
        }
        groups
    }
}

/// The document's servers as enum variants, named by the most telling part that differs:
/// the first host label (`us.authlete.com` → `Us`), else the description, else the position.
fn servers(servers: &[openapiv3::Server]) -> Vec<Server> {
    let by_host: Vec<String> = servers
        .iter()
        .map(|s| {
            let host = s.url.split("://").nth(1).unwrap_or(&s.url);
            naming::type_name(host.split(['.', '/', ':']).next().unwrap_or(""), "Server")
        })
        .collect();
    let by_description: Vec<String> = servers
        .iter()
        .map(|s| naming::type_name(s.description.as_deref().unwrap_or(""), "Server"))
        .collect();
    let distinct = |names: &[String]| {
        let set: std::collections::BTreeSet<&String> = names.iter().collect();
        set.len() == names.len() && !names.iter().any(|n| n == "Server")
    };
    let names = if distinct(&by_host) {
        by_host
    } else if distinct(&by_description) {
        by_description
    } else {
        (0..servers.len()).map(|i| format!("Server{i}")).collect()
    };
    servers
        .iter()
        .zip(names)
        .map(|(s, variant)| Server {
            variant,
            url: s.url.trim_end_matches('/').to_owned(),
            description: s.description.clone(),
        })
        .collect()
}

/// The named type most error responses share, if any.
fn error_model(groups: &[Group]) -> Option<TypeRef> {
    let mut counts: BTreeMap<&TypeRef, usize> = BTreeMap::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for response in &op.responses {
            let is_error = match response.status {
                StatusMatch::Code(code) => code >= 400,
                StatusMatch::Range(r) => r >= 4,
                StatusMatch::Default => true,
            };
            if let (true, Some(body)) = (is_error, &response.body) {
                if matches!(body.ty, TypeRef::Named(_)) {
                    *counts.entry(&body.ty).or_default() += 1;
                }
            }
        }
    }
    // Highest count wins; the BTreeMap order breaks ties by name.
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(ty, _)| ty.clone())
}
