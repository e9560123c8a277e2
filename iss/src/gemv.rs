//! The ternary engines (ACCELERATOR.md section 1): `acc[r] = sum_j w[r][j] * codes[j]` with row `r`
//! read from bank `r mod P` at `offset + (r div P) * row_bytes` (section 2), each row's weights used
//! once for all B code vectors. Rows run in parallel; the sums are exact `i32`, so the order of
//! the additions does not matter.

use mmfree_spec::hw::HwConfig;
use mmfree_spec::pack::{Packing, pack5_decode_table};
use rayon::prelude::*;

/// Trits of every byte of a packing (unused positions 0) and whether the byte is a valid code.
struct Decoder {
    trits: [[i8; 5]; 256],
    valid: [bool; 256],
    per_byte: usize,
}

fn decoder(packing: Packing) -> &'static Decoder {
    static PACK2: std::sync::OnceLock<Decoder> = std::sync::OnceLock::new();
    static PACK5: std::sync::OnceLock<Decoder> = std::sync::OnceLock::new();
    let build = |packing: Packing| {
        let mut d = Decoder {
            trits: [[0; 5]; 256],
            valid: [true; 256],
            per_byte: packing.weights_per_byte(),
        };
        for byte in 0..256usize {
            let mut w = vec![0i8; d.per_byte];
            match packing.unpack_row(&[byte as u8], &mut w) {
                Ok(()) => d.trits[byte][..d.per_byte].copy_from_slice(&w),
                Err(_) => d.valid[byte] = false,
            }
        }
        debug_assert!(packing == Packing::Pack2 || d.trits[..243] == pack5_decode_table()[..243]);
        d
    };
    match packing {
        Packing::Pack2 => PACK2.get_or_init(|| build(Packing::Pack2)),
        Packing::Pack5 => PACK5.get_or_init(|| build(Packing::Pack5)),
    }
}

/// A GEMV's operands: the matrix in the banks and the B code vectors.
pub struct Gemv<'a> {
    /// The weight banks, in port order.
    pub banks: &'a [&'a [u8]],
    /// Byte offset of the matrix in every bank.
    pub offset: usize,
    /// Bytes of one padded row.
    pub row_bytes: usize,
    /// Matrix rows.
    pub rows: usize,
    /// One code vector per sequence, zero-extended to the padded row's weights.
    pub codes: &'a [Vec<i8>],
}

/// Where an invalid weight byte was found.
#[derive(Debug, PartialEq, Eq)]
pub struct BadByte {
    /// Weight bank.
    pub bank: usize,
    /// Byte offset in the bank.
    pub offset: usize,
    /// The byte.
    pub byte: u8,
}

/// Runs the product; returns `acc[b][r]` for every sequence `b`, or the first invalid byte found.
pub fn run(g: &Gemv<'_>, cfg: &HwConfig) -> Result<Vec<Vec<i32>>, BadByte> {
    let dec = decoder(cfg.packing);
    let ports = g.banks.len();
    let nb = g.codes.len();
    let mut flat = vec![0i32; g.rows * nb];
    let padded = g.row_bytes * dec.per_byte;
    flat.par_chunks_mut(nb.max(1))
        .enumerate()
        .try_for_each_init(
            || vec![0i8; padded],
            |trits, (r, out)| {
                let start = g.offset + (r / ports) * g.row_bytes;
                let row = &g.banks[r % ports][start..start + g.row_bytes];
                decode_row(row, dec, trits).map_err(|i| BadByte {
                    bank: r % ports,
                    offset: start + i,
                    byte: row[i],
                })?;
                for (a, codes) in out.iter_mut().zip(g.codes) {
                    *a = dot(trits, codes);
                }
                Ok(())
            },
        )?;
    Ok((0..nb)
        .map(|b| flat.iter().skip(b).step_by(nb).copied().collect())
        .collect())
}

/// Decodes one packed row into trits (each row's weights are used for all B sequences), or
/// returns the index of the first invalid byte.
fn decode_row(row: &[u8], dec: &Decoder, trits: &mut [i8]) -> Result<(), usize> {
    let per = dec.per_byte;
    let mut ok = true;
    for (&byte, t) in row.iter().zip(trits.chunks_exact_mut(per)) {
        t.copy_from_slice(&dec.trits[byte as usize][..per]);
        ok &= dec.valid[byte as usize];
    }
    match ok {
        true => Ok(()),
        false => Err(row
            .iter()
            .position(|&b| !dec.valid[b as usize])
            .unwrap_or(0)),
    }
}

/// The exact dot product of trits and codes. `|sum| <= 127 * 2^14` for the longest vector, so the
/// wrapping adds never wrap; they let the loop vectorize with overflow checks on.
fn dot(trits: &[i8], codes: &[i8]) -> i32 {
    trits
        .iter()
        .zip(codes)
        .fold(0i32, |s, (&w, &x)| s.wrapping_add(w as i32 * x as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_interleave_over_banks_and_every_sequence_shares_them() {
        // Two banks, 3 rows of 8 trits in Pack2 (2 bytes a row), rows 0 and 2 in bank 0.
        let cfg = HwConfig {
            weight_ports: 2,
            port_bits: 16,
            ..HwConfig::preset("tiny").unwrap()
        };
        let rows: [[i8; 8]; 3] = [
            [1, -1, 0, 1, 1, 1, 1, 1],
            [0, 0, 0, 0, 0, 0, 0, -1],
            [-1, -1, -1, -1, 1, 0, 0, 0],
        ];
        let mut banks = [vec![0x55u8; 4], vec![0x55u8; 4]];
        for (r, w) in rows.iter().enumerate() {
            let at = (r / 2) * 2;
            Packing::Pack2
                .pack_row(w, &mut banks[r % 2][at..at + 2])
                .unwrap();
        }
        let codes = vec![vec![1i8, 2, 3, 4, 5, 6, 7, 8], vec![-127i8; 8]];
        let product = |banks: &[Vec<u8>; 2]| {
            let refs: Vec<&[u8]> = banks.iter().map(|b| b.as_slice()).collect();
            let g = Gemv {
                banks: &refs,
                offset: 0,
                row_bytes: 2,
                rows: 3,
                codes: &codes,
            };
            run(&g, &cfg)
        };
        let acc = product(&banks).unwrap();
        // Written out by hand: 1-2+4+5+6+7+8 = 29, -8, -1-2-3-4+5 = -5.
        assert_eq!(acc[0], vec![29, -8, -5]);
        assert_eq!(acc[1], vec![-127 * 5, 127, 127 * 3]);
        banks[1][1] = 0xff;
        assert_eq!(
            product(&banks).unwrap_err(),
            BadByte {
                bank: 1,
                offset: 1,
                byte: 0xff
            }
        );
    }
}
