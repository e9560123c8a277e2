//! `mmfree bench --model PATH --device DEV [--hw NAME] --tokens N [--prompt-tokens N] [--json]
//! [--report DIR]`: throughput and energy of a device (contracts.md; DESIGN.md section 5).
//!
//! The device decodes greedily from token 1: one warm-up step, then the `--prompt-tokens` prompt
//! (timed as a whole: prefill), then `--tokens` decode steps, each timed alone. A step advances
//! every sequence of the configuration's batch by one token (`tiny-b2`: two). While the timed
//! steps run, a thread samples the device's power sensor (RAPL for `golden` and `ref`, the card's
//! hwmon for `xrt:N`) after an idle baseline; `iss` and `sim` simulate the card, so their energy
//! is an estimate from counted events (`sim` counts cycles, the ISS beside it the events of the
//! same program). A stream copy measured in the same process is the CPU devices' roofline.
//! The figures and their bases are those of [`crate::figures`]; with `--json` the last line of
//! stdout is one object with them and `device`, `model`, `shape`, `shape_name`, `hw`, `batch`,
//! `tokens`, `prompt_tokens`, `warmup_tokens`, `threads`, `cpu`, `load_average`, `token_ms`,
//! `weight_gb_per_s`, `stream_copy_gb_per_s`, `fraction_of_stream_copy` and
//! `counters_per_token`. `--report DIR` adds the object, with the machine it ran on, to
//! `DIR/results.jsonl` and rewrites `DIR/index.html` ([`crate::results`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use mmfree_gemv::{STREAM_RUNS, stream_copy_bandwidth};
use mmfree_model::Model;
use mmfree_reference::weight_bytes_per_token;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::shape::{ModelShape, SHAPE_NAMES};
use serde_json::{Value, json};

use crate::cli::ModelArgs;
use crate::commands::{load_model, print_json};
use crate::device::{self, Device};
use crate::estimate::Events;
use crate::figures::{self, Observed, Power, Prefill, fig, format_value, median, na};
use crate::machine;
use crate::power::{self, Sampler, Sensor, sampler::DEFAULT_HZ};
use crate::progress::Progress;
use crate::results;

/// Untimed steps before the timed ones (first-touch page faults, pool start-up).
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
    /// golden, ref, iss, sim or xrt:INDEX.
    #[arg(long)]
    pub device: String,
    /// Hardware configuration of the accelerator devices: tiny, tiny-b2, small, u280, u55c, u250
    /// or up5k (a batch configuration reports the aggregate rate too).
    #[arg(long, default_value = "tiny")]
    pub hw: String,
    /// Timed decode steps, after one warm-up step.
    #[arg(long, default_value_t = 32)]
    pub tokens: usize,
    /// Prompt tokens fed before the decode, timed as a whole (prefill); 0 feeds none.
    #[arg(long, default_value_t = 0)]
    pub prompt_tokens: usize,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
    /// Append the result to DIR/results.jsonl and rewrite the page DIR/index.html from it.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Size of each stream-copy buffer, in MiB (well beyond the last-level cache).
    #[arg(long, default_value_t = 512)]
    pub stream_mib: usize,
    /// Seconds of idle power sampled before the run on a measured device.
    #[arg(long, default_value_t = 1.0)]
    pub idle_s: f64,
    /// Power samples per second while the timed steps run.
    #[arg(long, default_value_t = DEFAULT_HZ)]
    pub power_hz: f64,
}

/// What a decode observed, before the figures.
struct Decode {
    step_s: Vec<f64>,
    step_cycles: Vec<u64>,
    prefill: Option<Prefill>,
    counters: Vec<(&'static str, u64)>,
    power: Option<Result<power::Measurement, String>>,
}

/// Checks the arguments, decodes, measures, prints, reports.
pub fn run(a: Args) -> Result<()> {
    check(&a)?;
    let hw = HwConfig::preset(&a.hw)?;
    if let Some(dir) = &a.report {
        // A corrupt results file stops the run before it is spent.
        results::read(dir)?;
    }
    let load_start = machine::load_average();
    let model = load_model(&a.model.model, a.json)?;
    let mut dev = device::open_with(&a.device, &model, &hw, false, a.card.files(&a.model.model))?;
    let accelerator = !matches!(a.device.as_str(), "golden" | "ref");
    let root = power::sysfs::root();
    let idle = idle_baseline(&a, &root);
    let run = decode(
        dev.as_mut(),
        &a,
        model.shape.vocab,
        power::sensor_for(&a.device, &root),
    )?;
    let (events, counters) = counted_events(&a.device, &model, &hw, &run)?;
    let (stream_bytes, stream) = stream_copy(&a)?;
    let observed = Observed {
        hw: accelerator.then(|| hw.clone()),
        batch: dev.batch(),
        step_s: run.step_s.clone(),
        step_cycles: (run.step_cycles.len() == run.step_s.len()).then(|| run.step_cycles.clone()),
        events,
        model_weight_bytes: weight_bytes_per_token(&model),
        prefill: run.prefill.clone(),
        stream_copy_bytes_per_s: stream,
        power: match (idle, run.power.clone()) {
            (Some(idle), Some(run)) => Power::Sampled { idle, run },
            _ => Power::Simulated,
        },
    };
    let mut report = figures::figures(&observed);
    let context = json!({
        "device": a.device,
        "model": a.model.model.display().to_string(),
        "shape": model.shape,
        "shape_name": shape_name(&model.shape),
        "hw": accelerator.then(|| hw.name.clone()),
        "batch": observed.batch,
        "tokens": run.step_s.len(),
        "prompt_tokens": a.prompt_tokens,
        "warmup_tokens": WARMUP_TOKENS,
        "threads": rayon::current_num_threads(),
        "cpu": machine::cpu_name(),
        "load_average": {"start": load_start, "end": machine::load_average()},
        "token_ms": token_ms(&run.step_s),
        "counters_per_token": counters,
    });
    report.extend(context.as_object().cloned().unwrap_or_default());
    report.extend(stream_figures(&observed, stream_bytes));
    let report = Value::Object(report);
    if let Some(dir) = &a.report {
        let page = results::append(dir, &report)?;
        eprintln!("bench: report {}", page.display());
    }
    if a.json {
        print_json(&report);
    } else {
        print_text(&report);
    }
    Ok(())
}

/// The idle power of a measured device, sampled for `--idle-s` before the run; `None` for a
/// simulated one.
fn idle_baseline(a: &Args, root: &Path) -> Option<Result<power::Measurement, String>> {
    power::sensor_for(&a.device, root).map(|s| {
        s.and_then(|s| {
            if a.idle_s == 0.0 {
                return Err("--idle-s 0: no idle baseline".into());
            }
            eprintln!("bench: idle power, {:.1} s", a.idle_s);
            Sampler::idle(s, a.power_hz, Duration::from_secs_f64(a.idle_s))
        })
    })
}

/// The stream-copy bandwidth of this machine, measured now: buffer bytes and bytes per second.
fn stream_copy(a: &Args) -> Result<(usize, f64)> {
    let threads = rayon::current_num_threads();
    eprintln!(
        "bench: stream copy, {threads} threads, 2 x {} MiB",
        a.stream_mib
    );
    let bytes = a.stream_mib << 20;
    Ok((bytes, stream_copy_bandwidth(bytes, threads)?))
}

/// The software models' weight stream against the stream copy (the CPU's memory bound).
fn stream_figures(o: &Observed, stream_bytes: usize) -> serde_json::Map<String, Value> {
    let tokens_per_s = 1.0 / median(&o.step_s);
    let weight_gb_s = o.model_weight_bytes as f64 * tokens_per_s / 1e9;
    let mut copy = fig(o.stream_copy_bytes_per_s / 1e9, "measured");
    copy["bytes"] = json!(stream_bytes);
    copy["threads"] = json!(rayon::current_num_threads());
    copy["passes"] = json!(STREAM_RUNS);
    let fraction = weight_gb_s * 1e9 / o.stream_copy_bytes_per_s;
    let figures = json!({
        "weight_gb_per_s": fig(weight_gb_s, "measured"),
        "stream_copy_gb_per_s": copy,
        "fraction_of_stream_copy": fig(fraction, "measured"),
    });
    figures.as_object().cloned().unwrap_or_default()
}

/// The arguments that cannot run, before anything is loaded.
fn check(a: &Args) -> Result<()> {
    if a.tokens == 0 {
        bail!("--tokens 0: need at least one timed token");
    }
    if a.stream_mib == 0 {
        bail!("--stream-mib 0: the stream-copy buffers need at least 1 MiB");
    }
    if !(a.idle_s.is_finite() && a.idle_s >= 0.0) {
        bail!("--idle-s {}: must be a number of seconds >= 0", a.idle_s);
    }
    if !(a.power_hz.is_finite() && a.power_hz > 0.0 && a.power_hz <= 1000.0) {
        bail!("--power-hz {}: must be in (0, 1000]", a.power_hz);
    }
    Ok(())
}

/// The preset name of a shape, or its dimensions.
fn shape_name(s: &ModelShape) -> String {
    SHAPE_NAMES
        .iter()
        .find(|n| ModelShape::preset(n).is_ok_and(|p| p == *s))
        .map(|n| n.to_string())
        .unwrap_or_else(|| format!("d{} L{} V{}", s.hidden, s.layers, s.vocab))
}

/// The median, fastest and slowest step, in milliseconds.
fn token_ms(sorted: &[f64]) -> Value {
    json!({
        "median": median(sorted) * 1e3,
        "min": sorted[0] * 1e3,
        "max": sorted[sorted.len() - 1] * 1e3,
        "basis": "measured",
    })
}

/// Token `i` of the prompt of sequence `b`: a fixed walk through the vocabulary.
fn prompt_token(i: usize, b: usize, vocab: usize) -> u32 {
    ((FIRST_TOKEN as usize + 1 + 7 * i + b) % vocab) as u32
}

/// Warm-up, prefill and timed decode steps, with progress on stderr; the sensor is sampled over
/// the timed steps.
fn decode(
    dev: &mut dyn Device,
    a: &Args,
    vocab: usize,
    sensor: Option<Result<Box<dyn Sensor>, String>>,
) -> Result<Decode> {
    let batch = dev.batch();
    let total = WARMUP_TOKENS + a.prompt_tokens + a.tokens;
    let mut progress = Progress::new("bench", false);
    let mut tokens: Vec<u32> = (0..batch)
        .map(|b| (FIRST_TOKEN as usize + b) as u32 % vocab as u32)
        .collect();
    let mut next = |dev: &mut dyn Device, tokens: &[u32], done: usize| -> Result<Vec<u32>> {
        let out = dev.step_batch(tokens)?;
        progress.step("steps", done, total);
        Ok(out.iter().map(|s| s.argmax as u32).collect())
    };
    for i in 0..WARMUP_TOKENS {
        tokens = next(dev, &tokens, i + 1)?;
    }
    let prefill = if a.prompt_tokens > 0 {
        let (start, mut cycles) = (Instant::now(), Some(0u64));
        for i in 0..a.prompt_tokens {
            let prompt: Vec<u32> = (0..batch).map(|b| prompt_token(i, b, vocab)).collect();
            tokens = next(dev, &prompt, WARMUP_TOKENS + i + 1)?;
            cycles = cycles.zip(dev.cycles()).map(|(s, c)| s + c);
        }
        Some(Prefill {
            tokens: a.prompt_tokens,
            seconds: start.elapsed().as_secs_f64(),
            cycles,
        })
    } else {
        None
    };
    let sampler = sensor.map(|s| s.map(|s| Sampler::start(s, a.power_hz)));
    let (mut step_s, mut step_cycles) = (Vec::new(), Vec::new());
    for i in 0..a.tokens {
        let start = Instant::now();
        tokens = next(dev, &tokens, WARMUP_TOKENS + a.prompt_tokens + i + 1)?;
        step_s.push(start.elapsed().as_secs_f64());
        step_cycles.extend(dev.cycles());
    }
    let power = sampler.map(|s| s.and_then(Sampler::stop));
    step_s.sort_by(f64::total_cmp);
    step_cycles.sort();
    Ok(Decode {
        step_s,
        step_cycles,
        prefill,
        counters: dev.counters(),
        power,
    })
}

/// The events of one step and the `counters_per_token` figure: the device's own counters (the
/// ISS), those of an ISS running the same program one step beside `sim`, or none.
fn counted_events(
    device: &str,
    model: &Model,
    hw: &HwConfig,
    run: &Decode,
) -> Result<(Option<(Events, String)>, Value)> {
    let (counters, who) = if device == "sim" {
        let mut iss = device::open("iss", model, hw, false)?;
        let tokens: Vec<u32> = (0..iss.batch() as u32).map(|b| FIRST_TOKEN + b).collect();
        iss.step_batch(&tokens)?;
        (
            iss.counters(),
            "counted by the ISS running the same program",
        )
    } else {
        (run.counters.clone(), "counted by the device")
    };
    if counters.is_empty() {
        return Ok((None, na(format!("device '{device}' counts no activity"))));
    }
    let map: serde_json::Map<String, Value> = (counters.iter())
        .map(|&(name, n)| (name.to_string(), json!(n)))
        .collect();
    let mut figure = fig(map, "counted");
    figure["detail"] = json!(format!("one step, {who}"));
    let events = Events::from_counters(&counters).map(|e| (e, who.to_string()));
    Ok((events, figure))
}

/// One figure as text: value (or why none) and basis.
fn text(r: &Value, key: &str, unit: &str) -> String {
    let f = &r[key];
    let basis = f["basis"].as_str().unwrap_or("");
    let value = f["value"].as_f64().map_or("-".into(), format_value);
    format!("{value:>14} {unit:<10} {basis}")
}

/// The report for a reader.
fn print_text(r: &Value) {
    let shape = &r["shape"];
    println!(
        "device {}{} on {} ({}: d={}, L={}, V={}), batch {}, {} tokens after {} warm-up",
        r["device"].as_str().unwrap_or(""),
        r["hw"]
            .as_str()
            .map(|h| format!(" --hw {h}"))
            .unwrap_or_default(),
        Path::new(r["model"].as_str().unwrap_or("")).display(),
        r["shape_name"].as_str().unwrap_or(""),
        shape["hidden"],
        shape["layers"],
        shape["vocab"],
        r["batch"],
        r["tokens"],
        r["warmup_tokens"],
    );
    for (label, key, unit) in [
        ("decode", "tokens_per_s", "tokens/s"),
        ("aggregate", "aggregate_tokens_per_s", "tokens/s"),
        ("prefill", "prefill_tokens_per_s", "tokens/s"),
        ("cycles", "cycles_per_token", "/token"),
        ("projected", "projected_tokens_per_s", "tokens/s"),
        (
            "proj. aggregate",
            "projected_aggregate_tokens_per_s",
            "tokens/s",
        ),
        ("clock", "clock_mhz", "MHz"),
        ("weights", "weight_bytes_per_token", "B/token"),
        ("roofline", "roofline_tokens_per_s", "tokens/s"),
        ("of roofline", "fraction_of_roofline", ""),
        ("weight stream", "weight_gb_per_s", "GB/s"),
        ("stream copy", "stream_copy_gb_per_s", "GB/s"),
        ("ratio", "fraction_of_stream_copy", ""),
        ("energy", "energy_j_per_token", "J/token"),
        ("efficiency", "tokens_per_j", "tokens/J"),
        ("power", "power_w", "W"),
        ("idle power", "idle_power_w", "W"),
    ] {
        println!("{label:<16}{}", text(r, key, unit));
    }
    let load = |k: &str| match r["load_average"][k].as_array() {
        Some(v) => format!("{}", v[0]),
        None => "unknown".into(),
    };
    println!(
        "machine         {}, load average {} at the start, {} at the end",
        r["cpu"].as_str().unwrap_or("unknown CPU"),
        load("start"),
        load("end"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_named_by_preset_or_dimensions() {
        assert_eq!(shape_name(&ModelShape::preset("370m").unwrap()), "370m");
        assert_eq!(shape_name(&ModelShape::new(96, 3, 300)), "d96 L3 V300");
    }
}
