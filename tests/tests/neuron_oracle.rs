//! The reference neuron (neuron-models.md section 4.3) against the independent Python oracle on
//! random legal configurations of every preset: random state widths among 16/24/32, random
//! rounding and overflow rules, random thresholds, gains and decays within the legal ranges, and
//! inputs and states that include the extremes `±2^(W-1)`, `±(2^(W-1)-1)`, 0 and `±1`.
//!
//! Default tier: at least 100,000 random steps. `MMFREE_SOAK=1` runs ten times more;
//! `MMFREE_SEED=N` replays a seed. A failure prints the seed and the first mismatch.

use std::io::Write;

use anyhow::{Context, Result, ensure};
use mmfree_spec::neuron::json::run_vectors;
use mmfree_spec::neuron::{Cmp, Fire, GateForm, NeuronConfig, PRESET_NAMES, Reset, state_range};
use mmfree_spec::round::{Overflow, Round};
use mmfree_tests::{first_difference, run_neuron_oracle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

const DEFAULT_SEED: u64 = 0x6e65_7572_6f6e;
const ROUNDS: [Round; 5] = [
    Round::Floor,
    Round::Rtz,
    Round::Rhu,
    Round::Rhaz,
    Round::Rne,
];
const OVFS: [Overflow; 4] = [
    Overflow::Wrap,
    Overflow::WrapLava,
    Overflow::Sat,
    Overflow::SatSym,
];
const WIDTHS: [i64; 3] = [16, 24, 32];

/// A non-negative value with a log-uniform number of bits in `0..=bits`.
fn magnitude(rng: &mut ChaCha8Rng, bits: u32) -> i64 {
    let k = rng.gen_range(0..=bits);
    if k == 0 {
        0
    } else {
        rng.gen_range(0..(1i64 << k))
    }
}

fn signed(rng: &mut ChaCha8Rng, bits: u32) -> i64 {
    let m = magnitude(rng, bits);
    if rng.gen_bool(0.5) { -m } else { m }
}

/// A value of `[lo, hi]`: an end, 0, ±1, or a log-uniform value, clamped into the range.
fn in_range(rng: &mut ChaCha8Rng, (lo, hi): (i64, i64)) -> i64 {
    let bits = 64 - hi.max(-lo).max(1).leading_zeros();
    let v = match rng.gen_range(0..10) {
        0 => lo,
        1 => hi,
        2 => *[0, 1, -1, lo + 1, hi - 1].choose(rng).unwrap(),
        _ => signed(rng, bits),
    };
    v.clamp(lo, hi)
}

fn decay_multiplier(rng: &mut ChaCha8Rng, dec_frac: i64) -> i64 {
    let one = 1i64 << dec_frac;
    *[
        0,
        one,
        one - 1,
        one / 2,
        rng.gen_range(0..=one),
        rng.gen_range(0..=one),
    ]
    .choose(rng)
    .unwrap()
}

/// Mutates the preset's fields at random (each with probability 0.6); one case in eight also
/// changes the stage structure (fire rule, current stage, gate, adaptation).
fn mutate(rng: &mut ChaCha8Rng, c: &mut NeuronConfig) {
    let maybe = |rng: &mut ChaCha8Rng| rng.gen_bool(0.6);
    if rng.gen_bool(0.125) {
        c.fire = *[
            Fire::Binary,
            Fire::Ternary,
            Fire::Multi,
            Fire::Graded,
            Fire::None,
        ]
        .choose(rng)
        .unwrap();
        c.use_u ^= rng.gen_bool(0.3);
        c.gated ^= rng.gen_bool(0.3);
        c.adapt ^= rng.gen_bool(0.3);
    }
    if maybe(rng) {
        c.w_v = *WIDTHS.choose(rng).unwrap();
    }
    if maybe(rng) {
        c.w_u = *WIDTHS.choose(rng).unwrap();
    }
    if maybe(rng) {
        c.v_ovf = *OVFS.choose(rng).unwrap();
    }
    if maybe(rng) {
        c.u_ovf = *OVFS.choose(rng).unwrap();
    }
    if maybe(rng) {
        c.in_gain = in_range(rng, (-32768, 32767)).clamp(-32768, 32767);
    }
    if maybe(rng) {
        c.in_frac = *[0, 1, 6, 12, 31, rng.gen_range(0..=31)]
            .choose(rng)
            .unwrap();
    }
    if maybe(rng) {
        c.in_round = *ROUNDS.choose(rng).unwrap();
    }
    let drive = c.drive_bits() as u32;
    if maybe(rng) {
        c.in_bias = signed(rng, drive - 2);
    }
    if maybe(rng) {
        c.dec_frac = rng.gen_range(0..=15);
    }
    let f = c.dec_frac.clamp(0, 15);
    for beta in [&mut c.beta_u, &mut c.beta_v, &mut c.beta_th, &mut c.beta_r] {
        if *beta > 1 << f || maybe(rng) {
            *beta = decay_multiplier(rng, f);
        }
    }
    if maybe(rng) {
        c.dec_round = *ROUNDS.choose(rng).unwrap();
    }
    let wv = c.w_v as u32;
    if maybe(rng) {
        c.bias = signed(rng, wv - 4);
    }
    if maybe(rng) {
        c.cmp = *[Cmp::Gt, Cmp::Ge].choose(rng).unwrap();
    }
    if maybe(rng) {
        c.vth = signed(rng, wv - 1);
    }
    if maybe(rng) {
        c.vth_lo = -magnitude(rng, wv - 1);
    }
    if maybe(rng) {
        c.d = rng.gen_range(1..=15);
    }
    if c.q_shift >= c.w_v || maybe(rng) {
        c.q_shift = rng.gen_range(0..c.w_v);
    }
    if maybe(rng) {
        c.q_round = *ROUNDS.choose(rng).unwrap();
    }
    if c.g_shift >= c.w_v || maybe(rng) {
        c.g_shift = rng.gen_range(0..c.w_v.min(12));
    }
    if maybe(rng) {
        c.g_abs = rng.gen_bool(0.5);
    }
    if c.fire != Fire::None && maybe(rng) {
        c.reset = *[Reset::Hard, Reset::Soft, Reset::None].choose(rng).unwrap();
    }
    if c.reset == Reset::Soft && c.fire != Fire::Multi {
        c.vth = c.vth.abs().min((1 << (wv - 1)) - 1);
    }
    if maybe(rng) {
        c.v_reset = in_range(rng, state_range(wv, c.v_ovf));
    }
    if maybe(rng) {
        c.th0 = magnitude(rng, wv - 1);
    }
    if maybe(rng) {
        c.th_step = magnitude(rng, wv - 2);
    }
    if maybe(rng) {
        c.g_frac = rng.gen_range(0..=30);
    }
    if maybe(rng) {
        c.g_form = *[GateForm::DynDecay, GateForm::Lerp, GateForm::TwoProduct]
            .choose(rng)
            .unwrap();
    }
    if maybe(rng) {
        c.g_round = *ROUNDS.choose(rng).unwrap();
    }
}

/// The keys of `cfg` whose values differ from `base`, as a JSON `config` object of overrides.
fn overrides(base: &NeuronConfig, cfg: &NeuronConfig) -> Map<String, Value> {
    let (Value::Object(b), Value::Object(c)) = (json!(base), json!(cfg)) else {
        unreachable!()
    };
    c.into_iter().filter(|(k, v)| b.get(k) != Some(v)).collect()
}

/// A random legal case of preset `name`; returns the case and how many configurations were refused.
fn random_case(rng: &mut ChaCha8Rng, index: usize, name: &str) -> (Value, usize) {
    let base = NeuronConfig::preset(name).expect("every listed preset exists");
    let mut refused = 0;
    let cfg = loop {
        let mut cfg = base.clone();
        mutate(rng, &mut cfg);
        if cfg.validate().is_ok() {
            break cfg;
        }
        refused += 1;
    };
    let mut config = overrides(&base, &cfg);
    let mut case = Map::new();
    case.insert("name".into(), json!(format!("fuzz {index} {name}")));
    if rng.gen_bool(0.5) {
        case.insert("preset".into(), json!(name));
    } else {
        config.insert("preset".into(), json!(name));
    }
    case.insert("config".into(), Value::Object(config));
    case.insert("init".into(), random_init(rng, &cfg));
    case.insert("steps".into(), random_steps(rng, &cfg));
    (Value::Object(case), refused)
}

fn random_init(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> Value {
    let mut init = Map::new();
    if rng.gen_bool(0.8) {
        init.insert(
            "v".into(),
            json!(in_range(rng, state_range(cfg.w_v as u32, cfg.v_ovf))),
        );
    }
    if cfg.use_u && rng.gen_bool(0.8) {
        init.insert(
            "u".into(),
            json!(in_range(rng, state_range(cfg.w_u as u32, cfg.u_ovf))),
        );
    }
    if cfg.adapt && rng.gen_bool(0.8) {
        init.insert(
            "th".into(),
            json!(in_range(rng, (cfg.th0, cfg.adapt_max()))),
        );
        init.insert("r".into(), json!(in_range(rng, (0, cfg.adapt_max()))));
    }
    Value::Object(init)
}

fn random_x(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> i64 {
    let w = *[cfg.w_v, cfg.drive_bits(), 16, 24, 32].choose(rng).unwrap();
    let m = 1i64 << (w - 1);
    match rng.gen_range(0..8) {
        0 => *[
            m,
            -m,
            m - 1,
            -(m - 1),
            0,
            1,
            -1,
            1 << 32,
            -(1 << 32),
            (1 << 32) - 1,
        ]
        .choose(rng)
        .unwrap(),
        _ => {
            let bits = (w as u32 + 1) - rng.gen_range(0..8);
            signed(rng, bits)
        }
    }
    .clamp(-(1 << 32), (1 << 32) - 1)
}

fn random_steps(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> Value {
    let n = rng.gen_range(1..=64);
    let g = 1i64 << cfg.g_frac.clamp(0, 30);
    let steps: Vec<Value> = (0..n)
        .map(|_| {
            let x = random_x(rng, cfg);
            if cfg.gated {
                let f = if rng.gen_bool(0.3) {
                    *[0, 1, g - 1, g].choose(rng).unwrap()
                } else {
                    rng.gen_range(0..=g)
                };
                json!({"x": x, "f": f})
            } else {
                json!({"x": x})
            }
        })
        .collect();
    Value::Array(steps)
}

#[test]
fn reference_equals_independent_oracle_on_random_configurations_of_every_preset() -> Result<()> {
    let seed = std::env::var("MMFREE_SEED")
        .ok()
        .map(|s| s.parse::<u64>())
        .transpose()
        .context("MMFREE_SEED")?;
    let seed = seed.unwrap_or(DEFAULT_SEED);
    let n_cases = if std::env::var_os("MMFREE_SOAK").is_some() {
        40_000
    } else {
        4_000
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut cases, mut refused, mut steps) = (Vec::with_capacity(n_cases), 0, 0);
    for i in 0..n_cases {
        let (case, r) = random_case(&mut rng, i, PRESET_NAMES[i % PRESET_NAMES.len()]);
        steps += case["steps"].as_array().map_or(0, Vec::len);
        refused += r;
        cases.push(case);
    }
    let doc = json!({ "cases": cases }).to_string();
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(doc.as_bytes())?;
    let ours = serde_json::to_value(run_vectors(&doc).with_context(|| format!("seed {seed}"))?)?;
    let theirs = run_neuron_oracle(file.path()).with_context(|| format!("seed {seed}"))?;
    if let Some(diff) = first_difference(&ours, &theirs) {
        let index: usize = diff
            .trim_start_matches("case #")
            .split(' ')
            .next()
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        panic!(
            "seed {seed}: reference and oracle differ: {diff}\ncase: {}",
            cases.get(index).map_or(Value::Null, Clone::clone)
        );
    }
    println!(
        "neuron oracle: seed {seed}, {n_cases} cases, {steps} steps, {refused} refused draws, all equal"
    );
    ensure!(steps >= 100_000, "only {steps} random steps");
    ensure!(
        refused < n_cases,
        "the generator draws too many illegal configurations ({refused})"
    );
    Ok(())
}
