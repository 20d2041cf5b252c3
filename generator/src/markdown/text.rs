//! Byte and line helpers shared by the rewrite passes.

/// Whether the byte at `i` is backslash-escaped (odd run of `\` before it).
pub(super) fn is_escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

pub(super) fn line_start(src: &str, pos: usize) -> usize {
    src.get(..pos)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |p| p + 1)
}

/// Tabs expanded to the next multiple of four columns.
pub(super) fn expand_tabs(prefix: &str) -> String {
    let mut out = String::new();
    for c in prefix.chars() {
        if c == '\t' {
            let width = 4 - out.chars().count() % 4;
            out.extend(std::iter::repeat_n(' ', width));
        } else {
            out.push(c);
        }
    }
    out
}

/// The container prefix for the lines after the first: block-quote markers
/// stay, list markers and everything else become spaces.
pub(super) fn continuation_prefix(prefix: &str) -> String {
    expand_tabs(prefix)
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

pub(super) fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default()
}
