//! Code blocks become non-Rust fenced blocks; code spans stay as they are.

use super::{check, check_same};

#[test]
fn bare_fence_becomes_text() {
    assert_eq!(check("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
}

#[test]
fn rustish_fences_become_text() {
    for info in [
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "edition2021",
        "rust,ignore",
        "  ",
        "should-panic",
        "E0001",
        "{.class}",
    ] {
        let input = format!("```{info}\nfn main() {{}}\n```");
        assert_eq!(check(&input), "```text\nfn main() {}\n```", "{info:?}");
    }
}

#[test]
fn other_languages_are_kept() {
    for info in ["json", "bash", "http", "sh", "c++", "yaml"] {
        let input = format!("```{info}\n{{\"a\": [1]}}\n```");
        assert_eq!(check(&input), input);
    }
    assert_eq!(
        check("```json,ignore\n{}\n```"),
        "```json\n{}\n```",
        "attribute tokens dropped"
    );
    assert_eq!(check("```bash no-run\nls\n```"), "```bash\nls\n```");
}

#[test]
fn tilde_fences() {
    assert_eq!(check("~~~\nx [y] <z>\n~~~"), "~~~text\nx [y] <z>\n~~~");
    assert_eq!(check("~~~ json\n{}\n~~~"), "~~~ json\n{}\n~~~");
}

#[test]
fn unclosed_fences_are_closed() {
    assert_eq!(check("```\ncode [x]"), "```text\ncode [x]\n```");
    assert_eq!(
        check("Text\n\n```json\n{}\n\n\n"),
        "Text\n\n```json\n{}\n```"
    );
    assert_eq!(check("````\ncode\n```"), "````text\ncode\n```\n````");
    assert_eq!(check("```"), "");
    assert_eq!(check("a\n\n```json\n\n"), "a");
    assert_eq!(
        check("- item\n\n  ```\n  code\nafter"),
        "- item\n\n  ```text\n  code\n  ```\nafter"
    );
    assert_eq!(
        check("> ```rust\n> code\n\nafter"),
        "> ```text\n> code\n> ```\n\nafter"
    );
}

#[test]
fn indented_block_becomes_fenced() {
    assert_eq!(
        check("Example:\n\n    GET /api/x [1] <y>\n      nested\n\n    more\n\nDone."),
        "Example:\n\n```text\nGET /api/x [1] <y>\n  nested\n\nmore\n```\n\nDone."
    );
    assert_eq!(check("\tcode"), "```text\ncode\n```");
    assert_eq!(
        check("- item\n\n      code\n- next"),
        "- item\n\n  ```text\n  code\n  ```\n- next"
    );
    assert_eq!(
        check("> q\n>\n>     code"),
        "> q\n>\n> ```text\n> code\n> ```"
    );
    assert_eq!(check("    a ``` b"), "````text\na ``` b\n````");
}

#[test]
fn list_continuation_is_not_code() {
    // Not code but a continuation line, over-indented for clippy.
    assert_eq!(
        check_same("- item one\n    continues here\n- item two"),
        "- item one\n  continues here\n- item two"
    );
    let input = "1. First\n\n    More about the first.\n2. Second";
    assert_eq!(check(input), input);
}

#[test]
fn html_with_indented_content_ends_up_fenced() {
    let out = check("<pre>\nline\n\n    indented\n</pre>");
    assert!(out.contains("```text\nindented\n```"), "{out}");
}

#[test]
fn code_spans_are_untouched() {
    let input = "Use `[x]` and `<y>` and `https://z.example` here.";
    assert_eq!(check(input), input);
    let input = "``a ` [b] <c>``";
    assert_eq!(check(input), input);
}

#[test]
fn curl_block_from_an_api_reference() {
    assert_eq!(
        check("```\ncurl -X GET https://us.authlete.com/api/service/get/list\n```"),
        "```text\ncurl -X GET https://us.authlete.com/api/service/get/list\n```"
    );
}
