//! Paged operations: which ones page, how, and the names of their stream methods.
//!
//! Declared, in this order of precedence: `x-rust-pagination` (ours; `false` turns paging off
//! for the operation), `x-speakeasy-pagination` (Speakeasy's), `x-dropshot-pagination`
//! (Dropshot's `page_token` / `limit` in, `{items, next_page}` out), a `Link` header declared
//! on a 2xx response (RFC 8288 `rel="next"`). Without any of them, [`infer`] recognises the
//! common cursor shape conservatively. Anything the crate cannot page as declared is a
//! located warning and the operation keeps only its plain methods, never an error.
//!
//! Runs on the finished IR (after shapes are merged and cycles boxed), so the field path to
//! the items is the one the emitted code walks.

use serde_json::Value;

use super::Lowerer;
use super::naming::Scope;
use crate::ir::{
    Api, BodyMedia, FieldStep, Leaf, MoreFlag, Operation, PageStyle, Pagination, ParamLocation,
    Primitive, Success, TypeKind, TypeRef, ValuePath,
};

mod infer;
mod jsonpath;

pub(super) use jsonpath::{JsonPath, parse};

/// What the document says about one operation's paging, gathered while lowering paths.
#[derive(Debug, Clone, Default)]
pub(super) struct Declared {
    /// The operation's JSON pointer, for warnings.
    pub pointer: String,
    pub rust: Option<Value>,
    pub speakeasy: Option<Value>,
    pub dropshot: Option<Value>,
    /// A 2xx response declares a `Link` header.
    pub link_header: bool,
}

impl Declared {
    /// The paging extension that decides, in order of precedence.
    fn extension(&self) -> Option<&'static str> {
        if self.rust.is_some() {
            Some("x-rust-pagination")
        } else if self.speakeasy.is_some() {
            Some("x-speakeasy-pagination")
        } else if self.dropshot.is_some() {
            Some("x-dropshot-pagination")
        } else {
            None
        }
    }
}

/// A style with its JSON paths still unresolved against the page type.
pub(super) struct Plan {
    pub source: &'static str,
    /// JSONPath of the items array.
    pub results: JsonPath,
    pub style: PlannedStyle,
    pub more: Option<(Vec<String>, bool)>,
}

pub(super) enum PlannedStyle {
    Offset {
        param: String,
        limit: Option<String>,
        total: Option<Vec<String>>,
    },
    Page {
        param: String,
        limit: Option<String>,
        pages: Option<Vec<String>>,
    },
    Range {
        start: String,
        end: String,
        total: Option<Vec<String>>,
    },
    Cursor {
        param: String,
        next: JsonPath,
    },
    NextUrl {
        next: Vec<String>,
    },
    Link,
}

impl Lowerer<'_> {
    /// Decides every operation's pagination, given what lowering paths gathered (by
    /// operationId).
    pub(super) fn paginate(&mut self, api: &mut Api, declared: &[(String, Declared)]) {
        for g in 0..api.groups.len() {
            // Every method name of the group (and its sub-group accessors), so the stream
            // methods take free names.
            let module = api.groups[g].module.clone();
            let mut scope = Scope::with_reserved(&["from_client"]);
            for child in api.children(&module) {
                scope.reserve(&child.accessor);
                scope.reserve(&format!("{}_with", child.accessor));
            }
            for op in &api.groups[g].operations {
                scope.reserve(&op.method_name);
                scope.reserve(&format!("{}_with", op.method_name));
            }
            for o in 0..api.groups[g].operations.len() {
                let op = &api.groups[g].operations[o];
                let Some((_, decl)) = declared.iter().find(|(id, _)| *id == op.id) else {
                    continue;
                };
                let decided = match self.plan(api, op, decl) {
                    Ok(Some(mut plan)) => {
                        plan.more = plan.more.or_else(|| infer::more_flag(api, op));
                        resolve(api, op, plan).map(Some)
                    }
                    other => other.map(|_| None),
                };
                let pagination = match decided {
                    Ok(pagination) => pagination,
                    Err(message) => {
                        // At the extension when there is one (its line), else the operation.
                        let pointer = match decl.extension() {
                            Some(name) => format!("{}/{name}", decl.pointer),
                            None => decl.pointer.clone(),
                        };
                        self.warn(&pointer, format!("{message}; no stream methods"));
                        None
                    }
                };
                let Some(mut pagination) = pagination else {
                    continue;
                };
                let name = &op.method_name;
                pagination.all_method = scope.claim(&format!("{name}_all"), "_");
                pagination.pages_method = scope.claim(&format!("{name}_pages"), "_");
                pagination.request_fn = scope.claim(&format!("{name}_request"), "_");
                api.groups[g].operations[o].pagination = Some(pagination);
            }
        }
    }

    /// The declared (or inferred) plan, `Ok(None)` for an operation that does not page.
    fn plan(&self, api: &Api, op: &Operation, decl: &Declared) -> Result<Option<Plan>, String> {
        match &decl.rust {
            Some(Value::Bool(false)) => return Ok(None),
            Some(value) => return extension(value, "x-rust-pagination").map(Some),
            None => {}
        }
        if let Some(value) = &decl.speakeasy {
            return extension(value, "x-speakeasy-pagination").map(Some);
        }
        if let Some(value) = &decl.dropshot {
            if value == &Value::Bool(false) || value.is_null() {
                return Ok(None);
            }
            return Ok(Some(Plan {
                source: "x-dropshot-pagination",
                results: JsonPath::Plain(vec!["items".to_owned()]),
                style: PlannedStyle::Cursor {
                    param: "page_token".to_owned(),
                    next: JsonPath::Plain(vec!["next_page".to_owned()]),
                },
                more: None,
            }));
        }
        if decl.link_header {
            return Ok(Some(Plan {
                source: "Link header",
                results: infer::items_path(api, op)
                    .ok_or("a `Link` header is declared, but the page is neither an array nor an object with one array property")?,
                style: PlannedStyle::Link,
                more: None,
            }));
        }
        Ok(infer::infer(api, op))
    }
}

/// A Speakeasy-style declaration (`x-speakeasy-pagination`, `x-rust-pagination`) as a plan.
fn extension(value: &Value, source: &'static str) -> Result<Plan, String> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let kind = text(value, "type").ok_or(format!("`{source}` has no `type`"))?;
    let mut inputs: Vec<(String, String)> = Vec::new();
    for input in value
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(role)) = (text(input, "name"), text(input, "type")) else {
            return Err(format!("`{source}`: an input needs `name` and `type`"));
        };
        match input.get("in").and_then(Value::as_str) {
            None | Some("parameters") => {}
            Some(other) => {
                return Err(format!(
                    "`{source}`: inputs `in: {other}` are not supported (only `in: parameters`)"
                ));
            }
        }
        inputs.push((role, name));
    }
    let input = |role: &str| {
        inputs
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, n)| n.clone())
    };
    let outputs = value.get("outputs");
    let output = |key: &str| -> Result<Option<JsonPath>, String> {
        match outputs.and_then(|o| o.get(key)).and_then(Value::as_str) {
            None => Ok(None),
            Some(path) => parse(path)
                .map(Some)
                .map_err(|e| format!("`{source}`: output `{key}`: {e}")),
        }
    };
    let plain = |key: &str| -> Result<Option<Vec<String>>, String> {
        match output(key)? {
            None => Ok(None),
            Some(JsonPath::Plain(path)) => Ok(Some(path)),
            Some(JsonPath::LastItem(..)) => Err(format!(
                "`{source}`: output `{key}` must be a plain path (`$.a.b`)"
            )),
        }
    };
    let results = output("results")?;
    let style = match kind.as_str() {
        "offsetLimit" => match (input("offset"), input("page"), input("end")) {
            (Some(start), _, Some(end)) => PlannedStyle::Range {
                start,
                end,
                total: plain("total")?,
            },
            (Some(param), _, None) => PlannedStyle::Offset {
                param,
                limit: input("limit"),
                total: plain("total")?,
            },
            (None, Some(param), _) => PlannedStyle::Page {
                param,
                limit: input("limit"),
                pages: plain("numPages")?,
            },
            (None, None, _) => {
                return Err(format!(
                    "`{source}`: `offsetLimit` needs an `offset` or `page` input"
                ));
            }
        },
        "cursor" => PlannedStyle::Cursor {
            param: input("cursor").ok_or(format!("`{source}`: `cursor` needs a `cursor` input"))?,
            next: output("nextCursor")?
                .ok_or(format!("`{source}`: `cursor` needs a `nextCursor` output"))?,
        },
        "url" => PlannedStyle::NextUrl {
            next: plain("nextUrl")?.ok_or(format!("`{source}`: `url` needs a `nextUrl` output"))?,
        },
        other => return Err(format!("`{source}`: unknown pagination type `{other}`")),
    };
    let results = match results {
        Some(path @ JsonPath::Plain(_)) => path,
        Some(JsonPath::LastItem(..)) => {
            return Err(format!(
                "`{source}`: output `results` must be a plain path (`$.a.b`)"
            ));
        }
        None => return Err(format!("`{source}` has no `results` output")),
    };
    Ok(Plan {
        source,
        results,
        style,
        more: None,
    })
}

/// Checks a plan against the operation (parameters, page type, paths) and builds the IR.
fn resolve(api: &Api, op: &Operation, plan: Plan) -> Result<Pagination, String> {
    let page = match op.success() {
        Success::One(BodyMedia::Json, ty) => ty.clone(),
        _ => return Err("paging needs one JSON success body".to_owned()),
    };
    let param = |name: &str| -> Result<String, String> {
        match op.params.iter().find(|p| p.name == name) {
            Some(p) if p.location == ParamLocation::Query && !p.required => Ok(p.name.clone()),
            Some(p) if p.required => Err(format!(
                "the paging parameter `{name}` is required; it must be optional to be set per page"
            )),
            Some(_) => Err(format!(
                "the paging parameter `{name}` is not a query parameter"
            )),
            None => Err(format!("the operation has no parameter `{name}`")),
        }
    };
    let JsonPath::Plain(results) = &plan.results else {
        unreachable!("plans hold plain results paths")
    };
    let (items, list) = fields(api, &page, results)?;
    let item = match strip(api, &list) {
        TypeRef::List(item) => (*item).clone(),
        _ => return Err(format!("`$.{}` is not an array", results.join("."))),
    };
    let scalar = |path: &Vec<String>| value_path(api, &page, path);
    let style = match plan.style {
        PlannedStyle::Offset {
            param: p,
            limit,
            total,
        } => PageStyle::Offset {
            param: param(&p)?,
            limit: limit.as_deref().map(param).transpose()?,
            total: total.as_ref().map(scalar).transpose()?,
        },
        PlannedStyle::Page {
            param: p,
            limit,
            pages,
        } => PageStyle::Page {
            param: param(&p)?,
            limit: limit.as_deref().map(param).transpose()?,
            pages: pages.as_ref().map(scalar).transpose()?,
        },
        PlannedStyle::Range { start, end, total } => PageStyle::Range {
            start: param(&start)?,
            end: param(&end)?,
            total: total.as_ref().map(scalar).transpose()?,
        },
        PlannedStyle::Cursor { param: p, next } => {
            let (next, in_last_item) = match next {
                JsonPath::Plain(path) => (scalar(&path)?, false),
                JsonPath::LastItem(array, inside) => {
                    if &array != results {
                        return Err(format!(
                            "the cursor's array `$.{}` is not the results `$.{}`",
                            array.join("."),
                            results.join(".")
                        ));
                    }
                    (value_path(api, &item, &inside)?, true)
                }
            };
            PageStyle::Cursor {
                param: param(&p)?,
                next,
                in_last_item,
            }
        }
        PlannedStyle::NextUrl { next } => PageStyle::NextUrl {
            next: scalar(&next)?,
        },
        PlannedStyle::Link => PageStyle::Link,
    };
    let more = plan
        .more
        .map(|(path, more_when)| {
            value_path(api, &page, &path).map(|path| MoreFlag { path, more_when })
        })
        .transpose()?;
    Ok(Pagination {
        all_method: String::new(),
        pages_method: String::new(),
        request_fn: String::new(),
        page,
        item,
        items,
        style,
        more,
        source: plan.source.to_owned(),
    })
}

/// The fields along `path` from `ty` to a scalar the paginator can read.
fn value_path(api: &Api, ty: &TypeRef, path: &[String]) -> Result<ValuePath, String> {
    let (steps, leaf) = fields(api, ty, path)?;
    let leaf = match strip(api, &leaf) {
        TypeRef::Primitive(Primitive::String) => Leaf::Text,
        TypeRef::Primitive(Primitive::Bool) => Leaf::Bool,
        TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64) => {
            Leaf::Number
        }
        TypeRef::Any => Leaf::Any,
        TypeRef::Named(name)
            if matches!(
                api.type_def(&name).map(|t| &t.kind),
                Some(TypeKind::Enum(_))
            ) =>
        {
            Leaf::Enum
        }
        _ => {
            return Err(format!(
                "`$.{}` is not a string, number or boolean",
                path.join(".")
            ));
        }
    };
    Ok(ValuePath { steps, leaf })
}

/// Follows aliases and nullability to the type a value has.
fn strip(api: &Api, ty: &TypeRef) -> TypeRef {
    let mut ty = ty.clone();
    // Bounded: aliases may (in broken documents) name each other.
    for _ in 0..64 {
        ty = match &ty {
            TypeRef::Nullable(inner) => (**inner).clone(),
            TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => target.clone(),
                _ => return ty,
            },
            _ => return ty,
        };
    }
    ty
}

/// The struct fields along `path` from `ty`, and the type at its end.
pub(super) fn fields(
    api: &Api,
    ty: &TypeRef,
    path: &[String],
) -> Result<(Vec<FieldStep>, TypeRef), String> {
    let mut steps = Vec::new();
    let mut current = ty.clone();
    for key in path {
        let TypeRef::Named(name) = strip(api, &current) else {
            return Err(format!("`{key}` is not a field: `$.{}`", path.join(".")));
        };
        let Some(TypeKind::Struct(s)) = api.type_def(&name).map(|t| &t.kind) else {
            return Err(format!("`{name}` has no fields (`$.{}`)", path.join(".")));
        };
        let Some(field) = s.fields.iter().find(|f| &f.name == key) else {
            return Err(format!(
                "`{name}` has no field `{key}` (`$.{}`)",
                path.join(".")
            ));
        };
        steps.push(FieldStep {
            json: field.name.clone(),
            rust: field.rust_name.clone(),
            optional: field.is_optional(),
            boxed: field.boxed,
        });
        current = field.ty.clone();
    }
    Ok((steps, current))
}
