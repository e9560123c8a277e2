//! Unit tests of the neuron module: the MLGRU preset against the LM's neuron, validation messages,
//! register ranges, presets and the adaptive state. The JSON runner's tests are in `json_tests.rs`;
//! section 4.8 vectors and the comparison with the independent oracle live in the workspace's
//! `tests/` crate.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::format::GATE_ONE;
use crate::ops::mlgru_aligned;
use crate::round::{Overflow, Round, fit};

/// The key names of the contract's `config` object (docs/NEURON.md section 7).
const CONTRACT_KEYS: [&str; 34] = [
    "w_v",
    "w_u",
    "v_ovf",
    "u_ovf",
    "in_gain",
    "in_frac",
    "in_round",
    "in_bias",
    "use_u",
    "dec_frac",
    "beta_u",
    "beta_v",
    "dec_round",
    "bias",
    "fire",
    "cmp",
    "vth",
    "vth_lo",
    "d",
    "q_shift",
    "q_round",
    "g_shift",
    "g_abs",
    "reset",
    "v_reset",
    "adapt",
    "th0",
    "th_step",
    "beta_th",
    "beta_r",
    "gated",
    "g_frac",
    "g_form",
    "g_round",
];

fn err(cfg: &NeuronConfig) -> String {
    cfg.validate()
        .expect_err("config must be refused")
        .to_string()
}

#[test]
fn mlgru_preset_is_the_lm_neuron_on_a_million_random_steps() {
    let cfg = NeuronConfig::preset("mlgru").unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(0x4d4c4752);
    // The LM aligns h and c to one exponent so that both are at most 2^29 in magnitude.
    const A: i32 = 1 << 29;
    let extremes_i = [-A, -A + 1, -1, 0, 1, A - 1, A];
    let extremes_f = [0, 1, GATE_ONE / 2, GATE_ONE - 1, GATE_ONE];
    let mut checked = 0;
    for n in 0..1_000_000u32 {
        let pick = |rng: &mut ChaCha8Rng| {
            if rng.gen_bool(0.1) {
                extremes_i[rng.gen_range(0..extremes_i.len())]
            } else {
                rng.gen_range(-A..=A) >> rng.gen_range(0..29)
            }
        };
        let (h, c) = (pick(&mut rng), pick(&mut rng));
        let f = if n % 10 == 0 {
            extremes_f[rng.gen_range(0..extremes_f.len())]
        } else {
            rng.gen_range(0..=GATE_ONE)
        };
        let mut state = NeuronState {
            v: h as i64,
            ..NeuronState::initial(&cfg)
        };
        let o = step(&cfg, &mut state, c as i64, f as i64).unwrap();
        let want = mlgru_aligned(h as i64, f, c as i64);
        assert_eq!((o.v, o.out), (want, want), "h={h} f={f} c={c}");
        checked += 1;
    }
    assert_eq!(checked, 1_000_000);
}

#[test]
fn default_config_serializes_exactly_the_contract_keys() {
    let v = serde_json::to_value(NeuronConfig::default()).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = CONTRACT_KEYS.to_vec();
    keys.sort();
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(v["v_ovf"], "sat");
    assert_eq!(v["g_form"], "dyn_decay");
    let back: NeuronConfig = serde_json::from_value(v).unwrap();
    assert_eq!(back, NeuronConfig::default());
    let lava: NeuronConfig =
        serde_json::from_str(r#"{"u_ovf": "wrap_lava", "v_ovf": "sat_sym", "q_round": "rhaz"}"#)
            .unwrap();
    assert_eq!(
        (lava.u_ovf, lava.v_ovf),
        (Overflow::WrapLava, Overflow::SatSym)
    );
}

#[test]
fn every_preset_is_valid_and_unknown_names_are_refused() {
    for name in PRESET_NAMES {
        NeuronConfig::preset(name)
            .unwrap()
            .validate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let e = NeuronConfig::preset("loihi").unwrap_err().to_string();
    assert!(
        e.starts_with("unknown neuron preset 'loihi' (known: loihi_cuba, loihi_cuba_wrap,"),
        "{e}"
    );
    let cuba = NeuronConfig::preset("loihi_cuba").unwrap();
    assert_eq!(
        (cuba.beta_u, cuba.beta_v, cuba.vth, cuba.in_gain),
        (4095, 4096, 640, 64)
    );
    assert_eq!(
        NeuronConfig::preset("loihi_cuba_wrap").unwrap().u_ovf,
        Overflow::Wrap
    );
}

#[test]
fn validation_names_the_field_value_and_rule() {
    let d = NeuronConfig::default();
    let cases: Vec<(NeuronConfig, &str)> = vec![
        (
            NeuronConfig {
                w_v: 20,
                ..d.clone()
            },
            "neuron config: w_v = 20: state widths are 16, 24 or 32",
        ),
        (
            NeuronConfig {
                use_u: true,
                w_u: 8,
                ..d.clone()
            },
            "neuron config: w_u = 8: state widths are 16, 24 or 32",
        ),
        (
            NeuronConfig {
                in_gain: 32768,
                ..d.clone()
            },
            "neuron config: in_gain = 32768: the input gain is a signed 16-bit multiplier, range [-32768, 32767]",
        ),
        (
            NeuronConfig {
                beta_v: 4097,
                ..d.clone()
            },
            "neuron config: beta_v = 4097: a decay multiplier is 1 - decay in [0, 2^dec_frac] with dec_frac = 12, range [0, 4096]",
        ),
        (
            NeuronConfig {
                dec_frac: 16,
                ..d.clone()
            },
            "neuron config: dec_frac = 16: dec_frac is a 4-bit field, range [0, 15]",
        ),
        (
            NeuronConfig {
                gated: true,
                g_frac: 31,
                ..d.clone()
            },
            "neuron config: g_frac = 31: the gate f in [0, 2^g_frac] is at most 31 bits unsigned, range [0, 30]",
        ),
        (
            NeuronConfig {
                fire: Fire::Multi,
                d: 0,
                ..d.clone()
            },
            "neuron config: d = 0: the largest count is a 4-bit field and at least 1, range [1, 15]",
        ),
        (
            NeuronConfig {
                fire: Fire::Multi,
                w_v: 16,
                q_shift: 16,
                ..d.clone()
            },
            "neuron config: q_shift = 16: the threshold 2^q_shift must fit the 16-bit v, range [0, 15]",
        ),
        (
            NeuronConfig {
                vth: 1 << 23,
                ..d.clone()
            },
            "neuron config: vth = 8388608: thresholds are s24 (or as wide as the 24-bit v), range [-8388608, 8388607]",
        ),
        (
            NeuronConfig {
                v_ovf: Overflow::WrapLava,
                v_reset: -(1 << 23),
                ..d.clone()
            },
            "neuron config: v_reset = -8388608: v_reset must be a value the 24-bit wrap_lava register of v holds, range [-8388607, 8388608]",
        ),
        (
            NeuronConfig {
                reset: Reset::Soft,
                vth: -1,
                ..d.clone()
            },
            "neuron config: vth = -1: a soft reset subtracts the threshold, so it must be >= 0 to keep v in range",
        ),
        (
            NeuronConfig {
                fire: Fire::Graded,
                reset: Reset::Soft,
                ..d.clone()
            },
            "neuron config: reset = soft: a soft reset subtracts out*thr, defined for binary, ternary and multi only; graded needs hard or none",
        ),
        (
            NeuronConfig {
                adapt: true,
                fire: Fire::Multi,
                ..d.clone()
            },
            "neuron config: adapt = true: the adaptive threshold needs fire = binary or graded, got multi (th and r would grow without bound)",
        ),
        (
            NeuronConfig {
                adapt: true,
                th0: -1,
                ..d.clone()
            },
            "neuron config: th0 = -1: adaptive parameters are non-negative 24-bit values so th and r stay bounded, range [0, 8388607]",
        ),
    ];
    for (cfg, want) in cases {
        assert_eq!(err(&cfg), want);
    }
}

#[test]
fn fields_of_disabled_stages_are_ignored() {
    let gated = NeuronConfig {
        gated: true,
        fire: Fire::None,
        beta_v: -7,
        bias: 1 << 40,
        vth: 1 << 40,
        ..Default::default()
    };
    gated.validate().unwrap();
    let no_u = NeuronConfig {
        w_u: 3,
        beta_u: -1,
        vth_lo: 1 << 40,
        d: 99,
        th0: -5,
        g_frac: 99,
        ..Default::default()
    };
    no_u.validate().unwrap();
    assert!(
        NeuronConfig {
            use_u: true,
            ..no_u
        }
        .validate()
        .is_err()
    );
}

#[test]
fn state_and_inputs_are_checked_against_their_registers() {
    let lava = NeuronConfig {
        v_ovf: Overflow::WrapLava,
        gated: true,
        g_frac: 8,
        fire: Fire::None,
        ..Default::default()
    };
    let m = 1i64 << 23;
    assert!(
        lava.check_state(&NeuronState {
            v: m,
            ..Default::default()
        })
        .is_ok()
    );
    let e = lava
        .check_state(&NeuronState {
            v: -m,
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "state v = -8388608: outside the 24-bit wrap_lava register, range [-8388607, 8388608]"
    );
    let sat = NeuronConfig::default();
    assert!(
        sat.check_state(&NeuronState {
            v: m,
            ..Default::default()
        })
        .is_err()
    );
    assert!(
        sat.check_state(&NeuronState {
            v: -m,
            u: 1 << 40,
            ..Default::default()
        })
        .is_ok()
    );
    assert!(lava.check_input(-(1 << 32), 256).is_ok());
    assert_eq!(
        lava.check_input(1 << 32, 0).unwrap_err().to_string(),
        "input x = 4294967296: x is a signed 33-bit input, range [-4294967296, 4294967295]"
    );
    assert_eq!(
        lava.check_input(0, 257).unwrap_err().to_string(),
        "input f = 257: the gate f lies in [0, 2^g_frac], range [0, 256]"
    );
    assert!(
        sat.check_input(0, -5).is_ok(),
        "f is not read without the gate"
    );
    let alif = NeuronConfig::preset("adaptive_alif").unwrap();
    assert!(
        alif.check_state(&NeuronState {
            th: 319,
            ..NeuronState::initial(&alif)
        })
        .is_err()
    );
    assert!(
        alif.check_state(&NeuronState {
            r: 1 << 24,
            ..NeuronState::initial(&alif)
        })
        .is_ok()
    );
    assert!(
        alif.check_state(&NeuronState {
            r: (1 << 24) + 1,
            ..NeuronState::initial(&alif)
        })
        .is_err()
    );
}

#[test]
fn wrap_lava_is_lavas_formula_where_lava_defines_it_and_stays_in_range_beyond() {
    for w in [16i64, 24, 32] {
        let m = 1i128 << (w - 1);
        let (lo, hi) = state_range(w as u32, Overflow::WrapLava);
        for z in [
            -3 * m + 1,
            -2 * m,
            -m - 1,
            -m,
            -m + 1,
            -1,
            0,
            1,
            m - 1,
            m,
            m + 1,
            2 * m,
            3 * m,
        ] {
            assert_eq!(
                fit_state(z, w, Overflow::WrapLava),
                fit(z, w as u32, Overflow::WrapLava),
                "w={w} z={z}"
            );
        }
        for z in [-(1i128 << 50) - 5, -3 * m, 3 * m + 1, 5 * m, (1 << 49) + 3] {
            let got = fit_state(z, w, Overflow::WrapLava);
            let wrapped = fit(z, w as u32, Overflow::Wrap);
            assert_eq!(
                got,
                if wrapped == -(m as i64) {
                    m as i64
                } else {
                    wrapped
                },
                "w={w} z={z}"
            );
            assert!((lo..=hi).contains(&got));
        }
    }
}

#[test]
fn loihi_bias_shifts_left_or_floors() {
    assert_eq!(loihi_bias(4095, 5).unwrap(), 131040);
    assert_eq!(loihi_bias(2, 6).unwrap(), 128);
    assert_eq!(loihi_bias(-4095, -3).unwrap(), -512); // floor(-511.875)
    assert_eq!(loihi_bias(4095, -3).unwrap(), 511);
    assert_eq!(
        loihi_bias(1, 8).unwrap_err().to_string(),
        "neuron config: bias_exp = 8: Loihi's bias exponent is 3 bits, range [-7, 7] with lava's floor shift"
    );
    assert!(loihi_bias(4096, 0).is_err());
}

#[test]
fn adaptive_state_follows_steps_4_and_7() {
    // th0 = 100, beta_th = beta_r = 2048 (1/2), th_step = 10, RTZ; v integrates x = 300 with no leak.
    let cfg = NeuronConfig {
        adapt: true,
        th0: 100,
        th_step: 10,
        beta_th: 2048,
        beta_r: 2048,
        dec_round: Round::Rtz,
        reset: Reset::None,
        ..Default::default()
    };
    let mut s = NeuronState::initial(&cfg);
    let mut trace = vec![];
    for _ in 0..3 {
        let o = step(&cfg, &mut s, 300, 0).unwrap();
        trace.push((o.out, o.v, o.th, o.r));
    }
    // t0: v=300, th=100, r=0, thr=100 -> spike; r = 0 + 200 = 200, th = 110.
    // t1: v=600, th = 100 + RTZ(10/2) = 105, r = 100, thr = 205 -> spike; r = 100 + 210 = 310, th = 115.
    // t2: v=900, th = 100 + RTZ(15/2) = 107, r = 155, thr = 262 -> spike; r = 155 + 214 = 369, th = 117.
    assert_eq!(
        trace,
        vec![(1, 300, 110, 200), (1, 600, 115, 310), (1, 900, 117, 369)]
    );
}

#[test]
fn checks_on_an_invalid_config_refuse_instead_of_panicking() {
    let cfg = NeuronConfig {
        w_v: 0,
        gated: true,
        g_frac: 99,
        ..Default::default()
    };
    let want = "neuron config: w_v = 0: state widths are 16, 24 or 32";
    assert_eq!(
        cfg.check_state(&NeuronState::default())
            .unwrap_err()
            .to_string(),
        want
    );
    assert_eq!(cfg.check_input(0, 1).unwrap_err().to_string(), want);
    let mut s = NeuronState::default();
    assert_eq!(step(&cfg, &mut s, 0, 0).unwrap_err().to_string(), want);
    let wide = NeuronConfig {
        gated: true,
        g_frac: 99,
        ..Default::default()
    };
    assert!(
        wide.check_input(0, 1)
            .unwrap_err()
            .to_string()
            .starts_with("neuron config: g_frac = 99")
    );
}
