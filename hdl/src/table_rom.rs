//! ROMs whose contents come from the spec crate (DESIGN.md section 2: "the RTL ROM contents are
//! generated from the same function"; STYLE.md house rule 2).
//!
//! [`table_rom`] turns any iterator of integers into rust-hdl's `SyncROM` (one registered read port,
//! the shape a block RAM infers from), checking every value fits the word and the table fits the
//! depth, and padding the rest with zeros so that simulation and Verilog agree on every address.
//! [`sigmoid_rom`] and [`pack5_decode_rom`] build the two ROMs the kernels need from
//! `mmfree_spec::table::sigmoid_table` and `mmfree_spec::pack::pack5_decode_table`.

use mmfree_spec::format::GATE_FRAC;
use mmfree_spec::pack::{Packing, pack5_decode_table};
use mmfree_spec::table::sigmoid_table;
use rust_hdl::prelude::*;

use crate::error::{Error, Result};

/// A synchronous ROM of `2^ADDR_BITS` words of `DATA_BITS` bits: `data` shows the word at the
/// `address` sampled on the previous rising edge of `clock`.
pub type TableRom<const DATA_BITS: usize, const ADDR_BITS: usize> =
    SyncROM<Bits<DATA_BITS>, ADDR_BITS>;

/// Word width of the sigmoid ROM: GATE samples lie in `[0, 2^GATE_FRAC]`.
pub const SIGMOID_ROM_DATA_BITS: usize = GATE_FRAC as usize + 1;
/// Address width of the sigmoid ROM (2049 samples).
pub const SIGMOID_ROM_ADDR_BITS: usize = 12;
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

/// The sigmoid sample ROM of the vector unit, from `mmfree_spec::table::sigmoid_table().samples`.
pub fn sigmoid_rom() -> Result<TableRom<SIGMOID_ROM_DATA_BITS, SIGMOID_ROM_ADDR_BITS>> {
    table_rom(sigmoid_table().samples.iter().map(|&s| s as i64))
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

    #[test]
    fn sigmoid_rom_holds_the_spec_samples() {
        let got = read_all(&mut sigmoid_rom().unwrap());
        let samples = &sigmoid_table().samples;
        assert_eq!(samples.len(), 2049);
        for (a, &g) in got.iter().enumerate() {
            let want = samples.get(a).map_or(0, |&s| s as u64);
            assert_eq!(g, want, "address {a}");
        }
        assert_eq!((got[0], got[1024], got[2048]), (0, 1 << 16, 1 << 17));
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
        crate::stream_test::lint_and_synth(sigmoid_rom().unwrap(), "sigmoid_rom");
    }
}
