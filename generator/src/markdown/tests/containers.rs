//! Lazy and over-indented continuation lines in quotes and list items, and tabs.

use super::{check, check_same};

#[test]
fn lazy_list_lines_get_the_item_indentation() {
    assert_eq!(
        check_same(
            "- If the value of `subject_type` is `PAIRWISE`,\n\
             the value of `subject` is computed\n\
             from the sector identifier.\n\
             - Otherwise it is the subject."
        ),
        "- If the value of `subject_type` is `PAIRWISE`,\n  \
         the value of `subject` is computed\n  \
         from the sector identifier.\n\
         - Otherwise it is the subject."
    );
    assert_eq!(check_same("1. first\nmore"), "1. first\n   more");
    assert_eq!(check_same("10) tenth\n more"), "10) tenth\n    more");
    assert_eq!(check_same("* a\n *b*"), "* a\n  *b*");
    assert_eq!(check_same("-   wide\nlazy"), "-   wide\n    lazy");
    assert_eq!(check_same(" - indented\nlazy"), " - indented\n   lazy");
    // A second paragraph of a loose item, and an item inside the text.
    assert_eq!(check_same("- a\n\n  b\nc\n\n- d"), "- a\n\n  b\n  c\n\n- d");
    // Hard breaks (the trailing-space kind becomes a backslash).
    assert_eq!(check("- a  \nb\\\nc"), "- a\\\n  b\\\n  c");
    // Escapes and inline markup at the start of the lazy line.
    assert_eq!(
        check_same("- a\n\\[x\\] `y` [z](https://z.example/)"),
        "- a\n  \\[x\\] `y` [z](https://z.example/)"
    );
    assert_eq!(check("- a\n[x]"), "- a\n  \\[x\\]");
    // Already explicit lines are left alone.
    for input in ["- a\n  b", "1. a\n   b", "- a\n\nb"] {
        assert_eq!(check_same(input), input);
    }
}

#[test]
fn lazy_quote_lines_get_the_quote_markers() {
    assert_eq!(
        check_same(
            "> When the OP determines, either through the claims_locales parameter, that\n  \
             the End-User and Client are requesting Claims in only one set of languages,\n\
             the OP SHOULD return Claims without language tags.\n\nAfter."
        ),
        "> When the OP determines, either through the claims_locales parameter, that\n> \
         the End-User and Client are requesting Claims in only one set of languages,\n> \
         the OP SHOULD return Claims without language tags.\n\nAfter."
    );
    assert_eq!(check_same(">a\nb"), ">a\n> b");
    assert_eq!(check_same("   > a\n    b"), "   > a\n> b");
    assert_eq!(check_same("> a\\\nb"), "> a\\\n> b");
    // Together with the other rewrites.
    assert_eq!(
        check("> Bearer <token>\n\thttps://x.example/ [y]"),
        "> Bearer \\<token\\>\n> <https://x.example/> \\[y\\]"
    );
    for input in ["> a\n> b", ">a\n>b", "> a\n\nb", "> a\n>\n> b"] {
        assert_eq!(check_same(input), input);
    }
}

#[test]
fn lazy_lines_in_nested_containers() {
    // Nested quotes: every level's marker.
    assert_eq!(check_same("> > a\nb"), "> > a\n> > b");
    assert_eq!(check_same(">> a\n> b"), ">> a\n> > b");
    assert_eq!(check_same("> a\n>\n> > b\nc"), "> a\n>\n> > b\n> > c");
    // Lists in quotes: the marker, then the item indentation.
    assert_eq!(check_same("> - a\nb"), "> - a\n>   b");
    assert_eq!(check_same("> - a\n> b"), "> - a\n>   b");
    assert_eq!(check_same(">- a\n>b"), ">- a\n>   b");
    assert_eq!(check_same("> 1. a\n>    b\nc"), "> 1. a\n>    b\n>    c");
    // Quotes in lists: the indentation, then the marker.
    assert_eq!(check_same("- > a\nb"), "- > a\n  > b");
    assert_eq!(check_same("- x\n\n  > a\n  b"), "- x\n\n  > a\n  > b");
    assert_eq!(check_same("1. > - a\nb"), "1. > - a\n   >   b");
    // Nested lists.
    assert_eq!(check_same("- a\n  - b\nc"), "- a\n  - b\n    c");
    assert_eq!(check_same("- a\n  - b\n  c"), "- a\n  - b\n    c");
    assert_eq!(check_same("- - b\nc"), "- - b\n    c");
    assert_eq!(
        check_same("1. a\n   - b\n     1. c\nd\n- e"),
        "1. a\n   - b\n     1. c\n        d\n- e"
    );
    // Inside code blocks nothing is a continuation line.
    assert_eq!(
        check_same("- a\n\n  ```json\n  [1,\n   2]\n  ```\n  b\nc"),
        "- a\n\n  ```json\n  [1,\n   2]\n  ```\n  b\n  c"
    );
    let input = "> ```json\n> [1,\n> 2]\n> ```\n> x\n> y";
    assert_eq!(check_same(input), input);
    // Footnote definitions are left as they are (clippy skips them too).
    let input = "a[^n]\n\n[^n]: - b\nc";
    assert_eq!(check_same(input), input);
}

#[test]
fn lazy_lines_that_would_start_a_block_are_escaped() {
    // Made explicit, these would underline a heading.
    assert_eq!(check_same("> a\n==="), "> a\n> \\===");
    assert_eq!(check_same("- a\n--"), "- a\n  \\--");
    assert_eq!(check_same("> a\nb\n==="), "> a\n> b\n> \\===");
    // Indented too far to start a list where it is; not once explicit.
    assert_eq!(check_same("-    a\n    1. b"), "-    a\n     1\\. b");
    assert_eq!(check_same("> a\n    1) b"), "> a\n> 1\\) b");
    assert_eq!(check_same("> a\n    10) b"), "> a\n> 10) b");
    assert_eq!(check_same("> a\n    + b"), "> a\n> \\+ b");
}

#[test]
fn overindented_list_lines_get_the_item_indentation() {
    // From the Box API: `* ` content starts at column 2, not 3.
    assert_eq!(
        check_same(
            "* `company` - only provides access to this item to people the same company\n\
             * `collaborators` - only provides access to this item to people who are\n   \
             collaborators on this item\n\n\
             If this field is omitted"
        ),
        "* `company` - only provides access to this item to people the same company\n\
         * `collaborators` - only provides access to this item to people who are\n  \
         collaborators on this item\n\n\
         If this field is omitted"
    );
    assert_eq!(check_same("1. a\n      b\n      c"), "1. a\n   b\n   c");
    assert_eq!(check_same("10) a\n      b"), "10) a\n    b");
    assert_eq!(check_same("-   wide\n     b"), "-   wide\n    b");
    // Four columns past the content or more is still no code block.
    assert_eq!(check_same("- a\n            b"), "- a\n  b");
    // Hard breaks, and escapes at the start of the line.
    assert_eq!(check("- a  \n     b\\\n   c"), "- a\\\n  b\\\n  c");
    assert_eq!(check_same("- a\n     \\[x\\]"), "- a\n  \\[x\\]");
    // Later paragraphs of an item: clippy checks the lines after a break
    // only, so a paragraph's first line keeps its indentation.
    assert_eq!(check_same("- a\n\n   b\n   c"), "- a\n\n   b\n  c");
}

#[test]
fn overindented_lines_in_nested_containers() {
    // Nested lists: the indentation of all items, no more.
    assert_eq!(check_same("- a\n  - b\n       c"), "- a\n  - b\n    c");
    assert_eq!(check_same("- - b\n       c"), "- - b\n    c");
    assert_eq!(
        check_same("1. a\n   - b\n     1. c\n            d\n- e"),
        "1. a\n   - b\n     1. c\n        d\n- e"
    );
    // Back in the outer item after a blank line.
    assert_eq!(
        check_same("- a\n  - b\n\n  c\n     d"),
        "- a\n  - b\n\n  c\n  d"
    );
    // Lists in quotes (which clippy does not check): the same.
    assert_eq!(check_same("> - a\n>      b"), "> - a\n>   b");
    assert_eq!(check_same(">- a\n>     b"), ">- a\n>   b");
    assert_eq!(check_same("> 1. a\n>         b"), "> 1. a\n>    b");
    // A quote innermost: spaces around its `>` are its own business.
    for input in ["- > a\n  >   b", "- > a\n     > b", "> a\n>   b"] {
        assert_eq!(check_same(input), input);
    }
}

#[test]
fn overindented_lines_that_would_start_a_block_are_escaped() {
    // Moved left, these would start a list, a heading, a rule, a heading
    // underline or a code block.
    assert_eq!(check_same("- a\n      - b"), "- a\n  \\- b");
    assert_eq!(check_same("- a\n      + b"), "- a\n  \\+ b");
    assert_eq!(check_same("1. a\n       1. b"), "1. a\n   1\\. b");
    assert_eq!(check_same("- a\n      # b"), "- a\n  \\# b");
    assert_eq!(check_same("- a\n      ***"), "- a\n  \\***");
    assert_eq!(check_same("- a\n      ==="), "- a\n  \\===");
    assert_eq!(check_same("- a\n      ```"), "- a\n  \\```");
    // An ordered list may not interrupt a paragraph unless it starts at 1.
    assert_eq!(check_same("1. a\n       2. b"), "1. a\n   2. b");
    // A `>` in the text was escaped anyway.
    assert_eq!(check("- a\n      > b"), "- a\n  \\> b");
}

#[test]
fn tabs_become_spaces() {
    assert_eq!(check("x\ty"), "x   y");
    assert_eq!(check("ab\tc\td"), "ab  c   d");
    assert_eq!(check("- a\n\tb"), "- a\n  b");
    assert_eq!(check(">\tquoted"), ">   quoted");
    assert_eq!(check("`a\tb`"), "`a  b`");
    assert_eq!(check("```json\n{\t}\n```"), "```json\n{   }\n```");
    // Trailing tabs: a hard break when two bytes or more, as parsed.
    assert_eq!(check("a\t\nb"), "a\nb");
    assert_eq!(check("a \t\nb"), "a\\\nb");
    assert_eq!(check("a\t\t\nb\t"), "a\\\nb");
}
