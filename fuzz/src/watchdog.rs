//! Hang detection: a thread that ends the process when one input runs over the time limit (a
//! parser stuck in a loop cannot be interrupted from outside, so the run stops, names the input
//! and leaves it in the work folder).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::target::Target;

/// Exit status of a run stopped by a hang.
pub const HANG_EXIT: i32 = 3;

/// Milliseconds since `epoch` plus one (0 means idle), and the input's number.
struct Shared {
    epoch: Instant,
    armed_at: AtomicU64,
    exec: AtomicU64,
    stop: AtomicBool,
}

/// The watchdog of one run; stops its thread when dropped.
pub struct Watchdog {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// Starts watching; `work` is where the running input's files are.
    pub fn start(target: Target, work: &Path, limit: Duration) -> Watchdog {
        let shared = Arc::new(Shared {
            epoch: Instant::now(),
            armed_at: AtomicU64::new(0),
            exec: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let watched = shared.clone();
        let work: PathBuf = work.into();
        let thread = std::thread::spawn(move || watch(&watched, target, &work, limit));
        Watchdog {
            shared,
            thread: Some(thread),
        }
    }

    /// Input `exec` starts now.
    pub fn arm(&self, exec: u64) {
        self.shared.exec.store(exec, Ordering::Relaxed);
        let now = self.shared.epoch.elapsed().as_millis() as u64 + 1;
        self.shared.armed_at.store(now, Ordering::Release);
    }

    /// The input finished.
    pub fn disarm(&self) {
        self.shared.armed_at.store(0, Ordering::Release);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn watch(s: &Shared, target: Target, work: &Path, limit: Duration) {
    let tick = (limit / 20).clamp(Duration::from_millis(5), Duration::from_millis(100));
    while !s.stop.load(Ordering::Relaxed) {
        std::thread::sleep(tick);
        let armed = s.armed_at.load(Ordering::Acquire);
        let now = s.epoch.elapsed().as_millis() as u64 + 1;
        if armed != 0 && now.saturating_sub(armed) > limit.as_millis() as u64 {
            let kept = keep_copy(work);
            eprintln!(
                "{}: input {} ran over {} ms (a hang); its files are in {}",
                target.name(),
                s.exec.load(Ordering::Relaxed),
                limit.as_millis(),
                kept.display()
            );
            std::process::exit(HANG_EXIT);
        }
    }
}

/// Copies the work folder (a temporary folder removed on exit) to a kept one.
fn keep_copy(work: &Path) -> PathBuf {
    let kept = work.with_extension("hang");
    let _ = std::fs::create_dir_all(&kept);
    if let Ok(entries) = std::fs::read_dir(work) {
        for e in entries.flatten() {
            let _ = std::fs::copy(e.path(), kept.join(e.file_name()));
        }
    }
    kept
}
