//! Structured documents through the whole pipeline: load → lower → emit.
//!
//! Random bytes rarely get past YAML parsing and the OpenAPI types, so this target builds a
//! document from a small grammar (`arbitrary` decides every choice) that is mostly valid
//! OpenAPI 3.0: tricky names (keywords, collisions, non-identifiers), every schema shape the
//! generator handles, `$ref`s that resolve, dangle or loop, path templates with and without their
//! parameters, several media types and status codes, and markdown-ish prose for rustdoc. The
//! document is written as JSON or YAML and fed through `load_bytes` like any file.
//!
//! Errors are expected; a panic, a stack overflow, a hang or running out of memory is a bug.
#![no_main]
// The grammar types are built once per input; their size does not matter.
#![allow(clippy::large_enum_variant)]

use std::path::Path;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

/// Names for schemas, properties, parameters, tags, operationIds, enum values...
const NAMES: &[&str] = &[
    "pet",
    "Pet",
    "PET",
    "pets",
    "id",
    "Id",
    "ID",
    "type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "mod",
    "fn",
    "async",
    "await",
    "dyn",
    "r#type",
    "_",
    "__",
    "0",
    "123abc",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "a~b",
    "a~1b",
    "a{b}",
    "{",
    "}",
    "café",
    "日本",
    "Error",
    "Result",
    "ResultError",
    "Client",
    "Server",
    "Option",
    "Box",
    "String",
    "Vec",
    "Unknown",
    "unknown",
    "Default",
    "new",
    "body",
    "options",
    "params",
    "request",
    "response",
    "from_client",
    "builder",
    "execute",
    "Params",
    "Request",
    "Response",
    "PetRequest",
    "PetResponse",
    "Variant0",
    "Value",
    "Item",
    "x-ext",
    "null",
    "true",
    "#",
    "$ref",
    "\"",
    "\\",
    "'",
    "*/",
    "//",
    "\n",
    "😀",
    "",
    "a",
    "b",
    "A",
    "B",
    // Names the generated code itself uses where a document's names can meet them (issue 16):
    // type parameters and helpers of the written serde impls, std and serde items, runtime
    // helpers, modules, and names that differ only in case or punctuation.
    "S",
    "D",
    "E",
    "T",
    "V",
    "ObjectVisitor",
    "FieldName",
    "Formatter",
    "Redacted",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Map",
    "Ord",
    "Into",
    "Some",
    "Ok",
    "Std",
    "Serde",
    "Core",
    "models",
    "apis",
    "runtime",
    "additional_properties",
    "with_x",
    "default",
    "OPERATION",
    "GMRequest",
    "GmRequest",
    "g_m_request",
    "gm-request",
    "Über",
    "über",
];

/// Prose for descriptions and summaries: whatever rustdoc and the README might choke on.
const TEXTS: &[&str] = &[
    "",
    "plain words",
    "`code`",
    "```\ncode\n```",
    "```rust\nlet x = 1;\n```",
    "```json\n{\"a\": 1}\n```",
    "```\nunclosed",
    "[link](https://example.com)",
    "<https://example.com>",
    "https://bare.example.com/x?y=1",
    "<b>html</b> <div>",
    "<!-- comment",
    "*/ /* */",
    "# Heading\n## Sub",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "note[^1]\n\n[^1]: the note",
    "\\",
    "\t tab",
    "line\r\nbreak",
    "[broken][ref]",
    "[x]: http://y",
    "    indented code",
    "> quote",
    "- a\n- b\n  - c",
    "![img](x.png)",
    "#[doc = \"x\"]",
    "#![allow(x)]",
    "\u{0}nul",
    "{@link x}",
    "[`Client`]",
    "[Pet]",
    "``` ignore\nx\n```",
    "~~~\ntilde\n~~~",
    "<script>alert(1)</script>",
    "a\n\n\n\nb",
    "```text",
];

const MEDIA: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "text/html",
    "*/*",
    "application/problem+json",
    "application/json; charset=utf-8",
    "image/png",
    "application/xml",
    "",
];

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "binary",
    "date",
    "date-time",
    "uuid",
    "email",
    "password",
    "uri",
    "",
    "weird",
];

const SERVER_URLS: &[&str] = &[
    "https://api.example.com",
    "https://us.example.com/v1/",
    "https://eu.example.com/v1",
    "{scheme}://{host}/api",
    "/relative/path",
    "",
    "http://localhost:8080",
    "https://example.com/{version}",
    "not a url",
];

const POINTERS: &[&str] = &[
    "#",
    "#/",
    "#/components",
    "#/components/schemas",
    "#/paths",
    "#/info",
    "#/components/parameters",
    "#/components/schemas/",
    "#/x-ext",
    "other.yaml",
    "other.yaml#/components/schemas/Pet",
    "http://example.com/x.json#/a",
    "",
];

#[derive(Arbitrary, Debug)]
enum Name {
    Pool(u8),
    Free(String),
}

impl Name {
    fn get(&self) -> String {
        match self {
            Name::Pool(i) => NAMES[*i as usize % NAMES.len()].to_owned(),
            Name::Free(s) => s.chars().take(40).collect(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Text {
    Pool(u8),
    Free(String),
    Two(u8, u8),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Pool(i) => TEXTS[*i as usize % TEXTS.len()].to_owned(),
            Text::Free(s) => s.chars().take(200).collect(),
            Text::Two(a, b) => format!(
                "{}\n\n{}",
                TEXTS[*a as usize % TEXTS.len()],
                TEXTS[*b as usize % TEXTS.len()]
            ),
        }
    }
}

fn pick(pool: &[&str], i: u8) -> String {
    pool[i as usize % pool.len()].to_owned()
}

/// A small JSON value, for examples, defaults, extensions and the odd schema that is not one.
#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Name),
    Arr(Vec<Json>),
    Obj(Vec<(Name, Json)>),
}

impl Json {
    fn get(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Float(f) => json!(f),
            Json::Str(s) => json!(s.get()),
            Json::Arr(items) => Value::Array(items.iter().map(Json::get).collect()),
            Json::Obj(entries) => object(entries.iter().map(|(k, v)| (k.get(), v.get()))),
        }
    }
}

fn object(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(entries.into_iter().collect::<Map<_, _>>())
}

thread_local! {
    /// The names each `components` section of the document being built defines, so that most
    /// `$ref`s can point at something that exists.
    static DEFINED: std::cell::RefCell<Vec<(&'static str, Vec<String>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[derive(Arbitrary, Debug)]
enum Ref {
    /// `#/components/<kind>/<name>` for a name the document defines (escaped as a pointer).
    Defined(u8),
    /// `#/components/<kind>/<name>` for any name (sometimes one that exists: names share a pool).
    Schema(Name),
    /// The same, with the name JSON-pointer escaped as the spec wants.
    Escaped(Name),
    Pointer(u8),
    Free(String),
}

impl Ref {
    fn get(&self, kind: &str) -> Value {
        let target = match self {
            Ref::Defined(i) => {
                let name = DEFINED.with(|d| {
                    d.borrow()
                        .iter()
                        .find(|(k, _)| *k == kind)
                        .and_then(|(_, names)| {
                            (!names.is_empty()).then(|| names[*i as usize % names.len()].clone())
                        })
                });
                let name = name.unwrap_or_else(|| "Missing".to_owned());
                format!(
                    "#/components/{kind}/{}",
                    name.replace('~', "~0").replace('/', "~1")
                )
            }
            Ref::Schema(n) => format!("#/components/{kind}/{}", n.get()),
            Ref::Escaped(n) => format!(
                "#/components/{kind}/{}",
                n.get().replace('~', "~0").replace('/', "~1")
            ),
            Ref::Pointer(i) => pick(POINTERS, *i),
            Ref::Free(s) => s.chars().take(60).collect(),
        };
        json!({ "$ref": target })
    }
}

#[derive(Arbitrary, Debug)]
struct Common {
    nullable: Option<bool>,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    description: Option<Text>,
    title: Option<Name>,
    default: Option<Json>,
    example: Option<Json>,
}

impl Common {
    fn apply(&self, out: &mut Map<String, Value>) {
        if let Some(n) = self.nullable {
            out.insert("nullable".into(), json!(n));
        }
        if self.read_only {
            out.insert("readOnly".into(), json!(true));
        }
        if self.write_only {
            out.insert("writeOnly".into(), json!(true));
        }
        if self.deprecated {
            out.insert("deprecated".into(), json!(true));
        }
        if let Some(d) = &self.description {
            out.insert("description".into(), json!(d.get()));
        }
        if let Some(t) = &self.title {
            out.insert("title".into(), json!(t.get()));
        }
        if let Some(d) = &self.default {
            out.insert("default".into(), d.get());
        }
        if let Some(e) = &self.example {
            out.insert("example".into(), e.get());
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Additional {
    Bool(bool),
    Schema(Box<Schema>),
}

#[derive(Arbitrary, Debug)]
struct Discriminator {
    property: Name,
    mapping: Vec<(Name, Ref)>,
}

#[derive(Arbitrary, Debug)]
enum Schema {
    Empty(Common),
    Ref(Ref),
    Str {
        format: Option<u8>,
        values: Vec<Option<Name>>,
        common: Common,
    },
    Int {
        format: Option<u8>,
        values: Vec<i64>,
        minimum: Option<i64>,
        common: Common,
    },
    Num {
        format: Option<u8>,
        common: Common,
    },
    Bool(Common),
    Array {
        items: Option<Box<Schema>>,
        common: Common,
    },
    Object {
        /// Without `type: object`: OpenAPI allows it, openapiv3 reads it as an "any" schema.
        typed: bool,
        properties: Vec<(Name, Schema)>,
        required: Vec<Name>,
        additional: Option<Additional>,
        common: Common,
    },
    OneOf {
        members: Vec<Schema>,
        discriminator: Option<Discriminator>,
        common: Common,
    },
    AnyOf {
        members: Vec<Schema>,
        discriminator: Option<Discriminator>,
        common: Common,
    },
    AllOf {
        members: Vec<Schema>,
        /// Properties beside the `allOf`.
        properties: Vec<(Name, Schema)>,
        common: Common,
    },
    /// `type` as something else (`null`, a list, a typo).
    OddType(Json, Common),
    /// An enum without a type, or with values of mixed kinds.
    UntypedEnum(Vec<Json>, Common),
    /// Whatever JSON, as a schema.
    Raw(Json),
}

impl Schema {
    fn get(&self) -> Value {
        let mut out = Map::new();
        let common = match self {
            Schema::Empty(common) => common,
            Schema::Ref(r) => return r.get("schemas"),
            Schema::Str {
                format,
                values,
                common,
            } => {
                out.insert("type".into(), json!("string"));
                if let Some(f) = format {
                    out.insert("format".into(), json!(pick(FORMATS, *f)));
                }
                if !values.is_empty() {
                    let values: Vec<Value> = values
                        .iter()
                        .map(|v| v.as_ref().map_or(Value::Null, |n| json!(n.get())))
                        .collect();
                    out.insert("enum".into(), Value::Array(values));
                }
                common
            }
            Schema::Int {
                format,
                values,
                minimum,
                common,
            } => {
                out.insert("type".into(), json!("integer"));
                if let Some(f) = format {
                    out.insert("format".into(), json!(pick(FORMATS, *f)));
                }
                if !values.is_empty() {
                    out.insert("enum".into(), json!(values));
                }
                if let Some(m) = minimum {
                    out.insert("minimum".into(), json!(m));
                }
                common
            }
            Schema::Num { format, common } => {
                out.insert("type".into(), json!("number"));
                if let Some(f) = format {
                    out.insert("format".into(), json!(pick(FORMATS, *f)));
                }
                common
            }
            Schema::Bool(common) => {
                out.insert("type".into(), json!("boolean"));
                common
            }
            Schema::Array { items, common } => {
                out.insert("type".into(), json!("array"));
                if let Some(items) = items {
                    out.insert("items".into(), items.get());
                }
                common
            }
            Schema::Object {
                typed,
                properties,
                required,
                additional,
                common,
            } => {
                if *typed {
                    out.insert("type".into(), json!("object"));
                }
                if !properties.is_empty() {
                    out.insert(
                        "properties".into(),
                        object(properties.iter().map(|(k, v)| (k.get(), v.get()))),
                    );
                }
                if !required.is_empty() {
                    out.insert(
                        "required".into(),
                        Value::Array(required.iter().map(|r| json!(r.get())).collect()),
                    );
                }
                match additional {
                    Some(Additional::Bool(b)) => {
                        out.insert("additionalProperties".into(), json!(b));
                    }
                    Some(Additional::Schema(s)) => {
                        out.insert("additionalProperties".into(), s.get());
                    }
                    None => {}
                }
                common
            }
            Schema::OneOf {
                members,
                discriminator,
                common,
            }
            | Schema::AnyOf {
                members,
                discriminator,
                common,
            } => {
                let key = if matches!(self, Schema::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                out.insert(
                    key.into(),
                    Value::Array(members.iter().map(Schema::get).collect()),
                );
                if let Some(d) = discriminator {
                    let mut disc = Map::new();
                    disc.insert("propertyName".into(), json!(d.property.get()));
                    if !d.mapping.is_empty() {
                        disc.insert(
                            "mapping".into(),
                            object(
                                d.mapping
                                    .iter()
                                    .map(|(k, r)| (k.get(), r.get("schemas")["$ref"].clone())),
                            ),
                        );
                    }
                    out.insert("discriminator".into(), Value::Object(disc));
                }
                common
            }
            Schema::AllOf {
                members,
                properties,
                common,
            } => {
                out.insert(
                    "allOf".into(),
                    Value::Array(members.iter().map(Schema::get).collect()),
                );
                if !properties.is_empty() {
                    out.insert(
                        "properties".into(),
                        object(properties.iter().map(|(k, v)| (k.get(), v.get()))),
                    );
                }
                common
            }
            Schema::OddType(typ, common) => {
                out.insert("type".into(), typ.get());
                common
            }
            Schema::UntypedEnum(values, common) => {
                out.insert(
                    "enum".into(),
                    Value::Array(values.iter().map(Json::get).collect()),
                );
                common
            }
            Schema::Raw(json) => return json.get(),
        };
        common.apply(&mut out);
        Value::Object(out)
    }
}

#[derive(Arbitrary, Debug)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Other(Name),
}

#[derive(Arbitrary, Debug)]
enum Style {
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Matrix,
    Label,
    Odd(Name),
}

#[derive(Arbitrary, Debug)]
struct Parameter {
    name: Name,
    location: Location,
    required: Option<bool>,
    /// `content` instead of `schema` when set.
    content: Option<u8>,
    schema: Option<Schema>,
    style: Option<Style>,
    explode: Option<bool>,
    deprecated: bool,
    description: Option<Text>,
    example: Option<Json>,
}

impl Parameter {
    fn get(&self) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(self.name.get()));
        let location = match &self.location {
            Location::Path => "path".to_owned(),
            Location::Query => "query".to_owned(),
            Location::Header => "header".to_owned(),
            Location::Cookie => "cookie".to_owned(),
            Location::Other(n) => n.get(),
        };
        out.insert("in".into(), json!(location));
        if let Some(r) = self.required {
            out.insert("required".into(), json!(r));
        }
        let schema = self.schema.as_ref().map(Schema::get);
        match (self.content, schema) {
            (Some(m), schema) => {
                let mut media = Map::new();
                if let Some(s) = schema {
                    media.insert("schema".into(), s);
                }
                out.insert(
                    "content".into(),
                    object([(pick(MEDIA, m), Value::Object(media))]),
                );
            }
            (None, Some(s)) => {
                out.insert("schema".into(), s);
            }
            (None, None) => {}
        }
        if let Some(style) = &self.style {
            let style = match style {
                Style::Form => "form".to_owned(),
                Style::Simple => "simple".to_owned(),
                Style::SpaceDelimited => "spaceDelimited".to_owned(),
                Style::PipeDelimited => "pipeDelimited".to_owned(),
                Style::DeepObject => "deepObject".to_owned(),
                Style::Matrix => "matrix".to_owned(),
                Style::Label => "label".to_owned(),
                Style::Odd(n) => n.get(),
            };
            out.insert("style".into(), json!(style));
        }
        if let Some(e) = self.explode {
            out.insert("explode".into(), json!(e));
        }
        if self.deprecated {
            out.insert("deprecated".into(), json!(true));
        }
        if let Some(d) = &self.description {
            out.insert("description".into(), json!(d.get()));
        }
        if let Some(e) = &self.example {
            out.insert("example".into(), e.get());
        }
        Value::Object(out)
    }
}

#[derive(Arbitrary, Debug)]
enum ParameterOrRef {
    Item(Parameter),
    Ref(Ref),
}

impl ParameterOrRef {
    fn get(&self) -> Value {
        match self {
            ParameterOrRef::Item(p) => p.get(),
            ParameterOrRef::Ref(r) => r.get("parameters"),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Media {
    media: u8,
    schema: Option<Schema>,
    example: Option<Json>,
    examples: Vec<(Name, Json)>,
    /// An `examples` entry that is a `$ref`.
    example_ref: Option<Ref>,
}

fn content(media: &[Media]) -> Value {
    object(media.iter().map(|m| {
        let mut out = Map::new();
        if let Some(s) = &m.schema {
            out.insert("schema".into(), s.get());
        }
        if let Some(e) = &m.example {
            out.insert("example".into(), e.get());
        }
        let mut examples: Map<String, Value> = m
            .examples
            .iter()
            .map(|(k, v)| (k.get(), json!({ "value": v.get() })))
            .collect();
        if let Some(r) = &m.example_ref {
            examples.insert("ref".into(), r.get("examples"));
        }
        if !examples.is_empty() {
            out.insert("examples".into(), Value::Object(examples));
        }
        (pick(MEDIA, m.media), Value::Object(out))
    }))
}

#[derive(Arbitrary, Debug)]
struct RequestBody {
    required: Option<bool>,
    description: Option<Text>,
    content: Vec<Media>,
}

#[derive(Arbitrary, Debug)]
enum RequestBodyOrRef {
    Item(RequestBody),
    Ref(Ref),
}

impl RequestBodyOrRef {
    fn get(&self) -> Value {
        match self {
            RequestBodyOrRef::Ref(r) => r.get("requestBodies"),
            RequestBodyOrRef::Item(b) => {
                let mut out = Map::new();
                if let Some(r) = b.required {
                    out.insert("required".into(), json!(r));
                }
                if let Some(d) = &b.description {
                    out.insert("description".into(), json!(d.get()));
                }
                out.insert("content".into(), content(&b.content));
                Value::Object(out)
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Response {
    description: Option<Text>,
    content: Vec<Media>,
    headers: Vec<(Name, Schema)>,
}

#[derive(Arbitrary, Debug)]
enum ResponseOrRef {
    Item(Response),
    Ref(Ref),
}

impl ResponseOrRef {
    fn get(&self) -> Value {
        match self {
            ResponseOrRef::Ref(r) => r.get("responses"),
            ResponseOrRef::Item(r) => {
                let mut out = Map::new();
                // `description` is required; leave it out sometimes all the same.
                if let Some(d) = &r.description {
                    out.insert("description".into(), json!(d.get()));
                }
                if !r.content.is_empty() {
                    out.insert("content".into(), content(&r.content));
                }
                if !r.headers.is_empty() {
                    out.insert(
                        "headers".into(),
                        object(
                            r.headers
                                .iter()
                                .map(|(k, s)| (k.get(), json!({ "schema": s.get() }))),
                        ),
                    );
                }
                Value::Object(out)
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Status {
    Ok,
    Created,
    NoContent,
    Code(u16),
    Range(u8),
    Default,
    Free(Name),
}

impl Status {
    fn get(&self) -> String {
        match self {
            Status::Ok => "200".into(),
            Status::Created => "201".into(),
            Status::NoContent => "204".into(),
            Status::Code(c) => (c % 1000).to_string(),
            Status::Range(r) => format!("{}XX", r % 10),
            Status::Default => "default".into(),
            Status::Free(n) => n.get(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Operation {
    operation_id: Option<Name>,
    tags: Vec<Name>,
    summary: Option<Text>,
    description: Option<Text>,
    parameters: Vec<ParameterOrRef>,
    request_body: Option<RequestBodyOrRef>,
    responses: Vec<(Status, ResponseOrRef)>,
    deprecated: bool,
    security: Option<Vec<Vec<Name>>>,
    group: Option<Name>,
    name_override: Option<Name>,
}

fn security(requirements: &[Vec<Name>]) -> Value {
    Value::Array(
        requirements
            .iter()
            .map(|r| object(r.iter().map(|n| (n.get(), json!([])))))
            .collect(),
    )
}

impl Operation {
    fn get(&self) -> Value {
        let mut out = Map::new();
        if let Some(id) = &self.operation_id {
            out.insert("operationId".into(), json!(id.get()));
        }
        if !self.tags.is_empty() {
            out.insert(
                "tags".into(),
                Value::Array(self.tags.iter().map(|t| json!(t.get())).collect()),
            );
        }
        if let Some(s) = &self.summary {
            out.insert("summary".into(), json!(s.get()));
        }
        if let Some(d) = &self.description {
            out.insert("description".into(), json!(d.get()));
        }
        if !self.parameters.is_empty() {
            out.insert(
                "parameters".into(),
                Value::Array(self.parameters.iter().map(ParameterOrRef::get).collect()),
            );
        }
        if let Some(b) = &self.request_body {
            out.insert("requestBody".into(), b.get());
        }
        out.insert(
            "responses".into(),
            object(self.responses.iter().map(|(s, r)| (s.get(), r.get()))),
        );
        if self.deprecated {
            out.insert("deprecated".into(), json!(true));
        }
        if let Some(s) = &self.security {
            out.insert("security".into(), security(s));
        }
        if let Some(g) = &self.group {
            out.insert("x-speakeasy-group".into(), json!(g.get()));
        }
        if let Some(n) = &self.name_override {
            out.insert("x-speakeasy-name-override".into(), json!(n.get()));
        }
        Value::Object(out)
    }
}

#[derive(Arbitrary, Debug)]
enum Segment {
    Literal(Name),
    Param(Name),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct PathItem {
    segments: Vec<Segment>,
    trailing_slash: bool,
    /// Declare a string path parameter for every `{name}` of the template, at the path level.
    declare_params: bool,
    parameters: Vec<ParameterOrRef>,
    summary: Option<Text>,
    get: Option<Operation>,
    put: Option<Operation>,
    post: Option<Operation>,
    delete: Option<Operation>,
    patch: Option<Operation>,
    head: Option<Operation>,
    options: Option<Operation>,
    trace: Option<Operation>,
    /// The whole item as a `$ref` instead.
    as_ref: Option<Ref>,
}

impl PathItem {
    fn template(&self) -> (String, Vec<String>) {
        let mut path = String::new();
        let mut params = Vec::new();
        for segment in &self.segments {
            path.push('/');
            match segment {
                Segment::Literal(n) => path.push_str(&n.get()),
                Segment::Param(n) => {
                    let n = n.get();
                    path.push_str(&format!("{{{n}}}"));
                    params.push(n);
                }
                Segment::Raw(s) => path.extend(s.chars().take(20)),
            }
        }
        if self.trailing_slash || path.is_empty() {
            path.push('/');
        }
        (path, params)
    }

    fn get(&self, params: &[String]) -> Value {
        if let Some(r) = &self.as_ref {
            return r.get("pathItems");
        }
        let mut out = Map::new();
        let mut parameters: Vec<Value> = Vec::new();
        if self.declare_params {
            for p in params {
                parameters.push(json!({
                    "name": p, "in": "path", "required": true, "schema": {"type": "string"}
                }));
            }
        }
        parameters.extend(self.parameters.iter().map(ParameterOrRef::get));
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(s) = &self.summary {
            out.insert("summary".into(), json!(s.get()));
        }
        for (method, op) in [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("patch", &self.patch),
            ("head", &self.head),
            ("options", &self.options),
            ("trace", &self.trace),
        ] {
            if let Some(op) = op {
                out.insert(method.into(), op.get());
            }
        }
        Value::Object(out)
    }
}

#[derive(Arbitrary, Debug)]
enum SecurityScheme {
    Bearer,
    Basic,
    OtherHttp(Name),
    ApiKey(Location, Name),
    OAuth2,
    OpenIdConnect,
    Ref(Ref),
    Raw(Json),
}

impl SecurityScheme {
    fn get(&self) -> Value {
        match self {
            SecurityScheme::Bearer => json!({"type": "http", "scheme": "bearer"}),
            SecurityScheme::Basic => json!({"type": "http", "scheme": "basic"}),
            SecurityScheme::OtherHttp(n) => json!({"type": "http", "scheme": n.get()}),
            SecurityScheme::ApiKey(location, name) => {
                let location = match location {
                    Location::Path => "path".to_owned(),
                    Location::Query => "query".to_owned(),
                    Location::Header => "header".to_owned(),
                    Location::Cookie => "cookie".to_owned(),
                    Location::Other(n) => n.get(),
                };
                json!({"type": "apiKey", "in": location, "name": name.get()})
            }
            SecurityScheme::OAuth2 => json!({"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://example.com/token", "scopes": {"a": "b"}}}}),
            SecurityScheme::OpenIdConnect => json!({"type": "openIdConnect",
                "openIdConnectUrl": "https://example.com/.well-known/openid-configuration"}),
            SecurityScheme::Ref(r) => r.get("securitySchemes"),
            SecurityScheme::Raw(j) => j.get(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Server {
    url: u8,
    description: Option<Text>,
    variables: Vec<(Name, Name)>,
}

#[derive(Arbitrary, Debug)]
struct Components {
    schemas: Vec<(Name, Schema)>,
    parameters: Vec<(Name, ParameterOrRef)>,
    request_bodies: Vec<(Name, RequestBodyOrRef)>,
    responses: Vec<(Name, ResponseOrRef)>,
    security_schemes: Vec<(Name, SecurityScheme)>,
    examples: Vec<(Name, Json)>,
}

#[derive(Arbitrary, Debug)]
enum Version {
    V300,
    V303,
    Odd(Name),
}

#[derive(Arbitrary, Debug)]
struct Document {
    version: Version,
    title: Name,
    info_description: Option<Text>,
    servers: Vec<Server>,
    security: Option<Vec<Vec<Name>>>,
    tags: Vec<(Name, Option<Text>)>,
    paths: Vec<PathItem>,
    components: Option<Components>,
    extensions: Vec<(Name, Json)>,
    readme_example: Option<Text>,
    yaml: bool,
}

impl Document {
    fn get(&self) -> Value {
        let defined = match &self.components {
            Some(c) => {
                let names = |entries: Vec<&Name>| entries.into_iter().map(Name::get).collect();
                vec![
                    ("schemas", names(c.schemas.iter().map(|(k, _)| k).collect())),
                    (
                        "parameters",
                        names(c.parameters.iter().map(|(k, _)| k).collect()),
                    ),
                    (
                        "requestBodies",
                        names(c.request_bodies.iter().map(|(k, _)| k).collect()),
                    ),
                    (
                        "responses",
                        names(c.responses.iter().map(|(k, _)| k).collect()),
                    ),
                    (
                        "securitySchemes",
                        names(c.security_schemes.iter().map(|(k, _)| k).collect()),
                    ),
                    (
                        "examples",
                        names(c.examples.iter().map(|(k, _)| k).collect()),
                    ),
                ]
            }
            None => Vec::new(),
        };
        DEFINED.with(|d| *d.borrow_mut() = defined);
        let mut out = Map::new();
        let version = match &self.version {
            Version::V300 => "3.0.0".to_owned(),
            Version::V303 => "3.0.3".to_owned(),
            Version::Odd(n) => n.get(),
        };
        out.insert("openapi".into(), json!(version));
        let mut info = Map::new();
        info.insert("title".into(), json!(self.title.get()));
        info.insert("version".into(), json!("1.0"));
        if let Some(d) = &self.info_description {
            info.insert("description".into(), json!(d.get()));
        }
        out.insert("info".into(), Value::Object(info));
        if !self.servers.is_empty() {
            let servers = self.servers.iter().map(|s| {
                let mut server = Map::new();
                server.insert("url".into(), json!(pick(SERVER_URLS, s.url)));
                if let Some(d) = &s.description {
                    server.insert("description".into(), json!(d.get()));
                }
                if !s.variables.is_empty() {
                    server.insert(
                        "variables".into(),
                        object(
                            s.variables
                                .iter()
                                .map(|(k, v)| (k.get(), json!({ "default": v.get() }))),
                        ),
                    );
                }
                Value::Object(server)
            });
            out.insert("servers".into(), Value::Array(servers.collect()));
        }
        if let Some(s) = &self.security {
            out.insert("security".into(), security(s));
        }
        if !self.tags.is_empty() {
            let tags = self.tags.iter().map(|(name, description)| {
                let mut tag = Map::new();
                tag.insert("name".into(), json!(name.get()));
                if let Some(d) = description {
                    tag.insert("description".into(), json!(d.get()));
                }
                Value::Object(tag)
            });
            out.insert("tags".into(), Value::Array(tags.collect()));
        }
        let mut paths = Map::new();
        for item in &self.paths {
            let (template, params) = item.template();
            paths.insert(template, item.get(&params));
        }
        out.insert("paths".into(), Value::Object(paths));
        if let Some(c) = &self.components {
            let mut components = Map::new();
            let mut group = |key: &str, entries: Vec<(String, Value)>| {
                if !entries.is_empty() {
                    components.insert(key.into(), object(entries));
                }
            };
            group(
                "schemas",
                c.schemas.iter().map(|(k, s)| (k.get(), s.get())).collect(),
            );
            group(
                "parameters",
                c.parameters
                    .iter()
                    .map(|(k, p)| (k.get(), p.get()))
                    .collect(),
            );
            group(
                "requestBodies",
                c.request_bodies
                    .iter()
                    .map(|(k, b)| (k.get(), b.get()))
                    .collect(),
            );
            group(
                "responses",
                c.responses
                    .iter()
                    .map(|(k, r)| (k.get(), r.get()))
                    .collect(),
            );
            group(
                "securitySchemes",
                c.security_schemes
                    .iter()
                    .map(|(k, s)| (k.get(), s.get()))
                    .collect(),
            );
            group(
                "examples",
                c.examples
                    .iter()
                    .map(|(k, e)| (k.get(), json!({ "value": e.get() })))
                    .collect(),
            );
            out.insert("components".into(), Value::Object(components));
        }
        for (k, v) in &self.extensions {
            out.insert(format!("x-{}", k.get()), v.get());
        }
        if let Some(t) = &self.readme_example {
            out.insert("x-rust-readme-example".into(), json!(t.get()));
        }
        Value::Object(out)
    }
}

fuzz_target!(|input: Document| {
    let value = input.get();
    let text = if input.yaml {
        match serde_yaml::to_string(&value) {
            Ok(text) => text,
            Err(_) => return,
        }
    } else {
        serde_json::to_string_pretty(&value).expect("a JSON value always serializes")
    };
    // `FUZZ_DUMP=1 cargo fuzz run structured ARTIFACT` prints the document an input stands for.
    if std::env::var_os("FUZZ_DUMP").is_some() {
        eprintln!("{text}");
    }
    let Ok(doc) = generator::load::load_bytes(Path::new("fuzz.yaml"), text.as_bytes()) else {
        return;
    };
    let Ok(api) = generator::lower::lower(&doc) else {
        return;
    };
    // Every emitted file is parsed back: one that does not parse is a generator bug.
    let check = generator::emit::Check::Parse;
    if let Err(e) = generator::emit::emit_checked(&api, &generator::Config::new("fuzzed"), check) {
        panic!("{} does not parse: {}", e.path, e.message);
    }
});
