//! The optional modes of a neuron lane (neuron-models.md sections 4.4 and 4.6): a lane for a small
//! part may leave out the stages that cost wide multipliers, namely the CUBA current stage
//! (`use_u`), the adaptive threshold (`adapt`) and the gated forms with a product of the drive
//! (`lerp`, `two_product`). The hardware configuration says which modes its lane carries
//! (`HwConfig::neuron_modes`); the generator leaves out the logic of the others, and the host and
//! the simulators refuse a configuration that needs an absent mode before it reaches the
//! registers. Every other field (widths, rounding, overflow, every fire and reset rule, the leaky
//! and the `dyn_decay` membrane) is carried by every lane.

use super::config::{GateForm, NeuronConfig};
use super::preset::PRESET_NAMES;
use crate::error::{Error, Result};

/// Which optional modes a neuron lane carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LaneModes {
    /// The CUBA current stage `u` (`use_u`): one decay product.
    pub current: bool,
    /// The adaptive threshold `th` and refractory state `r` (`adapt`): two decay products.
    pub adapt: bool,
    /// The gated forms `lerp` and `two_product`: a product of the drive and the gate.
    pub gate_drive: bool,
}

impl LaneModes {
    /// The full lane: every configuration that `NeuronConfig::validate` accepts.
    pub const ALL: LaneModes = LaneModes {
        current: true,
        adapt: true,
        gate_drive: true,
    };

    /// Whether the lane carries every mode.
    pub const fn all(&self) -> bool {
        self.current && self.adapt && self.gate_drive
    }

    /// The names of the optional modes the lane carries (`current`, `adapt`, `gate_drive`).
    pub fn names(&self) -> Vec<&'static str> {
        [
            ("current", self.current),
            ("adapt", self.adapt),
            ("gate_drive", self.gate_drive),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect()
    }

    /// Refuses `cfg` when it needs a mode the lane leaves out, naming the field and the mode.
    pub fn admits(&self, cfg: &NeuronConfig) -> Result<()> {
        match self.missing(cfg) {
            None => Ok(()),
            Some((key, value, mode)) => Err(Error::NeuronConfig {
                key,
                value: value.into(),
                why: format!(
                    "this neuron lane leaves out the {mode} (it carries the presets {})",
                    self.presets().join(", ")
                ),
            }),
        }
    }

    /// The presets (neuron-models.md section 4.4) whose configuration the lane runs.
    pub fn presets(&self) -> Vec<&'static str> {
        PRESET_NAMES
            .into_iter()
            .filter(|name| NeuronConfig::preset(name).is_ok_and(|cfg| self.missing(&cfg).is_none()))
            .collect()
    }

    /// The first field of `cfg` that needs an absent mode: its key, its value and the mode.
    fn missing(&self, cfg: &NeuronConfig) -> Option<(&'static str, &'static str, &'static str)> {
        if cfg.use_u && !self.current {
            return Some(("use_u", "true", "current stage"));
        }
        if cfg.adapt && !self.adapt {
            return Some(("adapt", "true", "adaptive threshold"));
        }
        if cfg.gated && !self.gate_drive {
            match cfg.g_form {
                GateForm::DynDecay => {}
                GateForm::Lerp => return Some(("g_form", "lerp", "gated product of the drive")),
                GateForm::TwoProduct => {
                    return Some(("g_form", "two_product", "gated product of the drive"));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: LaneModes = LaneModes {
        current: false,
        adapt: false,
        gate_drive: false,
    };

    #[test]
    fn the_full_lane_admits_every_preset() {
        assert_eq!(LaneModes::ALL.presets(), PRESET_NAMES.to_vec());
        assert_eq!(LaneModes::ALL.names(), ["current", "adapt", "gate_drive"]);
        for name in PRESET_NAMES {
            LaneModes::ALL
                .admits(&NeuronConfig::preset(name).unwrap())
                .unwrap();
        }
    }

    #[test]
    fn a_small_lane_runs_the_presets_without_the_costly_stages() {
        let expected = [
            "spikingjelly_lif",
            "fsvae_lif",
            "taid_alif",
            "ilif_coco",
            "ilif_gen1",
            "sdtrack_t1d4",
            "sdtrack_t2d2",
            "qsd_ielif",
            "loihi2_graded_relu",
            "loihi2_graded_vec",
            "mlgru",
            "integrate_fire",
        ];
        assert_eq!(SMALL.presets(), expected);
        assert!(SMALL.names().is_empty() && !SMALL.all());
    }

    #[test]
    fn an_absent_mode_is_refused_by_name() {
        let loihi = NeuronConfig::preset("loihi_cuba").unwrap();
        let e = SMALL.admits(&loihi).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "neuron config: use_u = true: this neuron lane leaves out the current stage"
            ),
            "{e}"
        );
        let alif = NeuronConfig {
            use_u: false,
            ..NeuronConfig::preset("adaptive_alif").unwrap()
        };
        let e = SMALL.admits(&alif).unwrap_err().to_string();
        assert!(
            e.contains("adapt = true") && e.contains("adaptive threshold"),
            "{e}"
        );
        let lerp = NeuronConfig {
            g_form: GateForm::Lerp,
            ..NeuronConfig::preset("mlgru").unwrap()
        };
        let e = SMALL.admits(&lerp).unwrap_err().to_string();
        assert!(e.contains("g_form = lerp") && e.contains("mlgru"), "{e}");
        let with_u = LaneModes {
            current: true,
            ..SMALL
        };
        with_u.admits(&loihi).unwrap();
        assert_eq!(with_u.names(), ["current"]);
    }
}
