//! Runs an element loop of the vector primitives (NUMERICS.md section 5) compiled for AVX2 when
//! the CPU has it: the workspace builds for baseline x86-64 (SSE2), which has no 32 x 32 -> 64-bit
//! signed multiply and no 64-bit compare, so the `i64` loops of [`crate::ops`] stay scalar there;
//! with AVX2 they run four or eight lanes wide (three to five times fewer instructions). The code
//! is the same Rust either way, so the results are the same bits; the tests run both copies.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set while the primitives must use their portable copy even on an AVX2 CPU.
static PORTABLE_ONLY: AtomicBool = AtomicBool::new(false);

/// Makes every primitive of this process run its portable (baseline x86-64) copy, or the fastest
/// again; lets the tests check the copy that CPUs without AVX2 run.
pub fn set_portable_only(on: bool) {
    PORTABLE_ONLY.store(on, Ordering::Relaxed);
}

/// Calls `f`, from a copy of it compiled with AVX2 enabled when this CPU has AVX2. The loops `f`
/// runs must be inlined into it (`#[inline(always)]` helpers, closures) to get the wide copy.
#[inline(always)]
pub(crate) fn simd<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && !PORTABLE_ONLY.load(Ordering::Relaxed) {
        // SAFETY: the CPU has AVX2, the only feature `avx2` enables.
        return unsafe { avx2(f) };
    }
    f()
}

/// `f()` compiled with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}
