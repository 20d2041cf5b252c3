//! The README's "Streaming responses" section, written when the API has operations that
//! return server-sent events, JSON lines or sequences, or downloads: an example that reads
//! items as they arrive, and what bounds a stream.

use super::Call;
use crate::emit::Config;
use crate::ir::{Api, Framing, Group, Operation, Success};

/// The section's lines; empty when the API streams nothing.
pub(super) fn section(api: &Api, config: &Config) -> Vec<String> {
    let krate = config.crate_ident();
    let items = api
        .operations()
        .find(|(_, op)| matches!(op.success(), Success::Stream(_)));
    let download = api
        .operations()
        .find(|(_, op)| op.byte_stream_method.is_some());
    if items.is_none() && download.is_none() {
        return Vec::new();
    }
    let mut lines = vec![
        "## Streaming responses".to_owned(),
        String::new(),
        "Operations whose response is a sequence (server-sent events, `application/jsonl` or".to_owned(),
        "`application/x-ndjson` lines, `application/json-seq` records) return a stream once the".to_owned(),
        "response head has arrived, and decode each item as it comes; downloads have a `_stream`".to_owned(),
        "form that hands on the body chunk by chunk. Each stream has an async `next()` and".to_owned(),
        "implements `futures_core::Stream` for combinators. The per-attempt timeout and retries".to_owned(),
        "cover the head; `RequestOptions::idle_timeout` (or `ClientBuilder::idle_timeout`) bounds".to_owned(),
        "the wait between chunks, and an item larger than `max_item_bytes` (16 MiB by default) is".to_owned(),
        "an error rather than unbounded memory. A connection lost mid-stream is an".to_owned(),
        "`Error::Transport` item, an item that does not decode an `Error::Decode` holding its text;".to_owned(),
        "either ends the stream, and so does dropping it.".to_owned(),
        String::new(),
        "```rust,no_run".to_owned(),
        "use std::time::Duration;".to_owned(),
        format!("use {krate}::{{Client, Error, RequestOptions}};"),
        String::new(),
        "async fn follow(client: &Client) -> Result<(), Error> {".to_owned(),
        "    let options = RequestOptions::new().idle_timeout(Duration::from_secs(30));".to_owned(),
    ];
    if let Some((group, op)) = items {
        lines.extend(items_example(api, config, group, op));
    }
    if let Some((group, op)) = download {
        lines.extend(download_example(api, config, group, op));
    }
    lines.push("    Ok(())".to_owned());
    lines.push("}".to_owned());
    lines.push("```".to_owned());
    lines.push(String::new());
    lines
}

fn items_example(api: &Api, config: &Config, group: &Group, op: &Operation) -> Vec<String> {
    let call = Call::new(api, config, group, op);
    let events = matches!(
        op.success(),
        Success::Stream(stream) if matches!(stream.framing, Framing::Events { .. })
    );
    let mut lines: Vec<String> = call.setup.iter().map(|l| format!("    {l}")).collect();
    lines.push(format!(
        "    let mut stream = {}.await?;",
        call.expr_with_options("options.clone()")
    ));
    lines.push("    while let Some(item) = stream.next().await {".to_owned());
    if events {
        lines.push("        let event = item?;".to_owned());
        lines.push("        println!(\"{}: {:?}\", event.event, event.data);".to_owned());
    } else {
        lines.push("        println!(\"{:?}\", item?);".to_owned());
    }
    lines.push("    }".to_owned());
    lines
}

fn download_example(api: &Api, config: &Config, group: &Group, op: &Operation) -> Vec<String> {
    let Some((method, method_with)) = api.operation_surface(group, op).byte_stream else {
        return Vec::new();
    };
    let call = Call::new(api, config, group, op).with_method(&method, &method_with);
    let mut lines: Vec<String> = call.setup.iter().map(|l| format!("    {l}")).collect();
    lines.push(format!(
        "    let mut body = {}.await?;",
        call.expr_with_options("options")
    ));
    lines.push("    let mut size = 0;".to_owned());
    lines.push("    while let Some(chunk) = body.next().await {".to_owned());
    lines.push("        size += chunk?.len();".to_owned());
    lines.push("    }".to_owned());
    lines.push("    println!(\"{size} bytes\");".to_owned());
    lines
}
