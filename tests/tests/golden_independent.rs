//! The golden f32 model against an independent implementation of the released model's arithmetic
//! (`tests/independent/mmfree_released.py`: plain Python in f64, written from mmfree-model.md sections
//! 1-2 with explicit RMSNorms and fake quantization as the PyTorch code computes, not from the Rust
//! code), on synthetic checkpoints in the Hugging Face layout. Relative logit error is the RMS of
//! the difference over the RMS of the logits, per position.

use mmfree_model::FloatDtype;
use mmfree_reference::Decoder;
use mmfree_reference::golden::Golden;
use mmfree_spec::shape::ModelShape;
use mmfree_tests::{run_independent, workspace_root};

/// Relative logit errors of the golden model in `T` against the independent implementation, per
/// position, and the number of positions whose greedy choices agree.
fn errors<T: mmfree_reference::golden::Real>(
    model: &mmfree_model::Model,
    theirs: &serde_json::Value,
    tokens: &[u32],
) -> (Vec<f64>, usize) {
    let mut golden: Golden<T> = Golden::new(model);
    let (mut errs, mut agree) = (Vec::new(), 0);
    for (pos, &t) in tokens.iter().enumerate() {
        let ours = golden.step(t).unwrap();
        let row: Vec<f64> = theirs["logits"][pos]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(row.len(), ours.logits.len());
        let rms = (row.iter().map(|v| v * v).sum::<f64>() / row.len() as f64).sqrt();
        let err = (row
            .iter()
            .zip(&ours.logits)
            .map(|(a, &b)| (a - b as f64).powi(2))
            .sum::<f64>()
            / row.len() as f64)
            .sqrt();
        errs.push(err / rms);
        agree += usize::from(theirs["argmax"][pos].as_u64().unwrap() as usize == ours.argmax);
    }
    (errs, agree)
}

/// `f32_bound`: the share of positions (percent) that must agree to 2e-3 in f32, `None` to report
/// the f32 figures only (see the note in the body).
fn check(shape: &str, seed: u64, tokens: &[u32], f32_bound: Option<usize>) {
    let dir = tempfile::tempdir().unwrap();
    let shape_v = ModelShape::preset(shape).unwrap();
    mmfree_model::random::write_hf(
        shape_v,
        seed,
        dir.path(),
        FloatDtype::Bf16,
        u64::MAX,
        &mut |_, _, _| {},
    )
    .unwrap();
    let model = mmfree_model::load(dir.path()).unwrap();
    let list = tokens
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let script = workspace_root().join("tests/independent/mmfree_released.py");
    let theirs = run_independent(&script, &[dir.path().as_os_str(), list.as_ref()]).unwrap();

    // The same arithmetic in f64 must agree everywhere, to the f32 rounding of the printed logits:
    // the two implementations compute the same function (explicit norms and fake quantization
    // there, level A's cancelled form here).
    let (e64, agree64) = errors::<f64>(&model, &theirs, tokens);
    let max64 = e64.iter().copied().fold(0.0, f64::max);
    println!(
        "{shape} f64: relative logit error max {max64:.3e}, greedy agreement {agree64}/{}",
        tokens.len()
    );
    assert!(
        max64 <= 1e-7,
        "{shape}: f64 golden differs from the independent implementation: {e64:?}"
    );
    assert_eq!(agree64, tokens.len());

    // In f32 (the contract's golden model) a code whose exact value sits within f32 rounding of a
    // .5 tie can round the other way; that position then differs by one code step (about 1e-2 on
    // the tiny shape) while every other position agrees to f32 precision. From the small shape on,
    // such a flip happens in the first tokens and the recurrent state carries the difference
    // forward (NUMERICS.md section 8), so there the f32 figures are reported, not bounded.
    let (e32, agree32) = errors::<f32>(&model, &theirs, tokens);
    let within = e32.iter().filter(|&&e| e <= 2e-3).count();
    let mut sorted = e32.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{shape} f32: relative logit error median {:.3e} max {:.3e}; {within}/{} positions <= 2e-3; greedy agreement {agree32}/{}",
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1],
        tokens.len(),
        tokens.len()
    );
    if let Some(bound) = f32_bound {
        assert!(
            within * 100 >= tokens.len() * bound,
            "{shape}: f32 relative logit errors {e32:?}"
        );
        assert!(
            agree32 * 100 >= tokens.len() * 98,
            "{shape}: greedy agreement {agree32}"
        );
    }
}

#[test]
fn golden_matches_the_independent_implementation_on_tiny() {
    let tokens: Vec<u32> = (0..32).map(|i| (i * 37 + 1) % 256).collect();
    check("tiny", 11, &tokens, Some(95));
}

#[test]
fn golden_matches_the_independent_implementation_on_small() {
    let tokens = [
        1, 17, 4000, 255, 3, 900, 2048, 7, 11, 3999, 64, 128, 5, 6, 77, 1000, 2, 9, 10, 31,
    ];
    check("small", 12, &tokens, None);
}
