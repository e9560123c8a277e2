//! The conversion recipe against values computed by hand (mmfree-model.md sections 1.4 and 2.1).

use mmfree_model::recipe::{absmean, bit_linear, lower_bounds, ternarize};
use mmfree_model::{ROW_ALIGN_WEIGHTS, row_bytes};
use mmfree_spec::Scale;

#[test]
fn ternarization_rounds_half_to_even_and_clamps() {
    // mean|W| = (0.5+0.5+1.5+1.5 + 2.5+0+0.25+1.25) / 8 = 1, so s = 1 and w*s = w.
    let w = [0.5, -0.5, 1.5, -1.5, 2.5, 0.0, -0.25, 1.25];
    let (t, alpha) = ternarize("m", &w, 2, 4).unwrap();
    assert_eq!(alpha, 1.0);
    // Half to even: 0.5 -> 0, -0.5 -> 0, 1.5 -> 2 -> 1, -1.5 -> -2 -> -1, 2.5 -> 2 -> 1,
    // -0.25 -> 0, 1.25 -> 1. Rows: [0, 0, 1, -1] and [1, 0, 0, 1].
    // Pack2 codes w+1, weight j in bits 2j..2j+1: row 0 = 1 | 1<<2 | 2<<4 | 0<<6 = 37,
    // row 1 = 2 | 1<<2 | 1<<4 | 2<<6 = 150; padding weights are zeros (code 1): 0b01010101.
    assert_eq!(row_bytes(4), ROW_ALIGN_WEIGHTS / 4);
    assert_eq!(t.row(0)[0], 37);
    assert_eq!(t.row(1)[0], 150);
    assert!(
        t.row(0)[1..]
            .iter()
            .chain(&t.row(1)[1..])
            .all(|&b| b == 0x55)
    );
    assert_eq!(t.data.len(), 2 * 32);
}

#[test]
fn alpha_uses_the_absmean_and_its_floor() {
    // mean|W| = (3 + 1 + 0 + 2) / 4 = 1.5: s = 1/1.5, w*s = 2, -0.667, 0, 1.333 -> 1, -1, 0, 1.
    let (t, alpha) = ternarize("m", &[3.0, -1.0, 0.0, 2.0], 1, 4).unwrap();
    assert_eq!(alpha, 1.5);
    // Codes [2, 0, 1, 2] in bit pairs 0, 2, 4, 6.
    assert_eq!(t.row(0)[0], 0b10_01_00_10);
    // All weights tiny: the mean 1e-7 is clamped to 1e-5 and every weight rounds to 0.
    let tiny = [1e-7f32; 6];
    assert_eq!(absmean(&tiny, 3), 1e-5);
    let (t, alpha) = ternarize("m", &tiny, 2, 3).unwrap();
    assert_eq!(alpha, 1e-5);
    assert_eq!(t.row(0)[0], 0b01_01_01_01);
    // The contract scale: 1.5 = (3 * 2^29) * 2^-30 exactly.
    let b = bit_linear("m", &[3.0, -1.0, 0.0, 2.0], 1, 4, vec![1.0; 4]).unwrap();
    assert_eq!(b.alpha_fixed, Scale::from_parts(3 << 29, -30).unwrap());
    // Wrong element count is an error, not a panic.
    let e = ternarize("m.weight", &[1.0; 5], 2, 3)
        .unwrap_err()
        .to_string();
    assert_eq!(e, "m.weight: 5 values for a [2, 3] matrix");
}

#[test]
fn lower_bounds_for_three_layers_match_a_hand_computation() {
    // Channels: [0, 0, 0], [1, 2, 3], [-2, 0.5, 0.25] over layers 0..3 (row l holds layer l).
    let values = [0.0, 1.0, -2.0, 0.0, 2.0, 0.5, 0.0, 3.0, 0.25];
    let lb = lower_bounds(&values, 3, 3);
    // LB[l] = sum_{k=1..l} softmax(x)[k], computed separately in double precision:
    // [0,0,0]: 1/3, 2/3; [1,2,3]: 0.24472847105479764, 0.9099694268296195;
    // [-2,0.5,0.25]: 0.5373784946053918, 0.9558892870098036; rounded to f32 below.
    assert_eq!(lb[0].f32, [0.0; 3]);
    assert_eq!(lb[0].fixed, [0; 3]);
    assert_eq!(lb[1].f32, [0.33333334f32, 0.24472848, 0.5373785]);
    assert_eq!(lb[2].f32, [0.6666667f32, 0.90996945, 0.9558893]);
    // GATE = round(f32(LB) * 2^30), each f32 value times 2^30 being exact or a half-even tie.
    assert_eq!(lb[1].fixed, [357913952, 262775200, 577005760]);
    assert_eq!(lb[2].fixed, [715827904, 977072256, 1026378304]);
}
