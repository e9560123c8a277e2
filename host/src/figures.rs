//! The figures of a `mmfree bench` run (contracts.md): each one `{"value": x, "basis": B}` with B
//! `measured` (timed or read from a sensor in this run), `counted` (events a device counted),
//! `projected` (counted cycles at the configuration's clock) or `estimate` (a model of what is not
//! counted: the ISS's cycles, the energy of the simulated card), or `{"value": null, "basis": "not
//! available: REASON"}`. Kept apart from the command so that the arithmetic is a pure function
//! of what the run observed.

use std::fmt::Display;

use mmfree_spec::hw::HwConfig;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::estimate::{self, Events};
use crate::power::Measurement;

/// A figure with its basis.
pub fn fig(value: impl Serialize, basis: &str) -> Value {
    json!({"value": value, "basis": basis})
}

/// A figure that this run cannot give, and why.
pub fn na(reason: impl Display) -> Value {
    json!({"value": null, "basis": format!("not available: {reason}")})
}

/// `figure` with a `detail` saying how it was obtained.
fn detailed(mut figure: Value, detail: impl Into<String>) -> Value {
    figure["detail"] = json!(detail.into());
    figure
}

/// The prompt a run fed before decoding.
#[derive(Clone, Debug, PartialEq)]
pub struct Prefill {
    /// Prompt tokens of each sequence.
    pub tokens: usize,
    /// Time of the whole prompt.
    pub seconds: f64,
    /// Kernel cycles of the whole prompt, where the device counts them.
    pub cycles: Option<u64>,
}

/// A number for a reader: engineering precision, no exponent for ordinary magnitudes.
pub fn format_value(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e7).contains(&a) {
        format!("{v:.3e}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

/// How a device's power was or was not measured.
#[derive(Clone, Debug, PartialEq)]
pub enum Power {
    /// The device simulates the accelerator: its energy is estimated, nothing is measured.
    Simulated,
    /// A sensor was sampled: before the run with nothing running (`idle`), then during the timed
    /// tokens (`run`); either is the reason it failed.
    Sampled {
        idle: Result<Measurement, String>,
        run: Result<Measurement, String>,
    },
}

/// What a run observed, from which every figure follows.
#[derive(Clone, Debug)]
pub struct Observed {
    /// The accelerator configuration (`iss`, `sim`, `xrt:N`) or `None` (`golden`, `ref`).
    pub hw: Option<HwConfig>,
    /// Sequences each step advanced.
    pub batch: usize,
    /// Seconds of each timed step, sorted ascending (at least one).
    pub step_s: Vec<f64>,
    /// Kernel cycles of each timed step, sorted, where the device counts them.
    pub step_cycles: Option<Vec<u64>>,
    /// Events of one step where they are counted (the ISS, or the ISS beside `sim`), and who
    /// counted them.
    pub events: Option<(Events, String)>,
    /// Packed weight bytes of one token as the software models stream them.
    pub model_weight_bytes: u64,
    /// The prompt, if one was fed.
    pub prefill: Option<Prefill>,
    /// Stream-copy bandwidth measured in the same run, bytes per second.
    pub stream_copy_bytes_per_s: f64,
    /// The power measurement.
    pub power: Power,
}

/// Cycles of one step: counted by the device, or estimated from counted events.
enum Cycles {
    Counted(u64),
    Estimated(u64),
}

impl Cycles {
    fn value(&self) -> u64 {
        match self {
            Cycles::Counted(c) | Cycles::Estimated(c) => *c,
        }
    }

    /// The basis of a rate derived from these cycles.
    fn basis(&self) -> &'static str {
        match self {
            Cycles::Counted(_) => "projected",
            Cycles::Estimated(_) => "estimate",
        }
    }
}

impl Observed {
    /// The median of the sorted step times.
    fn median_step_s(&self) -> f64 {
        median(&self.step_s)
    }

    fn cycles(&self) -> Option<Cycles> {
        if let Some(c) = self.step_cycles.as_ref().filter(|c| !c.is_empty()) {
            let m = median(&c.iter().map(|&x| x as f64).collect::<Vec<_>>());
            return Some(Cycles::Counted(m.round() as u64));
        }
        let (hw, (events, _)) = (self.hw.as_ref()?, self.events.as_ref()?);
        Some(Cycles::Estimated(events.serial_cycles(hw)))
    }

    /// Weight bytes of one token: the accelerator's image per step over the batch (it streams
    /// the weights once for every sequence), else the software models' packing.
    fn weight_bytes(&self) -> (f64, String) {
        match &self.events {
            Some((e, who)) => (
                e.weight_bytes as f64 / self.batch as f64,
                format!("weight bytes of one step {who}, over batch {}", self.batch),
            ),
            None => (
                self.model_weight_bytes as f64,
                "packed ternary bytes of every BitLinear and the lm_head".into(),
            ),
        }
    }
}

/// The median of sorted values.
pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Every figure of the run, keyed as contracts.md names them (plus `aggregate_*`,
/// `projected_prefill_tokens_per_s`, `idle_power_w` and the `power_trace` of a sampled run).
pub fn figures(o: &Observed) -> Map<String, Value> {
    let mut f = Map::new();
    let mut put = |k: &str, v: Value| {
        f.insert(k.to_string(), v);
    };
    let tokens_per_s = 1.0 / o.median_step_s();
    put("tokens_per_s", fig(tokens_per_s, "measured"));
    put(
        "aggregate_tokens_per_s",
        per_batch(o.batch, fig(tokens_per_s * o.batch as f64, "measured")),
    );
    let cycles = o.cycles();
    let projected = throughput(o, &cycles);
    put("cycles_per_token", cycles_figure(o, &cycles));
    put("projected_tokens_per_s", projected.clone());
    put(
        "projected_aggregate_tokens_per_s",
        per_batch(o.batch, scaled(&projected, o.batch as f64)),
    );
    put(
        "clock_mhz",
        match &o.hw {
            Some(hw) => detailed(
                fig(hw.clock_hz as f64 / 1e6, "projected"),
                format!("the target clock of configuration {}", hw.name),
            ),
            None => na("the software models run on the host CPU, at its clock"),
        },
    );
    let (bytes, how) = o.weight_bytes();
    put(
        "weight_bytes_per_token",
        detailed(fig(bytes, "counted"), how),
    );
    let roofline = roofline(o, bytes);
    let rate = match o.hw {
        Some(_) => scaled(&projected, o.batch as f64),
        None => fig(tokens_per_s, "measured"),
    };
    put("fraction_of_roofline", ratio(&rate, &roofline));
    put("roofline_tokens_per_s", roofline);
    put("prefill_tokens_per_s", prefill(o));
    put(
        "projected_prefill_tokens_per_s",
        projected_prefill(o, &cycles),
    );
    for (k, v) in energy(o, &cycles) {
        put(&k, v);
    }
    f
}

/// A batch figure, or why a batch-1 run has none.
fn per_batch(batch: usize, figure: Value) -> Value {
    if batch > 1 {
        figure
    } else {
        na("batch 1: the aggregate is tokens_per_s")
    }
}

/// `figure` times `k`, basis kept (a figure without a value stays as it is).
fn scaled(figure: &Value, k: f64) -> Value {
    let mut out = figure.clone();
    if let Some(v) = figure["value"].as_f64() {
        out["value"] = json!(v * k);
    }
    out
}

/// `num / den` with the weaker basis of the two (`estimate` before `projected` before
/// `measured`), or not available when either is.
fn ratio(num: &Value, den: &Value) -> Value {
    let (Some(n), Some(d)) = (num["value"].as_f64(), den["value"].as_f64()) else {
        return na("the rate or the roofline is not available");
    };
    let rank = |b: &str| {
        ["measured", "counted", "projected", "estimate"]
            .iter()
            .position(|&x| x == b)
    };
    let (bn, bd) = (
        num["basis"].as_str().unwrap_or(""),
        den["basis"].as_str().unwrap_or(""),
    );
    let basis = if rank(bn) >= rank(bd) { bn } else { bd };
    fig(n / d, basis)
}

fn cycles_figure(o: &Observed, cycles: &Option<Cycles>) -> Value {
    match cycles {
        Some(c @ Cycles::Counted(_)) => detailed(
            fig(c.value(), "counted"),
            "median kernel cycles of a timed step",
        ),
        Some(c @ Cycles::Estimated(_)) => detailed(
            fig(c.value(), "estimate"),
            "weight beats over every port plus vector elements over the lanes, one after the other",
        ),
        None if o.hw.is_some() => na("the device counts neither cycles nor events"),
        None => na("the software models have no kernel clock"),
    }
}

/// Tokens per second of one sequence at the configuration's clock.
fn throughput(o: &Observed, cycles: &Option<Cycles>) -> Value {
    match (cycles, &o.hw) {
        (Some(c), Some(hw)) => detailed(
            fig(hw.clock_hz as f64 / c.value().max(1) as f64, c.basis()),
            format!("at {} MHz", hw.clock_hz / 1_000_000),
        ),
        _ => na("no kernel cycles on this device"),
    }
}

/// The memory-bound rate: bandwidth over the bytes of one token.
fn roofline(o: &Observed, bytes: f64) -> Value {
    match &o.hw {
        Some(hw) => {
            let bw = hw.sustained_weight_bytes_per_s();
            let ports = format!(
                "{} weight port(s) of {} bits at {} MHz ({:.1} GB/s)",
                hw.weight_ports,
                hw.port_bits,
                hw.clock_hz / 1_000_000,
                hw.weight_bytes_per_s() as f64 / 1e9
            );
            let what = match hw.card_memory() {
                Some(m) => format!(
                    "the lesser of the {ports} and {} {} sustained ({:.1} GB/s)",
                    m.card,
                    m.kind,
                    m.sustained_bytes_per_s(hw.weight_ports) / 1e9
                ),
                None => format!("the {ports}, no card"),
            };
            detailed(
                fig(bw / bytes, "projected"),
                format!("{what}: {:.1} GB/s over the weight bytes", bw / 1e9),
            )
        }
        None => detailed(
            fig(o.stream_copy_bytes_per_s / bytes, "measured"),
            format!(
                "stream-copy bandwidth of this run ({:.2} GB/s) over the weight bytes",
                o.stream_copy_bytes_per_s / 1e9
            ),
        ),
    }
}

fn prefill(o: &Observed) -> Value {
    match &o.prefill {
        Some(p) => detailed(
            fig(p.tokens as f64 / p.seconds.max(1e-12), "measured"),
            format!("{} prompt tokens in {:.4} s", p.tokens, p.seconds),
        ),
        None => na("no --prompt-tokens"),
    }
}

fn projected_prefill(o: &Observed, cycles: &Option<Cycles>) -> Value {
    let (Some(p), Some(hw)) = (&o.prefill, &o.hw) else {
        return na("no prompt on an accelerator device");
    };
    let clock = hw.clock_hz as f64;
    match (p.cycles, cycles) {
        (Some(c), _) => detailed(
            fig(p.tokens as f64 * clock / c.max(1) as f64, "projected"),
            format!("{c} counted cycles for {} tokens", p.tokens),
        ),
        // The recurrent model prefills token by token: each prompt token is one decode step.
        (None, Some(c @ Cycles::Estimated(_))) => fig(clock / c.value().max(1) as f64, "estimate"),
        _ => na("the device counts no cycles"),
    }
}

/// `energy_j_per_token`, `tokens_per_j`, `power_w`, `idle_power_w`, `power_trace`.
fn energy(o: &Observed, cycles: &Option<Cycles>) -> Vec<(String, Value)> {
    let tokens = (o.step_s.len() * o.batch) as f64;
    let (per_token, power, idle, trace) = match &o.power {
        Power::Simulated => {
            let estimate = match (&o.hw, &o.events, cycles) {
                (Some(hw), Some((events, _)), Some(c)) => {
                    let step_s = c.value() as f64 / hw.clock_hz as f64;
                    let e = estimate::energy(events, step_s, hw);
                    let j = e.total_j() / o.batch as f64;
                    let mut v = detailed(fig(j, "estimate"), e.basis.clone());
                    v["dynamic_j"] = json!(e.dynamic_j / o.batch as f64);
                    v["static_j"] = json!(e.static_j / o.batch as f64);
                    let w = detailed(
                        fig(e.total_j() / step_s.max(1e-30), "estimate"),
                        "estimated energy of a step over its projected time",
                    );
                    Ok((v, w))
                }
                _ => Err("the device counts no events to estimate from"),
            };
            match estimate {
                Ok((e, w)) => (e, w, na("simulated card"), Value::Null),
                Err(why) => (na(why), na(why), na(why), Value::Null),
            }
        }
        Power::Sampled { idle, run } => {
            let idle = match idle {
                Ok(m) if m.duration_s.is_nan() || m.duration_s <= 0.0 => {
                    na("the idle baseline was too short")
                }
                Ok(m) => detailed(fig(m.mean_w(), "measured"), idle_detail(m)),
                Err(why) => na(why),
            };
            match run {
                Ok(m) if m.duration_s.is_nan() || m.duration_s <= 0.0 => (
                    na("the timed tokens were too short to sample"),
                    na("the timed tokens were too short to sample"),
                    idle,
                    Value::Null,
                ),
                Ok(m) => (
                    detailed(
                        fig(m.energy_j / tokens, "measured"),
                        format!(
                            "{}: {:.3} J over the {:.3} s of the timed tokens",
                            m.sensor, m.energy_j, m.duration_s
                        ),
                    ),
                    detailed(
                        fig(m.mean_w(), "measured"),
                        "mean power of the timed tokens",
                    ),
                    idle,
                    json!({"sensor": m.sensor, "samples": m.samples}),
                ),
                Err(why) => (na(why), na(why), idle, Value::Null),
            }
        }
    };
    let tokens_per_j = match per_token["value"].as_f64() {
        Some(j) if j > 0.0 => {
            let basis = per_token["basis"].as_str().unwrap_or("");
            fig(1.0 / j, basis)
        }
        _ => per_token.clone(),
    };
    vec![
        ("energy_j_per_token".into(), per_token),
        ("tokens_per_j".into(), tokens_per_j),
        ("power_w".into(), power),
        ("idle_power_w".into(), idle),
        ("power_trace".into(), trace),
    ]
}

fn idle_detail(m: &Measurement) -> String {
    format!(
        "{}: mean over {:.2} s sampled before the run",
        m.sensor, m.duration_s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(hw: Option<&str>) -> Observed {
        Observed {
            hw: hw.map(|n| HwConfig::preset(n).unwrap()),
            batch: 1,
            step_s: vec![0.010, 0.020, 0.040],
            step_cycles: None,
            events: None,
            model_weight_bytes: 1_000_000,
            prefill: None,
            stream_copy_bytes_per_s: 20e9,
            power: Power::Simulated,
        }
    }

    fn value(f: &Map<String, Value>, k: &str, basis: &str) -> f64 {
        assert_eq!(f[k]["basis"], basis, "{k}: {}", f[k]);
        f[k]["value"].as_f64().unwrap()
    }

    fn unavailable(f: &Map<String, Value>, k: &str) {
        assert!(f[k]["value"].is_null(), "{k}: {}", f[k]);
        let b = f[k]["basis"].as_str().unwrap();
        assert!(b.starts_with("not available: "), "{k}: {b}");
    }

    #[test]
    fn values_read_at_a_glance() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(12.345678), "12.3457");
        assert_eq!(format_value(4211.26), "4211.3");
        assert_eq!(format_value(2.5e-5), "2.500e-5");
        assert_eq!(format_value(1.5e9), "1.500e9");
    }

    #[test]
    fn a_software_run_with_a_sampled_sensor() {
        let mut o = observed(None);
        let run = Measurement {
            sensor: "RAPL".into(),
            samples: vec![(0.05, 30.0), (0.15, 50.0)],
            energy_j: 6.0,
            duration_s: 0.2,
        };
        let idle = Measurement {
            energy_j: 1.0,
            duration_s: 0.5,
            ..run.clone()
        };
        o.power = Power::Sampled {
            idle: Ok(idle),
            run: Ok(run),
        };
        o.prefill = Some(Prefill {
            tokens: 8,
            seconds: 0.5,
            cycles: None,
        });
        let f = figures(&o);
        // Median of 10, 20, 40 ms: 50 tokens/s.
        assert!((value(&f, "tokens_per_s", "measured") - 50.0).abs() < 1e-9);
        assert_eq!(value(&f, "weight_bytes_per_token", "counted"), 1e6);
        // 20 GB/s over 1 MB: 20,000 tokens/s; 50 of them is 0.25 %.
        assert!((value(&f, "roofline_tokens_per_s", "measured") - 2e4).abs() < 1e-6);
        assert!((value(&f, "fraction_of_roofline", "measured") - 2.5e-3).abs() < 1e-12);
        assert_eq!(value(&f, "prefill_tokens_per_s", "measured"), 16.0);
        // 6 J over 3 tokens.
        assert_eq!(value(&f, "energy_j_per_token", "measured"), 2.0);
        assert_eq!(value(&f, "tokens_per_j", "measured"), 0.5);
        assert_eq!(value(&f, "power_w", "measured"), 30.0);
        assert_eq!(value(&f, "idle_power_w", "measured"), 2.0);
        assert_eq!(
            f["power_trace"]["samples"],
            json!([[0.05, 30.0], [0.15, 50.0]])
        );
        for k in [
            "cycles_per_token",
            "projected_tokens_per_s",
            "clock_mhz",
            "aggregate_tokens_per_s",
            "projected_prefill_tokens_per_s",
        ] {
            unavailable(&f, k);
        }
    }

    #[test]
    fn an_unreadable_sensor_is_not_available_with_its_reason() {
        let mut o = observed(None);
        o.power = Power::Sampled {
            idle: Err("x/energy_uj: gone".into()),
            run: Err("x/energy_uj: gone".into()),
        };
        let f = figures(&o);
        for k in [
            "energy_j_per_token",
            "tokens_per_j",
            "power_w",
            "idle_power_w",
        ] {
            unavailable(&f, k);
            assert!(
                f[k]["basis"]
                    .as_str()
                    .unwrap()
                    .ends_with("x/energy_uj: gone")
            );
        }
        assert!(f["power_trace"].is_null());
    }

    #[test]
    fn counted_cycles_project_and_price_a_batch() {
        let mut o = observed(Some("u280"));
        o.batch = 2;
        o.step_cycles = Some(vec![2_000, 3_000, 3_000]);
        let events = Events {
            weight_bytes: 1_000_000,
            elements: 10_000,
            ternary_macs: 4_000_000,
        };
        o.events = Some((events, "counted by the ISS".into()));
        o.prefill = Some(Prefill {
            tokens: 4,
            seconds: 1.0,
            cycles: Some(12_000),
        });
        let f = figures(&o);
        assert_eq!(value(&f, "cycles_per_token", "counted"), 3000.0);
        // 300 MHz over 3000 cycles: 100,000 steps/s, each a token of both sequences.
        assert_eq!(value(&f, "projected_tokens_per_s", "projected"), 1e5);
        assert_eq!(
            value(&f, "projected_aggregate_tokens_per_s", "projected"),
            2e5
        );
        assert!((value(&f, "aggregate_tokens_per_s", "measured") - 2.0 / 0.02).abs() < 1e-9);
        assert_eq!(value(&f, "clock_mhz", "projected"), 300.0);
        assert_eq!(value(&f, "weight_bytes_per_token", "counted"), 5e5);
        // 32 ports of 14.375 GB/s at 92 %, capped by 32 x 32 bytes at 300 MHz.
        let bw = (32.0 * 14.375e9 * 0.92f64).min(32.0 * 32.0 * 3e8);
        let roof = value(&f, "roofline_tokens_per_s", "projected");
        assert!((roof - bw / 5e5).abs() < 1e-6, "{roof}");
        let frac = value(&f, "fraction_of_roofline", "projected");
        assert!((frac - 2e5 / roof).abs() < 1e-12);
        assert_eq!(
            value(&f, "projected_prefill_tokens_per_s", "projected"),
            1e5
        );
        // The step's estimate (10 us at 39.22 W static) shared by the two tokens.
        let step = estimate::energy(&events, 1e-5, o.hw.as_ref().unwrap());
        let j = value(&f, "energy_j_per_token", "estimate");
        assert!((j - step.total_j() / 2.0).abs() < 1e-15, "{j}");
        assert!((value(&f, "tokens_per_j", "estimate") - 1.0 / j).abs() < 1e-6);
        let w = value(&f, "power_w", "estimate");
        assert!((w - step.total_j() / 1e-5).abs() < 1e-6);
        unavailable(&f, "idle_power_w");
    }

    #[test]
    fn the_iss_estimates_its_cycles_from_its_events() {
        let mut o = observed(Some("tiny"));
        let events = Events {
            weight_bytes: 8_000,
            elements: 400,
            ternary_macs: 32_000,
        };
        o.events = Some((events, "counted by the ISS".into()));
        let f = figures(&o);
        // tiny: one 64-bit port (1,000 beats) and 4 lanes (100 cycles).
        assert_eq!(value(&f, "cycles_per_token", "estimate"), 1100.0);
        let p = value(&f, "projected_tokens_per_s", "estimate");
        assert!((p - 3e8 / 1100.0).abs() < 1e-6);
        // No card: the port's 2.4 GB/s over 8 kB.
        assert!((value(&f, "roofline_tokens_per_s", "projected") - 3e5).abs() < 1e-6);
        assert_eq!(f["fraction_of_roofline"]["basis"], "estimate");
        assert_eq!(f["energy_j_per_token"]["basis"], "estimate");
        assert!(
            f["energy_j_per_token"]["detail"]
                .as_str()
                .unwrap()
                .contains("tiny as if on a U280")
        );
        unavailable(&f, "aggregate_tokens_per_s");
    }
}
