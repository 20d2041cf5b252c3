//! Arbitrary bytes through the whole pipeline: load → lower → emit.
//!
//! Errors are expected (most inputs are not OpenAPI at all); a panic, a stack overflow, a hang
//! or running out of memory is a bug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = generator::load::load_bytes(Path::new("fuzz.yaml"), data) else {
        return;
    };
    let Ok(api) = generator::lower::lower(&doc) else {
        return;
    };
    // Every emitted file is parsed back: one that does not parse is a generator bug.
    let check = generator::emit::Check::Parse;
    if let Err(e) = generator::emit::emit_checked(&api, &generator::Config::new("fuzzed"), check) {
        panic!("{} does not parse: {}", e.path, e.message);
    }
});
