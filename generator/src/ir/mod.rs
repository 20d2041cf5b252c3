//! The intermediate representation: plain Rust data describing an API.
//!
//! `lower` builds it from a parsed document; `emit` and `diff` read only this. No `openapiv3`
//! type appears here, so the emitters cannot reach past it into the raw document, and two IRs
//! can be compared entity by entity.
//!
//! Every name in the IR is final: Rust identifiers have been chosen, de-duplicated and checked
//! against keywords by `lower::naming`, so emitters never invent names of their own. What
//! follows from them by convention (an operation's accessor chain, `_with` form, arguments,
//! setters and return type) is [`surface`], the one place that spells it.

use serde::Serialize;

mod bodies;
mod directions;
mod method;
mod pagination;
mod readme;
pub mod surface;
pub use bodies::{
    BodyMedia, Framing, ItemStream, RequestBody, Response, ResponseBody, StatusMatch, Success,
};
pub use directions::{DESERIALIZE_FEATURE, Directions, SERIALIZE_FEATURE};
pub use method::HttpMethod;
pub use pagination::{FieldStep, Leaf, MoreFlag, PageStyle, Pagination, ValuePath};
pub use readme::{ExampleCall, ExampleProgram, ReadmeHints};
pub use surface::{
    Arg, ArgType, OperationSurface, Paged, ParamsField, ParamsSurface, Returns, RustText,
    StatusEnum, StatusVariant,
};

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// Operation groups in the order the document declares its tags (untagged last).
    pub groups: Vec<Group>,
    /// Every named type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// The body type that the API's error responses share (Authlete: `result`), if any.
    pub error_model: Option<TypeRef>,
    /// The document's `components.securitySchemes`, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Example payloads found in the document, to test the models against.
    pub examples: Vec<Example>,
    /// What the project's overlay asks of the README and `examples/` (`x-rust-readme-…`,
    /// `x-rust-examples`).
    pub readme: ReadmeHints,
    /// Requests the API sends to its users (OpenAPI 3.1 `webhooks`), by payload type.
    pub webhooks: Vec<Webhook>,
    /// Optional Cargo features the crate turns on by default (`x-rust-default-features`):
    /// `serialize`, `deserialize` (see [`Directions`]) or `native-tls`.
    pub default_features: Vec<String>,
}

/// A webhook the API sends: its payload type, decoded by `webhooks::{fn_name}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The key in the document's `webhooks`, e.g. `newPlanet`.
    pub name: String,
    pub http_method: HttpMethod,
    /// The decoding function's name, e.g. `new_planet`.
    pub fn_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The request body's type.
    pub payload: TypeRef,
}

/// One entry of the document's `servers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    /// The enum variant name, e.g. `Us`.
    pub variant: String,
    pub url: String,
    pub description: Option<String>,
}

/// One entry of `components.securitySchemes`: how a credential travels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`, e.g. `bearer`; operations name it.
    pub name: String,
    /// The generated `security::{const_name}` static, e.g. `BEARER`.
    pub const_name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The environment variables `Client::from_env` reads for this scheme, without the
    /// crate's prefix and its `_`, in the order [`SchemeKind::env_roles`] lists (e.g.
    /// `["BEARER"]`, or `["ADMIN_USERNAME", "ADMIN_PASSWORD"]` when several schemes share a kind).
    pub env: Vec<String>,
}

/// What a scheme sends, as the client can produce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: HTTP bearer, OpenID Connect, or OAuth 2.0 flows in
    /// which the caller obtains the token.
    Bearer,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// A key sent verbatim in a header, query parameter or cookie named `param`.
    ApiKey {
        location: ApiKeyLocation,
        param: String,
    },
    /// OAuth 2.0 client credentials: the client fetches, caches and refreshes its token.
    OAuth2ClientCredentials {
        /// As written; a relative URL is resolved against the client's base URL.
        token_url: String,
        /// Scopes requested by default: every scope the document's requirements name for
        /// this scheme, in first-use order.
        scopes: Vec<String>,
    },
    /// A scheme the client cannot produce (e.g. HTTP `digest`, mutual TLS): a hook or the
    /// `reqwest::Client` supplies it. `what` says which, for docs and warnings.
    Other { what: String },
}

impl SchemeKind {
    /// What each environment variable of a scheme of this kind holds, in order.
    pub fn env_roles(&self) -> &'static [&'static str] {
        match self {
            SchemeKind::Bearer => &["BEARER"],
            SchemeKind::Basic => &["USERNAME", "PASSWORD"],
            SchemeKind::ApiKey { .. } => &["API_KEY"],
            SchemeKind::OAuth2ClientCredentials { .. } => &["CLIENT_ID", "CLIENT_SECRET", "SCOPES"],
            SchemeKind::Other { .. } => &[],
        }
    }

    /// Schemes of one family share builder setters and environment names.
    pub fn family(&self) -> &'static str {
        match self {
            SchemeKind::Bearer => "bearer",
            SchemeKind::Basic => "basic",
            SchemeKind::ApiKey { .. } => "api_key",
            SchemeKind::OAuth2ClientCredentials { .. } => "oauth2",
            SchemeKind::Other { .. } => "other",
        }
    }
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// A group of operations: one module, one handle type, one accessor.
///
/// Groups come from tags (`Token Endpoint` → `client.token_endpoint()`), or from the
/// `x-speakeasy-group` extension, whose dots nest groups (`token.management` →
/// `client.token().management()`). Every node of that tree is a group, also the ones that
/// only hold sub-groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// What the group is called in docs: the tag, or the dotted group path.
    pub tag: String,
    /// The module name, unique across the crate, e.g. `token_management`.
    pub module: String,
    /// The handle type, e.g. `TokenManagement`.
    pub handle: String,
    /// The accessor method on the parent (or on the client), e.g. `management`.
    pub accessor: String,
    /// The parent group's `module`, for nested groups.
    pub parent: Option<String>,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The `operationId`, or one derived from method and path when the document has none.
    pub id: String,
    /// Whether `id` was derived rather than written in the document.
    pub id_derived: bool,
    /// The Rust method name, e.g. `idtoken_reissue_api`.
    pub method_name: String,
    pub http_method: HttpMethod,
    /// The path template as written, e.g. `/api/{serviceId}/idtoken/reissue`.
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// What the operation accepts as authentication: alternatives (any one will do), each
    /// a set of scheme names sent together. Empty: no authentication (`security: []`, or no
    /// requirement anywhere); an empty alternative: anonymous calls are accepted too.
    pub security: Vec<Vec<String>>,
    /// The name of the struct that carries optional parameters, when there are any.
    pub optional_params_type: Option<String>,
    /// The name of the enum a call returns when its success responses have different bodies
    /// (see [`Operation::success`]).
    pub success_enum_type: Option<String>,
    /// For an operation whose success body is raw bytes: the method that returns them as a
    /// stream of chunks instead of buffered whole (`{method_name}_stream`; `_with` appended
    /// for the per-call options form).
    pub byte_stream_method: Option<String>,
    /// How to page through the operation's results, when it is paged.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Whether a call must carry credentials: some requirement applies and none of its
    /// alternatives is empty.
    pub fn authenticated(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|alt| !alt.is_empty())
    }

    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required)
    }

    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }

    /// The documented 2xx responses.
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// What a successful call returns.
    pub fn success(&self) -> Success<'_> {
        let mut bodies: Vec<(BodyMedia, &TypeRef)> = Vec::new();
        let mut bodiless = false;
        let mut streams = Vec::new();
        for response in self.success_responses() {
            match &response.body {
                Some(body) => {
                    streams.push(body.stream.as_ref());
                    if !bodies.contains(&(body.media, &body.ty)) {
                        bodies.push((body.media, &body.ty));
                    }
                }
                None => bodiless = true,
            }
        }
        // A stream only when nothing else can come back: a 200 stream beside a 201 object
        // keeps the per-status enum, whose variant holds the stream's bytes.
        if let (false, [Some(stream)]) = (bodiless, streams.as_slice()) {
            return Success::Stream(stream);
        }
        match (bodies.as_slice(), bodiless) {
            ([], _) => Success::Empty,
            ([(media, ty)], false) => Success::One(*media, ty),
            ([(media, ty)], true) => Success::Optional(*media, ty),
            _ => Success::Several,
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    Literal(String),
    /// A `{name}` placeholder, naming the parameter as the document spells it.
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    /// The whole query string (OpenAPI 3.2 `in: querystring`), the value encoded as form
    /// pairs, or as JSON text when `json`.
    QueryString {
        json: bool,
    },
    Header,
    Cookie,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// The name on the wire, e.g. `serviceId`.
    pub name: String,
    /// The Rust name, e.g. `service_id`.
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    /// For array query parameters: repeat the key for each value (`explode: true`, the default).
    pub explode: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TypeRef {
    /// A type from `Api::types`, by its Rust name.
    Named(String),
    Primitive(Primitive),
    List(Box<TypeRef>),
    /// A JSON object with string keys (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A list item or map value that may be `null` (`Option<T>`). Fields use
    /// [`Field::nullable`] instead.
    Nullable(Box<TypeRef>),
    /// A JSON array of fixed length whose items have their own types (`prefixItems`).
    Tuple(Vec<TypeRef>),
    /// Any JSON value.
    Any,
}

impl TypeRef {
    /// Whether the type names a model anywhere inside (so code using it imports `models`).
    pub fn mentions_named(&self) -> bool {
        match self {
            TypeRef::Named(_) => true,
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.mentions_named()
            }
            TypeRef::Tuple(items) => items.iter().any(TypeRef::mentions_named),
            TypeRef::Primitive(_) | TypeRef::Any => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `format: binary`: raw bytes.
    Bytes,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// The Rust name, e.g. `IdtokenReissueRequest`.
    pub name: String,
    /// Where it came from: the component schema name, or a JSON pointer for inline schemas.
    pub origin: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// `oneOf`/`anyOf`: one of several types.
    Union(Union),
    /// Another name for a type (a component schema that is a primitive, list or map).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Extra properties beyond the declared fields (`additionalProperties`), and their type.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The JSON name.
    pub name: String,
    /// The Rust name.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Boxed to break a cycle of types containing each other.
    pub boxed: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    /// The format as written (`date-time`, `uri`, ...), kept for docs and diff.
    pub format: Option<String>,
    /// The `default` the document gives (the server applies it when the field is absent).
    pub default: Option<serde_json::Value>,
    /// A credential or other secret (`format: password`, or the `x-sensitive: true` extension
    /// on the property or on the schema it refers to): `Debug` prints `<redacted>` in its place.
    pub sensitive: bool,
}

impl Field {
    /// The name of the chainable setter of an optional field: `with_` and the field's Rust
    /// name (`with_client_secret`, `with_type` for `r#type`). Unique within the struct because
    /// field names are, and never `new`, the struct's only other method.
    pub fn setter(&self) -> String {
        format!("with_{}", self.rust_name)
    }

    /// Whether the Rust field is an `Option`. A `readOnly` field is never sent and a
    /// `writeOnly` one never comes back, so even when required they are absent one way.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumVariant {
    /// The value on the wire.
    pub value: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The document deprecates this value (a `deprecated` member of a `oneOf` of single-value
    /// strings, or the `x-enum-deprecated` extension): `#[deprecated]` on the variant.
    pub deprecated: bool,
    /// The value's own `description` (or `title`), from a `oneOf` of single-value strings.
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property that tells the variants apart, when the document names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Boxed to break a cycle of types containing each other.
    pub boxed: bool,
}

/// An example payload from the document and the type it should decode into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// The JSON pointer of the example in the document.
    pub pointer: String,
    pub ty: TypeRef,
    pub value: serde_json::Value,
}

impl Api {
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// Every named type reachable from `roots`, through fields, additional properties, union
    /// variants, aliases, lists and maps.
    pub fn reachable_types<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a TypeRef>,
    ) -> std::collections::BTreeSet<String> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Named(name) => {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    let Some(def) = self.type_def(name) else {
                        continue;
                    };
                    match &def.kind {
                        TypeKind::Struct(s) => {
                            stack.extend(s.fields.iter().map(|f| &f.ty));
                            stack.extend(s.additional.iter());
                        }
                        TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                        TypeKind::Alias(target) => stack.push(target),
                        TypeKind::Enum(_) => {}
                    }
                }
                TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    stack.push(inner)
                }
                TypeRef::Tuple(items) => stack.extend(items.iter()),
                TypeRef::Primitive(_) | TypeRef::Any => {}
            }
        }
        seen
    }

    /// The strings an example of type `ty` holds in sensitive fields ([`Field::sensitive`]),
    /// at any depth: what `Debug` of the decoded example must never show. A union's value is
    /// searched as each of its variants (which one it decodes to is serde's business).
    pub fn sensitive_values(&self, ty: &TypeRef, value: &serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_sensitive(ty, value, &mut out, 0);
        out.sort();
        out.dedup();
        out
    }

    fn collect_sensitive(
        &self,
        ty: &TypeRef,
        value: &serde_json::Value,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        // Examples are finite, but aliases and unions can name each other.
        if depth > 64 {
            return;
        }
        match (ty, value) {
            (TypeRef::List(inner), serde_json::Value::Array(items)) => {
                for item in items {
                    self.collect_sensitive(inner, item, out, depth + 1);
                }
            }
            (TypeRef::Map(inner), serde_json::Value::Object(entries)) => {
                for item in entries.values() {
                    self.collect_sensitive(inner, item, out, depth + 1);
                }
            }
            (TypeRef::Named(name), _) => match self.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let serde_json::Value::Object(entries) = value else {
                        return;
                    };
                    for field in &s.fields {
                        let Some(item) = entries.get(&field.name) else {
                            continue;
                        };
                        if field.sensitive {
                            strings_in(item, out);
                        } else {
                            self.collect_sensitive(&field.ty, item, out, depth + 1);
                        }
                    }
                }
                Some(TypeKind::Union(u)) => {
                    for variant in &u.variants {
                        self.collect_sensitive(&variant.ty, value, out, depth + 1);
                    }
                }
                Some(TypeKind::Alias(target)) => {
                    self.collect_sensitive(target, value, out, depth + 1)
                }
                Some(TypeKind::Enum(_)) | None => {}
            },
            _ => {}
        }
    }

    pub fn group(&self, module: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.module == module)
    }

    /// Direct sub-groups of the group with `module`.
    pub fn children<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups
            .iter()
            .filter(move |g| g.parent.as_deref() == Some(module))
    }

    /// How code reaches a group from the client, e.g. `token().management()`.
    pub fn accessor_path(&self, group: &Group) -> String {
        self.accessors(group)
            .iter()
            .map(|a| format!("{a}()"))
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn operations(&self) -> impl Iterator<Item = (&Group, &Operation)> {
        self.groups
            .iter()
            .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
    }
}

/// Every string in a JSON value (a sensitive field may hold an object, such as a JWK Set).
fn strings_in(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
        serde_json::Value::Object(entries) => entries.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}
