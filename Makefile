# mmfree: the two set-up commands are `make demo` and `make test` (README.md).

CARGO ?= cargo
MMFREE := target/release/mmfree

.PHONY: all build demo train test soak fuzz lint fmt clippy bench clean system-demo system-test xclbin

all: build

# The system packages each target needs, installed when missing (scripts/setup-system).
system-demo:
	scripts/setup-system demo

system-test:
	scripts/setup-system test

build: system-demo
	$(CARGO) build --release -p mmfree-host

# Builds everything, runs the bundled trained model (models/demo.mmf, docs/TRAINING.md) through the
# generated RTL of the `tiny` accelerator under Verilator with every token checked against the
# fixed-point reference, and prints the generated text, the bit-exact verdict, the cycles per token
# and the tokens/s they project at the configuration's 300 MHz clock.
DEMO_PROMPT ?= And God said
demo: build
	$(MMFREE) generate --model models/demo.mmf --device sim --hw tiny --prompt "$(DEMO_PROMPT)" --max-new-tokens 48 --check --json

# Retrains the bundled model from its corpus (docs/TRAINING.md): Debian's bible-kjv, a Python
# virtual environment with train/requirements.txt, then the trainer and the converter.
TRAIN_DIR := out/train
train: build
	command -v bible >/dev/null || apt-get install -y -q --no-install-recommends bible-kjv bible-kjv-text
	@mkdir -p $(TRAIN_DIR)
	train/corpus.sh $(TRAIN_DIR)/kjv.txt
	test -x $(TRAIN_DIR)/venv/bin/python || python3 -m venv $(TRAIN_DIR)/venv
	$(TRAIN_DIR)/venv/bin/pip install -q -r train/requirements.txt
	$(TRAIN_DIR)/venv/bin/python train/train.py --corpus $(TRAIN_DIR)/kjv.txt --out models/demo \
		--heldout-out models/demo/heldout.txt --curve docs/img/demo-loss.svg
	$(MMFREE) convert --from hf models/demo --out models/demo.mmf

# The xclbin of a card configuration (README.md, "Running on an Alveo card"): `mmfree package` into
# XCLBIN_OUT, then Vivado's package_xo and v++ when they are on PATH; without them it stops after the
# package with one line naming what is missing. MMFREE=PATH uses an mmfree already built.
CONFIG ?= u280
PLATFORM ?= xilinx_u280_gen3x16_xdma_1_202211_1
XCLBIN_OUT ?= out/xclbin/$(CONFIG)
xclbin:
	@test -x "$(MMFREE)" || $(MAKE) build
	@scripts/xclbin "$(MMFREE)" "$(CONFIG)" "$(PLATFORM)" "$(XCLBIN_OUT)"

# The fast tier CI runs: formatting, lints, every default test.
test: system-test
	$(MAKE) lint
	$(CARGO) test --workspace

# The long tier CI does not run: every test marked #[ignore] (soak runs, full-size models).
soak:
	$(CARGO) test --workspace -- --ignored --test-threads 1

# The fuzzing soak (docs/TESTING.md): 10^6 mutated inputs for each parser of untrusted input (packed
# model, checkpoint single and sharded, tokenizer, neuron vectors); fails on any panic, hang or
# over-allocation, saving the input under fuzz/findings/. FUZZ_EXECS and FUZZ_SEED override. The test
# profile is optimized and keeps overflow checks, which turn silent wrap-arounds into findings.
FUZZ_EXECS ?= 1000000
FUZZ_SEED ?= 1
fuzz:
	$(CARGO) run --profile test -p mmfree-fuzz -- --execs $(FUZZ_EXECS) --seed $(FUZZ_SEED)

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
