//! Whole descriptions, the line shape of `doc_lines`, idempotence, and arbitrary input
//! (never a panic, always safe).

use super::super::doc_lines;
use super::{check, sanitize};

#[test]
fn api_reference_like_description() {
    let input = "This API parses request parameters. See [ISSUE] in `NO\\_INTERACTION`.\r\n\
                 ### Description\r\n\
                 Log in to [Authlete Console](https://console.authlete.com) or see\r\n\
                 https://www.authlete.com/developers/ (docs).\r\n\
                 ```\r\n\
                 HTTP/1.1 400 Bad Request\r\n\
                 Content-Type: application/json\r\n\
                 {responseContent}\r\n\
                 ```\r\n\
                 Send `Authorization: Bearer <token>`; a token looks like <token>.  \r\n";
    assert_eq!(
        check(input),
        "This API parses request parameters. See \\[ISSUE\\] in `NO\\_INTERACTION`.\n\
         ### Description\n\
         Log in to [Authlete Console](https://console.authlete.com) or see\n\
         <https://www.authlete.com/developers/> (docs).\n\
         ```text\n\
         HTTP/1.1 400 Bad Request\n\
         Content-Type: application/json\n\
         {responseContent}\n\
         ```\n\
         Send `Authorization: Bearer <token>`; a token looks like \\<token\\>."
    );
}

#[test]
fn structure_is_preserved() {
    let input = "# Title\n\nSome *emphasis* and **strong**.\n\n- a\n- b\n  1. c\n\n| h1 | h2 |\n|----|----|\n| `a\\|b` | c |\n\n> quoted\n\n---\n\n- [x] done\n- [ ] todo\n\nline one\\\nline two\n\nfoot[^n]\n\n[^n]: note";
    assert_eq!(check(input), input);
}

#[test]
fn whitespace_is_normalized() {
    assert_eq!(
        check("\r\n\r\n  a  \r\nb\t\r\n\r\n\r\n\r\nc\n\n\n"),
        "  a\\\nb\n\nc"
    );
    assert_eq!(check("one\n\n\nthree"), "one\n\nthree");
    assert_eq!(check("a\rb"), "a\nb");
    assert_eq!(check("```json\n{\n\n\n}\n```"), "```json\n{\n\n\n}\n```");
    assert_eq!(check("x\u{202E}y"), "xy");
}

#[test]
fn doc_lines_splits_and_trims() {
    assert!(doc_lines("").is_empty());
    assert!(doc_lines(" \n\t\r\n  ").is_empty());
    assert_eq!(
        doc_lines("\n\nFirst [x].\n\n\n\nSecond.  \n\n"),
        vec!["First \\[x\\].", "", "Second."]
    );
}

#[test]
fn idempotent_on_examples() {
    for input in [
        "[A001201] /auth/authorization, TLS must be used.",
        "Authorization: Bearer <token>",
        "<div>\n\n    code\n</div>",
        "- ```\n  code\nnot",
        "x https://a.example/b. [c](d)",
    ] {
        let once = check(input);
        assert_eq!(sanitize(&once), once);
    }
}

/// Deterministic xorshift, to need no extra dev-dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn arbitrary_input_never_panics_and_is_safe() {
    const PIECES: &[&str] = &[
        "`",
        "``",
        "```",
        "~~~",
        "```rust",
        "```json",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "\\",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "    ",
        "\t",
        " ",
        "  ",
        "- ",
        "* ",
        "1. ",
        "> ",
        ">",
        "*",
        "_",
        "#",
        "|",
        "|---|",
        "!",
        "&",
        "&amp;",
        ";",
        ":",
        "http://",
        "https://",
        "a.example/",
        "x",
        "word",
        "é",
        "日本語",
        "🦀",
        "\u{202E}",
        "\u{0}",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "<pre>",
        "[^1]",
        "[^1]: ",
        "[r]: ",
        "Foo",
        "#a#b",
        "\"",
        "'",
        "---",
        "===",
        "@",
        "<https://x.example>",
        "[l](https://x.example/)",
        "[l](Foo)",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..4000 {
        let len = rng.below(40);
        let input: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        check(&input);
        for line in doc_lines(&input) {
            assert!(!line.contains('\n'));
        }
    }
    // Raw bytes as text, lossily.
    for _ in 0..1000 {
        let len = rng.below(64);
        let raw: Vec<u8> = (0..len).map(|_| (rng.next() % 256) as u8).collect();
        check(&String::from_utf8_lossy(&raw));
    }
}
