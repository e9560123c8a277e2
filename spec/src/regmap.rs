//! The kernel's AXI4-Lite control registers: the Vitis `ap_ctrl_hs` map (DESIGN.md section 4,
//! ACCELERATOR.md section 4) and the kernel argument offsets. The RTL control slave, `kernel.xml`,
//! the simulators and the host all take their offsets from here (STYLE.md house rule 2).

use crate::hw::HwConfig;

/// Control: `ap_start` (bit 0), `ap_done` (bit 1, clear on read), `ap_idle` (bit 2), `ap_ready`
/// (bit 3), `auto_restart` (bit 7).
pub const CTRL: u32 = 0x00;
/// Global interrupt enable (bit 0).
pub const GIE: u32 = 0x04;
/// IP interrupt enable: bit 0 `ap_done`, bit 1 `ap_ready`.
pub const IER: u32 = 0x08;
/// IP interrupt status, same bits as [`IER`], toggle on write.
pub const ISR: u32 = 0x0C;
/// First kernel argument.
pub const ARGS: u32 = 0x10;
/// Bytes between two 64-bit pointer arguments (two 32-bit words, low word first).
pub const POINTER_BYTES: u32 = 8;

/// `CTRL` bit that starts the kernel.
pub const AP_START: u32 = 1 << 0;
/// `CTRL` bit raised when the kernel finished (cleared when `CTRL` is read).
pub const AP_DONE: u32 = 1 << 1;
/// `CTRL` bit high while the kernel is not running.
pub const AP_IDLE: u32 = 1 << 2;
/// `CTRL` bit raised when the kernel can take a new start.
pub const AP_READY: u32 = 1 << 3;
/// `CTRL` bit that restarts the kernel when it finishes.
pub const AUTO_RESTART: u32 = 1 << 7;

/// Offset of the low word of kernel pointer argument `i` (the high word follows at `+ 4`).
pub const fn pointer_arg(i: u32) -> u32 {
    ARGS + i * POINTER_BYTES
}

/// Offset of the data-bank base address argument (argument 0).
pub const fn data_bank_arg() -> u32 {
    pointer_arg(0)
}

/// Offset of the base address argument of weight bank `p` (arguments 1..=P).
pub const fn weight_bank_arg(p: u32) -> u32 {
    pointer_arg(1 + p)
}

/// One past the last register of the map for `cfg` (the data bank and every weight bank pointer).
pub const fn end(cfg: &HwConfig) -> u32 {
    pointer_arg(1 + cfg.weight_ports)
}

/// The low and high 32-bit words of a 64-bit pointer argument.
pub const fn split_pointer(address: u64) -> (u32, u32) {
    (address as u32, (address >> 32) as u32)
}

/// A 64-bit pointer from its low and high words.
pub const fn join_pointer(lo: u32, hi: u32) -> u64 {
    lo as u64 | (hi as u64) << 32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_ap_ctrl_hs_and_pack_pointers() {
        assert_eq!((CTRL, GIE, IER, ISR, ARGS), (0x00, 0x04, 0x08, 0x0C, 0x10));
        assert_eq!(data_bank_arg(), 0x10);
        assert_eq!(weight_bank_arg(0), 0x18);
        assert_eq!(weight_bank_arg(31), 0x10 + 32 * 8);
        let u280 = HwConfig::preset("u280").unwrap();
        assert_eq!(end(&u280), 0x10 + 33 * 8);
        let p = 0x0000_0012_3456_7840u64;
        assert_eq!(split_pointer(p), (0x3456_7840, 0x12));
        assert_eq!(join_pointer(0x3456_7840, 0x12), p);
    }
}
