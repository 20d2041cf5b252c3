//! The rustdoc of an operation's method: summary and description, the HTTP route, the
//! parameters in signature order, streamed bodies, errors, and a compiling example.

use super::tokens::{paragraphs, type_tokens};
use crate::ir::{Api, Group, Operation, ParamLocation, StatusMatch, Success, TypeRef};

pub(super) fn operation_docs(
    api: &Api,
    config: &super::Config,
    group: &Group,
    op: &Operation,
    has_form: bool,
) -> Vec<String> {
    let surface = api.operation_surface(group, op);
    let mut lines = paragraphs(&[op.summary.as_deref(), op.description.as_deref()]);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "`{} {}`",
        op.http_method.as_str(),
        op.path.replace('`', "'")
    ));
    if has_form {
        lines.push(String::new());
        lines.push(format!(
            "The body is sent as JSON; to send it as `application/x-www-form-urlencoded` instead, call [`Self::{}`] with [`RequestOptions::form`].",
            surface.method_with
        ));
    }

    // Parameters, in signature order.
    let mut params = Vec::new();
    for p in op.required_params() {
        let first = p
            .description
            .as_deref()
            .map(crate::markdown::doc_lines)
            .and_then(|l| l.into_iter().find(|l| !l.is_empty()))
            .unwrap_or_default();
        params.push(format!(
            "- `{}`: the {} parameter `{}`. {first}",
            p.rust_name,
            location_name(p.location),
            p.name.replace('`', "'")
        ));
    }
    let stream = match op.success() {
        Success::Stream(stream) => op
            .success_responses()
            .filter_map(|r| r.body.as_ref())
            .find(|b| b.stream.as_ref() == Some(stream))
            .map(|body| (body, stream)),
        _ => None,
    };
    if let Some((body, stream)) = stream {
        let item = match &stream.item {
            TypeRef::Named(name) => format!("[`models::{name}`]"),
            other => format!("`{}`", super::tokens::type_text(&type_tokens(other, false))),
        };
        lines.push(String::new());
        lines.push(super::streams::item_stream_doc(
            stream,
            &item,
            &body.media_type,
        ));
    }
    if let Some(body) = &op.body {
        let media: Vec<&str> = body.media.iter().map(|m| m.mime()).collect();
        params.push(format!(
            "- `body`: the request body{} ({}).",
            if body.required { "" } else { ", optional" },
            media.join(" or ")
        ));
    }
    if let Some(ty) = &surface.params {
        params.push(format!(
            "- `params`: optional parameters, see [`{}`].",
            ty.name
        ));
    }
    if !params.is_empty() {
        lines.push(String::new());
        lines.push("# Parameters".to_owned());
        lines.push(String::new());
        lines.extend(params.into_iter().map(|l| l.trim_end().to_owned()));
    }

    // Errors: the documented error statuses, and the classes every call can meet.
    let statuses: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| match r.status {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
            StatusMatch::Default => "any other status".to_owned(),
        })
        .collect();
    lines.push(String::new());
    lines.push("# Errors".to_owned());
    lines.push(String::new());
    if statuses.is_empty() {
        lines.push("- [`Error::Api`] when the server answers with a non-2xx status.".to_owned());
    } else {
        lines.push(format!(
            "- [`Error::Api`] when the server answers with a non-2xx status (documented: {}); the body is parsed into [`ResultError`](crate::ResultError) when it matches.",
            statuses.join(", ")
        ));
    }
    lines.push(
        "- [`Error::Timeout`], [`Error::Connect`] or [`Error::Transport`] when the exchange fails."
            .to_owned(),
    );
    lines.push("- [`Error::Decode`] when a success body does not match the model.".to_owned());
    lines.push(
        "- [`Error::InvalidRequest`] when the request cannot be built (nothing is sent)."
            .to_owned(),
    );
    lines.push(String::new());
    lines.extend(super::readme::method_example(api, config, group, op));
    lines
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::QueryString { .. } => "query string",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}
