//! How README and rustdoc examples call an operation: the accessor chain, the method, and
//! placeholder arguments built from the document's examples and types.

use crate::emit::Config;
use crate::ir::{Api, Group, Operation, ParamLocation, Primitive, TypeKind, TypeRef};

/// A call of one operation with placeholder arguments, as README code.
pub(super) struct Call {
    /// Statements that build the arguments (`let body = ..;`), unindented.
    pub(super) setup: Vec<String>,
    /// `accessor().path()`, keywords raw.
    pub(super) chain: String,
    /// The method called and its `_with` form, as the surface names them.
    pub(super) method: String,
    pub(super) method_with: String,
    pub(super) args: Vec<String>,
    pub(super) summary: Option<String>,
    pub(super) http: String,
}

impl Call {
    pub(super) fn new(api: &Api, config: &Config, group: &Group, op: &Operation) -> Self {
        let krate = config.crate_ident();
        let surface = api.operation_surface(group, op);
        let qualify = |s: String| s.replace("models::", &format!("{krate}::models::"));
        let mut setup = Vec::new();
        let mut args = Vec::new();
        for p in op.required_params() {
            args.push(qualify(sample_arg(api, &p.ty, &p.name, p.location)));
        }
        if let Some(body) = &op.body {
            let value = qualify(sample_value(api, &body.ty, "body", 0));
            setup.push(format!("let body = {value};"));
            args.push(if body.required {
                "&body".to_owned()
            } else {
                "Some(&body)".to_owned()
            });
        }
        if let Some(params) = &surface.params {
            args.push(format!(
                "{krate}::apis::{}::{}::new()",
                group.module, params.name
            ));
        }
        Call {
            setup,
            chain: raw_chain(&surface.accessors),
            method: surface.method,
            method_with: surface.method_with,
            args,
            summary: op
                .summary
                .as_deref()
                .and_then(|s| s.lines().next())
                .map(str::to_owned),
            http: format!("{} {}", op.http_method.as_str(), op.path),
        }
    }

    /// `client.group().method(args)`, without `.await`.
    pub(super) fn expr(&self) -> String {
        format!(
            "client.{}.{}({})",
            self.chain,
            rust(&self.method),
            self.args.join(", ")
        )
    }

    /// `client.group().method_with(args, options)`, without `.await`.
    pub(super) fn expr_with(&self) -> String {
        self.expr_with_options("options")
    }

    /// `client.group().method_with(args, <options>)`, without `.await`.
    pub(super) fn expr_with_options(&self, options: &str) -> String {
        let mut args = self.args.clone();
        args.push(options.to_owned());
        format!(
            "client.{}.{}({})",
            self.chain,
            rust(&self.method_with),
            args.join(", ")
        )
    }

    /// The same call of another method of the operation and its `_with` form (e.g. the
    /// `_stream` pair the surface names).
    pub(super) fn with_method(mut self, method: &str, method_with: &str) -> Self {
        self.method = method.to_owned();
        self.method_with = method_with.to_owned();
        self
    }

    /// `// Summary (`METHOD /path`)`
    pub(super) fn comment(&self) -> String {
        match &self.summary {
            Some(summary) => format!("// {summary} (`{}`)", self.http),
            None => format!("// `{}`", self.http),
        }
    }
}

/// The `# Example` section of an operation's rustdoc: a `no_run` doctest that calls it.
pub(crate) fn method_example(
    api: &Api,
    config: &Config,
    group: &Group,
    op: &Operation,
) -> Vec<String> {
    let krate = config.crate_ident();
    let call = Call::new(api, config, group, op);
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!("# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{"),
    ];
    lines.extend(call.setup.iter().cloned());
    if matches!(op.success(), crate::ir::Success::Stream(_)) {
        lines.push(format!("let mut stream = {}.await?;", call.expr()));
        lines.push("while let Some(item) = stream.next().await {".to_owned());
        lines.push("    let item = item?;".to_owned());
        lines.push("    # let _ = item;".to_owned());
        lines.push("}".to_owned());
    } else {
        lines.push(format!("let response = {}.await?;", call.expr()));
        lines.push("# let _ = response;".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// `name` as Rust source: a raw identifier when it is a keyword (`r#type`).
pub(super) fn rust(name: &str) -> String {
    crate::emit::tokens::ident(name).to_string()
}

/// Accessors as a call chain (`token().management()`), keywords made raw.
fn raw_chain(accessors: &[String]) -> String {
    accessors
        .iter()
        .map(|a| format!("{}()", rust(a)))
        .collect::<Vec<_>>()
        .join(".")
}

/// How code reaches a group from the client (`token().management()`), keywords made raw.
pub(super) fn accessor_chain(api: &Api, group: &Group) -> String {
    raw_chain(&api.accessors(group))
}

pub(super) fn sample_arg(api: &Api, ty: &TypeRef, name: &str, location: ParamLocation) -> String {
    let _ = location;
    match ty {
        TypeRef::Primitive(Primitive::String) => {
            format!("{:?}", heck::ToKebabCase::to_kebab_case(name))
        }
        TypeRef::Primitive(Primitive::Bytes) => "b\"\"".to_owned(),
        TypeRef::List(_) => "&[]".to_owned(),
        TypeRef::Named(n) if is_enum(api, n) => sample_value(api, ty, name, 0),
        TypeRef::Primitive(_) => sample_value(api, ty, name, 0),
        _ => format!("&{}", sample_value(api, ty, name, 0)),
    }
}

pub(super) fn is_enum(api: &Api, name: &str) -> bool {
    api.type_def(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_)))
}

/// A Rust expression that builds a value of `ty` with placeholder contents.
pub(super) fn sample_value(api: &Api, ty: &TypeRef, name: &str, depth: usize) -> String {
    match ty {
        TypeRef::Primitive(Primitive::String) => {
            format!("{:?}.to_owned()", heck::ToKebabCase::to_kebab_case(name))
        }
        TypeRef::Primitive(Primitive::Bool) => "false".to_owned(),
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => "0".to_owned(),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "0.0".to_owned(),
        TypeRef::Primitive(Primitive::Bytes) => "Vec::new()".to_owned(),
        TypeRef::List(_) => "Vec::new()".to_owned(),
        TypeRef::Map(_) => "Default::default()".to_owned(),
        TypeRef::Nullable(_) => "None".to_owned(),
        TypeRef::Tuple(items) => format!(
            "({},)",
            items
                .iter()
                .map(|t| sample_value(api, t, name, depth + 1))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeRef::Any => "serde_json::Value::Null".to_owned(),
        TypeRef::Named(n) => match api.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => match e.variants.first() {
                Some(v) => format!("models::{n}::{}", rust(&v.rust_name)),
                None => format!("models::{n}::Unknown(String::new())"),
            },
            Some(TypeKind::Struct(s)) if depth < 3 => {
                let args: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| !f.is_optional())
                    .map(|f| {
                        if crate::emit::models::takes_into_string(f) {
                            let text = example_string(api, n, &f.name).unwrap_or_else(|| {
                                heck::ToKebabCase::to_kebab_case(f.name.as_str())
                            });
                            format!("{text:?}")
                        } else {
                            let v = sample_value(api, &f.ty, &f.name, depth + 1);
                            if f.boxed { format!("Box::new({v})") } else { v }
                        }
                    })
                    .collect();
                format!("models::{n}::new({})", args.join(", "))
            }
            Some(TypeKind::Alias(inner)) => sample_value(api, inner, name, depth + 1),
            Some(TypeKind::Union(u)) if depth < 3 && !u.variants.is_empty() => {
                let v = &u.variants[0];
                let inner = sample_value(api, &v.ty, name, depth + 1);
                let inner = if crate::emit::models::union_variant_boxed(api, v) {
                    format!("Box::new({inner})")
                } else {
                    inner
                };
                format!("models::{n}::{}({inner})", v.rust_name)
            }
            _ => "Default::default()".to_owned(),
        },
    }
}

/// A value the document's own examples give to the string field `field` of `type_name`, when
/// one is short enough for a README line.
pub(super) fn example_string(api: &Api, type_name: &str, field: &str) -> Option<String> {
    api.examples
        .iter()
        .filter(|e| matches!(&e.ty, TypeRef::Named(n) if n == type_name))
        .find_map(|e| e.value.get(field)?.as_str().map(str::to_owned))
        .filter(|s| !s.is_empty() && s.len() <= 240 && !s.contains(['\n', '\r']))
}

/// Replaces each call `.a().b().method(` (or `.method_with(`) spelled as in `spelled`
/// (`a().b().method`) with `actual`: the accessors, the method and its `_with` form as the
/// surface names them (keywords made raw). The segments may be separated
/// by whitespace, as rustfmt breaks long chains; it is kept when the segment counts agree.
pub(super) fn respell(text: &str, spelled: &str, actual: (&[String], &str, &str)) -> String {
    let (accessors, method, method_with) = actual;
    let from: Vec<&str> = spelled.split('.').collect();
    let mut to: Vec<String> = accessors.iter().map(|a| format!("{}()", rust(a))).collect();
    to.push(String::new());
    let first = format!(".{}", from[0]);
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find(&first) {
        let mut cursor = pos;
        let mut separators = Vec::new();
        let mut matched = true;
        for (i, segment) in from.iter().enumerate() {
            if i > 0 {
                let after = &rest[cursor..];
                let space = after.len() - after.trim_start().len();
                separators.push(&after[..space]);
                cursor += space;
            }
            let needle = format!(".{segment}");
            if !rest[cursor..].starts_with(&needle) {
                matched = false;
                break;
            }
            cursor += needle.len();
        }
        let tail = &rest[cursor..];
        if !(matched && (tail.starts_with('(') || tail.starts_with("_with("))) {
            out.push_str(&rest[..=pos]);
            rest = &rest[pos + 1..];
            continue;
        }
        let (called, tail) = match tail.strip_prefix("_with") {
            Some(after) => (method_with, after),
            None => (method, tail),
        };
        out.push_str(&rest[..pos]);
        for (i, segment) in to.iter().enumerate() {
            if i > 0 && separators.len() + 1 == to.len() {
                out.push_str(separators[i - 1]);
            }
            out.push('.');
            if i + 1 == to.len() {
                out.push_str(&rust(called));
            } else {
                out.push_str(segment);
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}
