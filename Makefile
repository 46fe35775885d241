# The two commands of the README, and a few helpers.
.PHONY: run test fmt site

run:   ## set up everything and run the app with demo data on http://127.0.0.1:3000
	scripts/run.sh

test:  ## run every test (unit, HTTP on SQLite and PostgreSQL, browser)
	scripts/test.sh

fmt:
	cargo fmt --all
