//! Ternary weight packing (DESIGN.md section 4, NUMERICS.md section 7).
//!
//! Two formats, both storing the weights of a row in order:
//! - [`Packing::Pack2`], 2 bits per weight: weight `j` of a row sits in bits `[2(j%4)+1 : 2(j%4)]` of
//!   byte `j/4`, as the code `w + 1` (`0` = -1, `1` = 0, `2` = +1; `3` is invalid). The offset code makes
//!   `sum(w*q) = sum(code*q) - sum(q)`, which suits both unsigned SIMD multiplies and hardware.
//! - [`Packing::Pack5`], 1.6 bits per weight: five weights per byte as the base-3 number
//!   `sum((w_i + 1) * 3^i)`, `i = 0..5` (values 0..=242; 243..=255 are invalid). Decoding is a 256-entry
//!   ROM ([`pack5_decode_table`]).
//!
//! Rows are padded with zero weights to a whole number of bytes (and, for the packed model file, to
//! the row alignment the reader asks for).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The two ternary packing formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Packing {
    /// 4 weights per byte.
    Pack2,
    /// 5 weights per byte.
    Pack5,
}

impl Packing {
    /// Weights stored per byte.
    pub const fn weights_per_byte(self) -> usize {
        match self {
            Packing::Pack2 => 4,
            Packing::Pack5 => 5,
        }
    }

    /// Bytes holding `k` weights (the last byte zero-padded).
    pub const fn bytes_for(self, k: usize) -> usize {
        k.div_ceil(self.weights_per_byte())
    }

    /// Packs one row of trits into `out` (`out.len() >= bytes_for(row.len())`; extra bytes become
    /// zero-weight padding).
    pub fn pack_row(self, row: &[i8], out: &mut [u8]) -> Result<()> {
        if let Some((index, &value)) = row.iter().enumerate().find(|(_, w)| !(-1..=1).contains(*w))
        {
            return Err(Error::NotATrit { index, value });
        }
        let per = self.weights_per_byte();
        for (b, byte) in out.iter_mut().enumerate() {
            let trit = |i: usize| row.get(b * per + i).map_or(1u8, |&w| (w + 1) as u8);
            *byte = match self {
                Packing::Pack2 => (0..4).fold(0, |acc, i| acc | trit(i) << (2 * i)),
                Packing::Pack5 => (0..5).rev().fold(0, |acc, i| acc * 3 + trit(i)),
            };
        }
        Ok(())
    }

    /// Unpacks `k` trits from `bytes` into `out`, rejecting invalid codes.
    pub fn unpack_row(self, bytes: &[u8], out: &mut [i8]) -> Result<()> {
        let per = self.weights_per_byte();
        for (j, w) in out.iter_mut().enumerate() {
            let byte = bytes[j / per];
            *w = match self {
                Packing::Pack2 => {
                    let code = (byte >> (2 * (j % 4))) & 3;
                    if code == 3 {
                        return Err(Error::BadTritCode {
                            format: "pack2",
                            offset: j / per,
                            byte,
                        });
                    }
                    code as i8 - 1
                }
                Packing::Pack5 => {
                    if byte > 242 {
                        return Err(Error::BadTritCode {
                            format: "pack5",
                            offset: j / per,
                            byte,
                        });
                    }
                    pack5_decode_table()[byte as usize][j % 5]
                }
            };
        }
        Ok(())
    }
}

/// The 243 valid pack5 bytes decoded to five trits each (entries 243..=255 are all zero and never
/// used on valid data); the hardware ROM of the 1.6-bit weight decoder.
pub fn pack5_decode_table() -> &'static [[i8; 5]; 256] {
    static T: std::sync::OnceLock<[[i8; 5]; 256]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [[0i8; 5]; 256];
        for (byte, entry) in t.iter_mut().enumerate().take(243) {
            let mut v = byte;
            for w in entry.iter_mut() {
                *w = (v % 3) as i8 - 1;
                v /= 3;
            }
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_rows(len: usize) -> impl Iterator<Item = Vec<i8>> {
        (0..3usize.pow(len as u32)).map(move |mut n| {
            (0..len)
                .map(|_| {
                    let t = (n % 3) as i8 - 1;
                    n /= 3;
                    t
                })
                .collect()
        })
    }

    #[test]
    fn pack2_round_trips_every_row_of_up_to_eight_trits() {
        for len in 1..=8 {
            for row in all_rows(len) {
                let mut bytes = vec![0u8; Packing::Pack2.bytes_for(len)];
                Packing::Pack2.pack_row(&row, &mut bytes).unwrap();
                let mut back = vec![0i8; len];
                Packing::Pack2.unpack_row(&bytes, &mut back).unwrap();
                assert_eq!(back, row);
            }
        }
    }

    #[test]
    fn pack5_round_trips_every_row_of_up_to_ten_trits() {
        for len in 1..=10 {
            for row in all_rows(len) {
                let mut bytes = vec![0u8; Packing::Pack5.bytes_for(len)];
                Packing::Pack5.pack_row(&row, &mut bytes).unwrap();
                assert!(bytes.iter().all(|&b| b <= 242));
                let mut back = vec![0i8; len];
                Packing::Pack5.unpack_row(&bytes, &mut back).unwrap();
                assert_eq!(back, row);
            }
        }
    }

    #[test]
    fn every_valid_byte_decodes_and_reencodes() {
        for p in [Packing::Pack2, Packing::Pack5] {
            let per = p.weights_per_byte();
            for byte in 0..=255u8 {
                let mut w = vec![0i8; per];
                match p.unpack_row(&[byte], &mut w) {
                    Ok(()) => {
                        let mut again = [0u8];
                        p.pack_row(&w, &mut again).unwrap();
                        assert_eq!(again[0], byte, "{p:?}");
                    }
                    Err(Error::BadTritCode { .. }) => {
                        assert!(
                            p == Packing::Pack5 && byte > 242
                                || p == Packing::Pack2
                                    && (0..4).any(|i| (byte >> (2 * i)) & 3 == 3)
                        );
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }

    #[test]
    fn known_layouts() {
        let mut b = [0u8; 1];
        Packing::Pack2.pack_row(&[-1, 0, 1, 0], &mut b).unwrap();
        assert_eq!(b[0], 0b01_10_01_00);
        Packing::Pack5.pack_row(&[1, -1, 0, 0, 0], &mut b).unwrap();
        // Codes (w + 1): [2, 0, 1, 1, 1] -> 2 + 0*3 + 1*9 + 1*27 + 1*81.
        assert_eq!(b[0], 119);
        let mut pad = [0u8; 2];
        Packing::Pack2.pack_row(&[1], &mut pad).unwrap();
        assert_eq!(pad, [0b01_01_01_10, 0b01_01_01_01]);
        assert_eq!(
            Packing::Pack2.pack_row(&[2], &mut b),
            Err(Error::NotATrit { index: 0, value: 2 })
        );
    }
}
