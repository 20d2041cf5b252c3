//! The generated crate's README, from `templates/README.md.tmpl`. It is also the crate's
//! top-level rustdoc (`#![doc = include_str!("../README.md")]`), so its example is compiled as
//! a doctest and everything in it must be rustdoc-safe.

use super::Config;
use super::rustdoc;
use crate::ir::{Api, BodyMedia, Group, Operation, ParamLocation, Primitive, TypeKind, TypeRef};

pub fn readme(api: &Api, config: &Config) -> String {
    let template = include_str!("../../../templates/README.md.tmpl");
    template
        .replace("{{crate_name}}", &config.crate_name)
        .replace("{{title}}", &api.title)
        .replace("{{api_version}}", &api.version)
        .replace("{{example}}", &example(api, config))
        .replace("{{auth}}", &auth(api, config))
        .replace("{{servers}}", &servers(api))
        .replace("{{operations}}", &operations(api))
        .replace(
            "{{description}}",
            &api.description
                .as_deref()
                .map(|d| demote_headings(&rustdoc::sanitize(d)))
                .unwrap_or_default(),
        )
}

/// Headings in the API description sit under our own `##` section.
fn demote_headings(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with('#') {
                format!("##{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn table_cell(text: &str) -> String {
    rustdoc::sanitize(text)
        .lines()
        .next()
        .unwrap_or("")
        .replace('|', "\\|")
}

fn servers(api: &Api) -> String {
    if api.servers.is_empty() {
        return "| `Server::Local` | `http://localhost` | the document lists no servers |"
            .to_owned();
    }
    api.servers
        .iter()
        .map(|s| {
            format!(
                "| `Server::{}` | `{}` | {} |",
                s.variant,
                s.url,
                table_cell(s.description.as_deref().unwrap_or(""))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn auth(api: &Api, config: &Config) -> String {
    let prefix = config.env_prefix();
    match &api.auth {
        Some(_) => format!(
            "Every request carries `Authorization: Bearer <token>`. Set the token with \
             `Client::builder().bearer_token(..)`, or export `{prefix}_BEARER` and call \
             `Client::from_env()` (which also reads `{prefix}_SERVER_URL` when set). The token \
             never appears in `Debug` output, logs or errors."
        )
        .replace('<', "&lt;")
        .replace('>', "&gt;"),
        None => "The document declares no bearer authentication; add headers with a hook or \
                 per-call `RequestOptions::header` if the API needs them."
            .to_owned(),
    }
}

fn operations(api: &Api) -> String {
    let mut out = String::new();
    for group in &api.groups {
        out.push_str(&format!(
            "### {} — `client.{}()`\n\n",
            group.tag, group.module
        ));
        out.push_str("| Method | HTTP | Summary |\n|---|---|---|\n");
        for op in &group.operations {
            out.push_str(&format!(
                "| `{}` | `{} {}` | {} |\n",
                op.method_name,
                op.http_method.as_str(),
                op.path,
                table_cell(op.summary.as_deref().unwrap_or(""))
            ));
        }
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// The operation the README demonstrates: the one the document marks, else the first with a
/// JSON body, else the first.
fn example_operation(api: &Api) -> Option<(&Group, &Operation)> {
    let marked = api
        .readme_example
        .as_deref()
        .and_then(|id| api.operations().find(|(_, op)| op.id == id));
    marked
        .or_else(|| {
            api.operations().find(|(_, op)| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.media.first() == Some(&BodyMedia::Json))
            })
        })
        .or_else(|| api.operations().next())
}

fn example(api: &Api, config: &Config) -> String {
    let krate = config.crate_ident();
    let prefix = config.env_prefix();
    let Some((group, op)) = example_operation(api) else {
        return format!(
            "let client = {krate}::Client::from_env()?; // reads {prefix}_BEARER\n# let _ = client;\n# Ok::<(), {krate}::Error>(())"
        );
    };
    let mut setup = Vec::new();
    let mut args = Vec::new();
    for p in op.required_params() {
        args.push(sample_arg(api, &p.ty, &p.name, p.location));
    }
    if let Some(body) = &op.body {
        let value = sample_value(api, &body.ty, "body", 0);
        setup.push(format!("    let body = {value};"));
        args.push(if body.required {
            "&body".to_owned()
        } else {
            "Some(&body)".to_owned()
        });
    }
    if let Some(params) = &op.optional_params_type {
        args.push(format!("{krate}::apis::{}::{params}::new()", group.module));
    }
    let setup = if setup.is_empty() {
        String::new()
    } else {
        format!("{}\n", setup.join("\n"))
    };
    let summary = op
        .summary
        .as_deref()
        .map(|s| format!("    // {}\n", s.lines().next().unwrap_or("")))
        .unwrap_or_default();
    format!(
        "use {krate}::{{Client, models}};\n\n#[tokio::main]\nasync fn main() -> Result<(), {krate}::Error> {{\n    // Reads the bearer token from {prefix}_BEARER.\n    let client = Client::from_env()?;\n\n{setup}{summary}    let response = client\n        .{}()\n        .{}({})\n        .await?;\n    println!(\"{{response:?}}\");\n    Ok(())\n}}",
        group.module,
        op.method_name,
        args.join(", ")
    )
    .replace("models::", &format!("{krate}::models::"))
    .replace(&format!("use {krate}::{{Client, {krate}::models}};"), &format!("use {krate}::Client;"))
}

fn sample_arg(api: &Api, ty: &TypeRef, name: &str, location: ParamLocation) -> String {
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

fn is_enum(api: &Api, name: &str) -> bool {
    api.type_def(name)
        .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_)))
}

/// A Rust expression that builds a value of `ty` with placeholder contents.
fn sample_value(api: &Api, ty: &TypeRef, name: &str, depth: usize) -> String {
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
        TypeRef::Any => "serde_json::Value::Null".to_owned(),
        TypeRef::Named(n) => match api.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => match e.variants.first() {
                Some(v) => format!("models::{n}::{}", v.rust_name),
                None => format!("models::{n}::Unknown(String::new())"),
            },
            Some(TypeKind::Struct(s)) if depth < 3 => {
                let args: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| !f.is_optional())
                    .map(|f| {
                        if super::models::takes_into_string(f) {
                            format!("{:?}", heck::ToKebabCase::to_kebab_case(f.name.as_str()))
                        } else {
                            let v = sample_value(api, &f.ty, &f.name, depth + 1);
                            if f.boxed { format!("Box::new({v})") } else { v }
                        }
                    })
                    .collect();
                format!("models::{n}::new({})", args.join(", "))
            }
            Some(TypeKind::Alias(inner)) => sample_value(api, inner, name, depth + 1),
            _ => "Default::default()".to_owned(),
        },
    }
}
