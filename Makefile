# mmfree: the two set-up commands are `make demo` and `make test` (README.md).

CARGO ?= cargo
MMFREE := target/release/mmfree
DEMO_DIR := out/demo

.PHONY: all build demo test soak lint fmt clippy bench clean

all: build

build:
	$(CARGO) build --release -p mmfree-host

# Builds everything, runs a bundled (deterministic synthetic) model through the generated RTL of
# the `tiny` accelerator under Verilator with every token checked against the fixed-point
# reference, and prints the tokens, the bit-exact verdict, the cycles per token and the tokens/s
# they project at the configuration's 300 MHz clock.
demo: build
	@mkdir -p $(DEMO_DIR)
	$(MMFREE) random --shape tiny --seed 2406 --out $(DEMO_DIR)/tiny.mmf
	$(MMFREE) generate --model $(DEMO_DIR)/tiny.mmf --device sim --hw tiny --tokens 1 --max-new-tokens 32 --check --json

# The fast tier CI runs: formatting, lints, every default test.
test: lint
	$(CARGO) test --workspace

# The long tier CI does not run: every test marked #[ignore] (soak runs, full-size models).
soak:
	$(CARGO) test --workspace -- --ignored --test-threads 1

lint: fmt clippy

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench:
	$(CARGO) bench --workspace

clean:
	$(CARGO) clean
	rm -rf out
