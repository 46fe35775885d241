#!/usr/bin/env bash
# `make fuzz`: runs the cargo-fuzz target over the import parsers (xlsx/CSV reading, column
# guessing, row → lead form) for FUZZ_SECONDS (default 300), growing tests/fuzz/corpus/sheet.
# Needs the nightly toolchain and cargo-fuzz (installed when missing). The corpus is replayed
# on stable by the unit tests (`domain::sheet`), so every input found stays a regression test.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR%/target}/fuzz-target"
cd tests/fuzz
cargo +nightly fuzz run --fuzz-dir . sheet -- -max_total_time="${FUZZ_SECONDS:-300}" -max_len=65536 -timeout=10
