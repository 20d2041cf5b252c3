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
    let _ = generator::emit::emit(&api, &generator::Config::new("fuzzed"));
});
