//! The default-tier fuzz run: a few thousand inputs per target, asserting that none panicked or
//! over-allocated (a hang ends the test process with a non-zero status) and that the mutations
//! reached past the first check (several distinct errors, the seed itself accepted).

use std::time::Duration;

use mmfree_fuzz::{ALL, Options, Target, fuzz};

/// Inputs per target: about a second each here.
fn execs(t: Target) -> u64 {
    match t {
        Target::Hf | Target::HfSharded => 300,
        Target::Packed => 1000,
        Target::Tokenizer | Target::Neuron => 3000,
    }
}

#[test]
fn short_run_of_every_target_finds_no_panic_hang_or_overallocation() {
    let findings = tempfile::tempdir().unwrap();
    for t in ALL {
        let opts = Options {
            seed: 7,
            execs: execs(t),
            time_limit: Duration::from_secs(10),
            mem_cap: 256 << 20,
            findings: findings.path().into(),
            progress: false,
        };
        let r = fuzz(t, &opts).unwrap();
        eprintln!("{}", r.line());
        assert_eq!(r.execs, execs(t), "{}", t.name());
        assert!(
            r.panics.is_empty(),
            "{}: panics saved in {:?}",
            t.name(),
            r.panics
        );
        assert!(
            r.over_memory.is_empty(),
            "{}: over memory: {:?}",
            t.name(),
            r.over_memory
        );
        assert!(r.accepted >= 1, "{}: the seed was refused", t.name());
        assert!(
            r.distinct_errors >= 5,
            "{}: only {} distinct errors",
            t.name(),
            r.distinct_errors
        );
    }
}
