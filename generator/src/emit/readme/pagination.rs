//! The README's "Pagination" section (only when the API has paged operations) and the
//! examples of the stream methods' rustdoc.

use super::{Call, Config, accessor_chain, rust};
use crate::ir::{Api, Group, Operation};

/// The `# Example` of a stream method (`{op}_all` or `{op}_pages`): a `no_run` doctest.
pub(in crate::emit) fn stream_example(
    api: &Api,
    config: &Config,
    group: &Group,
    op: &Operation,
    method: &str,
) -> Vec<String> {
    let krate = config.crate_ident();
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!("# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{"),
        "use futures_util::StreamExt;".to_owned(),
        String::new(),
    ];
    lines.extend(loop_lines(api, config, group, op, method, &krate));
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// Builds the stream and reads it to the end.
fn loop_lines(
    api: &Api,
    config: &Config,
    group: &Group,
    op: &Operation,
    method: &str,
    krate: &str,
) -> Vec<String> {
    let call = Call::new(api, config, group, op);
    let pages = op
        .pagination
        .as_ref()
        .is_some_and(|p| p.pages_method == method);
    let mut lines = call.setup.clone();
    let target = format!(
        "client.{}.{}({})",
        accessor_chain(api, group),
        rust(method),
        call.args.join(", ")
    );
    if pages {
        lines.push(format!("let mut pages = {target}"));
        lines.push(format!(
            "    .with_options({krate}::RequestOptions::new().timeout(std::time::Duration::from_secs(10)));"
        ));
        lines.push("while let Some(page) = pages.next().await {".to_owned());
        lines.push("    let page = page?;".to_owned());
        lines.push("    println!(\"{page:?}\");".to_owned());
    } else {
        lines.push(format!("let mut items = {target};"));
        lines.push("while let Some(item) = items.next().await {".to_owned());
        lines.push("    let item = item?;".to_owned());
        lines.push("    println!(\"{item:?}\");".to_owned());
    }
    lines.push("}".to_owned());
    lines
}

/// The section, or nothing when no operation pages.
pub(super) fn section(api: &Api, config: &Config) -> Vec<String> {
    let paged: Vec<(&Group, &Operation)> = api
        .operations()
        .filter(|(_, op)| op.pagination.is_some())
        .collect();
    let Some(&(group, op)) = paged.first() else {
        return Vec::new();
    };
    let paging = op.pagination.as_ref().expect("filtered above");
    let krate = config.crate_ident();
    let names: Vec<String> = paged
        .iter()
        .map(|(g, o)| {
            let method = api.operation_surface(g, o).method;
            format!("`{}.{}`", accessor_chain(api, g), method)
        })
        .collect();
    let mut lines = vec![
        "## Pagination".to_owned(),
        String::new(),
        format!(
            "Paged operations ({}: {}) have two more methods. `{}(..)` is a `Stream` of every item of every page; `{}(..)` is a `Paginator`, a `Stream` of the pages themselves (totals and all), with `.with_options(RequestOptions)` applying per-call options to every page's request and `.items()` flattening it. Pages are fetched lazily: nothing is sent before the stream is polled, the next page only once the items already received are taken, and dropping the stream stops fetching. A stream ends after the documented last page (an empty page, no next cursor or link, the total reached) and after its first error item; a server that repeats a cursor, a link or a whole page gets `Error::Pagination`, never an endless loop. Streams are `Send + 'static` (they hold a clone of the client); `futures_util::StreamExt` reads them.",
            paged.len(),
            names.join(", "),
            rust(&paging.all_method),
            rust(&paging.pages_method),
        ),
        String::new(),
        "```rust,no_run".to_owned(),
        "use futures_util::StreamExt;".to_owned(),
        format!("use {krate}::{{Client, Error}};"),
        String::new(),
        "async fn every_item(client: &Client) -> Result<(), Error> {".to_owned(),
    ];
    let indent = |l: String| if l.is_empty() { l } else { format!("    {l}") };
    lines.extend(
        loop_lines(api, config, group, op, &paging.all_method, &krate)
            .into_iter()
            .map(indent),
    );
    lines.push("    Ok(())".to_owned());
    lines.push("}".to_owned());
    lines.push(String::new());
    lines.push("async fn page_by_page(client: &Client) -> Result<(), Error> {".to_owned());
    lines.extend(
        loop_lines(api, config, group, op, &paging.pages_method, &krate)
            .into_iter()
            .map(indent),
    );
    lines.push("    Ok(())".to_owned());
    lines.push("}".to_owned());
    lines.push("```".to_owned());
    lines.push(String::new());
    lines
}
