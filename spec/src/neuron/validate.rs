//! The legal set of neuron configurations, states and inputs (neuron-models.md section 4.2; the
//! ranges are this project's, documented in `docs/NEURON.md` section "Legal ranges").
//!
//! A configuration that passes [`NeuronConfig::validate`], a state that passes
//! [`NeuronConfig::check_state`] and inputs that pass [`NeuronConfig::check_input`] are exactly what
//! the RTL neuron unit supports; the step then keeps every state inside its register (the proof is
//! beside [`step`](super::step)). Each refusal is one line naming the field, its value and the rule.

use std::fmt::Display;

use super::config::{
    Fire, GAIN_BITS, MAX_D, MAX_DEC_FRAC, MAX_G_FRAC, MAX_IN_FRAC, NeuronConfig, PARAM_BITS, Reset,
    STATE_WIDTHS, X_BITS, signed_range, state_range,
};
use super::step::NeuronState;
use crate::error::{Error, Result};
use crate::round::Overflow;

fn bad(key: &'static str, value: impl Display, why: String) -> Error {
    Error::NeuronConfig {
        key,
        value: value.to_string(),
        why,
    }
}

/// Checks `lo <= value <= hi`; `what` says which rule sets the range.
fn in_range(key: &'static str, value: i64, (lo, hi): (i64, i64), what: &str) -> Result<()> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(bad(key, value, format!("{what}, range [{lo}, {hi}]")))
    }
}

fn width(key: &'static str, w: i64) -> Result<()> {
    if STATE_WIDTHS.contains(&w) {
        Ok(())
    } else {
        Err(bad(key, w, "state widths are 16, 24 or 32".into()))
    }
}

fn ovf_name(ovf: Overflow) -> &'static str {
    match ovf {
        Overflow::Wrap => "wrap",
        Overflow::WrapLava => "wrap_lava",
        Overflow::Sat => "sat",
        Overflow::SatSym => "sat_sym",
    }
}

impl NeuronConfig {
    /// Checks every field the enabled stages read; fields of disabled stages are ignored.
    pub fn validate(&self) -> Result<()> {
        width("w_v", self.w_v)?;
        if self.use_u {
            width("w_u", self.w_u)?;
        }
        self.validate_input_stage()?;
        self.validate_decays()?;
        self.validate_fire()?;
        self.validate_reset()?;
        self.validate_adapt()?;
        if self.gated {
            in_range(
                "g_frac",
                self.g_frac,
                (0, MAX_G_FRAC),
                "the gate f in [0, 2^g_frac] is at most 31 bits unsigned",
            )?;
        }
        Ok(())
    }

    fn v_bits(&self) -> u32 {
        self.w_v as u32
    }

    fn validate_input_stage(&self) -> Result<()> {
        in_range(
            "in_gain",
            self.in_gain,
            signed_range(GAIN_BITS),
            "the input gain is a signed 16-bit multiplier",
        )?;
        in_range(
            "in_frac",
            self.in_frac,
            (0, MAX_IN_FRAC),
            "in_frac is a 5-bit shift",
        )?;
        let (w, state) = (self.drive_bits(), if self.use_u { "u" } else { "v" });
        in_range(
            "in_bias",
            self.in_bias,
            NeuronConfig::param_range(w),
            &format!("in_bias is s{PARAM_BITS} (or as wide as the {w}-bit state {state} it feeds)"),
        )
    }

    fn validate_decays(&self) -> Result<()> {
        if !self.decays() {
            return Ok(());
        }
        in_range(
            "dec_frac",
            self.dec_frac,
            (0, MAX_DEC_FRAC),
            "dec_frac is a 4-bit field",
        )?;
        let one = 1i64 << self.dec_frac;
        let what = format!(
            "a decay multiplier is 1 - decay in [0, 2^dec_frac] with dec_frac = {}",
            self.dec_frac
        );
        let betas = [
            ("beta_u", self.beta_u, self.use_u),
            ("beta_v", self.beta_v, !self.gated),
            ("beta_th", self.beta_th, self.adapt),
            ("beta_r", self.beta_r, self.adapt),
        ];
        for (key, beta, used) in betas {
            if used {
                in_range(key, beta, (0, one), &what)?;
            }
        }
        if !self.gated {
            in_range(
                "bias",
                self.bias,
                NeuronConfig::param_range(self.w_v),
                &format!(
                    "bias is s{PARAM_BITS} (or as wide as the {}-bit v it is added to)",
                    self.w_v
                ),
            )?;
        }
        Ok(())
    }

    fn validate_fire(&self) -> Result<()> {
        let v_signed = NeuronConfig::param_range(self.w_v);
        let like_v = format!(
            "thresholds are s{PARAM_BITS} (or as wide as the {}-bit v)",
            self.w_v
        );
        if self.thresholded() && !self.adapt {
            in_range("vth", self.vth, v_signed, &like_v)?;
        }
        let top = self.w_v - 1;
        match self.fire {
            Fire::Ternary => in_range("vth_lo", self.vth_lo, v_signed, &like_v),
            Fire::Multi => {
                in_range(
                    "d",
                    self.d,
                    (1, MAX_D),
                    "the largest count is a 4-bit field and at least 1",
                )?;
                in_range(
                    "q_shift",
                    self.q_shift,
                    (0, top),
                    &format!("the threshold 2^q_shift must fit the {}-bit v", self.w_v),
                )?;
                Ok(())
            }
            Fire::Graded => in_range(
                "g_shift",
                self.g_shift,
                (0, top),
                &format!("shifts of the {}-bit v", self.w_v),
            ),
            Fire::Binary | Fire::None => Ok(()),
        }
    }

    fn validate_reset(&self) -> Result<()> {
        if !self.resets() {
            return Ok(());
        }
        match self.reset {
            Reset::Hard => {
                let range = state_range(self.v_bits(), self.v_ovf);
                let what = format!(
                    "v_reset must be a value the {}-bit {} register of v holds",
                    self.w_v,
                    ovf_name(self.v_ovf)
                );
                in_range("v_reset", self.v_reset, range, &what)
            }
            Reset::Soft => self.validate_soft_reset(),
            Reset::None => Ok(()),
        }
    }

    /// A soft reset is not narrowed by FIT (section 4.3 step 6), so the rules below keep it in range:
    /// `v CMP thr` with `thr >= 0` gives `0 <= v - thr <= v`, and `v < vth_lo <= 0` gives
    /// `v <= v + thr < thr`; MULTI subtracts at most `v + 2^(q_shift-1)`.
    fn validate_soft_reset(&self) -> Result<()> {
        if self.fire == Fire::Graded {
            let why = "a soft reset subtracts out*thr, defined for binary, ternary and multi only; graded needs hard or none";
            return Err(bad("reset", "soft", why.into()));
        }
        if matches!(self.fire, Fire::Binary | Fire::Ternary) && !self.adapt && self.vth < 0 {
            let why = "a soft reset subtracts the threshold, so it must be >= 0 to keep v in range";
            return Err(bad("vth", self.vth, why.into()));
        }
        if self.fire == Fire::Ternary && self.vth_lo > 0 {
            let why = "a soft reset adds vth after a -1 output, so vth_lo must be <= 0 to keep v in range";
            return Err(bad("vth_lo", self.vth_lo, why.into()));
        }
        let (_, v_max) = signed_range(self.v_bits());
        if self.fire == Fire::Ternary && self.vth > v_max {
            let why = format!(
                "a soft reset adds vth after a -1 output, so vth must be at most {v_max} (the {}-bit v) to keep v in range",
                self.w_v
            );
            return Err(bad("vth", self.vth, why));
        }
        Ok(())
    }

    /// The adaptive state only grows on a non-zero output, and that needs `th + r <= |v| <= 2^(w_v-1)`
    /// (binary or graded), so `th < 2^w_v` and `r <= 2^w_v` hold forever; other fire rules emit
    /// without looking at `th + r` and would let `th` and `r` grow without bound.
    fn validate_adapt(&self) -> Result<()> {
        if !self.adapt {
            return Ok(());
        }
        if !matches!(self.fire, Fire::Binary | Fire::Graded) {
            let why = format!(
                "the adaptive threshold needs fire = binary or graded, got {:?} (th and r would grow without bound)",
                self.fire
            );
            return Err(bad("adapt", true, why.to_lowercase()));
        }
        let (_, hi) = signed_range(self.v_bits());
        let what = format!(
            "adaptive parameters are non-negative {}-bit values so th and r stay bounded",
            self.w_v
        );
        in_range("th0", self.th0, (0, hi), &what)?;
        in_range("th_step", self.th_step, (0, hi), &what)
    }

    /// Checks the configuration, then that `state` holds values its registers can hold (only the
    /// enabled stages' state).
    pub fn check_state(&self, state: &NeuronState) -> Result<()> {
        self.validate()?;
        let reg = |key, value, w: i64, ovf| {
            let what = format!("outside the {w}-bit {} register", ovf_name(ovf));
            value_in(key, value, state_range(w as u32, ovf), &what)
        };
        reg("state v", state.v, self.w_v, self.v_ovf)?;
        if self.use_u {
            reg("state u", state.u, self.w_u, self.u_ovf)?;
        }
        if self.adapt {
            let max = self.adapt_max();
            value_in(
                "state th",
                state.th,
                (self.th0, max),
                "the adaptive threshold lies in [th0, 2^w_v]",
            )?;
            value_in(
                "state r",
                state.r,
                (0, max),
                "the refractory state lies in [0, 2^w_v]",
            )?;
        }
        Ok(())
    }

    /// Checks the configuration, then one step's inputs: `x` is a signed 33-bit value, `f` (read only when gated) is in
    /// `[0, 2^g_frac]`.
    pub fn check_input(&self, x: i64, f: i64) -> Result<()> {
        self.validate()?;
        value_in(
            "input x",
            x,
            signed_range(X_BITS),
            "x is a signed 33-bit input",
        )?;
        if self.gated {
            value_in(
                "input f",
                f,
                (0, 1i64 << self.g_frac),
                "the gate f lies in [0, 2^g_frac]",
            )?;
        }
        Ok(())
    }
}

fn value_in(key: &'static str, value: i64, (lo, hi): (i64, i64), what: &str) -> Result<()> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(Error::NeuronValue {
            key,
            value,
            why: format!("{what}, range [{lo}, {hi}]"),
        })
    }
}
