//! How a file of a target is mutated: JSON files as JSON; safetensors and packed model files as a
//! JSON header plus data, reassembled after the header is mutated (length fields, alignment and,
//! for packed files, the checksum recomputed) so mutations reach the checks behind them.

use mmfree_model::packed::{DATA_ALIGN, MAGIC, PREFIX_BYTES, TRAILER_BYTES};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use xxhash_rust::xxh3::xxh3_64;

use crate::mutate;

/// The structure of one input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A JSON document (config, index, tokenizer, neuron vectors).
    Json,
    /// `u64` header length, JSON header, data.
    Safetensors,
    /// Magic, version, `u32` header length, JSON header, padding, data, xxh3 checksum.
    Packed,
}

/// `(header JSON, data)` of a well-formed file, or `None` when its length fields are damaged.
fn split(layout: Layout, file: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    match layout {
        Layout::Json => None,
        Layout::Safetensors => {
            let n = u64::from_le_bytes(file.get(..8)?.try_into().ok()?) as usize;
            let end = 8usize.checked_add(n)?;
            Some((file.get(8..end)?.to_vec(), file.get(end..)?.to_vec()))
        }
        Layout::Packed => {
            let n = u32::from_le_bytes(file.get(12..16)?.try_into().ok()?) as usize;
            let end = PREFIX_BYTES.checked_add(n)?;
            let data_start = end.div_ceil(DATA_ALIGN) * DATA_ALIGN;
            let data_end = file.len().checked_sub(TRAILER_BYTES)?;
            Some((
                file.get(PREFIX_BYTES..end)?.to_vec(),
                file.get(data_start..data_end)?.to_vec(),
            ))
        }
    }
}

/// The file rebuilt from a header and data, with consistent length fields and checksum.
fn join(layout: Layout, original: &[u8], header: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header.len() + data.len() + 2 * DATA_ALIGN);
    match layout {
        Layout::Json => out.extend_from_slice(header),
        Layout::Safetensors => {
            out.extend_from_slice(&(header.len() as u64).to_le_bytes());
            out.extend_from_slice(header);
            out.extend_from_slice(data);
        }
        Layout::Packed => {
            out.extend_from_slice(&MAGIC);
            out.extend_from_slice(&original[MAGIC.len()..12]);
            out.extend_from_slice(&(header.len() as u32).to_le_bytes());
            out.extend_from_slice(header);
            out.resize(out.len().div_ceil(DATA_ALIGN) * DATA_ALIGN, 0);
            out.extend_from_slice(data);
            let sum = xxh3_64(&out);
            out.extend_from_slice(&sum.to_le_bytes());
        }
    }
    out
}

/// One mutation of `file`: mostly of its JSON part (kept consistent with the rest), sometimes of
/// its raw bytes (damaging the framing too). `other` is a second input to splice from.
pub fn mutate(rng: &mut ChaCha8Rng, layout: Layout, file: &mut Vec<u8>, other: &[u8]) {
    if layout == Layout::Json {
        if rng.gen_bool(0.6) {
            mutate::json(rng, file);
        } else {
            let hot = file.len();
            mutate::bytes(rng, file, hot, other);
        }
        return;
    }
    match split(layout, file) {
        Some((mut header, mut data)) if rng.gen_bool(0.8) => {
            if rng.gen_bool(0.85) {
                if rng.gen_bool(0.6) {
                    mutate::json(rng, &mut header);
                } else {
                    let hot = header.len();
                    mutate::bytes(rng, &mut header, hot, other);
                }
            } else {
                mutate::bytes(rng, &mut data, 0, other);
            }
            *file = join(layout, file, &header, &data);
        }
        _ => mutate::bytes(rng, file, 64, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_split_and_join_round_trip() {
        let header = br#"{"a":1}"#;
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&7u32.to_le_bytes());
        file.extend_from_slice(&(header.len() as u32).to_le_bytes());
        file.extend_from_slice(header);
        file.resize(DATA_ALIGN, 0);
        file.extend_from_slice(b"data");
        let sum = xxh3_64(&file);
        file.extend_from_slice(&sum.to_le_bytes());
        let (h, d) = split(Layout::Packed, &file).unwrap();
        assert_eq!((h.as_slice(), d.as_slice()), (&header[..], &b"data"[..]));
        assert_eq!(join(Layout::Packed, &file, &h, &d), file);
    }

    #[test]
    fn safetensors_split_and_join_round_trip() {
        let mut file = 4u64.to_le_bytes().to_vec();
        file.extend_from_slice(b"{}  rest");
        let (h, d) = split(Layout::Safetensors, &file).unwrap();
        assert_eq!((h.as_slice(), d.as_slice()), (&b"{}  "[..], &b"rest"[..]));
        assert_eq!(join(Layout::Safetensors, &file, &h, &d), file);
    }
}
