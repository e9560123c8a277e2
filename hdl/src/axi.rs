//! AXI4 protocol constants shared by the masters (DESIGN.md section 4: Vitis kernels reach device
//! memory through AXI4 masters with 64-bit addresses; AMBA AXI4 sections A3.4 and A3.4.1).

use crate::error::{Error, Result};

/// Width of every AXI address (Vitis kernels use 64-bit device addresses).
pub const AXI_ADDR_BITS: usize = 64;
/// Width of a command's length in beats (2^32 beats is far beyond any device buffer).
pub const CMD_LEN_BITS: usize = 32;
/// Width of `AxLEN` (beats minus one).
pub const AXI_LEN_BITS: usize = 8;
/// Width of `AxSIZE` (log2 of the bytes per beat).
pub const AXI_SIZE_BITS: usize = 3;
/// Width of `AxBURST`.
pub const AXI_BURST_BITS: usize = 2;
/// Width of `RRESP`/`BRESP`.
pub const AXI_RESP_BITS: usize = 2;
/// `AxBURST` code of an incrementing burst.
pub const AXI_BURST_INCR: u64 = 1;
/// Longest INCR burst AXI4 allows.
pub const AXI_MAX_BURST_BEATS: u64 = 256;
/// No burst may cross a boundary of this many bytes.
pub const AXI_BOUNDARY_BYTES: u64 = 4096;
/// Narrowest beat the masters support (64-bit data).
pub const MIN_BEAT_BYTES: usize = 8;
/// Widest beat the masters support (512-bit data, one HBM pseudo-channel port).
pub const MAX_BEAT_BYTES: usize = 64;

/// `log2(beat_bytes)` (the `AxSIZE` code) if `beat_bytes` is a supported beat size.
pub fn beat_bytes_log2(block: &'static str, beat_bytes: usize) -> Result<usize> {
    if beat_bytes.is_power_of_two() && (MIN_BEAT_BYTES..=MAX_BEAT_BYTES).contains(&beat_bytes) {
        Ok(beat_bytes.trailing_zeros() as usize)
    } else {
        Err(invalid(
            block,
            "beat bytes",
            beat_bytes,
            &format!(
                "a power of two from {MIN_BEAT_BYTES} to {MAX_BEAT_BYTES} (data widths 64..512 bits)"
            ),
        ))
    }
}

/// log2 of the entries of a master's per-burst FIFOs (burst lengths, end-of-command flags).
pub const LOG_MAX_BURSTS: usize = 6;
/// Most bursts a master keeps in flight: 64 bursts of 64 beats cover a round trip of 4000 cycles
/// at 512 bits, far beyond HBM or DDR.
pub const MAX_BURSTS_IN_FLIGHT: usize = 1 << LOG_MAX_BURSTS;

/// The checked elaboration parameters every master derives from its data width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MasterParams {
    /// Bytes per beat.
    pub beat_bytes: usize,
    /// `AxSIZE` of a full-width beat.
    pub size_code: u64,
    /// `AxBURST` of an INCR burst.
    pub burst_code: u64,
}

impl MasterParams {
    /// Checks the data width and the bursts in flight of a master.
    pub fn new(block: &'static str, data_bits: usize, max_bursts: usize) -> Result<Self> {
        if !data_bits.is_multiple_of(8) {
            return Err(invalid(
                block,
                "DATA_BITS",
                data_bits,
                "a whole number of bytes",
            ));
        }
        let log = beat_bytes_log2(block, data_bits / 8)?;
        if !(1..=MAX_BURSTS_IN_FLIGHT).contains(&max_bursts) {
            return Err(invalid(
                block,
                "max_bursts",
                max_bursts,
                &format!("1..={MAX_BURSTS_IN_FLIGHT} bursts in flight"),
            ));
        }
        Ok(MasterParams {
            beat_bytes: data_bits / 8,
            size_code: log as u64,
            burst_code: AXI_BURST_INCR,
        })
    }
}

/// Refuses a const generic that must equal a value derived from the others.
pub(crate) fn derived(
    block: &'static str,
    param: &'static str,
    value: usize,
    want: usize,
    rule: &str,
) -> Result<()> {
    if value == want {
        Ok(())
    } else {
        Err(invalid(
            block,
            param,
            value,
            &format!("must be {rule} = {want}"),
        ))
    }
}

/// An [`Error::InvalidParameter`] for `block`.
pub(crate) fn invalid(block: &'static str, param: &'static str, value: usize, why: &str) -> Error {
    Error::InvalidParameter {
        block,
        param,
        value: value as i128,
        why: why.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beat_sizes() {
        assert_eq!(beat_bytes_log2("t", 8).unwrap(), 3);
        assert_eq!(beat_bytes_log2("t", 64).unwrap(), 6);
        let e = beat_bytes_log2("t", 48).unwrap_err().to_string();
        assert_eq!(
            e,
            "t: parameter beat bytes = 48 is invalid: a power of two from 8 to 64 (data widths 64..512 bits)"
        );
    }
}
