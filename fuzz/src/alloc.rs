//! A counting global allocator: the fuzz loop needs each input's memory high-water mark to flag
//! inputs that make a parser allocate far more than the file justifies, and a hard ceiling so a
//! runaway allocation stops the process instead of the machine.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Wraps the system allocator, counting live bytes and their peak.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

impl Counting {
    fn grow(size: usize) -> bool {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        if live > CEILING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        PEAK.fetch_max(live, Ordering::Relaxed);
        true
    }

    fn shrink(size: usize) {
        LIVE.fetch_sub(size, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes, and a
// refused allocation returns null as the `GlobalAlloc` contract allows.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: same layout as given to us.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            Self::shrink(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: same layout as given to us.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            Self::shrink(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        Self::shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Self::grow(new_size - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > old {
                Self::shrink(new_size - old);
            }
        } else if new_size < old {
            Self::shrink(old - new_size);
        }
        p
    }
}

/// Starts a measurement: the peak is reset to what is live now, which is returned.
pub fn start() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// Bytes allocated above `base` at the peak since [`start`] returned `base`.
pub fn peak_above(base: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// Refuses any allocation that would take the live total above `bytes` (the process then aborts
/// with the standard allocation-failure message; the input stays in the work folder).
pub fn set_ceiling(bytes: usize) {
    CEILING.store(bytes, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_counts_a_large_allocation_and_its_growth() {
        let base = start();
        let mut v = vec![1u8; 8 << 20];
        assert!(peak_above(base) >= 7 << 20, "{}", peak_above(base));
        v.resize(24 << 20, 2);
        let peak = peak_above(base);
        drop(v);
        // Other test threads allocate and free meanwhile: a MiB of slack either way.
        assert!((23 << 20..64 << 20).contains(&peak), "{peak}");
    }
}
