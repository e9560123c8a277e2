//! The configuration fields of the neuron unit, decoded from the register image of
//! `mmfree_spec::neuron::regs` (neuron-models.md section 4.2). Pure wiring: each output is one
//! field, zero- or sign-extended to the width its consumer computes in. Every stage of a lane holds
//! its own decoder and reads the fields it needs.
//!
//! The port list is written once (the `params_block!` invocation below); the rust-hdl model and
//! the Verilog are both generated from it and from the spec's field table, so the decoder cannot
//! disagree with the encoder.
//!
//! A lane that leaves out a mode (`mmfree_spec::neuron::LaneModes`) decodes that mode's switch as
//! a constant off (`use_u`, `adapt` 0; `g_form` `dyn_decay`), so synthesis removes every stage
//! that only the mode uses; the host refuses such configurations before they are written.

use std::fmt::Write;

use mmfree_spec::neuron::LaneModes;
use mmfree_spec::neuron::regs::{self, REG_BITS, RegField};
use rust_hdl::prelude::*;

/// A port type that holds one register field.
pub trait FieldValue: Synth {
    /// The field `f` of `image`, zero- or sign-extended to the port's width.
    fn decode(image: &Bits<REG_BITS>, f: &RegField) -> Self;
}

impl FieldValue for bool {
    fn decode(image: &Bits<REG_BITS>, f: &RegField) -> Self {
        image.get_bit(f.lsb)
    }
}

impl<const W: usize> FieldValue for Bits<W> {
    fn decode(image: &Bits<REG_BITS>, f: &RegField) -> Self {
        let mut out = Bits::<W>::default();
        for b in 0..W {
            let bit = if b < f.bits {
                f.lsb + b
            } else if f.signed {
                f.lsb + f.bits - 1
            } else {
                continue;
            };
            out = out.replace_bit(b, image.get_bit(bit));
        }
        out
    }
}

/// The Verilog that drives port `name` of `width` bits from field `f` of `regs`.
fn field_verilog(out: &mut String, name: &str, f: &RegField, width: usize) {
    let msb = f.lsb + f.bits - 1;
    let slice = if f.bits == 1 {
        format!("regs[{msb}]")
    } else {
        format!("regs[{msb}:{}]", f.lsb)
    };
    let pad = width - f.bits;
    let value = match (pad, f.signed) {
        (0, _) => slice,
        (_, true) => format!("{{{{{pad}{{regs[{msb}]}}}}, {slice}}}"),
        (_, false) => format!("{{{pad}'d0, {slice}}}"),
    };
    let _ = writeln!(out, "    {name} = {value};");
}

/// The fields a lane without some modes decodes as constants, with their values: the switch of
/// each absent mode, off.
fn absent_fields(modes: LaneModes) -> Vec<(RegField, u64)> {
    let mut absent = Vec::new();
    if !modes.current {
        absent.push((regs::USE_U, 0));
    }
    if !modes.adapt {
        absent.push((regs::ADAPT, 0));
    }
    if !modes.gate_drive {
        absent.push((regs::G_FORM, regs::FORM_DYN_DECAY));
    }
    absent
}

/// A wire that reads the register bits of the constant fields, named so that Verilator's lint
/// knows they are unused on purpose (its default `--unused-regexp` is `*unused*`).
fn unused_verilog(absent: &[(RegField, u64)]) -> String {
    if absent.is_empty() {
        return String::new();
    }
    let bits: Vec<String> = absent
        .iter()
        .map(|(f, _)| match f.bits {
            1 => format!("regs[{}]", f.lsb),
            n => format!("regs[{}:{}]", f.lsb + n - 1, f.lsb),
        })
        .collect();
    format!(
        "wire unused_absent_fields = &{{1'b0, {}}};\n",
        bits.join(", ")
    )
}

/// `image` with the fields of [`absent_fields`] set to their constants (the rust-hdl model of the
/// decoder's Verilog).
fn forced(mut image: Bits<REG_BITS>, modes: LaneModes) -> Bits<REG_BITS> {
    for (f, value) in absent_fields(modes) {
        for b in 0..f.bits {
            image = image.replace_bit(f.lsb + b, (value >> b) & 1 == 1);
        }
    }
    image
}

macro_rules! params_block {
    ($( $(#[doc = $doc:literal])* $name:ident : $ty:ty = $field:path ),* $(,)?) => {
        /// Decodes the register image into the configuration fields (see the module docs).
        #[derive(LogicBlock)]
        pub struct NeuronParams {
            /// The register image written through the unit's configuration port.
            pub regs: Signal<In, Bits<REG_BITS>>,
            $( $(#[doc = $doc])* pub $name: Signal<Out, $ty>, )*
            /// Whether the lane carries the current stage: a constant of the generator.
            pub has_current: Signal<Out, Bit>,
            /// Whether the lane carries the adaptive threshold: a constant of the generator.
            pub has_adapt: Signal<Out, Bit>,
            _modes: LaneModes,
        }

        impl Default for NeuronParams {
            fn default() -> Self {
                NeuronParams::new(LaneModes::ALL)
            }
        }

        impl NeuronParams {
            /// The decoder of a lane that carries `modes`.
            pub fn new(modes: LaneModes) -> Self {
                NeuronParams {
                    regs: Default::default(),
                    $( $name: Default::default(), )*
                    has_current: Default::default(),
                    has_adapt: Default::default(),
                    _modes: modes,
                }
            }

            /// Each output port's name, the field it decodes and its width.
            pub fn ports() -> Vec<(&'static str, RegField, usize)> {
                vec![$( (stringify!($name), $field, <$ty as Synth>::BITS) ),*]
            }
        }

        impl Logic for NeuronParams {
            fn update(&mut self) {
                let image = forced(self.regs.val(), self._modes);
                $( self.$name.next = <$ty as FieldValue>::decode(&image, &$field); )*
                self.has_current.next = self._modes.current;
                self.has_adapt.next = self._modes.adapt;
            }

            fn connect(&mut self) {
                $( self.$name.connect(); )*
                self.has_current.connect();
                self.has_adapt.connect();
            }

            fn hdl(&self) -> Verilog {
                let absent = absent_fields(self._modes);
                let mut body = unused_verilog(&absent);
                body.push_str("always @(*) begin\n");
                for (name, field, width) in Self::ports() {
                    match absent.iter().find(|(f, _)| f.lsb == field.lsb) {
                        Some((_, value)) => {
                            let _ = writeln!(body, "    {name} = {width}'d{value};");
                        }
                        None => field_verilog(&mut body, name, &field, width),
                    }
                }
                let bit = |on: bool| if on { "1'b1" } else { "1'b0" };
                let _ = writeln!(body, "    has_current = {};", bit(self._modes.current));
                let _ = writeln!(body, "    has_adapt = {};", bit(self._modes.adapt));
                body.push_str("end\n");
                Verilog::Custom(body)
            }
        }
    };
}

params_block! {
    /// Width code of `v`.
    w_v: Bits<2> = regs::W_V,
    /// Width code of `u`.
    w_u: Bits<2> = regs::W_U,
    /// Overflow code of `v`.
    v_ovf: Bits<2> = regs::V_OVF,
    /// Overflow code of `u`.
    u_ovf: Bits<2> = regs::U_OVF,
    /// Input gain, 16-bit two's complement (a multiplier operand).
    in_gain: Bits<16> = regs::IN_GAIN,
    /// Fraction bits of the gain.
    in_frac: Bits<5> = regs::IN_FRAC,
    /// Rounding code of the input product.
    in_round: Bits<3> = regs::IN_ROUND,
    /// Input bias, sign-extended to the 52-bit sums.
    in_bias: Bits<52> = regs::IN_BIAS,
    /// Whether the current stage is present.
    use_u: Bit = regs::USE_U,
    /// Fraction bits of the decays, as a shift amount.
    dec_frac: Bits<5> = regs::DEC_FRAC,
    /// Decay multiplier of `u`.
    beta_u: Bits<16> = regs::BETA_U,
    /// Decay multiplier of `v`.
    beta_v: Bits<16> = regs::BETA_V,
    /// Rounding code of the decays.
    dec_round: Bits<3> = regs::DEC_ROUND,
    /// Membrane bias, sign-extended to the 52-bit sums.
    bias: Bits<52> = regs::BIAS,
    /// Fire-rule code.
    fire: Bits<3> = regs::FIRE,
    /// Comparison code.
    cmp: Bit = regs::CMP,
    /// Threshold, sign-extended to the 35-bit comparisons.
    vth: Bits<35> = regs::VTH,
    /// Lower threshold, sign-extended to the 35-bit comparisons.
    vth_lo: Bits<35> = regs::VTH_LO,
    /// Largest MULTI count, zero-extended to the 33-bit quotient.
    d: Bits<33> = regs::D,
    /// MULTI threshold shift.
    q_shift: Bits<5> = regs::Q_SHIFT,
    /// Rounding code of the MULTI quotient.
    q_round: Bits<3> = regs::Q_ROUND,
    /// Shift of the graded payload.
    g_shift: Bits<5> = regs::G_SHIFT,
    /// Whether graded compares `|v|`.
    g_abs: Bit = regs::G_ABS,
    /// Reset code.
    reset: Bits<2> = regs::RESET,
    /// Membrane after a hard reset, a 33-bit state value.
    v_reset: Bits<33> = regs::V_RESET,
    /// Whether the adaptive threshold is present.
    adapt: Bit = regs::ADAPT,
    /// Resting threshold, zero-extended to the 34-bit `th - th0`.
    th0: Bits<34> = regs::TH0,
    /// Threshold increment, zero-extended to the 33-bit `th`.
    th_step: Bits<33> = regs::TH_STEP,
    /// Decay multiplier of `th - th0`.
    beta_th: Bits<16> = regs::BETA_TH,
    /// Decay multiplier of `r`.
    beta_r: Bits<16> = regs::BETA_R,
    /// Whether the membrane is gated.
    gated: Bit = regs::GATED,
    /// Fraction bits of the gate.
    g_frac: Bits<5> = regs::G_FRAC,
    /// Gate-form code.
    g_form: Bits<2> = regs::G_FORM,
    /// Rounding code of the gated products.
    g_round: Bits<3> = regs::G_ROUND,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron_unit::bits::from_bits;
    use mmfree_spec::neuron::NeuronConfig;
    use mmfree_spec::neuron::regs::{REG_FIELDS, decode_field, encode_registers};

    #[test]
    fn ports_are_the_register_fields_in_order() {
        let names: Vec<&str> = NeuronParams::ports().iter().map(|p| p.0).collect();
        let fields: Vec<&str> = REG_FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(names, fields);
        for (name, field, width) in NeuronParams::ports() {
            assert!(width >= field.bits, "{name}: {width} < {}", field.bits);
        }
    }

    #[test]
    fn the_model_decodes_what_the_spec_encodes() {
        let cfg = NeuronConfig {
            in_bias: -123_456,
            vth: -77,
            in_gain: -32768,
            ..NeuronConfig::preset("loihi_cuba").unwrap()
        };
        let image = encode_registers(&cfg).unwrap();
        let mut regs = Bits::<REG_BITS>::default();
        for (i, w) in image.iter().enumerate() {
            for b in 0..32 {
                let bit = 32 * i + b;
                if bit < REG_BITS {
                    regs = regs.replace_bit(bit, (w >> b) & 1 == 1);
                }
            }
        }
        let mut p = NeuronParams::default();
        p.regs.next = regs;
        p.update_all();
        p.update();
        assert_eq!(from_bits(p.in_bias.next), -123_456);
        assert_eq!(from_bits(p.vth.next), -77);
        assert_eq!(from_bits(p.in_gain.next), -32768);
        assert_eq!(
            p.beta_u.next.to_u64() as i64,
            decode_field(&image, &regs::BETA_U)
        );
        assert!(p.use_u.next);
        assert_eq!(p.w_v.next.to_u64(), regs::WIDTH_24);
    }
}
