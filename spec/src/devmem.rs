//! Device-memory encodings (ACCELERATOR.md section 2, docs/ISA.md section 3): the data-bank header,
//! BFP vectors, gate vectors and scales as bytes. The compiler writes them, the ISS and the RTL
//! read them, the host reads the outputs back; all through these functions.

use crate::error::{Error, Result};
use crate::format::{Bfp, GATE_ONE, MANT_BITS, ZERO_EXP};
use crate::scale::Scale;

/// Alignment of every region in every bank.
pub const ALIGN: u64 = 64;
/// Bytes before the mantissas of a BFP vector: the exponent word and 15 padding words.
pub const BFP_HEAD_BYTES: usize = 64;
/// Bytes of a stored scale: `u32` mantissa, `i32` exponent, padding to [`ALIGN`].
pub const SCALE_BYTES: usize = 64;
/// Largest exponent magnitude a stored BFP vector may carry (the canonical zero uses
/// [`ZERO_EXP`]); keeps every alignment shift of [`crate::ops`] inside `i32`.
pub const MAX_EXP: i32 = 1 << 24;

/// `x` rounded up to a multiple of [`ALIGN`].
pub const fn align(x: u64) -> u64 {
    x.div_ceil(ALIGN) * ALIGN
}

/// Bytes of a stored BFP vector of `n` elements (head plus mantissas, aligned).
pub const fn bfp_bytes(n: usize) -> usize {
    BFP_HEAD_BYTES + align(4 * n as u64) as usize
}

/// Bytes of a stored gate vector of `n` elements (aligned).
pub const fn gate_bytes(n: usize) -> usize {
    align(4 * n as u64) as usize
}

/// Bytes of one sequence's lm_head output: the scale, then `n` `i32` accumulators (aligned).
pub const fn acc_output_bytes(n: usize) -> usize {
    SCALE_BYTES + align(4 * n as u64) as usize
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

fn need<'b>(bytes: &'b [u8], n: usize, what: &str) -> Result<&'b [u8]> {
    bytes.get(..n).ok_or_else(|| Error::DeviceMemory {
        what: what.into(),
        why: format!("needs {n} bytes, {} available", bytes.len()),
    })
}

/// Writes `v` as a stored BFP vector into `out` (`out.len() >= bfp_bytes(v.len())`).
pub fn encode_bfp(v: &Bfp, out: &mut [u8]) {
    out[..4].copy_from_slice(&v.exp.to_le_bytes());
    out[4..BFP_HEAD_BYTES].fill(0);
    for (c, m) in out[BFP_HEAD_BYTES..].chunks_exact_mut(4).zip(&v.mant) {
        c.copy_from_slice(&m.to_le_bytes());
    }
}

/// A stored BFP vector as bytes.
pub fn bfp_to_bytes(v: &Bfp) -> Vec<u8> {
    let mut out = vec![0u8; bfp_bytes(v.len())];
    encode_bfp(v, &mut out);
    out
}

/// Reads a stored BFP vector of `n` elements, refusing mantissas above `2^30` in magnitude and
/// exponents outside `±2^24` (values no primitive produces).
pub fn decode_bfp(bytes: &[u8], n: usize) -> Result<Bfp> {
    let bytes = need(bytes, BFP_HEAD_BYTES + 4 * n, "BFP vector")?;
    let exp = words(&bytes[..4]).next().unwrap_or(0) as i32;
    if !(ZERO_EXP..=MAX_EXP).contains(&exp) {
        return Err(Error::DeviceMemory {
            what: "BFP vector".into(),
            why: format!("exponent {exp} is outside [{ZERO_EXP}, {MAX_EXP}]"),
        });
    }
    let mant: Vec<i32> = words(&bytes[BFP_HEAD_BYTES..]).map(|w| w as i32).collect();
    if let Some((j, m)) = mant
        .iter()
        .enumerate()
        .find(|(_, m)| m.unsigned_abs() > 1 << MANT_BITS)
    {
        return Err(Error::DeviceMemory {
            what: "BFP vector".into(),
            why: format!("mantissa {j} = {m} exceeds 2^{MANT_BITS} in magnitude"),
        });
    }
    Ok(Bfp { mant, exp })
}

/// Writes gates as `u32` words.
pub fn gates_to_bytes(g: &[u32]) -> Vec<u8> {
    let mut out = vec![0u8; gate_bytes(g.len())];
    for (c, x) in out.chunks_exact_mut(4).zip(g) {
        c.copy_from_slice(&x.to_le_bytes());
    }
    out
}

/// Reads `n` gates, refusing values above 1.0 (`2^30`).
pub fn decode_gates(bytes: &[u8], n: usize) -> Result<Vec<u32>> {
    let g: Vec<u32> = words(need(bytes, 4 * n, "gate vector")?).collect();
    match g.iter().enumerate().find(|(_, x)| **x > GATE_ONE) {
        Some((j, x)) => Err(Error::DeviceMemory {
            what: "gate vector".into(),
            why: format!("gate {j} = {x} exceeds 1.0 (2^30)"),
        }),
        None => Ok(g),
    }
}

/// Writes a scale as its mantissa and exponent words.
pub fn encode_scale(s: Scale, out: &mut [u8]) {
    out[..4].copy_from_slice(&s.mantissa().to_le_bytes());
    out[4..8].copy_from_slice(&s.exponent().to_le_bytes());
}

/// Reads a stored scale, refusing an unnormalized mantissa.
pub fn decode_scale(bytes: &[u8]) -> Result<Scale> {
    let mut w = words(need(bytes, 8, "scale")?);
    let (m, e) = (w.next().unwrap_or(0), w.next().unwrap_or(0) as i32);
    Scale::from_parts(m, e).ok_or_else(|| Error::DeviceMemory {
        what: "scale".into(),
        why: format!("mantissa 0x{m:08x} with exponent {e} is not normalized"),
    })
}

/// Reads `n` little-endian `i32` words.
pub fn decode_i32s(bytes: &[u8], n: usize) -> Result<Vec<i32>> {
    Ok(words(need(bytes, 4 * n, "i32 words")?)
        .map(|w| w as i32)
        .collect())
}

/// The magic of a data-bank image.
pub const MAGIC: [u8; 4] = *b"MMFD";
/// The layout version this crate reads and writes.
pub const VERSION: u32 = 1;
/// Bytes of the header at offset 0 of the data bank.
pub const HEADER_BYTES: usize = 64;

/// The data-bank header: what the sequencer needs before it fetches the first instruction, and
/// what the host needs to find the token slots (docs/ISA.md section 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// [`tag_hash`] of the hardware configuration the image was compiled for.
    pub tag_hash: u64,
    /// Sequences per run (B).
    pub batch: u32,
    /// Vocabulary size: EMBED refuses token ids at or above it.
    pub vocab: u32,
    /// Byte offset of the first instruction.
    pub program: u32,
    /// Number of instructions.
    pub program_len: u32,
    /// Byte offset of the B `u32` input token slots.
    pub tokens: u32,
    /// Byte offset of the B `u32` output tokens.
    pub outputs: u32,
    /// Total bytes of the data bank.
    pub data_bytes: u32,
}

/// 64-bit FNV-1a of a configuration tag: the header records which configuration an image is for.
pub fn tag_hash(tag: &str) -> u64 {
    tag.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Header {
    /// The 64 header bytes: magic, version, tag hash, then the `u32` fields in declaration order.
    pub fn encode(&self) -> [u8; HEADER_BYTES] {
        let mut out = [0u8; HEADER_BYTES];
        out[..4].copy_from_slice(&MAGIC);
        out[4..8].copy_from_slice(&VERSION.to_le_bytes());
        out[8..16].copy_from_slice(&self.tag_hash.to_le_bytes());
        let fields = [
            self.batch,
            self.vocab,
            self.program,
            self.program_len,
            self.tokens,
            self.outputs,
            self.data_bytes,
        ];
        for (c, f) in out[16..].chunks_exact_mut(4).zip(fields) {
            c.copy_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// Reads a header, refusing a wrong magic or version.
    pub fn decode(bytes: &[u8]) -> Result<Header> {
        let bytes = need(bytes, HEADER_BYTES, "data-bank header")?;
        let bad = |why: String| Error::DeviceMemory {
            what: "data-bank header".into(),
            why,
        };
        if bytes[..4] != MAGIC {
            return Err(bad(format!(
                "magic {:02x?} is not \"MMFD\" (no image written?)",
                &bytes[..4]
            )));
        }
        let w: Vec<u32> = words(&bytes[4..]).collect();
        if w[0] != VERSION {
            return Err(bad(format!(
                "layout version {} (this build reads {VERSION})",
                w[0]
            )));
        }
        Ok(Header {
            tag_hash: w[1] as u64 | (w[2] as u64) << 32,
            batch: w[3],
            vocab: w[4],
            program: w[5],
            program_len: w[6],
            tokens: w[7],
            outputs: w[8],
            data_bytes: w[9],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfp_and_gates_round_trip_and_refuse_bad_values() {
        let v = Bfp::from_f32(&[1.5, -0.25, 3.0]);
        let b = bfp_to_bytes(&v);
        assert_eq!(b.len(), 128);
        assert_eq!(&b[..4], &v.exp.to_le_bytes());
        assert_eq!(&b[64..68], &v.mant[0].to_le_bytes());
        assert_eq!(decode_bfp(&b, 3).unwrap(), v);
        assert_eq!(
            decode_bfp(&bfp_to_bytes(&Bfp::zeros(2)), 2).unwrap(),
            Bfp::zeros(2)
        );
        let mut bad = b.clone();
        bad[64..68].copy_from_slice(&((1i32 << 30) + 1).to_le_bytes());
        assert!(
            decode_bfp(&bad, 3)
                .unwrap_err()
                .to_string()
                .contains("mantissa 0")
        );
        assert!(decode_bfp(&b[..70], 3).is_err());
        let g = gates_to_bytes(&[0, GATE_ONE, 17]);
        assert_eq!(decode_gates(&g, 3).unwrap(), vec![0, GATE_ONE, 17]);
        assert!(decode_gates(&gates_to_bytes(&[GATE_ONE + 1]), 1).is_err());
        let mut s = [0u8; SCALE_BYTES];
        encode_scale(Scale::from_f64(0.375).unwrap(), &mut s);
        assert_eq!(decode_scale(&s).unwrap().to_f64(), 0.375);
        assert_eq!(bfp_bytes(16), 128);
        assert_eq!(bfp_bytes(17), 192);
        assert_eq!(acc_output_bytes(256), 64 + 1024);
    }

    #[test]
    fn header_round_trips_and_names_a_missing_image() {
        let h = Header {
            tag_hash: tag_hash("tiny-p1x64-pack2-v4n4-b1-300mhz"),
            batch: 2,
            vocab: 256,
            program: 4096,
            program_len: 100,
            tokens: 64,
            outputs: 72,
            data_bytes: 1 << 20,
        };
        let b = h.encode();
        assert_eq!(&b[..4], b"MMFD");
        assert_eq!(Header::decode(&b).unwrap(), h);
        let e = Header::decode(&[0u8; 64]).unwrap_err().to_string();
        assert!(e.contains("not \"MMFD\""), "{e}");
        // FNV-1a test vector.
        assert_eq!(tag_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
