#!/usr/bin/env bash
# The browser bundle's size gate: the wasm and its JS glue of a built site, compressed as they
# are sent (brotli -q 11), must stay within SIZE_LIMIT bytes (default 204,800 = 200 KiB) — only
# the islands ship as wasm (issue 17). Prints raw, gzip -9 and brotli for each file and the sum.
#   scripts/size-gate.sh SITE_ROOT
set -euo pipefail
site=${1:?usage: scripts/size-gate.sh SITE_ROOT}
limit=${SIZE_LIMIT:-204800}
sum_raw=0 sum_gz=0 sum_br=0
printf '%-12s %12s %12s %12s\n' "bundle" "raw" "gzip -9" "brotli -11"
for kind in wasm js; do
  f=$(ls "$site"/pkg/lianzhao.*."$kind" | head -n 1)
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  printf '%-12s %12d %12d %12d\n' "$kind" "$raw" "$gz" "$br"
  sum_raw=$((sum_raw + raw)) sum_gz=$((sum_gz + gz)) sum_br=$((sum_br + br))
done
printf '%-12s %12d %12d %12d   (limit: %d brotli)\n' "wasm + js" "$sum_raw" "$sum_gz" "$sum_br" "$limit"
if [ "$sum_br" -gt "$limit" ]; then
  echo "the browser bundle is $sum_br bytes brotli, over the $limit-byte limit: see README \"What the browser downloads\"" >&2
  exit 1
fi
