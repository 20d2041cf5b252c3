//! The generated crate's README, from `templates/README.md.tmpl`, and its `examples/`, from
//! the project's example programs (`x-rust-examples`).
//!
//! The README is also the crate's top-level rustdoc (`#![doc = include_str!("../README.md")]`),
//! so its `rust` code blocks are doctests and everything in it must be rustdoc-safe. The same
//! template renders the README of every document: code that calls operations is built from the
//! IR (operations looked up by operationId, arguments from their types and the document's
//! examples), and sections that need an operation disappear when the document has none.
//!
//! Template syntax: `{{name}}` is replaced by text; a line holding only `{{name}}` is replaced
//! by lines indented like it (or removed when there are none); lines between `{{#operation}}`
//! and `{{/operation}}` are kept only when the document has an operation.

mod auth;
mod calls;
mod pagination;
mod streams;

pub(super) use calls::method_example;
pub(super) use pagination::stream_example;

use calls::{Call, accessor_chain, respell, rust};

use super::Config;
use crate::ir::{
    Api, BodyMedia, DESERIALIZE_FEATURE, ExampleProgram, Group, HttpMethod, Operation, Primitive,
    SERIALIZE_FEATURE, TypeKind, TypeRef,
};
use crate::markdown;

/// How many groups the tour visits when the document names no tour (`x-rust-readme-tour`).
const TOUR_FALLBACK_GROUPS: usize = 4;

/// The operations `ids` name, in order (lowering has checked they exist).
fn named<'a>(api: &'a Api, ids: &'a [String]) -> impl Iterator<Item = (&'a Group, &'a Operation)> {
    ids.iter()
        .filter_map(|id| api.operations().find(|(_, op)| op.id == *id))
}

pub fn readme(api: &Api, config: &Config) -> String {
    let template = include_str!("../../../templates/README.md.tmpl");
    let krate = config.crate_ident();
    let has_operation = api.operations().next().is_some();
    let get_call = get_operation(api).map(|(g, op)| Call::new(api, config, g, op));
    let retry_call = retry_operation(api).map(|(g, op)| Call::new(api, config, g, op));
    let (setup, call, call_with) = match &get_call {
        Some(c) => (c.setup.clone(), c.expr(), c.expr_with()),
        None => (Vec::new(), String::new(), String::new()),
    };
    let (retry_setup, retry_call_with) = match &retry_call {
        Some(c) => (c.setup.clone(), c.expr_with()),
        None => (Vec::new(), String::new()),
    };
    let text = keep_sections(template, "operation", has_operation);
    let text = fill_lines(&text, "{{tour}}", &tour(api, config));
    let text = fill_lines(&text, "{{setup}}", &setup);
    let text = fill_lines(&text, "{{retry_setup}}", &retry_setup);
    let text = fill_lines(&text, "{{error_result}}", &error_result(api));
    let text = fill_lines(&text, "{{credentials}}", &auth::builder_lines(api, config));
    let text = fill_lines(&text, "{{streaming}}", &streams::section(api, config));
    let text = fill_lines(&text, "{{pagination}}", &pagination::section(api, config));
    text.replace("{{crate_name}}", &config.crate_name)
        .replace("{{crate}}", &krate)
        .replace("{{env}}", &config.env_prefix())
        .replace("{{title}}", &api.title)
        .replace("{{api_version}}", &api.version)
        .replace("{{server}}", &server_variant(api))
        .replace("{{post_share}}", &post_share(api))
        .replace("{{call}}", &call)
        .replace("{{call_with}}", &call_with)
        .replace("{{retry_call_with}}", &retry_call_with)
        .replace("{{example}}", &example(api, config))
        .replace("{{auth}}", &auth::section(api, config, get_call.as_ref()))
        .replace("{{env_credentials}}", &auth::env_sentence(api, config))
        .replace("{{servers}}", &servers(api))
        .replace("{{sensitive}}", &super::model_debug::readme_summary(api))
        .replace("{{operations}}", &operations(api))
        .replace("{{group_features}}", &group_features(api))
        .replace("{{feature_example}}", &feature_example(api))
        .replace("{{serde_defaults}}", &serde_defaults(api))
        .replace(
            "{{description}}",
            &api.description
                .as_deref()
                .map(|d| demote_headings(&markdown::sanitize(d)))
                .unwrap_or_default(),
        )
}

/// Keeps or drops the lines between `{{#name}}` and `{{/name}}`; the marker lines always go.
fn keep_sections(template: &str, name: &str, keep: bool) -> String {
    let open = format!("{{{{#{name}}}}}");
    let close = format!("{{{{/{name}}}}}");
    let mut out = String::new();
    let mut inside = false;
    for line in template.split_inclusive('\n') {
        let marker = line.trim();
        if marker == open {
            inside = true;
        } else if marker == close {
            inside = false;
        } else if keep || !inside {
            out.push_str(line);
        }
    }
    out
}

/// Replaces each line that holds only `placeholder` by `lines`, indented like it.
fn fill_lines(template: &str, placeholder: &str, lines: &[String]) -> String {
    let mut out = String::new();
    for line in template.split_inclusive('\n') {
        if line.trim() != placeholder {
            out.push_str(line);
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        for l in lines {
            if l.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("{indent}{l}\n"));
            }
        }
    }
    out
}

/// The tour: one call per major group.
fn tour(api: &Api, config: &Config) -> Vec<String> {
    let mut picked: Vec<(&Group, &Operation)> = named(api, &api.readme.tour).collect();
    if picked.is_empty() {
        picked = api
            .groups
            .iter()
            .filter_map(|g| g.operations.first().map(|op| (g, op)))
            .take(TOUR_FALLBACK_GROUPS)
            .collect();
    }
    let mut lines = Vec::new();
    for (group, op) in picked {
        let call = Call::new(api, config, group, op);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(call.comment());
        lines.extend(call.setup.iter().cloned());
        lines.push(format!("let response = {}.await?;", call.expr()));
        lines.push("println!(\"{response:?}\");".to_owned());
    }
    lines
}

/// The operation the sections on errors, timeouts and per-call options call: a `GET` from
/// the tour when there is one, else any `GET`, else the README's example.
fn get_operation(api: &Api) -> Option<(&Group, &Operation)> {
    named(api, &api.readme.tour)
        .chain(api.operations())
        .find(|(_, op)| op.http_method == HttpMethod::Get)
        .or_else(|| example_operation(api))
}

/// The operation used to show opting in to retries for a `POST`.
fn retry_operation(api: &Api) -> Option<(&Group, &Operation)> {
    named(api, api.readme.retry_example.as_slice())
        .next()
        .or_else(|| {
            api.operations()
                .find(|(_, op)| op.http_method == HttpMethod::Post)
        })
        .or_else(|| example_operation(api))
}

/// How common non-retried `POST`s are in this API, as a sentence and a space (or nothing).
fn post_share(api: &Api) -> String {
    let total = api.operations().count();
    let posts = api
        .operations()
        .filter(|(_, op)| op.http_method == HttpMethod::Post)
        .count();
    match posts {
        0 => String::new(),
        _ if posts == total => format!("All {total} operations of this API are `POST`s. "),
        _ => format!("In this API, {posts} of the {total} operations are `POST`s. "),
    }
}

/// The `Some(result) => ..` arm printing the parsed error body: its string fields when the
/// error model is a struct that has some, else its `Debug` form.
fn error_result(api: &Api) -> Vec<String> {
    let fields: Vec<String> = match &api.error_model {
        Some(TypeRef::Named(name)) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .filter(|f| f.ty == TypeRef::Primitive(Primitive::String) && !f.boxed)
                .take(2)
                .map(|f| {
                    if f.is_optional() {
                        format!(
                            "result.{}.as_deref().unwrap_or_default()",
                            rust(&f.rust_name)
                        )
                    } else {
                        format!("result.{}", rust(&f.rust_name))
                    }
                })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    if fields.is_empty() {
        return vec!["Some(result) => eprintln!(\"{result:?}\"),".to_owned()];
    }
    let holes = vec!["{}"; fields.len()].join(" ");
    vec![format!(
        "Some(result) => eprintln!(\"{holes}\", {}),",
        fields.join(", ")
    )]
}

/// The server the builder example picks: the second one when there are several (the first is
/// the default anyway).
fn server_variant(api: &Api) -> String {
    api.servers
        .get(1)
        .or_else(|| api.servers.first())
        .map_or_else(|| "Local".to_owned(), |s| s.variant.clone())
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
    markdown::sanitize(text)
        .lines()
        .next()
        .unwrap_or("")
        .replace('|', "\\|")
}

/// The group features, as a sentence-friendly list.
fn group_features(api: &Api) -> String {
    let names: Vec<String> = api
        .groups
        .iter()
        .map(|g| format!("`{}`", super::features::group_feature(g)))
        .collect();
    if names.is_empty() {
        "(the document has no operations)".to_owned()
    } else {
        names.join(", ")
    }
}

/// Which of the serde features this crate turns on by default (`x-rust-default-features`).
fn serde_defaults(api: &Api) -> String {
    let on = |f: &str| api.default_features.iter().any(|d| d == f);
    match (on(SERIALIZE_FEATURE), on(DESERIALIZE_FEATURE)) {
        (true, true) => "This crate turns both on by default.",
        (true, false) => "This crate turns `serialize` on by default.",
        (false, true) => "This crate turns `deserialize` on by default.",
        (false, false) => "Both are off by default.",
    }
    .to_owned()
}

/// The features an example `Cargo.toml` line picks: the deepest group of the README's
/// example operation (its parents follow automatically).
fn feature_example(api: &Api) -> String {
    example_operation(api)
        .map(|(group, _)| format!("\"{}\"", super::features::group_feature(group)))
        .unwrap_or_default()
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

fn operations(api: &Api) -> String {
    let mut out = String::new();
    for group in &api.groups {
        if group.operations.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "### {} — `client.{}`\n\n",
            group.tag,
            accessor_chain(api, group)
        ));
        out.push_str("| Method | HTTP | Summary |\n|---|---|---|\n");
        for op in &group.operations {
            out.push_str(&format!(
                "| `{}` | `{} {}` | {} |\n",
                api.operation_surface(group, op).method,
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
    let marked = named(api, api.readme.example.as_slice()).next();
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
    let reads = auth::env_sentence(api, config);
    let Some((group, op)) = example_operation(api) else {
        return format!(
            "let client = {krate}::Client::from_env()?; // reads {reads}\n# let _ = client;\n# Ok::<(), {krate}::Error>(())"
        );
    };
    let call = Call::new(api, config, group, op);
    let mut lines = vec![
        format!("use {krate}::Client;"),
        String::new(),
        "#[tokio::main]".to_owned(),
        format!("async fn main() -> Result<(), {krate}::Error> {{"),
        format!("    // Reads {reads}."),
        "    let client = Client::from_env()?;".to_owned(),
        String::new(),
    ];
    lines.extend(call.setup.iter().map(|l| format!("    {l}")));
    lines.push(format!("    {}", call.comment()));
    lines.push(format!("    let response = {}.await?;", call.expr()));
    lines.push("    println!(\"{response:?}\");".to_owned());
    lines.push("    Ok(())".to_owned());
    lines.push("}".to_owned());
    lines.join("\n")
}

/// `(path, contents)` of the project's example programs (`x-rust-examples`) that the document
/// supports: a program is left out when an operation it calls is missing.
///
/// A program is real Rust written against the crate as generated today. Each call is
/// re-spelled from the IR, so renaming an operation or a group (in the overlay) keeps the
/// example compiling; a call or body model its text does not spell is an error, since the
/// re-spelling would silently miss it.
pub fn examples(api: &Api, config: &Config) -> Vec<(String, String)> {
    let mut out = Vec::new();
    'programs: for program in &api.readme.programs {
        let Some((_, original)) = config
            .example_programs
            .iter()
            .find(|(f, _)| *f == program.file)
        else {
            continue;
        };
        let mut text = original.clone();
        for call in &program.calls {
            let Some((group, op)) = api.operations().find(|(_, op)| op.id == call.operation) else {
                continue 'programs;
            };
            let surface = api.operation_surface(group, op);
            let actual = (
                surface.accessors.as_slice(),
                surface.method.as_str(),
                surface.method_with.as_str(),
            );
            text = respell(&text, &call.spelled, actual);
            if let (Some(spelled), Some(TypeRef::Named(actual))) =
                (&call.body, op.body.as_ref().map(|b| &b.ty))
            {
                text = text.replace(
                    &format!("models::{spelled}::"),
                    &format!("models::{actual}::"),
                );
            }
        }
        let header = format!(
            "// This file is generated by `cargo run -p generator` from the project's \
             examples/{}; do not edit it by hand.\n\n",
            program.file
        );
        out.push((
            format!("examples/{}", program.file),
            format!("{header}{text}"),
        ));
    }
    out
}

/// Whether `text` spells every call and body model `program` declares, so that re-spelling
/// cannot silently miss one (checked when the program is read, see `crate::example_programs`).
pub fn check_example_program(program: &ExampleProgram, text: &str) -> Result<(), String> {
    for call in &program.calls {
        if respell(text, &call.spelled, (&[], "respelled", "respelled_with")) == text {
            return Err(format!(
                "the call `{}` ({}) that x-rust-examples declares is not in the program",
                call.spelled, call.operation
            ));
        }
        if let Some(body) = &call.body
            && !text.contains(&format!("models::{body}::"))
        {
            return Err(format!(
                "`models::{body}::`, which x-rust-examples declares, is not in the program"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respell_follows_renames_across_line_breaks() {
        let text = "a.token().process(x); b\n    .token()\n    .management()\n    .reissue_with(y)\n c.token().process_all(z) d.token().processing(";
        let to = |chain: &[&str]| chain.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            respell(
                text,
                "token().process",
                (&to(&["tokens"]), "run", "run_with")
            ),
            "a.tokens().run(x); b\n    .token()\n    .management()\n    .reissue_with(y)\n c.token().process_all(z) d.token().processing("
        );
        assert_eq!(
            respell(
                text,
                "token().management().reissue",
                (&to(&["token", "mgmt"]), "again", "again_with")
            ),
            "a.token().process(x); b\n    .token()\n    .mgmt()\n    .again_with(y)\n c.token().process_all(z) d.token().processing("
        );
        assert_eq!(
            respell(
                text,
                "token().management().reissue",
                (&[], "reissue_token", "reissue_token_with")
            ),
            "a.token().process(x); b\n    .reissue_token_with(y)\n c.token().process_all(z) d.token().processing("
        );
    }

    #[test]
    fn sections_and_line_placeholders() {
        let t = "a\n{{#operation}}\nb\n{{/operation}}\nc\n";
        assert_eq!(keep_sections(t, "operation", true), "a\nb\nc\n");
        assert_eq!(keep_sections(t, "operation", false), "a\nc\n");
        let t = "x\n    {{setup}}\ny\n";
        assert_eq!(fill_lines(t, "{{setup}}", &[]), "x\ny\n");
        let lines = ["let a = 1;".to_owned(), String::new(), "b();".to_owned()];
        assert_eq!(
            fill_lines(t, "{{setup}}", &lines),
            "x\n    let a = 1;\n\n    b();\ny\n"
        );
    }
}
