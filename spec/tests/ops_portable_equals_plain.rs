//! The portable copy of the fast vector primitives (what a CPU without AVX2 runs; this process
//! forces it with `ops::set_portable_only`) against the plain definition, bit for bit, on the same
//! kinds of inputs as `ops_fast_equals_plain.rs` (other seeds).

mod common;

use common::run;
use mmfree_spec::ops;

#[test]
fn portable_primitives_equal_plain_on_random_vectors() {
    ops::set_portable_only(true);
    run(3407, 1500);
}

#[test]
#[ignore = "soak: a hundred million elements per primitive"]
fn soak_portable_primitives_equal_plain() {
    ops::set_portable_only(true);
    for seed in 1001..=1050 {
        run(seed, 3000);
    }
}
