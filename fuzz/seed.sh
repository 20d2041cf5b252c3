#!/usr/bin/env bash
# Seeds the corpus of the `generate` target with the test fixtures and the small documents of
# the shared corpus (../shared/specs/corpus, beside the repository). fuzz/corpus is not committed.
# The `structured` target needs no seeds: its input is not a document but the choices that build one.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/generate corpus/structured
cp ../tests/fixtures/*.yaml corpus/generate/
shared=../../shared/specs/corpus
if [ -d "$shared" ]; then
    # The large documents (box: 1.7 MB) would only slow every mutation down.
    find "$shared" -type f \( -name '*.yaml' -o -name '*.json' \) -size -64k \
        -exec cp {} corpus/generate/ \;
fi
ls corpus/generate | wc -l | xargs echo "seeds in fuzz/corpus/generate:"
