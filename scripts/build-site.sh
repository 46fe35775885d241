#!/usr/bin/env bash
# Builds the browser side (wasm + JS glue + CSS + public/) into SITE_ROOT without cargo-leptos:
#   pkg/lianzhao.HASH.js, pkg/lianzhao.HASH.wasm, pkg/lianzhao.HASH.css (content-hashed names, so
#   the server may let browsers cache them for a year), each beside a .br and a .gz made here once
#   (the server sends them as they are; nothing is compressed per request), and SITE_ROOT/hash.txt
#   in the format Leptos reads (`js: HASH`, `wasm: HASH`, `css: HASH`).
# Usage: scripts/build-site.sh SITE_ROOT [debug|release]
# A rebuild whose inputs (the wasm cargo produced, the CSS, public/) did not change is skipped.
set -euo pipefail
site_root=${1:?site root}
profile=${2:-debug}
cd "$(dirname "$0")/.."
# The wasm has a target directory of its own, so it can build while the server builds (cargo
# locks a target directory for the whole build; on 2 cores the two builds' single-threaded
# phases — the big `app` crate, the wasm's LTO — then overlap).
target_dir=${CARGO_TARGET_DIR:-target}/wasm
if [ "$profile" = release ]; then
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release --target-dir "$target_dir"
  wasm="$target_dir/wasm32-unknown-unknown/wasm-release/app.wasm"
else
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --target-dir "$target_dir"
  wasm="$target_dir/wasm32-unknown-unknown/debug/app.wasm"
fi

inputs=$( { sha256sum "$wasm" style/main.css; find public -type f -print0 | sort -z | xargs -0 sha256sum; echo "$profile"; } | sha256sum | cut -c1-64)
if [ -f "$site_root/hash.txt" ] && [ "$(cat "$site_root/.inputs" 2>/dev/null)" = "$inputs" ]; then
  echo "site in $site_root is up to date"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name lianzhao "$wasm"
mv -f "$work/lianzhao_bg.wasm" "$work/lianzhao.wasm"
if [ "$profile" = release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$work/lianzhao.wasm" "$work/lianzhao.wasm"
fi
cp style/main.css "$work/lianzhao.css"

hash_of() { sha256sum "$1" | cut -c1-16; }
rm -rf "$site_root"
mkdir -p "$site_root/pkg"
cp -r public/. "$site_root/"
: >"$site_root/hash.txt"
for ext in js wasm css; do
  h=$(hash_of "$work/lianzhao.$ext")
  cp "$work/lianzhao.$ext" "$site_root/pkg/lianzhao.$h.$ext"
  echo "$ext: $h" >>"$site_root/hash.txt"
done
# wasm-bindgen's JS snippets (if any) are imported by relative path from the glue.
[ -d "$work/snippets" ] && cp -r "$work/snippets" "$site_root/pkg/"

# Precompressed copies of everything text-like (the wasm compresses 4:1); a debug site (for
# diagnosing, never served to users) skips them: brotli -q 11 on a 40 MB debug wasm takes minutes.
if [ "$profile" = release ]; then
  find "$site_root" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' -o -name '*.json' -o -name '*.txt' \) \
    ! -name hash.txt -print0 | while IFS= read -r -d '' f; do
    gzip -9 -n -k -f "$f"
    brotli -q 11 -k -f "$f"
  done
fi
echo "$inputs" >"$site_root/.inputs"
echo "site built in $site_root ($profile): $(tr '\n' ' ' <"$site_root/hash.txt")"
