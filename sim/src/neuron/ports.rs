//! The neuron unit's ports (`mmfree_kernels::neuron_unit::NeuronUnit`), looked up once by name.

use crate::error::Result;
use crate::model::{Port, Verilated};

/// Handles on every port the driver uses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UnitPorts {
    pub cfg_valid: Port,
    pub cfg_ready: Port,
    pub cfg_addr: Port,
    pub cfg_data: Port,
    pub st_valid: Port,
    pub st_ready: Port,
    pub st_index: Port,
    pub st_keep: Port,
    pub st_data: Port,
    pub in_valid: Port,
    pub in_ready: Port,
    pub in_index: Port,
    pub in_keep: Port,
    pub in_data: Port,
    pub out_valid: Port,
    pub out_ready: Port,
    pub out_index: Port,
    pub out_keep: Port,
    pub out_data: Port,
}

impl UnitPorts {
    /// Finds every port; a missing one is an error naming it.
    pub fn find(m: &Verilated) -> Result<UnitPorts> {
        Ok(UnitPorts {
            cfg_valid: m.port("cfg_valid")?,
            cfg_ready: m.port("cfg_ready")?,
            cfg_addr: m.port("cfg_addr")?,
            cfg_data: m.port("cfg_data")?,
            st_valid: m.port("st_valid")?,
            st_ready: m.port("st_ready")?,
            st_index: m.port("st_index")?,
            st_keep: m.port("st_keep")?,
            st_data: m.port("st_data")?,
            in_valid: m.port("in_valid")?,
            in_ready: m.port("in_ready")?,
            in_index: m.port("in_index")?,
            in_keep: m.port("in_keep")?,
            in_data: m.port("in_data")?,
            out_valid: m.port("out_valid")?,
            out_ready: m.port("out_ready")?,
            out_index: m.port("out_index")?,
            out_keep: m.port("out_keep")?,
            out_data: m.port("out_data")?,
        })
    }
}
