//! Embeds `templates/runtime/*.rs` into the generator, so the binary carries the runtime it
//! writes into every generated crate and a template edit triggers a rebuild.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/runtime");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=../templates");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    names.sort();
    let mut out = String::from("[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.canonicalize()
                .unwrap_or(path.clone())
                .display()
                .to_string()
        ));
    }
    out.push(']');
    // An identity for this build of the generator: a hash of its sources and templates, so
    // that caches of derived output (see `diff::changelog`) never outlive a code change.
    println!("cargo:rerun-if-changed=src");
    let mut hasher = std::hash::DefaultHasher::new();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for root in [manifest.join("src"), manifest.join("../templates")] {
        hash_tree(&root, &mut hasher);
    }
    println!(
        "cargo:rustc-env=GENERATOR_BUILD_ID={:016x}",
        std::hash::Hasher::finish(&hasher)
    );
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("runtime_files.rs"), out).expect("write OUT_DIR file");
}

/// Hashes every file below `dir`, in a fixed order, with its relative path.
fn hash_tree(dir: &Path, hasher: &mut std::hash::DefaultHasher) {
    use std::hash::Hash;
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(_) => return,
    };
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hash_tree(&path, hasher);
        } else if let Ok(bytes) = std::fs::read(&path) {
            path.file_name().hash(hasher);
            bytes.hash(hasher);
        }
    }
}
