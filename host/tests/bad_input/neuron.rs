//! Issue 15 cases 4, 9 and 10, neuron vectors: a wrong `expect` fails on both engines naming case,
//! step, column and both values; an unused state at its starting value, s24 constants beside a
//! 16-bit state, and a case with neither config nor preset are accepted, bit for bit on both
//! engines, with the values worked out by hand from section 4.3.

use std::path::Path;

use super::{fails_unchanged, mmfree, s};

const ENGINES: [&str; 2] = ["ref", "rtl"];

fn write(dir: &Path, cases: serde_json::Value) -> std::path::PathBuf {
    let f = dir.join("v.json");
    std::fs::write(&f, serde_json::json!({ "cases": cases }).to_string()).unwrap();
    f
}

/// The output of `neuron` on `cases` with `engine`, which must succeed.
fn run(dir: &Path, cases: serde_json::Value, engine: &str) -> serde_json::Value {
    let f = write(dir, cases);
    let (ok, out, err) = mmfree(&["neuron", "--vectors", s(&f), "--engine", engine, "--json"]);
    assert!(ok, "{engine}: {err}");
    serde_json::from_str(out.lines().last().unwrap()).unwrap()
}

/// The one error line of `neuron` on `cases` with each engine (the same on both).
fn refused(dir: &Path, cases: serde_json::Value, why: &str) {
    let f = write(dir, cases);
    for engine in ENGINES {
        let line = fails_unchanged(
            dir,
            &["neuron", "--vectors", s(&f), "--engine", engine, "--json"],
        );
        assert_eq!(
            line,
            format!("error: {}: neuron vectors: {why}", f.display()),
            "{engine}"
        );
    }
}

#[test]
fn a_wrong_expect_fails_on_both_engines() {
    let t = tempfile::tempdir().unwrap();
    // Defaults: no decay, threshold 4096 (>=), hard reset to 0. v: 3000, 6000 fires -> 0, then 100.
    let case = |expect: serde_json::Value| {
        serde_json::json!([{"name": "d", "steps": [{"x": 3000}, {"x": 3000}, {"x": 100}],
                            "expect": expect}])
    };
    refused(
        t.path(),
        case(serde_json::json!({"out": [0, 1, 0], "v": [3000, 0, 101]})),
        "case 'd', step 2, v: expected 101, got 100",
    );
    refused(
        t.path(),
        case(serde_json::json!({"out": [0, 0, 0]})),
        "case 'd', step 1, out: expected 0, got 1",
    );
    refused(
        t.path(),
        case(serde_json::json!({"out": [0, 1]})),
        "case 'd', key 'expect.out': 2 values for 3 steps",
    );
    refused(
        t.path(),
        case(serde_json::json!({"out": [0, 1, 0], "u": [0, 0, 0]})),
        "case 'd', key 'expect.u': not produced: the case has no current stage (use_u = false)",
    );
    // The right expectation passes on both engines.
    for engine in ENGINES {
        let out = run(
            t.path(),
            case(serde_json::json!({"out": [0, 1, 0], "v": [3000, 0, 100]})),
            engine,
        );
        assert_eq!(
            out["cases"][0]["v"],
            serde_json::json!([3000, 0, 100]),
            "{engine}"
        );
    }
}

#[test]
fn defaults_unused_state_and_s24_constants_are_accepted_bit_exactly() {
    let t = tempfile::tempdir().unwrap();
    let cases = serde_json::json!([
        // Neither config nor preset: the defaults (case 10); u = 0 without use_u (case 9).
        {"name": "defaults", "init": {"u": 0, "v": 0}, "steps": [{"x": 3000}, {"x": 3000}, {"x": 100}]},
        // A 16-bit v with s24 in_bias and vth: v = FIT(0 + 2^22) = 32767 each step, never >= 2^20.
        {"name": "wide", "config": {"w_v": 16, "in_bias": 4194304, "vth": 1048576},
         "steps": [{"x": 0}, {"x": 0}]},
        // A 16-bit u: u = FIT(-2^22) = -32768; v = 0 - 32768 + (2^23 - 1) = 8355839 >= 4096 fires.
        {"name": "wide_u", "config": {"use_u": true, "w_u": 16, "in_bias": -4194304, "bias": 8388607},
         "steps": [{"x": 0}]}
    ]);
    let want = serde_json::json!({"cases": [
        {"name": "defaults", "out": [0, 1, 0], "v": [3000, 0, 100]},
        {"name": "wide", "out": [0, 0], "v": [32767, 32767]},
        {"name": "wide_u", "out": [1], "v": [0], "u": [-32768]}
    ]});
    for engine in ENGINES {
        assert_eq!(run(t.path(), cases.clone(), engine), want, "{engine}");
    }
}

#[test]
fn states_and_constants_outside_their_ranges_are_refused() {
    let t = tempfile::tempdir().unwrap();
    refused(
        t.path(),
        serde_json::json!([{"name": "u", "init": {"u": 5}, "steps": [{"x": 0}]}]),
        "case 'u', key 'init.u': the case has no current stage (use_u = false), so only its starting value 0 is accepted",
    );
    refused(
        t.path(),
        serde_json::json!([{"name": "th", "init": {"th": 7}, "steps": [{"x": 0}]}]),
        "case 'th', key 'init.th': the case has no adaptive threshold (adapt = false), so only its starting value 4096 is accepted",
    );
    refused(
        t.path(),
        serde_json::json!([{"name": "b", "config": {"w_v": 16, "in_bias": 8388608}, "steps": [{"x": 0}]}]),
        "case 'b': neuron config: in_bias = 8388608: in_bias is s24 (or as wide as the 16-bit state v it feeds), range [-8388608, 8388607]",
    );
    refused(
        t.path(),
        serde_json::json!([{"name": "v", "config": {"vth": -8388609}, "steps": [{"x": 0}]}]),
        "case 'v': neuron config: vth = -8388609: thresholds are s24 (or as wide as the 24-bit v), range [-8388608, 8388607]",
    );
    refused(
        t.path(),
        serde_json::json!([{"name": "t", "config": {"w_v": 16, "fire": "ternary", "reset": "soft",
                                                    "vth": 40000, "vth_lo": 0}, "steps": [{"x": 0}]}]),
        "case 't': neuron config: vth = 40000: a soft reset adds vth after a -1 output, so vth must be at most 32767 (the 16-bit v) to keep v in range",
    );
}
