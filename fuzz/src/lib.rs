//! Fuzzing of every mmfree parser of untrusted input on the stable toolchain: a seeded,
//! structure-aware mutation loop over valid seed files (written at start by the same functions as
//! `mmfree random`), each input run under `catch_unwind` with a time limit (a watchdog thread) and a
//! memory high-water mark (a counting allocator). Inputs that give an error not seen before join
//! the corpus, so the loop works its way through the checks one error at a time. Deterministic
//! given a seed.

#![warn(missing_docs)]

pub mod alloc;
pub mod error;
pub mod layout;
pub mod mutate;
pub mod target;
mod watchdog;

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use error::{Error, Result};
pub use target::{ALL, File, Target};

/// Every allocation of a fuzz run goes through the counter.
#[global_allocator]
static COUNTING: alloc::Counting = alloc::Counting;

/// Largest corpus kept per target (inputs with distinct errors, the seed first).
const MAX_CORPUS: usize = 512;
/// Most mutations stacked on one input.
const MAX_STACK: usize = 4;
/// Seconds between progress lines.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// How a run is set up.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed of the mutation stream.
    pub seed: u64,
    /// Inputs to run.
    pub execs: u64,
    /// Longest an input may take before it counts as a hang (the process then exits).
    pub time_limit: Duration,
    /// Most bytes one input may allocate before it counts as a finding.
    pub mem_cap: usize,
    /// Where inputs that panic or over-allocate are saved.
    pub findings: PathBuf,
    /// Print a progress line every few seconds to stderr.
    pub progress: bool,
}

/// What a run found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The target.
    pub target: Target,
    /// Inputs run.
    pub execs: u64,
    /// Wall time of the loop.
    pub elapsed: Duration,
    /// Inputs the parser accepted.
    pub accepted: u64,
    /// Distinct error kinds seen (digits folded), each an input of the corpus.
    pub distinct_errors: usize,
    /// Largest allocation high-water mark of one input, in bytes.
    pub max_peak: usize,
    /// Saved inputs that panicked.
    pub panics: Vec<PathBuf>,
    /// Saved inputs that allocated more than the cap.
    pub over_memory: Vec<PathBuf>,
}

impl Report {
    /// Executions per second.
    pub fn rate(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// One summary line.
    pub fn line(&self) -> String {
        format!(
            "{}: {} execs in {:.1} s ({:.0}/s), {} accepted, {} distinct errors, peak {:.1} MiB, {} panics, 0 hangs, {} over memory",
            self.target.name(),
            self.execs,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.accepted,
            self.distinct_errors,
            self.max_peak as f64 / (1 << 20) as f64,
            self.panics.len(),
            self.over_memory.len()
        )
    }
}

static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Keeps panics quiet (they are expected findings) and remembers the last message.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let mut last = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
            *last = info.to_string();
        }));
    });
}

/// The kind of an error message: the work folder and digits folded away, so that one damaged
/// offset value and another count once.
fn error_kind(message: &str, work: &Path) -> String {
    let message = message.replace(&work.display().to_string(), "");
    let mut kind = String::new();
    for c in message.chars().take(160) {
        if c.is_ascii_digit() {
            if !kind.ends_with('#') {
                kind.push('#');
            }
        } else {
            kind.push(c);
        }
    }
    kind
}

fn write_files(dir: &Path, files: &[File], written: &mut [Vec<u8>]) -> Result<()> {
    for (f, last) in files.iter().zip(written.iter_mut()) {
        if f.bytes != *last {
            let path = dir.join(&f.name);
            std::fs::write(&path, &f.bytes).map_err(|e| Error::io(&path, e))?;
            last.clone_from(&f.bytes);
        }
    }
    Ok(())
}

/// Saves an input under `findings/<target>-<what>-<exec>/`, returning the folder.
fn save(opts: &Options, target: Target, what: &str, exec: u64, files: &[File]) -> Result<PathBuf> {
    let dir = opts
        .findings
        .join(format!("{}-{what}-{exec}", target.name()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    for f in files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes).map_err(|e| Error::io(&path, e))?;
    }
    Ok(dir)
}

/// A mutated copy of a corpus entry: one to [`MAX_STACK`] mutations, each of a random file.
fn child(rng: &mut ChaCha8Rng, corpus: &[Vec<File>]) -> Vec<File> {
    let mut files = corpus[rng.gen_range(0..corpus.len())].clone();
    for _ in 0..rng.gen_range(1..=MAX_STACK) {
        let i = rng.gen_range(0..files.len());
        let donor = &corpus[rng.gen_range(0..corpus.len())][i].bytes;
        let layout = files[i].layout;
        layout::mutate(rng, layout, &mut files[i].bytes, donor);
    }
    files
}

/// The outcome of one input.
enum Outcome {
    Accepted,
    Refused(String),
    Panicked(String),
}

/// Runs one input, returning its outcome and allocation high-water mark.
fn run_one(target: Target, work: &Path) -> (Outcome, usize) {
    let base = alloc::start();
    let result = catch_unwind(AssertUnwindSafe(|| target.run(work)));
    let peak = alloc::peak_above(base);
    let outcome = match result {
        Ok(Ok(())) => Outcome::Accepted,
        Ok(Err(message)) => Outcome::Refused(message),
        Err(_) => Outcome::Panicked(LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).clone()),
    };
    (outcome, peak)
}

/// Fuzzes `target` for `opts.execs` inputs.
pub fn fuzz(target: Target, opts: &Options) -> Result<Report> {
    install_panic_hook();
    let tmp = |what| {
        tempfile::Builder::new()
            .prefix(what)
            .tempdir()
            .map_err(|e| Error::io(&std::env::temp_dir(), e))
    };
    let seed_dir = tmp("mmfree-fuzz-seed")?;
    let work = tmp("mmfree-fuzz-work")?;
    let seed = target.seed(seed_dir.path())?;
    let mut corpus = vec![seed];
    let mut written = vec![Vec::new(); corpus[0].len()];
    let mut seen = HashSet::new();
    let mut rng =
        ChaCha8Rng::seed_from_u64(opts.seed ^ xxhash_rust::xxh3::xxh3_64(target.name().as_bytes()));
    let mut report = Report {
        target,
        execs: 0,
        elapsed: Duration::ZERO,
        accepted: 0,
        distinct_errors: 0,
        max_peak: 0,
        panics: Vec::new(),
        over_memory: Vec::new(),
    };
    let dog = watchdog::Watchdog::start(target, work.path(), opts.time_limit);
    let start = Instant::now();
    let mut last_progress = start;
    for exec in 0..opts.execs {
        let input = if exec == 0 {
            corpus[0].clone()
        } else {
            child(&mut rng, &corpus)
        };
        write_files(work.path(), &input, &mut written)?;
        dog.arm(exec);
        let (outcome, peak) = run_one(target, work.path());
        dog.disarm();
        report.max_peak = report.max_peak.max(peak);
        if peak > opts.mem_cap {
            report
                .over_memory
                .push(save(opts, target, "memory", exec, &input)?);
        }
        match outcome {
            Outcome::Accepted => report.accepted += 1,
            Outcome::Refused(message) => {
                if seen.insert(error_kind(&message, work.path())) && corpus.len() < MAX_CORPUS {
                    corpus.push(input);
                }
            }
            Outcome::Panicked(message) => {
                let dir = save(opts, target, "panic", exec, &input)?;
                eprintln!(
                    "{}: input {exec} panicked: {message} (saved in {})",
                    target.name(),
                    dir.display()
                );
                report.panics.push(dir);
            }
        }
        report.execs = exec + 1;
        if opts.progress && last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            report.elapsed = start.elapsed();
            report.distinct_errors = seen.len();
            eprintln!("{} ({}/{})", report.line(), report.execs, opts.execs);
        }
    }
    report.elapsed = start.elapsed();
    report.distinct_errors = seen.len();
    Ok(report)
}
