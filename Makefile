# The two commands of the README, and a few helpers.
.PHONY: run test bench hardening fuzz fmt dev

run:   ## set up everything and run the app with demo data on http://127.0.0.1:3000
	scripts/run.sh

test:  ## run every test (unit, HTTP on SQLite and PostgreSQL, browser)
	scripts/test.sh

bench: ## print the performance figures at 100,000 leads (LEADS=N to change), SQLite and PostgreSQL
	scripts/bench.sh

hardening: ## the durability suite at full length: kill -9 ×100 (LZ_CRASH_ROUNDS), 100 writers, backup under load, L1/L3 office load
	scripts/hardening.sh

fuzz:  ## fuzz the import parsers for FUZZ_SECONDS (default 300; nightly + cargo-fuzz)
	scripts/fuzz.sh

dev:   ## watch mode for developers: rebuild and reload on save (installs cargo-leptos 0.3.10 once, ~25 min)
	bash -c 'source scripts/lib.sh && cd "$$ROOT" && ensure_build_tools && ensure_cargo_leptos && cargo leptos watch'

fmt:
	cargo fmt --all
