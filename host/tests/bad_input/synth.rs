//! Issue 15 case 8: `synth --target ice40` checks yosys's counts against the UP5K before place and
//! route, and writes nothing when a step fails.

use super::{fails_unchanged, s};

/// About 10 minutes of yosys on a loaded 2-core machine: soak tier.
#[test]
#[ignore]
fn a_design_too_big_for_the_up5k_is_refused_before_place_and_route() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("tiny");
    let line = fails_unchanged(
        t.path(),
        &[
            "synth",
            "--target",
            "ice40",
            "--config",
            "tiny",
            "--out",
            s(&out),
        ],
    );
    let (head, tail) = (
        "error: tiny: does not fit the iCE40 UP5K: ",
        " (found after synthesis, before place and route)",
    );
    assert!(line.starts_with(head) && line.ends_with(tail), "{line}");
    // The tiny lane has every neuron mode, so it needs more SB_MAC16 than the part's 8.
    let why = &line[head.len()..line.len() - tail.len()];
    let dsps: u64 = why
        .strip_suffix(" SB_MAC16 (the part has 8)")
        .or_else(|| why.split(" SB_MAC16 (the part has 8)").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no SB_MAC16 count first in: {why}"));
    assert!(dsps > 8, "{why}");
    assert!(!out.exists(), "the output directory was created");
}
