//! Progress lines on stderr for anything that takes more than a moment, throttled so that fast
//! steps do not flood a log, and byte bars for large uploads.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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

/// Set by commands whose output is for a program (`--json`): their stderr stays free of bars.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences (or restores) the byte bars of [`bytes_bar`] for the rest of the process; commands
/// set it once from `--json`, because the library functions that upload deep below them (the
/// accelerator's image load) have no other way to know.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Transfers below this size finish too fast for a bar to help.
pub const BAR_MIN_BYTES: u64 = 64 << 20;

/// A bar on stderr for moving `total` bytes (`label` in front): hidden when the transfer is
/// small, when stderr is not a terminal (a log gets no control characters) or under
/// [`set_quiet`].
pub fn bytes_bar(label: &str, total: u64) -> ProgressBar {
    if total < BAR_MIN_BYTES || QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{msg}: [{bar:40}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta})",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(label.to_string());
    bar
}
