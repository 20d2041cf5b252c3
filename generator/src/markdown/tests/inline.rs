//! Brackets, raw HTML, links, bare URLs, hard breaks and table cells.

use super::check;

#[test]
fn stray_brackets_are_escaped() {
    assert_eq!(
        check("[A001201] /auth/authorization, TLS must be used."),
        "\\[A001201\\] /auth/authorization, TLS must be used."
    );
    assert_eq!(
        check("See [RFC 6749] and [^1] and a[0]."),
        "See \\[RFC 6749\\] and \\[^1\\] and a\\[0\\]."
    );
    assert_eq!(check("already \\[x\\] escaped"), "already \\[x\\] escaped");
    assert_eq!(
        check("[[nested] [brackets]]"),
        "\\[\\[nested\\] \\[brackets\\]\\]"
    );
    assert_eq!(check("[`Foo`]"), "\\[`Foo`\\]");
}

#[test]
fn real_links_are_untouched() {
    for input in [
        "[Authlete](https://www.authlete.com/)",
        "See [the spec][rfc].\n\n[rfc]: https://www.rfc-editor.org/rfc/rfc6749",
        "[Jump](#section) and [mail](mailto:a@example.com)",
        "![logo](https://example.com/logo.png)",
        "[a page](page.html)",
    ] {
        assert_eq!(check(input), input);
    }
    assert_eq!(
        check("[see [1] here](https://x.example/)"),
        "[see \\[1\\] here](https://x.example/)"
    );
}

#[test]
fn path_like_links_are_degraded() {
    assert_eq!(check("[x](Foo)"), "\\[x\\](Foo)");
    assert_eq!(check("[x](tel:123)"), "\\[x\\](tel:123)");
    assert_eq!(
        check("[x][r]\n\n[r]: Foo"),
        "\\[x\\]\\[r\\]\n\n\\[r\\]: Foo"
    );
    assert_eq!(check("[`Vec`](Vec)"), "\\[`Vec`\\](Vec)");
    // rustdoc checks definitions even when nothing uses them.
    assert_eq!(check("[r]: Foo"), "\\[r\\]: Foo");
    assert_eq!(
        check("> [r]: a#b#c\n>\n> [x][r]"),
        "> \\[r\\]: a#b#c\n>\n> \\[x\\]\\[r\\]"
    );
}

#[test]
fn autolinks_are_untouched() {
    for input in [
        "<https://www.authlete.com/>",
        "Mail <support@example.com>.",
        "<https://x.example/?a[]=1&b=2>",
    ] {
        assert_eq!(check(input), input);
    }
}

#[test]
fn angle_brackets_and_html_are_escaped() {
    assert_eq!(
        check("Set the token value in the `Authorization: Bearer <token>` header."),
        "Set the token value in the `Authorization: Bearer <token>` header."
    );
    assert_eq!(
        check("Authorization: Bearer <token>"),
        "Authorization: Bearer \\<token\\>"
    );
    assert_eq!(check("List<String>"), "List\\<String\\>");
    assert_eq!(check("a < b > c -> d"), "a \\< b \\> c -\\> d");
    assert_eq!(
        check("x <br> y <b>bold</b>"),
        "x \\<br\\> y \\<b\\>bold\\</b\\>"
    );
    assert_eq!(
        check("<div>\n<p>Hello [x]</p>\n</div>"),
        "\\<div\\>\n\\<p\\>Hello \\[x\\]\\</p\\>\n\\</div\\>"
    );
    assert_eq!(check("<!-- note -->"), "\\<!-- note --\\>");
}

#[test]
fn bare_urls_are_wrapped() {
    assert_eq!(
        check("See https://www.authlete.com/ for details."),
        "See <https://www.authlete.com/> for details."
    );
    assert_eq!(
        check("(see https://example.com/a_(b), http://x.example/y)."),
        "(see <https://example.com/a_(b)>, <http://x.example/y>)."
    );
    assert_eq!(
        check("https://x.example/?a=1&amp;b=2&amp;"),
        "<https://x.example/?a=1&amp;b=2>&amp;"
    );
    assert_eq!(check("*https://x.example*"), "*<https://x.example>*");
    assert_eq!(check("http:// alone"), "http:// alone");
    assert_eq!(
        check("[https://x.example/](https://x.example/)"),
        "[https://x.example/](https://x.example/)"
    );
    assert_eq!(
        check("See https://x.example/[id] [1]"),
        "See <https://x.example/[id]> \\[1\\]"
    );
}

#[test]
fn hard_breaks_survive() {
    assert_eq!(check("a  \nb"), "a\\\nb");
    assert_eq!(check("a\\\nb"), "a\\\nb");
}

#[test]
fn extra_table_cells_are_kept_in_the_last_cell() {
    assert_eq!(
        check("| a | b |\n|---|---|\n| 1 | 2 | 3 |"),
        "| a | b |\n|---|---|\n| 1 | 2 \\| 3 |"
    );
}
