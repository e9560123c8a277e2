//! `mmfree bench --model PATH --device DEV [--hw NAME] [--tokens N] [--json] [--report DIR]`:
//! decode throughput of a device against the machine's memory bandwidth (contracts.md, DESIGN.md
//! section 5). DEV is `golden`, `ref`, `iss` (the instruction-set simulator, configuration
//! `--hw`) or `sim` (the Verilated kernel, which counts cycles); `xrt:INDEX` is a one-line error
//! until its backend is part of the build.
//!
//! The device decodes greedily from token 1: one warm-up token, then `N` timed tokens, each timed
//! alone. Decode at batch 1 streams every packed weight once per token, so the report sets the
//! weight stream a step sustains against a stream-copy bandwidth measured in the same run
//! (`mmfree_gemv::stream_copy_bandwidth`: STREAM Copy convention, `2 x bytes` per pass, best of
//! 5 passes, with as many threads as the decode's rayon pool). Every timing figure is labelled
//! `measured`; the weight bytes are `counted` from the model. Cycle counts are reported where the
//! device counts them (`sim`; the ISS models instructions, not time); energy is reported as not
//! estimated until a power model or a card exists, never as a guess. `--report DIR` (an HTML
//! page) is not supported yet.
//!
//! With `--json` the last line of stdout is one object with these keys:
//! - `device`, `model` (the path given), `shape` (`hidden`, `layers`, `vocab`, `intermediate`),
//!   `threads` (the decode's pool), `tokens` (timed), `warmup_tokens` (1);
//! - `cpu` (model name or null), `load_average` (`start`, `end`: the 1, 5 and 15-minute load
//!   averages, or null), since other work may share the machine;
//! - `token_ms`: `median`, `min`, `max` time of one token, `basis`;
//! - `tokens_per_s`: `value` (1000 / median token ms), `basis`;
//! - `weight_bytes_per_token`: `value` (packed ternary bytes of every BitLinear and the lm_head),
//!   `basis` (`counted`);
//! - `weight_gb_per_s`: `value` (weight bytes per token x tokens/s / 10^9), `basis`;
//! - `stream_copy_gb_per_s`: `value`, `basis`, `bytes` (buffer size), `threads`, `passes`;
//! - `fraction_of_stream_copy`: `value` (weight GB/s over stream-copy GB/s), `basis`;
//! - `cycles_per_token`: `value` (median kernel cycles of a timed token) and `basis` (`counted`),
//!   or `value` null and `basis` `not counted by this device`;
//! - `counters_per_token`: the device's activity counters of the last timed token (the ISS:
//!   `instructions`, `weight_bytes`, `elements`, `ternary_macs`), an empty object elsewhere;
//! - `energy_j_per_token`: `value` null and `basis` `not estimated` (joules per token, `measured`
//!   on a card or `estimated` from a power model once those exist).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use mmfree_gemv::{STREAM_RUNS, stream_copy_bandwidth};
use mmfree_model::Model;
use mmfree_reference::weight_bytes_per_token;
use mmfree_spec::hw::HwConfig;
use serde_json::{Value, json};

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::device::{self, Device};
use crate::machine;
use crate::progress::Progress;

/// Untimed tokens before the timed ones (first-touch page faults, pool start-up).
const WARMUP_TOKENS: usize = 1;

/// The token the greedy decode starts from (`<s>` in the released vocabulary).
const FIRST_TOKEN: u32 = 1;

/// Arguments of `bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub card: crate::xrt::XclbinArgs,
    /// golden, ref, iss or sim (the Verilated kernel; xrt:INDEX is not part of this build yet).
    #[arg(long)]
    pub device: String,
    /// Hardware configuration of the accelerator devices: tiny, tiny-b2, small, u280, u55c, u250 or up5k
    /// (batch-1 ones only: bench decodes one sequence).
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// Timed tokens, after one warm-up token.
    #[arg(long, default_value_t = 32)]
    pub tokens: usize,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
    /// Write an HTML report with plots into this directory (not supported yet).
    #[arg(long)]
    pub report: Option<std::path::PathBuf>,
    /// Size of each stream-copy buffer, in MiB (well beyond the last-level cache).
    #[arg(long, default_value_t = 512)]
    pub stream_mib: usize,
}

/// Per-token times and device counts of a decode.
struct Timings {
    /// Sorted ascending.
    sorted: Vec<Duration>,
    /// Kernel cycles of each timed token, sorted, where the device counts them.
    cycles: Vec<u64>,
    /// The device's activity counters of the last timed token.
    counters: Vec<(&'static str, u64)>,
}

impl Timings {
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1e3
    }

    fn median_ms(&self) -> f64 {
        let n = self.sorted.len();
        let mid = Timings::ms(self.sorted[n / 2]);
        if n % 2 == 1 {
            mid
        } else {
            (mid + Timings::ms(self.sorted[n / 2 - 1])) / 2.0
        }
    }

    fn min_ms(&self) -> f64 {
        Timings::ms(self.sorted[0])
    }

    fn max_ms(&self) -> f64 {
        Timings::ms(self.sorted[self.sorted.len() - 1])
    }
}

/// Checks the arguments, decodes, measures the copy bandwidth, prints.
pub fn run(a: Args) -> Result<()> {
    if let Some(dir) = &a.report {
        bail!(
            "--report {}: HTML reports are not supported yet (they come with the accelerator devices)",
            dir.display()
        );
    }
    if a.tokens == 0 {
        bail!("--tokens 0: need at least one timed token");
    }
    if a.stream_mib == 0 {
        bail!("--stream-mib 0: the stream-copy buffers need at least 1 MiB");
    }
    let hw = HwConfig::preset(&a.hw)?;
    device::single_sequence(&a.device, &hw, "bench")?;
    let load_start = machine::load_average();
    let model = load_model(&a.model.model, a.json)?;
    let mut dev = device::open_with(&a.device, &model, &hw, false, a.card.files(&a.model.model))?;
    let timings = decode(dev.as_mut(), model.shape.vocab, a.tokens)?;
    let stream_bytes = a.stream_mib << 20;
    let threads = rayon::current_num_threads();
    eprintln!(
        "bench: stream copy, {threads} threads, 2 x {} MiB",
        a.stream_mib
    );
    let stream = stream_copy_bandwidth(stream_bytes, threads)? / 1e9;
    let report = report(
        &a,
        &model,
        &timings,
        (stream, stream_bytes, threads),
        load_start,
    );
    if a.json {
        print_json(&report);
    } else {
        print_text(&report);
    }
    Ok(())
}

/// Decodes greedily, one warm-up token then `tokens` timed ones, with progress on stderr.
fn decode(dev: &mut dyn Device, vocab: usize, tokens: usize) -> Result<Timings> {
    let total = WARMUP_TOKENS + tokens;
    let mut progress = Progress::new("bench", false);
    let mut sorted = Vec::with_capacity(tokens);
    let mut cycles = Vec::new();
    let mut token = FIRST_TOKEN % vocab as u32;
    for i in 0..total {
        let start = Instant::now();
        let out = dev.step(token)?;
        if i >= WARMUP_TOKENS {
            sorted.push(start.elapsed());
            cycles.extend(dev.cycles());
        }
        token = out.argmax as u32;
        progress.step("tokens", i + 1, total);
    }
    sorted.sort();
    cycles.sort();
    Ok(Timings {
        sorted,
        cycles,
        counters: dev.counters(),
    })
}

/// A figure with its basis (`measured`, `counted`).
fn figure(value: impl serde::Serialize, basis: &str) -> Value {
    json!({"value": value, "basis": basis})
}

/// The report as the JSON object the module documentation lists.
fn report(
    a: &Args,
    model: &Model,
    t: &Timings,
    (stream_gb_s, stream_bytes, threads): (f64, usize, usize),
    load_start: Option<[f64; 3]>,
) -> Value {
    let tokens_per_s = 1e3 / t.median_ms();
    let bytes = weight_bytes_per_token(model);
    let weight_gb_s = bytes as f64 * tokens_per_s / 1e9;
    let mut stream = figure(stream_gb_s, "measured");
    stream["bytes"] = json!(stream_bytes);
    stream["threads"] = json!(threads);
    stream["passes"] = json!(STREAM_RUNS);
    let cycles = match t.cycles.get(t.cycles.len() / 2) {
        Some(&median) if t.cycles.len() == t.sorted.len() => figure(median, "counted"),
        _ => figure(Value::Null, "not counted by this device"),
    };
    let counters: serde_json::Map<String, Value> = (t.counters.iter())
        .map(|&(name, n)| (name.to_string(), json!(n)))
        .collect();
    json!({
        "device": a.device,
        "model": a.model.model.display().to_string(),
        "shape": model.shape,
        "threads": rayon::current_num_threads(),
        "tokens": t.sorted.len(),
        "warmup_tokens": WARMUP_TOKENS,
        "cpu": machine::cpu_name(),
        "load_average": {"start": load_start, "end": machine::load_average()},
        "token_ms": {
            "median": t.median_ms(), "min": t.min_ms(), "max": t.max_ms(), "basis": "measured"
        },
        "tokens_per_s": figure(tokens_per_s, "measured"),
        "weight_bytes_per_token": figure(bytes, "counted"),
        "weight_gb_per_s": figure(weight_gb_s, "measured"),
        "stream_copy_gb_per_s": stream,
        "fraction_of_stream_copy": figure(weight_gb_s / stream_gb_s, "measured"),
        "cycles_per_token": cycles,
        "counters_per_token": counters,
        "energy_j_per_token": figure(Value::Null, "not estimated"),
    })
}

/// The report for a reader.
fn print_text(r: &Value) {
    let f = |key: &str| r[key]["value"].as_f64().unwrap_or(f64::NAN);
    let shape = &r["shape"];
    let load = |k: &str| match r["load_average"][k].as_array() {
        Some(v) => format!("{}", v[0]),
        None => "unknown".into(),
    };
    println!(
        "device {} on {} (d={}, L={}, V={}), {} threads, {} tokens after {} warm-up",
        r["device"].as_str().unwrap_or(""),
        Path::new(r["model"].as_str().unwrap_or("")).display(),
        shape["hidden"],
        shape["layers"],
        shape["vocab"],
        r["threads"],
        r["tokens"],
        r["warmup_tokens"],
    );
    let ms = &r["token_ms"];
    println!(
        "decode         {:10.2} tokens/s   measured (median token {:.2} ms, min {:.2}, max {:.2})",
        f("tokens_per_s"),
        ms["median"].as_f64().unwrap_or(f64::NAN),
        ms["min"].as_f64().unwrap_or(f64::NAN),
        ms["max"].as_f64().unwrap_or(f64::NAN),
    );
    println!(
        "weights        {:10.2} MB/token   counted (packed ternary)",
        f("weight_bytes_per_token") / 1e6
    );
    println!(
        "weight stream  {:10.2} GB/s       measured",
        f("weight_gb_per_s")
    );
    println!(
        "stream copy    {:10.2} GB/s       measured (best of {} passes, 2 x {} MiB)",
        f("stream_copy_gb_per_s"),
        r["stream_copy_gb_per_s"]["passes"],
        r["stream_copy_gb_per_s"]["bytes"].as_u64().unwrap_or(0) >> 20,
    );
    println!(
        "ratio          {:10.1} %          measured (weight stream / stream copy)",
        100.0 * f("fraction_of_stream_copy")
    );
    match r["cycles_per_token"]["value"].as_u64() {
        Some(c) => println!("cycles         {c:10} /token    counted (median)"),
        None => println!("cycles         not counted by this device"),
    }
    if let Some(counters) = r["counters_per_token"]
        .as_object()
        .filter(|c| !c.is_empty())
    {
        let list: Vec<String> = counters.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("counters       {} per token, counted", list.join(", "));
    }
    println!("energy         not estimated (no power model or card in this build)");
    println!(
        "machine        {}, load average {} at the start, {} at the end",
        r["cpu"].as_str().unwrap_or("unknown CPU"),
        load("start"),
        load("end"),
    );
}
