#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. Run from the
# repository root:  fuzz/seed.sh && cargo +nightly fuzz run convert_body -- -dict=fuzz/html.dict
set -euo pipefail
cd "$(dirname "$0")/.."
for t in convert_body front_matter post_pipeline; do mkdir -p "fuzz/corpus/$t"; done
i=0
for f in fixtures/*/*/input.html fixtures/*/*/input.md; do
    [ -f "$f" ] || continue
    i=$((i + 1))
    # Keep seeds small: libFuzzer's default -max_len is derived from them.
    head -c 16384 "$f" > "fuzz/corpus/post_pipeline/seed-$i"
    case "$f" in
        *.html) head -c 16384 "$f" > "fuzz/corpus/convert_body/seed-$i" ;;
        *.md)
            # Front matter alone for front_matter, the body for convert_body.
            awk 'n < 2 {print} /^---/ {n++}' "$f" > "fuzz/corpus/front_matter/seed-$i"
            awk 'n >= 2 {print} /^---/ {n++}' "$f" | head -c 16384 > "fuzz/corpus/convert_body/seed-md-$i"
            ;;
    esac
done
echo "seeded $i files into fuzz/corpus/{convert_body,front_matter,post_pipeline}"
