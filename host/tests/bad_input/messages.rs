//! Issue 15 cases 4 (the simulator's watchdog variable), 11 and 13: words a user reads.

use super::{fails_unchanged, fails_unchanged_env, mmfree, packed, s};

#[test]
fn a_watchdog_that_is_not_a_cycle_count_is_refused_before_the_build() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let args = [
        "generate",
        "--model",
        s(&f),
        "--device",
        "sim",
        "--tokens",
        "1",
        "--max-new-tokens",
        "1",
    ];
    for value in ["abc", "0", "-5", "1e6"] {
        let line = fails_unchanged_env(t.path(), &args, &[("MMFREE_SIM_WATCHDOG", value)]);
        assert_eq!(
            line,
            format!(
                "error: sim: MMFREE_SIM_WATCHDOG={value}: not a cycle count (a whole number of at least 1)"
            )
        );
    }
}

#[test]
fn compare_over_one_position_is_singular() {
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let (ok, out, err) = mmfree(&[
        "compare",
        "--model",
        s(&f),
        "--tokens",
        "1",
        "--max-new-tokens",
        "0",
    ]);
    assert!(ok, "{err}");
    let first = out.lines().next().unwrap();
    assert_eq!(first, "fixed against golden f32 over 1 position");
}

#[test]
fn help_and_choices_name_what_exists() {
    let (ok, help, _) = mmfree(&["neuron", "--help"]);
    assert!(ok);
    assert!(!help.contains("contracts.md"), "{help}");
    assert!(help.contains("docs/NEURON.md section 7"), "{help}");
    let t = tempfile::tempdir().unwrap();
    let f = packed(t.path());
    let line = fails_unchanged(
        t.path(),
        &[
            "logits",
            "--model",
            s(&f),
            "--tokens",
            "1",
            "--precision",
            "f16",
        ],
    );
    assert_eq!(
        line,
        "error: unknown precision 'f16' (known: f32, fixed, f64)"
    );
    // The README lists every option the commands take.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for option in [
        "--precision fixed|f32|f64",
        "--candidate fixed|f32|f64",
        "[--tokens LIST | --prompt TEXT] [--tokenizer FILE]",
        "--dtype bf16|f16|f32",
        "--max-shard-bytes",
        "--stream-mib",
        "neuron --vectors FILE.json --engine ref|rtl [--hw NAME]",
    ] {
        assert!(readme.contains(option), "README lacks {option}");
    }
}
