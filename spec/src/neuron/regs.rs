//! The neuron unit's configuration registers: where each field of [`NeuronConfig`] sits in the
//! register image that the RTL reads (neuron-models.md section 4.2 gives the field widths;
//! `docs/NEURON.md` section 10 documents the map).
//!
//! The image is `REG_BITS` bits, written as `REG_WORDS` little-endian 32-bit words (word `i` holds
//! bits `[32 i, 32 i + 32)`). Fields are packed in contract order; numbers are two's complement
//! (signed fields) or plain binary, enums and widths are the codes below. A field that the enabled
//! stages do not read (the same rule [`NeuronConfig::validate`] uses) is written as 0, so one
//! configuration has one image. [`encode_registers`] refuses a read field that does not fit its
//! register: a configuration the RTL cannot hold is an error before any simulation.

use super::config::{Cmp, Fire, GateForm, NeuronConfig, Reset};
use crate::error::{Error, Result};
use crate::round::{Overflow, Round};

/// One field of the register image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegField {
    /// The contract key the field holds.
    pub name: &'static str,
    /// Position of the field's least significant bit in the image.
    pub lsb: usize,
    /// Width in bits.
    pub bits: usize,
    /// Whether the field holds a two's-complement number.
    pub signed: bool,
}

const fn first(name: &'static str, bits: usize, signed: bool) -> RegField {
    RegField {
        name,
        lsb: 0,
        bits,
        signed,
    }
}

const fn next(prev: RegField, name: &'static str, bits: usize, signed: bool) -> RegField {
    RegField {
        name,
        lsb: prev.lsb + prev.bits,
        bits,
        signed,
    }
}

/// Width code of `v` ([`width_code`]).
pub const W_V: RegField = first("w_v", 2, false);
/// Width code of `u`.
pub const W_U: RegField = next(W_V, "w_u", 2, false);
/// Overflow code of `v` ([`overflow_code`]).
pub const V_OVF: RegField = next(W_U, "v_ovf", 2, false);
/// Overflow code of `u`.
pub const U_OVF: RegField = next(V_OVF, "u_ovf", 2, false);
/// Signed 16-bit input gain.
pub const IN_GAIN: RegField = next(U_OVF, "in_gain", 16, true);
/// Fraction bits of the gain (a 5-bit shift).
pub const IN_FRAC: RegField = next(IN_GAIN, "in_frac", 5, false);
/// Rounding code of the input product ([`round_code`]).
pub const IN_ROUND: RegField = next(IN_FRAC, "in_round", 3, false);
/// Input bias, signed, as wide as the widest state.
pub const IN_BIAS: RegField = next(IN_ROUND, "in_bias", 32, true);
/// 1 when the current stage is present.
pub const USE_U: RegField = next(IN_BIAS, "use_u", 1, false);
/// Fraction bits of the decays (a 4-bit shift).
pub const DEC_FRAC: RegField = next(USE_U, "dec_frac", 4, false);
/// Decay multiplier of `u`, `[0, 2^15]`.
pub const BETA_U: RegField = next(DEC_FRAC, "beta_u", 16, false);
/// Decay multiplier of `v`.
pub const BETA_V: RegField = next(BETA_U, "beta_v", 16, false);
/// Rounding code of every decay.
pub const DEC_ROUND: RegField = next(BETA_V, "dec_round", 3, false);
/// Constant added to `v`, signed.
pub const BIAS: RegField = next(DEC_ROUND, "bias", 32, true);
/// Fire-rule code ([`fire_code`]).
pub const FIRE: RegField = next(BIAS, "fire", 3, false);
/// Comparison code ([`cmp_code`]).
pub const CMP: RegField = next(FIRE, "cmp", 1, false);
/// Threshold, signed.
pub const VTH: RegField = next(CMP, "vth", 32, true);
/// Lower threshold of `ternary`, signed.
pub const VTH_LO: RegField = next(VTH, "vth_lo", 32, true);
/// Largest MULTI count.
pub const D: RegField = next(VTH_LO, "d", 4, false);
/// MULTI threshold shift.
pub const Q_SHIFT: RegField = next(D, "q_shift", 5, false);
/// Rounding code of the MULTI quotient.
pub const Q_ROUND: RegField = next(Q_SHIFT, "q_round", 3, false);
/// Shift of the graded payload.
pub const G_SHIFT: RegField = next(Q_ROUND, "g_shift", 5, false);
/// 1 when `graded` compares `|v|`.
pub const G_ABS: RegField = next(G_SHIFT, "g_abs", 1, false);
/// Reset code ([`reset_code`]).
pub const RESET: RegField = next(G_ABS, "reset", 2, false);
/// Membrane after a hard reset: 33 bits signed, since a `wrap_lava` register holds `+2^31`.
pub const V_RESET: RegField = next(RESET, "v_reset", 33, true);
/// 1 when the adaptive threshold is present.
pub const ADAPT: RegField = next(V_RESET, "adapt", 1, false);
/// Resting adaptive threshold, `[0, 2^31 - 1]`.
pub const TH0: RegField = next(ADAPT, "th0", 31, false);
/// Threshold increment per output, `[0, 2^31 - 1]`.
pub const TH_STEP: RegField = next(TH0, "th_step", 31, false);
/// Decay multiplier of `th - th0`.
pub const BETA_TH: RegField = next(TH_STEP, "beta_th", 16, false);
/// Decay multiplier of `r`.
pub const BETA_R: RegField = next(BETA_TH, "beta_r", 16, false);
/// 1 when the membrane is gated (MLGRU).
pub const GATED: RegField = next(BETA_R, "gated", 1, false);
/// Fraction bits of the gate.
pub const G_FRAC: RegField = next(GATED, "g_frac", 5, false);
/// Gate-form code ([`gate_form_code`]).
pub const G_FORM: RegField = next(G_FRAC, "g_form", 2, false);
/// Rounding code of the gated products.
pub const G_ROUND: RegField = next(G_FORM, "g_round", 3, false);

/// Every field, in image order (the contract's key order).
pub const REG_FIELDS: [RegField; 34] = [
    W_V, W_U, V_OVF, U_OVF, IN_GAIN, IN_FRAC, IN_ROUND, IN_BIAS, USE_U, DEC_FRAC, BETA_U, BETA_V,
    DEC_ROUND, BIAS, FIRE, CMP, VTH, VTH_LO, D, Q_SHIFT, Q_ROUND, G_SHIFT, G_ABS, RESET, V_RESET,
    ADAPT, TH0, TH_STEP, BETA_TH, BETA_R, GATED, G_FRAC, G_FORM, G_ROUND,
];

/// Bits of the register image.
pub const REG_BITS: usize = G_ROUND.lsb + G_ROUND.bits;
/// Bits of one register word.
pub const REG_WORD_BITS: usize = 32;
/// 32-bit words of the register image.
pub const REG_WORDS: usize = REG_BITS.div_ceil(REG_WORD_BITS);

/// Width codes: `w = 16 + 8 * code`.
pub const WIDTH_16: u64 = 0;
/// Code of a 24-bit state.
pub const WIDTH_24: u64 = 1;
/// Code of a 32-bit state.
pub const WIDTH_32: u64 = 2;

/// Rounding codes ([`round_code`]).
pub const ROUND_FLOOR: u64 = 0;
/// Code of [`Round::Rtz`].
pub const ROUND_RTZ: u64 = 1;
/// Code of [`Round::Rhu`].
pub const ROUND_RHU: u64 = 2;
/// Code of [`Round::Rhaz`].
pub const ROUND_RHAZ: u64 = 3;
/// Code of [`Round::Rne`].
pub const ROUND_RNE: u64 = 4;

/// Overflow codes ([`overflow_code`]).
pub const OVF_WRAP: u64 = 0;
/// Code of [`Overflow::WrapLava`].
pub const OVF_WRAP_LAVA: u64 = 1;
/// Code of [`Overflow::Sat`].
pub const OVF_SAT: u64 = 2;
/// Code of [`Overflow::SatSym`].
pub const OVF_SAT_SYM: u64 = 3;

/// Fire-rule codes ([`fire_code`]).
pub const FIRE_BINARY: u64 = 0;
/// Code of [`Fire::Ternary`].
pub const FIRE_TERNARY: u64 = 1;
/// Code of [`Fire::Multi`].
pub const FIRE_MULTI: u64 = 2;
/// Code of [`Fire::Graded`].
pub const FIRE_GRADED: u64 = 3;
/// Code of [`Fire::None`].
pub const FIRE_NONE: u64 = 4;

/// Comparison codes ([`cmp_code`]).
pub const CMP_GT: u64 = 0;
/// Code of [`Cmp::Ge`].
pub const CMP_GE: u64 = 1;

/// Reset codes ([`reset_code`]).
pub const RESET_HARD: u64 = 0;
/// Code of [`Reset::Soft`].
pub const RESET_SOFT: u64 = 1;
/// Code of [`Reset::None`].
pub const RESET_NONE: u64 = 2;

/// Gate-form codes ([`gate_form_code`]).
pub const FORM_DYN_DECAY: u64 = 0;
/// Code of [`GateForm::Lerp`].
pub const FORM_LERP: u64 = 1;
/// Code of [`GateForm::TwoProduct`].
pub const FORM_TWO_PRODUCT: u64 = 2;

/// The code of a state width (16, 24 or 32); `None` for any other width.
pub fn width_code(w: i64) -> Option<u64> {
    match w {
        16 => Some(WIDTH_16),
        24 => Some(WIDTH_24),
        32 => Some(WIDTH_32),
        _ => None,
    }
}

/// The register code of a rounding mode.
pub fn round_code(r: Round) -> u64 {
    match r {
        Round::Floor => ROUND_FLOOR,
        Round::Rtz => ROUND_RTZ,
        Round::Rhu => ROUND_RHU,
        Round::Rhaz => ROUND_RHAZ,
        Round::Rne => ROUND_RNE,
    }
}

/// The register code of an overflow rule.
pub fn overflow_code(o: Overflow) -> u64 {
    match o {
        Overflow::Wrap => OVF_WRAP,
        Overflow::WrapLava => OVF_WRAP_LAVA,
        Overflow::Sat => OVF_SAT,
        Overflow::SatSym => OVF_SAT_SYM,
    }
}

/// The register code of a fire rule.
pub fn fire_code(f: Fire) -> u64 {
    match f {
        Fire::Binary => FIRE_BINARY,
        Fire::Ternary => FIRE_TERNARY,
        Fire::Multi => FIRE_MULTI,
        Fire::Graded => FIRE_GRADED,
        Fire::None => FIRE_NONE,
    }
}

/// The register code of a comparison.
pub fn cmp_code(c: Cmp) -> u64 {
    match c {
        Cmp::Gt => CMP_GT,
        Cmp::Ge => CMP_GE,
    }
}

/// The register code of a reset rule.
pub fn reset_code(r: Reset) -> u64 {
    match r {
        Reset::Hard => RESET_HARD,
        Reset::Soft => RESET_SOFT,
        Reset::None => RESET_NONE,
    }
}

/// The register code of a gated form.
pub fn gate_form_code(g: GateForm) -> u64 {
    match g {
        GateForm::DynDecay => FORM_DYN_DECAY,
        GateForm::Lerp => FORM_LERP,
        GateForm::TwoProduct => FORM_TWO_PRODUCT,
    }
}

/// A field's value for `cfg`, or `None` when the enabled stages do not read it. Enum and flag
/// fields are always read (their zero code means something); numbers follow `validate`'s rules.
fn field_value(cfg: &NeuronConfig, name: &str) -> Option<i64> {
    let c = cfg;
    let code = |x: u64| Some(x as i64);
    let when = |read: bool, x: i64| read.then_some(x);
    match name {
        "w_v" => Some(width_code(c.w_v).map_or(-1, |x| x as i64)),
        "w_u" => c.use_u.then(|| width_code(c.w_u).map_or(-1, |x| x as i64)),
        "v_ovf" => code(overflow_code(c.v_ovf)),
        "u_ovf" => code(overflow_code(c.u_ovf)),
        "in_gain" => Some(c.in_gain),
        "in_frac" => Some(c.in_frac),
        "in_round" => code(round_code(c.in_round)),
        "in_bias" => Some(c.in_bias),
        "use_u" => Some(c.use_u as i64),
        "dec_frac" => when(c.decays(), c.dec_frac),
        "beta_u" => when(c.use_u, c.beta_u),
        "beta_v" => when(!c.gated, c.beta_v),
        "dec_round" => code(round_code(c.dec_round)),
        "bias" => when(!c.gated, c.bias),
        "fire" => code(fire_code(c.fire)),
        "cmp" => code(cmp_code(c.cmp)),
        "vth" => when(c.thresholded() && !c.adapt, c.vth),
        "vth_lo" => when(c.fire == Fire::Ternary, c.vth_lo),
        "d" => when(c.fire == Fire::Multi, c.d),
        "q_shift" => when(c.fire == Fire::Multi, c.q_shift),
        "q_round" => code(round_code(c.q_round)),
        "g_shift" => when(c.fire == Fire::Graded, c.g_shift),
        "g_abs" => Some(c.g_abs as i64),
        "reset" => code(reset_code(c.reset)),
        "v_reset" => when(c.resets() && c.reset == Reset::Hard, c.v_reset),
        "adapt" => Some(c.adapt as i64),
        "th0" => when(c.adapt, c.th0),
        "th_step" => when(c.adapt, c.th_step),
        "beta_th" => when(c.adapt, c.beta_th),
        "beta_r" => when(c.adapt, c.beta_r),
        "gated" => Some(c.gated as i64),
        "g_frac" => when(c.gated, c.g_frac),
        "g_form" => code(gate_form_code(c.g_form)),
        "g_round" => code(round_code(c.g_round)),
        _ => unreachable!("every register field names a config key"),
    }
}

/// The values a field holds: `[-2^(bits-1), 2^(bits-1) - 1]` signed, `[0, 2^bits - 1]` otherwise.
pub fn field_range(f: &RegField) -> (i64, i64) {
    if f.signed {
        (-(1i64 << (f.bits - 1)), (1i64 << (f.bits - 1)) - 1)
    } else {
        (0, (1i64 << f.bits) - 1)
    }
}

/// The register image of `cfg`, after validating it. A field the enabled stages read but its
/// register cannot hold is refused with the field, the value and the register's range.
pub fn encode_registers(cfg: &NeuronConfig) -> Result<Vec<u32>> {
    cfg.validate()?;
    let mut image = vec![0u32; REG_WORDS];
    for f in &REG_FIELDS {
        let Some(value) = field_value(cfg, f.name) else {
            continue;
        };
        let (lo, hi) = field_range(f);
        if !(lo..=hi).contains(&value) {
            return Err(Error::NeuronConfig {
                key: f.name,
                value: value.to_string(),
                why: format!("the neuron unit's register holds [{lo}, {hi}]"),
            });
        }
        let raw = (value as u64) & ((1u64 << f.bits) - 1);
        for b in 0..f.bits {
            let bit = f.lsb + b;
            image[bit / REG_WORD_BITS] |= (((raw >> b) & 1) as u32) << (bit % REG_WORD_BITS);
        }
    }
    Ok(image)
}

/// The value of field `f` in a register image (sign-extended when the field is signed); the
/// inverse of [`encode_registers`] for every field it writes.
pub fn decode_field(image: &[u32], f: &RegField) -> i64 {
    let mut raw = 0u64;
    for b in 0..f.bits {
        let bit = f.lsb + b;
        let word = image.get(bit / REG_WORD_BITS).copied().unwrap_or(0);
        raw |= (((word >> (bit % REG_WORD_BITS)) & 1) as u64) << b;
    }
    if f.signed && (raw >> (f.bits - 1)) & 1 == 1 {
        (raw as i64) - (1i64 << f.bits)
    } else {
        raw as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_tile_the_image_in_contract_order() {
        let mut at = 0;
        for f in &REG_FIELDS {
            assert_eq!(f.lsb, at, "{} starts at {}", f.name, f.lsb);
            at += f.bits;
        }
        assert_eq!(REG_BITS, at);
        assert_eq!(REG_BITS, 363);
        assert_eq!(REG_WORDS, 12);
        let serde_json::Value::Object(keys) =
            serde_json::to_value(NeuronConfig::default()).unwrap()
        else {
            panic!("a config serializes to an object")
        };
        let names: Vec<&str> = REG_FIELDS.iter().map(|f| f.name).collect();
        let mut sorted_keys: Vec<&str> = keys.keys().map(String::as_str).collect();
        let mut sorted_names = names.clone();
        sorted_keys.sort();
        sorted_names.sort();
        assert_eq!(sorted_names, sorted_keys);
    }

    #[test]
    fn every_preset_round_trips_through_its_image() {
        for name in super::super::PRESET_NAMES {
            let cfg = NeuronConfig::preset(name).unwrap();
            let image = encode_registers(&cfg).unwrap();
            assert_eq!(image.len(), REG_WORDS);
            for f in &REG_FIELDS {
                let want = field_value(&cfg, f.name).unwrap_or(0);
                assert_eq!(decode_field(&image, f), want, "{name}: {}", f.name);
            }
        }
    }

    #[test]
    fn exact_images_of_two_presets() {
        // loihi_cuba: w 24/24 (code 1), v sat_sym (3), u wrap_lava (1), gain 64, rtz (1).
        let image = encode_registers(&NeuronConfig::preset("loihi_cuba").unwrap()).unwrap();
        assert_eq!(image[0] & 0xff, 0b01_11_01_01);
        assert_eq!((image[0] >> 8) & 0xffff, 64);
        assert_eq!(decode_field(&image, &IN_ROUND), ROUND_RTZ as i64);
        assert_eq!(decode_field(&image, &BETA_U), 4095);
        assert_eq!(decode_field(&image, &VTH), 640);
        assert_eq!(
            decode_field(&image, &VTH_LO),
            0,
            "vth_lo is not read by binary"
        );
        // mlgru: only the always-read fields and the gate; beta_v and bias are not read.
        let image = encode_registers(&NeuronConfig::preset("mlgru").unwrap()).unwrap();
        assert_eq!(decode_field(&image, &W_V), WIDTH_32 as i64);
        assert_eq!(decode_field(&image, &G_FRAC), 30);
        assert_eq!(decode_field(&image, &GATED), 1);
        assert_eq!(decode_field(&image, &FIRE), FIRE_NONE as i64);
        assert_eq!(decode_field(&image, &BETA_V), 0);
        assert_eq!(decode_field(&image, &VTH), 0);
    }

    #[test]
    fn signed_extremes_and_wrap_lava_reset_round_trip() {
        let cfg = NeuronConfig {
            w_v: 32,
            v_ovf: Overflow::WrapLava,
            v_reset: 1 << 31,
            in_gain: -32768,
            in_bias: -(1 << 31),
            bias: (1 << 31) - 1,
            vth: -(1 << 31),
            ..NeuronConfig::default()
        };
        let image = encode_registers(&cfg).unwrap();
        assert_eq!(decode_field(&image, &V_RESET), 1 << 31);
        assert_eq!(decode_field(&image, &IN_GAIN), -32768);
        assert_eq!(decode_field(&image, &IN_BIAS), -(1 << 31));
        assert_eq!(decode_field(&image, &BIAS), (1 << 31) - 1);
        assert_eq!(decode_field(&image, &VTH), -(1 << 31));
    }

    #[test]
    fn unread_fields_are_zero_and_invalid_configs_are_refused() {
        let a = NeuronConfig {
            beta_u: 1 << 20,
            w_u: 20,
            th0: -5,
            ..NeuronConfig::default()
        };
        let b = NeuronConfig::default();
        assert_eq!(encode_registers(&a).unwrap(), encode_registers(&b).unwrap());
        let bad = NeuronConfig {
            w_v: 20,
            ..NeuronConfig::default()
        };
        assert_eq!(
            encode_registers(&bad).unwrap_err().to_string(),
            "neuron config: w_v = 20: state widths are 16, 24 or 32"
        );
    }

    #[test]
    fn field_ranges_follow_signedness() {
        let f = RegField {
            name: "in_frac",
            lsb: 0,
            bits: 5,
            signed: false,
        };
        assert_eq!(field_range(&f), (0, 31));
        assert_eq!(field_range(&IN_GAIN), (-32768, 32767));
        assert_eq!(field_range(&V_RESET), (-(1 << 32), (1 << 32) - 1));
    }
}
