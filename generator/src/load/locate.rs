//! Turns a JSON pointer into a line of the source text.
//!
//! Neither `serde_yaml` nor `serde_json` keeps positions for values, so this walks the text
//! itself: for each pointer token it looks, inside the block of the previous match, for a key
//! line (`key:`, `'key':`, `"key":`) or the n-th list item. It understands block-style YAML and
//! pretty-printed JSON, which is what API documents are; when the text is laid out otherwise it
//! returns the deepest line it found, or `None`, never a wrong guess past the parent's block.

use super::diagnostic::pointer_tokens;

/// The 1-based line where the value at `pointer` starts, when it can be found.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Option<usize> = None;
    // The block we search in: lines after `start` whose indentation exceeds `parent_indent`.
    let mut start = 0usize;
    let mut parent_indent: isize = -1;
    for token in pointer_tokens(pointer) {
        match find_in_block(&lines, start, parent_indent, &token) {
            Some((index, indent)) => {
                found = Some(index + 1);
                start = index + 1;
                parent_indent = indent as isize;
                // A `- key: value` list item: the item's own keys sit two columns further in.
                if lines[index].trim_start().starts_with("- ") {
                    parent_indent = indent as isize;
                }
            }
            None => return found,
        }
    }
    found
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_key_line(content: &str, token: &str) -> bool {
    let content = content.strip_prefix("- ").unwrap_or(content);
    [
        format!("{token}:"),
        format!("'{token}':"),
        format!("\"{token}\":"),
        format!("\"{token}\" :"),
    ]
    .iter()
    .any(|k| content.starts_with(k.as_str()))
}

fn find_in_block(
    lines: &[&str],
    start: usize,
    parent_indent: isize,
    token: &str,
) -> Option<(usize, usize)> {
    let index: Option<usize> = token.parse().ok();
    let mut item = 0usize;
    let mut child_indent: Option<usize> = None;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let content = line.trim_start();
        // Comments, and JSON lines that only open or close a container, hold no keys.
        let punctuation_only = content
            .chars()
            .all(|c| matches!(c, '{' | '}' | '[' | ']' | ','));
        if content.is_empty() || content.starts_with('#') || punctuation_only {
            continue;
        }
        let indent = indent_of(line);
        if (indent as isize) <= parent_indent
            && !(content.starts_with("- ") && indent as isize == parent_indent)
        {
            return None;
        }
        // Only look at the block's direct children.
        let level = *child_indent.get_or_insert(indent);
        if indent != level {
            continue;
        }
        if let Some(n) = index {
            if content.starts_with("- ") || content == "-" {
                if item == n {
                    return Some((i, indent));
                }
                item += 1;
                continue;
            }
        }
        if is_key_line(content, token) {
            return Some((i, indent));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n          in: query\n";

    #[test]
    fn finds_nested_yaml_keys() {
        assert_eq!(line_of(YAML, "/paths/~1pets/get/responses/200"), Some(6));
        assert_eq!(line_of(YAML, "/paths/~1pets~1{id}/get"), Some(9));
    }

    #[test]
    fn finds_list_items() {
        assert_eq!(
            line_of(YAML, "/paths/~1pets~1{id}/get/parameters/1"),
            Some(13)
        );
        assert_eq!(
            line_of(YAML, "/paths/~1pets~1{id}/get/parameters/1/in"),
            Some(14)
        );
    }

    #[test]
    fn stops_at_the_deepest_known_line() {
        assert_eq!(line_of(YAML, "/paths/~1pets/post"), Some(3));
        assert_eq!(line_of(YAML, "/nothing"), None);
    }

    #[test]
    fn finds_pretty_json_keys() {
        let json = "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "/paths/~1a/get"), Some(5));
    }
}
