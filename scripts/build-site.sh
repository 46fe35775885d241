#!/usr/bin/env bash
# Builds the browser side (wasm + JS glue + CSS + public/) into SITE_ROOT exactly as cargo-leptos
# lays it out (pkg/lianzhao.js, pkg/lianzhao.wasm, pkg/lianzhao.css), without needing cargo-leptos.
# Usage: scripts/build-site.sh SITE_ROOT [debug|release]
set -euo pipefail
site_root=${1:?site root}
profile=${2:-debug}
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
if [ "$profile" = release ]; then
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release
  wasm="$target_dir/wasm32-unknown-unknown/wasm-release/app.wasm"
else
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate
  wasm="$target_dir/wasm32-unknown-unknown/debug/app.wasm"
fi
mkdir -p "$site_root/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$site_root/pkg" --out-name lianzhao "$wasm"
mv -f "$site_root/pkg/lianzhao_bg.wasm" "$site_root/pkg/lianzhao.wasm"
if [ "$profile" = release ] && command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$site_root/pkg/lianzhao.wasm" "$site_root/pkg/lianzhao.wasm"
fi
cp style/main.css "$site_root/pkg/lianzhao.css"
cp -r public/. "$site_root/"
