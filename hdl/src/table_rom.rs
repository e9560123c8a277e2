//! ROMs whose contents come from the spec crate (DESIGN.md section 2: "the RTL ROM contents are
//! generated from the same function"; STYLE.md house rule 2).
//!
//! [`table_rom`] turns any iterator of integers into rust-hdl's `SyncROM` (one registered read port,
//! the shape a block RAM infers from), checking every value fits the word and the table fits the
//! depth, and padding the rest with zeros so that simulation and Verilog agree on every address.
//! [`sigmoid_coefficient_rom`], [`recip_seed_rom`], [`rsqrt_seed_rom`] and [`pack5_decode_rom`]
//! build the ROMs the kernels need from `mmfree_spec::table` and
//! `mmfree_spec::pack::pack5_decode_table`.

use mmfree_spec::pack::{Packing, pack5_decode_table};
use mmfree_spec::table::{SIGMOID_SEGMENTS, recip_table, rsqrt_table, sigmoid_coefficients};
use rust_hdl::prelude::*;

use crate::error::{Error, Result};

/// A synchronous ROM of `2^ADDR_BITS` words of `DATA_BITS` bits: `data` shows the word at the
/// `address` sampled on the previous rising edge of `clock`.
pub type TableRom<const DATA_BITS: usize, const ADDR_BITS: usize> =
    SyncROM<Bits<DATA_BITS>, ADDR_BITS>;

/// Word width of a sigmoid coefficient ROM: signed coefficients below `2^39` in magnitude.
pub const SIGMOID_ROM_DATA_BITS: usize = 40;
/// Address width of a sigmoid coefficient ROM (one word per segment).
pub const SIGMOID_ROM_ADDR_BITS: usize = 9;
/// Word width of the reciprocal and reciprocal-square-root seed ROMs (samples up to `2^30`).
pub const SEED_ROM_DATA_BITS: usize = 31;
/// Address width of the reciprocal seed ROM (1025 samples).
pub const RECIP_ROM_ADDR_BITS: usize = 11;
/// Address width of the reciprocal-square-root seed ROM (769 samples).
pub const RSQRT_ROM_ADDR_BITS: usize = 10;
/// Word width of the pack5 decoder ROM: five 2-bit pack2 codes, trit `i` in bits `[2i+1:2i]`.
pub const PACK5_ROM_DATA_BITS: usize = 10;
/// Address width of the pack5 decoder ROM: one packed byte.
pub const PACK5_ROM_ADDR_BITS: usize = 8;

/// Builds a ROM holding `values` from address 0 on; negative values are stored two's complement.
pub fn table_rom<const DATA_BITS: usize, const ADDR_BITS: usize>(
    values: impl IntoIterator<Item = i64>,
) -> Result<TableRom<DATA_BITS, ADDR_BITS>> {
    let depth = 1usize << ADDR_BITS;
    let mut words = Vec::with_capacity(depth);
    for (i, v) in values.into_iter().enumerate() {
        if i >= depth {
            return Err(Error::TableOverflow {
                what: "entries",
                value: i as i128 + 1,
                limit: format!("depth {depth}"),
            });
        }
        words.push(word::<DATA_BITS>(v)?);
    }
    words.resize(depth, Bits::default());
    Ok(words.into_iter().into())
}

/// `v` as a `D`-bit word: `0 <= v < 2^D` as is, `-2^(D-1) <= v < 0` as two's complement.
fn word<const D: usize>(v: i64) -> Result<Bits<D>> {
    let fits = if v >= 0 {
        D >= 64 || v < 1i64 << D
    } else {
        D >= 64 || v >= -(1i64 << (D - 1))
    };
    if !fits || D > 64 {
        return Err(Error::TableOverflow {
            what: "value",
            value: v as i128,
            limit: format!("{D}-bit word"),
        });
    }
    let mask = if D == 64 { u64::MAX } else { (1u64 << D) - 1 };
    Ok(Bits::from(v as u64 & mask))
}

/// One of the four coefficient ROMs (`k` = 0..=3, the power of the segment position) of the vector
/// unit's piecewise-cubic sigmoid, from `mmfree_spec::table::sigmoid_coefficients`.
pub fn sigmoid_coefficient_rom(
    k: usize,
) -> Result<TableRom<SIGMOID_ROM_DATA_BITS, SIGMOID_ROM_ADDR_BITS>> {
    debug_assert_eq!(SIGMOID_SEGMENTS, 1 << SIGMOID_ROM_ADDR_BITS);
    table_rom(sigmoid_coefficients().iter().map(|c| c[k]))
}

/// The scalar unit's reciprocal seed ROM, from `mmfree_spec::table::recip_table`.
pub fn recip_seed_rom() -> Result<TableRom<SEED_ROM_DATA_BITS, RECIP_ROM_ADDR_BITS>> {
    table_rom(recip_table().samples.iter().copied())
}

/// The scalar unit's reciprocal-square-root seed ROM, from `mmfree_spec::table::rsqrt_table`.
pub fn rsqrt_seed_rom() -> Result<TableRom<SEED_ROM_DATA_BITS, RSQRT_ROM_ADDR_BITS>> {
    table_rom(rsqrt_table().samples.iter().copied())
}

/// The 1.6-bit weight decoder: packed byte to five pack2 codes, from `pack5_decode_table`.
pub fn pack5_decode_rom() -> Result<TableRom<PACK5_ROM_DATA_BITS, PACK5_ROM_ADDR_BITS>> {
    let words = pack5_decode_table().iter().map(|trits| {
        let mut codes = [0u8; 2];
        Packing::Pack2
            .pack_row(trits, &mut codes)
            .map(|()| u16::from_le_bytes(codes) as i64 & 0x3ff)
    });
    table_rom(words.collect::<std::result::Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every address through the rust-hdl simulation (one clock edge per read).
    fn read_all<const D: usize, const A: usize>(rom: &mut TableRom<D, A>) -> Vec<u64> {
        rom.connect_all();
        (0..1usize << A)
            .map(|a| {
                rom.address.next = a.to_bits();
                rom.clock.next = Clock::from(false);
                assert!(simulate(rom, 10));
                rom.clock.next = Clock::from(true);
                assert!(simulate(rom, 10));
                rom.data.val().to_u64()
            })
            .collect()
    }

    /// Sign-extends a `bits`-wide ROM word.
    fn signed(word: u64, bits: u32) -> i64 {
        ((word << (64 - bits)) as i64) >> (64 - bits)
    }

    #[test]
    fn sigmoid_roms_hold_the_spec_coefficients() {
        for k in 0..4 {
            let got = read_all(&mut sigmoid_coefficient_rom(k).unwrap());
            for (seg, &g) in got.iter().enumerate() {
                let want = sigmoid_coefficients()[seg][k];
                assert_eq!(
                    signed(g, SIGMOID_ROM_DATA_BITS as u32),
                    want,
                    "c{k} segment {seg}"
                );
            }
        }
        // c0 of segment 0 approximates sigmoid(0) = 1/2 in units of 2^-36 (a Chebyshev fit, not an
        // interpolation at 0, so within a few units).
        assert!((sigmoid_coefficients()[0][0] - (1 << 35)).abs() <= 8);
    }

    #[test]
    fn seed_roms_hold_the_spec_samples() {
        let got = read_all(&mut recip_seed_rom().unwrap());
        let samples = &recip_table().samples;
        assert_eq!(samples.len(), 1025);
        for (a, &g) in got.iter().enumerate() {
            assert_eq!(
                g as i64,
                samples.get(a).copied().unwrap_or(0),
                "recip address {a}"
            );
        }
        let got = read_all(&mut rsqrt_seed_rom().unwrap());
        let samples = &rsqrt_table().samples;
        assert_eq!(samples.len(), 769);
        for (a, &g) in got.iter().enumerate() {
            assert_eq!(
                g as i64,
                samples.get(a).copied().unwrap_or(0),
                "rsqrt address {a}"
            );
        }
        assert_eq!((got[0], got[768]), (1 << 30, 1 << 29));
    }

    #[test]
    fn pack5_rom_decodes_every_byte_like_the_spec() {
        let got = read_all(&mut pack5_decode_rom().unwrap());
        for (byte, &word) in got.iter().enumerate() {
            let mut from_rom = [0i8; 5];
            Packing::Pack2
                .unpack_row(&(word as u16).to_le_bytes(), &mut from_rom)
                .unwrap();
            let mut from_spec = [0i8; 5];
            match Packing::Pack5.unpack_row(&[byte as u8], &mut from_spec) {
                Ok(()) => assert_eq!(from_rom, from_spec, "byte {byte}"),
                Err(_) => assert_eq!(from_rom, [0; 5], "invalid byte {byte} must decode to zeros"),
            }
        }
    }

    #[test]
    fn negative_values_and_limits() {
        let got = read_all(&mut table_rom::<4, 2>([-8, -1, 7, 0]).unwrap());
        assert_eq!(got, vec![8, 15, 7, 0]);
        assert!(matches!(
            table_rom::<4, 2>([16]),
            Err(Error::TableOverflow {
                what: "value",
                value: 16,
                ..
            })
        ));
        assert!(matches!(
            table_rom::<4, 2>([-9]),
            Err(Error::TableOverflow {
                what: "value",
                value: -9,
                ..
            })
        ));
        assert!(matches!(
            table_rom::<4, 2>([0; 5]),
            Err(Error::TableOverflow {
                what: "entries",
                value: 5,
                ..
            })
        ));
    }

    #[test]
    fn table_rom_is_synthesizable() {
        crate::stream_test::lint_and_synth(pack5_decode_rom().unwrap(), "pack5_decode_rom");
        crate::stream_test::lint_and_synth(sigmoid_coefficient_rom(1).unwrap(), "sigmoid_c1_rom");
        crate::stream_test::lint_and_synth(recip_seed_rom().unwrap(), "recip_seed_rom");
    }
}
