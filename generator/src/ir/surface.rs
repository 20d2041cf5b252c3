//! The Rust surface of an operation: every name and signature a caller of the generated crate
//! writes, decided here once. `emit` prints it, the README and examples call it, `diff`
//! compares and names it; none of them spells a Rust name or signature of its own.
//!
//! It is a pure function of the IR ([`Api::operation_surface`]): the IR holds the decisions
//! that need the whole document (identifiers, de-duplication, paging, stream methods), this
//! layer the conventions every operation follows (`op` and `op_with`, the order of arguments,
//! how each is borrowed, what a call returns).

use serde::Serialize;

use super::{
    Api, BodyMedia, Framing, Group, Operation, Primitive, StatusMatch, Success, TypeKind, TypeRef,
};

/// How code calls one operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationSurface {
    /// The accessors from the client to the group's handle, outermost first
    /// (`["client", "management"]` for `client.client().management()`).
    pub accessors: Vec<String>,
    /// The method, e.g. `update`.
    pub method: String,
    /// The same call with per-call `RequestOptions` as a last argument: `update_with`.
    pub method_with: String,
    /// Required parameters in order, then `body`, then `params`: the arguments of every
    /// method of the operation (before `options` in the `_with` forms).
    pub args: Vec<Arg>,
    /// The struct of optional parameters, when there are any.
    pub params: Option<ParamsSurface>,
    /// What `method` returns inside `Result<_, Error>`.
    pub returns: Returns,
    /// The chunk-by-chunk form of a download: `(method, method_with)`.
    pub byte_stream: Option<(String, String)>,
    /// A paged operation's stream methods.
    pub paged: Option<Paged>,
}

/// The stream methods of a paged operation, taking the plain method's arguments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paged {
    /// Every item: `impl Stream<Item = Result<item, Error>>`, e.g. `list_all`.
    pub all: String,
    /// Every page: `Paginator<page, item>`, e.g. `list_pages`.
    pub pages: String,
    pub page: TypeRef,
    pub item: TypeRef,
}

/// One argument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arg {
    pub name: String,
    pub ty: ArgType,
}

/// How an argument is passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ArgType {
    /// `&str`.
    Str,
    /// `&[u8]`.
    ByteSlice,
    /// `&[T]`.
    Slice(TypeRef),
    /// `T`: numbers, booleans and string enums, which are small.
    Value(TypeRef),
    /// `&T`.
    Ref(TypeRef),
    /// `Option<..>`: an optional request body.
    Optional(Box<ArgType>),
    /// The operation's `…Params` struct, by value.
    Params(String),
}

/// The struct of an operation's optional parameters (in the group's module).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamsSurface {
    pub name: String,
    pub fields: Vec<ParamsField>,
}

/// One optional parameter: an `Option<ty>` field and its chainable setter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamsField {
    /// The field, e.g. `limit`.
    pub field: String,
    /// The setter: the field's name, except `set_new` for a parameter called `new` (the
    /// struct's constructor has that name).
    pub setter: String,
    pub ty: TypeRef,
    /// The setter takes `impl Into<String>` rather than the field's type.
    pub into_string: bool,
}

/// What a call returns (inside `Result<_, Error>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Returns {
    /// `()`.
    Unit,
    /// The decoded body, `T`.
    Body(TypeRef),
    /// A `text/plain` body, `String`.
    Text,
    /// A binary body, `bytes::Bytes`.
    Bytes,
    /// `Option<..>`: some 2xx statuses have no body; those give `None`.
    Optional(Box<Returns>),
    /// `EventStream<T>`: server-sent events, `data` decoded as `T`.
    EventStream(TypeRef),
    /// `JsonStream<T>`: JSON values one per line or record.
    JsonStream(TypeRef),
    /// The operation's own enum with a variant per documented 2xx status.
    Statuses(StatusEnum),
}

/// The enum a call returns when its success responses have different bodies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusEnum {
    pub name: String,
    /// One per documented 2xx status code (`2XX` ranges fall to `Other`).
    pub variants: Vec<StatusVariant>,
}

/// One variant of a [`StatusEnum`]; besides these, every such enum has
/// `Other { status, body }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusVariant {
    /// `Ok`, `Created`, ..., `Status207`.
    pub name: String,
    pub code: u16,
    /// What it holds: `None` for a status without a body.
    pub holds: Option<Returns>,
}

impl OperationSurface {
    /// `client().management().update()`: how callers reach the method from a client.
    pub fn path(&self) -> String {
        self.call(&self.method)
    }

    /// `client().management().{method}()`, for another method of the operation's handle.
    pub fn call(&self, method: &str) -> String {
        let mut parts: Vec<String> = self.accessors.iter().map(|a| format!("{a}()")).collect();
        parts.push(format!("{method}()"));
        parts.join(".")
    }

    /// Every method of the handle that belongs to this operation.
    pub fn methods(&self) -> Vec<&str> {
        let mut out = vec![self.method.as_str(), self.method_with.as_str()];
        if let Some((a, b)) = &self.byte_stream {
            out.extend([a.as_str(), b.as_str()]);
        }
        if let Some(paged) = &self.paged {
            out.extend([paged.all.as_str(), paged.pages.as_str()]);
        }
        out
    }
}

impl Api {
    /// The accessors from the client to `group`'s handle, outermost first.
    pub fn accessors(&self, group: &Group) -> Vec<String> {
        let mut parts = vec![group.accessor.clone()];
        let mut current = group;
        // Parents always exist (lowering creates them); the bound guards against cycles.
        for _ in 0..self.groups.len() {
            let Some(parent) = current.parent.as_deref().and_then(|p| self.group(p)) else {
                break;
            };
            parts.push(parent.accessor.clone());
            current = parent;
        }
        parts.reverse();
        parts
    }

    /// How code calls `op` of `group`; see the [module docs](self).
    pub fn operation_surface(&self, group: &Group, op: &Operation) -> OperationSurface {
        let mut args: Vec<Arg> = op
            .required_params()
            .map(|p| Arg {
                name: p.rust_name.clone(),
                ty: self.param_arg(&p.ty),
            })
            .collect();
        if let Some(body) = &op.body {
            let ty = match &body.ty {
                TypeRef::Primitive(Primitive::Bytes) => ArgType::ByteSlice,
                TypeRef::Primitive(Primitive::String) => ArgType::Str,
                other => ArgType::Ref(other.clone()),
            };
            args.push(Arg {
                name: "body".to_owned(),
                ty: if body.required {
                    ty
                } else {
                    ArgType::Optional(Box::new(ty))
                },
            });
        }
        let params = op.optional_params_type.as_ref().map(|name| ParamsSurface {
            name: name.clone(),
            fields: op
                .optional_params()
                .map(|p| ParamsField {
                    field: p.rust_name.clone(),
                    setter: if p.rust_name == "new" {
                        "set_new".to_owned()
                    } else {
                        p.rust_name.clone()
                    },
                    ty: p.ty.clone(),
                    into_string: p.ty == TypeRef::Primitive(Primitive::String),
                })
                .collect(),
        });
        if let Some(params) = &params {
            args.push(Arg {
                name: "params".to_owned(),
                ty: ArgType::Params(params.name.clone()),
            });
        }
        OperationSurface {
            accessors: self.accessors(group),
            method: op.method_name.clone(),
            method_with: format!("{}_with", op.method_name),
            args,
            params,
            returns: returns(op),
            byte_stream: op
                .byte_stream_method
                .as_ref()
                .map(|m| (m.clone(), format!("{m}_with"))),
            paged: op.pagination.as_ref().map(|p| Paged {
                all: p.all_method.clone(),
                pages: p.pages_method.clone(),
                page: p.page.clone(),
                item: p.item.clone(),
            }),
        }
    }

    /// How a required parameter is passed: strings borrowed, small values by value, the rest
    /// by reference.
    fn param_arg(&self, ty: &TypeRef) -> ArgType {
        match ty {
            TypeRef::Primitive(Primitive::String) => ArgType::Str,
            TypeRef::Primitive(Primitive::Bytes) => ArgType::ByteSlice,
            TypeRef::Primitive(_) => ArgType::Value(ty.clone()),
            TypeRef::List(inner) => ArgType::Slice((**inner).clone()),
            TypeRef::Named(name)
                if self
                    .type_def(name)
                    .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_))) =>
            {
                ArgType::Value(ty.clone())
            }
            other => ArgType::Ref(other.clone()),
        }
    }
}

/// A body of `media` as a call returns it.
fn body_returns(media: BodyMedia, ty: &TypeRef) -> Returns {
    match media {
        BodyMedia::Text => Returns::Text,
        BodyMedia::Binary => Returns::Bytes,
        _ => Returns::Body(ty.clone()),
    }
}

fn returns(op: &Operation) -> Returns {
    match op.success() {
        Success::Empty => Returns::Unit,
        Success::One(media, ty) => body_returns(media, ty),
        Success::Optional(media, ty) => Returns::Optional(Box::new(body_returns(media, ty))),
        Success::Stream(stream) => match stream.framing {
            Framing::Events { .. } => Returns::EventStream(stream.item.clone()),
            Framing::Lines | Framing::Sequence => Returns::JsonStream(stream.item.clone()),
        },
        Success::Several => Returns::Statuses(StatusEnum {
            name: op
                .success_enum_type
                .clone()
                .unwrap_or_else(|| "Response".to_owned()),
            variants: op
                .success_responses()
                .filter_map(|r| {
                    let StatusMatch::Code(code) = r.status else {
                        return None;
                    };
                    Some(StatusVariant {
                        name: status_variant(code),
                        code,
                        holds: r.body.as_ref().map(|b| body_returns(b.media, &b.ty)),
                    })
                })
                .collect(),
        }),
    }
}

/// The variant of a status in a [`StatusEnum`]: its reason phrase, else `Status{code}`.
fn status_variant(code: u16) -> String {
    match code {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritative".to_owned(),
        204 => "NoContent".to_owned(),
        205 => "ResetContent".to_owned(),
        206 => "PartialContent".to_owned(),
        other => format!("Status{other}"),
    }
}

/// Rust source for the surface, with models by bare name (`Vec<Client>`), as reports and
/// docs spell types. Emitters print tokens from the same values.
pub trait RustText {
    fn rust(&self) -> String;
}

impl RustText for TypeRef {
    fn rust(&self) -> String {
        match self {
            TypeRef::Named(name) => name.clone(),
            TypeRef::Primitive(p) => match p {
                Primitive::String => "String",
                Primitive::Bool => "bool",
                Primitive::I32 => "i32",
                Primitive::I64 => "i64",
                Primitive::F32 => "f32",
                Primitive::F64 => "f64",
                Primitive::Bytes => "Vec<u8>",
            }
            .to_owned(),
            TypeRef::List(inner) => format!("Vec<{}>", inner.rust()),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", inner.rust()),
            TypeRef::Nullable(inner) => format!("Option<{}>", inner.rust()),
            TypeRef::Tuple(items) => format!(
                "({},)",
                items
                    .iter()
                    .map(|t| t.rust())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeRef::Any => "serde_json::Value".to_owned(),
        }
    }
}

impl RustText for ArgType {
    fn rust(&self) -> String {
        match self {
            ArgType::Str => "&str".to_owned(),
            ArgType::ByteSlice => "&[u8]".to_owned(),
            ArgType::Slice(item) => format!("&[{}]", item.rust()),
            ArgType::Value(ty) => ty.rust(),
            ArgType::Ref(ty) => format!("&{}", ty.rust()),
            ArgType::Optional(inner) => format!("Option<{}>", inner.rust()),
            ArgType::Params(name) => name.clone(),
        }
    }
}

impl RustText for Returns {
    fn rust(&self) -> String {
        match self {
            Returns::Unit => "()".to_owned(),
            Returns::Body(ty) => ty.rust(),
            Returns::Text => "String".to_owned(),
            Returns::Bytes => "bytes::Bytes".to_owned(),
            Returns::Optional(inner) => format!("Option<{}>", inner.rust()),
            Returns::EventStream(item) => format!("EventStream<{}>", item.rust()),
            Returns::JsonStream(item) => format!("JsonStream<{}>", item.rust()),
            Returns::Statuses(e) => e.name.clone(),
        }
    }
}

/// A struct field's Rust type as reports spell it, `ty` standing for its type (callers pass
/// an old type spelled with new names): `Option<..>` when [`super::Field::is_optional`],
/// `Box<..>` inside when boxed.
pub fn field_text(field: &super::Field, ty: &TypeRef) -> String {
    field_wrappers(field).fold(ty.rust(), |t, wrapper| format!("{wrapper}<{t}>"))
}

/// The generic types a struct field's declared type wraps its `ty` in, innermost first:
/// `Box` for a recursive field, then `Option` for an optional one (`Option<Box<T>>`). The
/// struct emitter and [`field_text`] both build the declared type from this.
pub fn field_wrappers(field: &super::Field) -> impl Iterator<Item = &'static str> {
    [
        field.boxed.then_some("Box"),
        field.is_optional().then_some("Option"),
    ]
    .into_iter()
    .flatten()
}

/// What a union variant holds, as reports spell it (`Box<..>` when boxed).
pub fn variant_text(variant: &super::UnionVariant, ty: &TypeRef) -> String {
    let t = ty.rust();
    if variant.boxed {
        format!("Box<{t}>")
    } else {
        t
    }
}
