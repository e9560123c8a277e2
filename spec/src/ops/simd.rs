//! Element loops of the vector primitives (NUMERICS.md section 5) compiled twice, for baseline
//! x86-64 and for AVX2, with the copy picked at run time. The workspace builds for baseline x86-64
//! (SSE2), which has no 32 x 32 -> 64-bit signed multiply and no 64-bit compare, so the `i64` loops
//! of [`crate::ops`] stay scalar there; with AVX2 they run four or eight lanes wide (three to five
//! times fewer instructions). The code is the same Rust either way, so the results are the same
//! bits; the tests run both copies ([`set_portable_only`]).

use std::sync::atomic::{AtomicBool, Ordering};

/// Set while the primitives must use their portable copy even on an AVX2 CPU.
static PORTABLE_ONLY: AtomicBool = AtomicBool::new(false);

/// Makes every primitive of this process run its portable (baseline x86-64) copy, or the fastest
/// again; lets the tests check the copy that CPUs without AVX2 run.
pub fn set_portable_only(on: bool) {
    PORTABLE_ONLY.store(on, Ordering::Relaxed);
}

/// Whether the AVX2 copies may run: the CPU has AVX2 and the tests did not ask for the portable
/// copy.
#[inline(always)]
pub(crate) fn use_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && !PORTABLE_ONLY.load(Ordering::Relaxed)
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// Defines a function whose body is compiled twice: as an `#[inline(always)]` portable function
/// and inlined into an `#[target_feature(enable = "avx2")]` one, called when [`use_avx2`] says so.
/// (A generic wrapper taking a closure does not work: the compiler need not inline the closure
/// into the AVX2 function, and then the loops stay portable.) Loops in the body should be plain
/// index loops over slices of one known length, and closures in it small.
macro_rules! wide_fn {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$attr])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn portable($($arg: $ty),*) $(-> $ret)? $body

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            fn avx2($($arg: $ty),*) $(-> $ret)? {
                portable($($arg),*)
            }

            #[cfg(target_arch = "x86_64")]
            if $crate::ops::simd::use_avx2() {
                // SAFETY: the CPU has AVX2, the only feature `avx2` enables.
                return unsafe { avx2($($arg),*) };
            }
            portable($($arg),*)
        }
    };
}

pub(crate) use wide_fn;
