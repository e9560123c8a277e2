//! The one driver API every accelerator backend implements (DESIGN.md section 1, STYLE.md: VTA's
//! `driver.h` with several backends): the instruction-set simulator, the Verilated RTL and a real
//! card through XRT. The host's accelerator device is written once against this trait.
//!
//! The calls follow a Vitis kernel run: allocate one buffer per bank, write the image, pass the
//! buffers' device addresses as kernel arguments ([`crate::regmap`]), start, wait, read back.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::hw::HwConfig;
use crate::regmap;

/// A device-memory bank: the data bank on `m_axi_data` or weight bank `p` on `m_axi_w{p}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bank {
    /// Program, parameters, state, input and output slots.
    Data,
    /// The weights streamed by port `p`.
    Weight(u32),
}

impl fmt::Display for Bank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bank::Data => write!(f, "data bank"),
            Bank::Weight(p) => write!(f, "weight bank {p}"),
        }
    }
}

impl Bank {
    /// Every bank of a configuration: the data bank, then the weight banks in port order.
    pub fn all(cfg: &HwConfig) -> Vec<Bank> {
        std::iter::once(Bank::Data)
            .chain((0..cfg.weight_ports).map(Bank::Weight))
            .collect()
    }

    /// The register offset of this bank's base-address argument.
    pub const fn arg_offset(self) -> u32 {
        match self {
            Bank::Data => regmap::data_bank_arg(),
            Bank::Weight(p) => regmap::weight_bank_arg(p),
        }
    }
}

/// An accelerator backend: memory banks, control registers, start and wait.
pub trait Card {
    /// The backend's name for messages (`iss`, `sim`, `xrt:0`).
    fn backend(&self) -> String;

    /// The hardware configuration the backend runs.
    fn config(&self) -> &HwConfig;

    /// Allocates (or reallocates, zeroed) the buffer of `bank`; returns its device address.
    fn alloc(&mut self, bank: Bank, bytes: u64) -> Result<u64>;

    /// Writes `bytes` at byte `offset` of `bank`'s buffer.
    fn write(&mut self, bank: Bank, offset: u64, bytes: &[u8]) -> Result<()>;

    /// Reads `out.len()` bytes at byte `offset` of `bank`'s buffer.
    fn read(&mut self, bank: Bank, offset: u64, out: &mut [u8]) -> Result<()>;

    /// Writes a control register.
    fn write_reg(&mut self, offset: u32, value: u32) -> Result<()>;

    /// Reads a control register (reading `CTRL` clears `ap_done`, as the hardware does).
    fn read_reg(&mut self, offset: u32) -> Result<u32>;

    /// Starts the kernel (`ap_start`).
    fn start(&mut self) -> Result<()> {
        self.write_reg(regmap::CTRL, regmap::AP_START)
    }

    /// Waits until the kernel is done; a program fault or a timeout is an error.
    fn wait(&mut self, timeout: Duration) -> Result<()>;

    /// Kernel clock cycles of the last run, where the backend counts them.
    fn cycles(&self) -> Option<u64> {
        None
    }

    /// The backend's activity counters of the last run (name, value), for reports.
    fn counters(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }

    /// Passes a bank's device address as its kernel argument.
    fn set_bank_arg(&mut self, bank: Bank, address: u64) -> Result<()> {
        let (lo, hi) = regmap::split_pointer(address);
        self.write_reg(bank.arg_offset(), lo)?;
        self.write_reg(bank.arg_offset() + 4, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banks_and_their_arguments() {
        let cfg = HwConfig::preset("small").unwrap();
        let banks = Bank::all(&cfg);
        assert_eq!(banks, vec![Bank::Data, Bank::Weight(0), Bank::Weight(1)]);
        assert_eq!(Bank::Data.arg_offset(), 0x10);
        assert_eq!(Bank::Weight(1).arg_offset(), 0x20);
        assert_eq!(Bank::Weight(1).to_string(), "weight bank 1");
    }
}
