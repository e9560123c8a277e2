//! Random legal neuron cases (neuron-models.md section 4.7 item 2): configurations drawn around
//! every preset (random state widths among 16/24/32, random rounding and overflow rules, random
//! thresholds, gains and decays within the legal ranges), initial states and inputs that include
//! the extremes `±2^(W-1)`, `±(2^(W-1)-1)`, 0 and `±1`, and gates `f` of 0, 1, `2^G - 1` and `2^G`.
//! Shared by the oracle test of the reference and the RTL tests, which feed both the same cases.

use mmfree_spec::neuron::{
    Cmp, Fire, GateForm, LaneModes, NeuronConfig, PARAM_BITS, Reset, state_range,
};
use mmfree_spec::round::{Overflow, Round};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

/// Rounding modes to draw from.
pub const ROUNDS: [Round; 5] = [
    Round::Floor,
    Round::Rtz,
    Round::Rhu,
    Round::Rhaz,
    Round::Rne,
];
/// Overflow rules to draw from.
pub const OVFS: [Overflow; 4] = [
    Overflow::Wrap,
    Overflow::WrapLava,
    Overflow::Sat,
    Overflow::SatSym,
];
/// State widths to draw from.
pub const WIDTHS: [i64; 3] = [16, 24, 32];

/// A non-negative value with a log-uniform number of bits in `0..=bits`.
pub fn magnitude(rng: &mut ChaCha8Rng, bits: u32) -> i64 {
    let k = rng.gen_range(0..=bits);
    if k == 0 {
        0
    } else {
        rng.gen_range(0..(1i64 << k))
    }
}

/// A value of `magnitude(bits)` with a random sign.
pub fn signed(rng: &mut ChaCha8Rng, bits: u32) -> i64 {
    let m = magnitude(rng, bits);
    if rng.gen_bool(0.5) { -m } else { m }
}

/// A value of `[lo, hi]`: an end, 0, ±1, or a log-uniform value, clamped into the range.
pub fn in_range(rng: &mut ChaCha8Rng, (lo, hi): (i64, i64)) -> i64 {
    let bits = 64 - hi.max(-lo).max(1).leading_zeros();
    let v = match rng.gen_range(0..10) {
        0 => lo,
        1 => hi,
        2 => *[0, 1, -1, lo + 1, hi - 1].choose(rng).unwrap(),
        _ => signed(rng, bits),
    };
    v.clamp(lo, hi)
}

/// A decay multiplier in `[0, 2^dec_frac]`: an end, one below unity, one half, or uniform.
pub fn decay_multiplier(rng: &mut ChaCha8Rng, dec_frac: i64) -> i64 {
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
pub fn mutate(rng: &mut ChaCha8Rng, c: &mut NeuronConfig) {
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
    // The constants beside a state are s24 at every width (wider with a 32-bit state), so a
    // 16-bit state also meets constants that its FIT must narrow.
    let param = |w: i64| w.max(PARAM_BITS) as u32;
    let drive = param(c.drive_bits());
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
    let pv = param(c.w_v);
    if maybe(rng) {
        c.bias = signed(rng, pv - 4);
    }
    if maybe(rng) {
        c.cmp = *[Cmp::Gt, Cmp::Ge].choose(rng).unwrap();
    }
    if maybe(rng) {
        c.vth = signed(rng, pv - 1);
    }
    if maybe(rng) {
        c.vth_lo = -magnitude(rng, pv - 1);
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
pub fn overrides(base: &NeuronConfig, cfg: &NeuronConfig) -> Map<String, Value> {
    let (Value::Object(b), Value::Object(c)) = (json!(base), json!(cfg)) else {
        unreachable!()
    };
    c.into_iter().filter(|(k, v)| b.get(k) != Some(v)).collect()
}

/// A random legal configuration around preset `name`, and how many draws were refused first.
pub fn random_config(rng: &mut ChaCha8Rng, name: &str) -> (NeuronConfig, usize) {
    random_config_for(rng, name, LaneModes::ALL)
}

/// [`random_config`] for a lane that carries `modes`: draws it refuses count as refused too.
pub fn random_config_for(
    rng: &mut ChaCha8Rng,
    name: &str,
    modes: LaneModes,
) -> (NeuronConfig, usize) {
    let base = NeuronConfig::preset(name).expect("every listed preset exists");
    let mut refused = 0;
    loop {
        let mut cfg = base.clone();
        mutate(rng, &mut cfg);
        if cfg.validate().is_ok() && modes.admits(&cfg).is_ok() {
            return (cfg, refused);
        }
        refused += 1;
    }
}

/// Case number `index` of configuration `cfg` (drawn around preset `name`), written as the
/// preset plus overrides, with a random initial state and random steps.
pub fn case_of(rng: &mut ChaCha8Rng, index: usize, name: &str, cfg: &NeuronConfig) -> Value {
    let base = NeuronConfig::preset(name).expect("every listed preset exists");
    let mut config = overrides(&base, cfg);
    let mut case = Map::new();
    case.insert("name".into(), json!(format!("fuzz {index} {name}")));
    if rng.gen_bool(0.5) {
        case.insert("preset".into(), json!(name));
    } else {
        config.insert("preset".into(), json!(name));
    }
    case.insert("config".into(), Value::Object(config));
    case.insert("init".into(), random_init(rng, cfg));
    case.insert("steps".into(), random_steps(rng, cfg));
    Value::Object(case)
}

/// A random legal case of preset `name`; returns the case and how many configurations were refused.
pub fn random_case(rng: &mut ChaCha8Rng, index: usize, name: &str) -> (Value, usize) {
    let (cfg, refused) = random_config(rng, name);
    (case_of(rng, index, name, &cfg), refused)
}

/// `neurons` random cases sharing one random configuration of preset `name` (one neuron group
/// of the RTL unit), numbered from `first`; also returns how many configurations were refused.
pub fn random_group(
    rng: &mut ChaCha8Rng,
    first: usize,
    name: &str,
    neurons: usize,
) -> (Vec<Value>, usize) {
    random_group_for(rng, first, name, neurons, LaneModes::ALL)
}

/// [`random_group`] for a lane that carries `modes` (`HwConfig::neuron_modes`).
pub fn random_group_for(
    rng: &mut ChaCha8Rng,
    first: usize,
    name: &str,
    neurons: usize,
    modes: LaneModes,
) -> (Vec<Value>, usize) {
    let (cfg, refused) = random_config_for(rng, name, modes);
    let cases = (0..neurons)
        .map(|i| case_of(rng, first + i, name, &cfg))
        .collect();
    (cases, refused)
}

/// A random legal `init` object for `cfg` (each state given with probability 0.8).
pub fn random_init(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> Value {
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

/// A random input `x`: an extreme of a state width, or a log-uniform value near one.
pub fn random_x(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> i64 {
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

/// 1 to 64 random steps for `cfg`, with a gate `f` when it is gated.
pub fn random_steps(rng: &mut ChaCha8Rng, cfg: &NeuronConfig) -> Value {
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
