//! Progress lines on stderr for anything that takes more than a moment, throttled so that fast
//! steps do not flood a log.

use std::time::{Duration, Instant};

/// Prints `label: done/total what` at most every half second, and always on the last step.
pub struct Progress {
    label: String,
    last: Option<Instant>,
    start: Instant,
    quiet: bool,
}

impl Progress {
    /// A progress printer; `quiet` silences it (machine-readable runs keep stderr clean too).
    pub fn new(label: &str, quiet: bool) -> Progress {
        Progress {
            label: label.into(),
            last: None,
            start: Instant::now(),
            quiet,
        }
    }

    /// Reports `done` of `total` units of `what`.
    pub fn step(&mut self, what: &str, done: usize, total: usize) {
        if self.quiet {
            return;
        }
        let now = Instant::now();
        let due = self
            .last
            .is_none_or(|t| now - t >= Duration::from_millis(500));
        if due || done >= total {
            self.last = Some(now);
            let secs = self.start.elapsed().as_secs_f64();
            eprintln!("{}: {what} {done}/{total} ({secs:.1} s)", self.label);
        }
    }

    /// A callback for library functions that report `(what, done, total)`.
    pub fn callback(&mut self) -> impl FnMut(&str, usize, usize) + '_ {
        move |what, done, total| self.step(what, done, total)
    }
}
