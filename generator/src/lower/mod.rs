//! Lower: a loaded document → the IR.
//!
//! The steps run in a fixed order so names come out the same every time: name the component
//! schemas; lower them; lower paths in document order (naming inline types as they appear);
//! group operations by tag and name their methods; pick the error model; merge identical
//! inline types (`shapes.rs`); break type cycles.

mod bodies;
mod containers;
mod cycles;
mod enums;
mod formats;
pub mod naming;
mod objects;
mod operations;
mod pagination;
mod readme;
mod resources;
mod security;
mod settings;
mod shapes;
mod types;
mod unions;
mod webhooks;

use std::collections::BTreeMap;

use crate::ir::{Api, Example, Group, SecurityScheme, Server, StatusMatch, TypeRef};
use crate::load::overlay::Warning;
use crate::load::{Diagnostic, Document};
use naming::Scope;

/// Client methods that group accessors must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "builder", "new", "from_env", "execute", "base_url", "clone", "fmt", "config",
];

/// Types at the crate root (runtime and generated); group handles must not take their names,
/// since group modules import some of them.
const CRATE_TYPES: &[&str] = &[
    "ApiError",
    "BodyMedia",
    "Client",
    "ClientBuilder",
    "DecodeCause",
    "Error",
    "Hook",
    "HookContext",
    "HttpMethod",
    "OperationInfo",
    "Request",
    "RequestOptions",
    "Response",
    "ResultError",
    "RetryPolicy",
    "Server",
];

pub(crate) struct Lowerer<'d> {
    doc: &'d Document,
    types: types::TypeTable,
    examples: Vec<Example>,
    security_schemes: Vec<SecurityScheme>,
    /// The document's `security`: what operations without their own require.
    global_security: Vec<Vec<String>>,
    /// What could not be mapped as written, and what the crate does instead.
    warnings: Vec<Warning>,
    /// Each operation's paging declarations, by operationId, for `pagination.rs`.
    paging: Vec<(String, pagination::Declared)>,
}

/// Builds the IR of a loaded document.
pub fn lower(doc: &Document) -> Result<Api, Diagnostic> {
    lower_with_warnings(doc).map(|(api, _)| api)
}

/// Builds the IR of a loaded document, with a located warning for each part of it that the
/// crate handles differently from what the document says (e.g. a body of an unknown media type
/// sent as raw bytes).
pub fn lower_with_warnings(doc: &Document) -> Result<(Api, Vec<Warning>), Diagnostic> {
    let mut lowerer = Lowerer {
        doc,
        types: types::TypeTable::default(),
        examples: Vec::new(),
        security_schemes: Vec::new(),
        global_security: Vec::new(),
        warnings: Vec::new(),
        paging: Vec::new(),
    };
    lowerer.lower_security()?;
    lowerer.name_components();
    lowerer.lower_components()?;
    let operations = lowerer.lower_paths()?;
    let groups = lowerer.group(operations);

    let types: Vec<_> = std::mem::take(&mut lowerer.types.defs)
        .into_values()
        .collect();
    let error_model = error_model(&groups);
    let openapi = &doc.openapi;
    let webhooks = lowerer.lower_webhooks()?;
    let mut types: Vec<_> = types;
    types.extend(std::mem::take(&mut lowerer.types.defs).into_values());
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let mut examples = std::mem::take(&mut lowerer.examples);
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    let mut api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        servers: servers(&openapi.servers),
        groups,
        types,
        error_model,
        security_schemes: std::mem::take(&mut lowerer.security_schemes),
        examples,
        readme: Default::default(),
        webhooks,
        default_features: Vec::new(),
    };
    // Identical inline schemas become one type before cycles are broken on the final graph.
    shapes::share_shapes(&mut api);
    cycles::box_cycles(&mut api.types);
    // Last: the path to a page's items is walked through the final types.
    let declared = std::mem::take(&mut lowerer.paging);
    lowerer.paginate(&mut api, &declared);
    api.readme = lowerer.readme_hints(&api);
    api.default_features = lowerer.default_features();
    Ok((api, lowerer.warnings))
}

impl Lowerer<'_> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.doc.error_at(pointer, message)
    }

    /// Records a located warning: generation goes on.
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let located = self.doc.error_at(pointer, message);
        self.warnings.push(Warning(located.to_string()));
    }

    fn add_example(&mut self, pointer: String, ty: TypeRef, value: &serde_json::Value) {
        self.examples.push(Example {
            pointer,
            ty,
            value: value.clone(),
        });
    }

    /// Groups operations by `x-speakeasy-group` (dotted for nesting) or else by their first
    /// tag. Root groups come in the order the document declares its tags (then first use);
    /// sub-groups follow their parent. Method names come from `x-speakeasy-name-override` or
    /// else the operationId.
    fn group(&self, operations: Vec<operations::TaggedOperation>) -> Vec<Group> {
        let declared: Vec<&str> = self
            .doc
            .openapi
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        let tag_rank = |tag: &str| {
            declared
                .iter()
                .position(|t| *t == tag)
                .unwrap_or(declared.len())
        };

        // The tree of groups, keyed by path segments as written.
        struct Node {
            rank: (usize, usize),
            tags: Vec<String>,
            ops: Vec<(Option<String>, crate::ir::Operation)>,
        }
        let mut nodes: BTreeMap<Vec<String>, Node> = BTreeMap::new();
        for (index, tagged) in operations.into_iter().enumerate() {
            let path = tagged
                .group_path
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| vec![tagged.tag.clone()]);
            let rank = (tag_rank(&tagged.tag), index);
            for depth in 1..=path.len() {
                let node = nodes.entry(path[..depth].to_vec()).or_insert(Node {
                    rank,
                    tags: Vec::new(),
                    ops: Vec::new(),
                });
                node.rank = node.rank.min(rank);
            }
            let node = nodes.get_mut(&path).expect("inserted above");
            if !node.tags.contains(&tagged.tag) {
                node.tags.push(tagged.tag.clone());
            }
            node.ops.push((tagged.name_override, tagged.operation));
        }

        // Order: by the rank of the root, then parents before children.
        let mut paths: Vec<Vec<String>> = nodes.keys().cloned().collect();
        let root_rank = |p: &Vec<String>| nodes[&p[..1].to_vec()].rank;
        paths.sort_by(|a, b| {
            root_rank(a)
                .cmp(&root_rank(b))
                .then_with(|| nodes[a].rank.cmp(&nodes[b].rank))
                .then_with(|| a.cmp(b))
        });
        // Then the root before its sub-groups (a stable sort keeps the order above).
        paths.sort_by_key(|p| (root_rank(p), p.len() > 1));

        let mut module_scope = Scope::new();
        let mut handle_scope = Scope::with_reserved(CRATE_TYPES);
        let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
        let mut accessors: BTreeMap<Vec<String>, String> = BTreeMap::new();
        // Accessors must be unique among siblings and not shadow the client's own methods.
        let mut sibling_scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
        for path in &paths {
            let parent = path[..path.len() - 1].to_vec();
            let siblings = sibling_scopes.entry(parent.clone()).or_insert_with(|| {
                if parent.is_empty() {
                    Scope::with_reserved(CLIENT_METHODS)
                } else {
                    Scope::with_reserved(&["from_client"])
                }
            });
            let last = path.last().expect("paths are never empty");
            accessors.insert(
                path.clone(),
                siblings.claim(&naming::snake_name(last, "group"), "_"),
            );
            let joined = path
                .iter()
                .map(|s| naming::snake_name(s, "group"))
                .collect::<Vec<_>>()
                .join("_");
            modules.insert(path.clone(), module_scope.claim(&joined, "_"));
        }

        let mut groups = Vec::new();
        for path in paths {
            let node = nodes.remove(&path).expect("every path has a node");
            let children: Vec<String> = accessors
                .iter()
                .filter(|(p, _)| p.len() == path.len() + 1 && p.starts_with(&path))
                .map(|(_, a)| a.clone())
                .collect();
            let mut method_scope = Scope::with_reserved(&["from_client"]);
            for child in &children {
                method_scope.reserve(child);
                method_scope.reserve(&format!("{child}_with"));
            }
            let mut ops = Vec::with_capacity(node.ops.len());
            for (name_override, mut op) in node.ops {
                let wanted = name_override.as_deref().unwrap_or(&op.id);
                let base = naming::snake_name(wanted, "operation");
                // `name` and `name_with` must both be free.
                let taken = method_scope.clone();
                let name =
                    method_scope.claim_where(&base, "_", |n| !taken.contains(&format!("{n}_with")));
                method_scope.reserve(&format!("{name}_with"));
                // Optional parameters travel in `{Group}{Method}Params`, unique crate-wide.
                if op.optional_params_type.is_some() {
                    op.optional_params_type = Some(format!(
                        "{}Params",
                        naming::type_name(&format!("{}_{name}", modules[&path]), "Operation")
                    ));
                }
                if op.success() == crate::ir::Success::Several {
                    op.success_enum_type = Some(format!(
                        "{}Response",
                        naming::type_name(&format!("{}_{name}", modules[&path]), "Operation")
                    ));
                }
                op.method_name = name;
                ops.push(op);
            }
            // Second methods come after every operation has its own name, so adding a
            // streamed download never renames another operation's method.
            for op in &mut ops {
                if streams_bytes(op) {
                    let base = format!("{}_stream", op.method_name);
                    let taken = method_scope.clone();
                    let name = method_scope
                        .claim_where(&base, "_", |n| !taken.contains(&format!("{n}_with")));
                    method_scope.reserve(&format!("{name}_with"));
                    op.byte_stream_method = Some(name);
                }
            }
            let from_extension = path.len() > 1 || !node.tags.contains(&path[0]);
            let tag = if from_extension {
                path.join(".")
            } else {
                path[0].clone()
            };
            // A group made of one tag's operations takes that tag's description.
            let description = match node.tags.as_slice() {
                [only] => self
                    .doc
                    .openapi
                    .tags
                    .iter()
                    .find(|t| &t.name == only)
                    .and_then(|t| t.description.clone()),
                _ => None,
            };
            let module = modules[&path].clone();
            groups.push(Group {
                handle: {
                    let mut name = naming::type_name(&module, "Group");
                    if CRATE_TYPES.contains(&name.as_str()) {
                        name.push_str("Api");
                    }
                    handle_scope.claim(&name, "")
                },
                module,
                accessor: accessors[&path].clone(),
                parent: (path.len() > 1).then(|| modules[&path[..path.len() - 1].to_vec()].clone()),
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
            naming::variant_name(host.split(['.', '/', ':']).next().unwrap_or(""), "Server")
        })
        .collect();
    let by_description: Vec<String> = servers
        .iter()
        .map(|s| naming::variant_name(s.description.as_deref().unwrap_or(""), "Server"))
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
            url: server_url(s),
            description: s.description.clone(),
        })
        .collect()
}

/// A server's URL with its variables at their defaults (`{scheme}://x` → `https://x`). A
/// relative URL (allowed by OpenAPI: relative to where the document is served) has no host a
/// client could use; it is resolved against `http://localhost`, and callers set `base_url`.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    if !url.contains("://") {
        url = format!("http://localhost/{}", url.trim_start_matches('/'));
    }
    url.trim_end_matches('/').to_owned()
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

/// Whether a successful call returns raw bytes (a download), which callers may want chunk by
/// chunk rather than buffered whole.
fn streams_bytes(op: &crate::ir::Operation) -> bool {
    matches!(
        op.success(),
        crate::ir::Success::One(crate::ir::BodyMedia::Binary, _)
    )
}
