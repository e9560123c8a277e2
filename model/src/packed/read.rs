//! Reading the packed model file (docs/FORMAT.md): every length and offset is checked against the
//! file before it is used, the checksum is verified, and the weights and embedding are served as
//! ranges of the memory map (zero copy).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;
use mmfree_spec::Scale;
use mmfree_spec::format::{Bfp, gate_from_f32};
use mmfree_spec::pack::Packing;
use xxhash_rust::xxh3::xxh3_64;

use super::header::{Header, PackedDtype, ScaleEntry, TensorEntry};
use super::{DATA_ALIGN, MAGIC, PREFIX_BYTES, TRAILER_BYTES, VERSION, align_up};
use crate::assemble::{Parts, assemble};
use crate::error::{Error, Result};
use crate::model::{
    BitLinear, Blob, Embedding, LowerBound, Model, Norm, ROW_ALIGN_WEIGHTS, Ternary, row_bytes,
};
use crate::names::{self, LAYER_PARTS, Part};

fn bad(path: &Path, why: impl Into<String>) -> Error {
    Error::Packed {
        path: path.into(),
        why: why.into(),
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn verify_checksum(path: &Path, bytes: &[u8]) -> Result<()> {
    let (body, trailer) = bytes.split_at(bytes.len() - TRAILER_BYTES);
    let stored = u64::from_le_bytes(trailer.try_into().map_err(|_| bad(path, "short trailer"))?);
    let computed = xxh3_64(body);
    if stored == computed {
        Ok(())
    } else {
        Err(Error::Checksum {
            path: path.into(),
            stored,
            computed,
        })
    }
}

/// Checks prefix, version, header bounds, total size and checksum; returns the header and the
/// offset of the data region.
fn parse(path: &Path, bytes: &[u8]) -> Result<(Header, usize)> {
    let len = bytes.len();
    if len < PREFIX_BYTES + TRAILER_BYTES {
        return Err(Error::Truncated {
            path: path.into(),
            len: len as u64,
            expected: (PREFIX_BYTES + TRAILER_BYTES) as u64,
        });
    }
    if bytes[..8] != MAGIC {
        return Err(bad(path, "bad magic bytes"));
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(Error::PackedVersion {
            path: path.into(),
            version,
            supported: VERSION,
        });
    }
    let header_len = u32_at(bytes, 12) as usize;
    let header_end = PREFIX_BYTES + header_len;
    if header_end > len {
        return Err(bad(
            path,
            format!(
                "header of {header_len} bytes after the {PREFIX_BYTES}-byte prefix runs past the end of the file ({len} bytes)"
            ),
        ));
    }
    let header: Header = match serde_json::from_slice(&bytes[PREFIX_BYTES..header_end]) {
        Ok(h) => h,
        Err(e) => {
            // A damaged header is reported as corruption when the checksum says so.
            verify_checksum(path, bytes)?;
            return Err(bad(path, format!("header: {e}")));
        }
    };
    let data_offset = align_up(header_end);
    let expected = (data_offset as u64)
        .checked_add(header.data_bytes)
        .and_then(|x| x.checked_add(TRAILER_BYTES as u64));
    match expected {
        Some(e) if (len as u64) < e => {
            return Err(Error::Truncated {
                path: path.into(),
                len: len as u64,
                expected: e,
            });
        }
        Some(e) if (len as u64) > e => {
            return Err(bad(
                path,
                format!("{} bytes after the checksum", len as u64 - e),
            ));
        }
        None => {
            return Err(bad(
                path,
                format!("data length {} overflows", header.data_bytes),
            ));
        }
        Some(_) => {}
    }
    verify_checksum(path, bytes)?;
    check_settings(path, &header)?;
    Ok((header, data_offset))
}

fn check_settings(path: &Path, h: &Header) -> Result<()> {
    if h.packing != Packing::Pack2 {
        return Err(bad(
            path,
            format!(
                "packing {:?} is not supported by this reader (pack2 only)",
                h.packing
            ),
        ));
    }
    if h.row_align_weights != ROW_ALIGN_WEIGHTS || h.data_align != DATA_ALIGN {
        return Err(bad(
            path,
            format!(
                "row alignment {} / data alignment {} differ from {ROW_ALIGN_WEIGHTS} / {DATA_ALIGN}",
                h.row_align_weights, h.data_align
            ),
        ));
    }
    Ok(())
}

/// Number of directory entries of a model of `layers` layers: per layer 3 per BitLinear (weights,
/// norm, BFP mantissas), 2 per plain norm and 2 for the lower bound; globally the embedding, the
/// final norm (2) and the lm_head (3). Checked before anything is sized from the header's shape.
fn directory_len(layers: usize) -> Option<usize> {
    let per_layer: usize = LAYER_PARTS
        .iter()
        .map(|(_, what)| if *what == Part::Linear { 3 } else { 2 })
        .sum::<usize>()
        + 2;
    layers.checked_mul(per_layer)?.checked_add(6)
}

/// Builds model parts from the tensor directory, consuming each entry once.
struct PackedParts<'h> {
    path: PathBuf,
    map: Arc<Mmap>,
    data_offset: usize,
    data_bytes: u64,
    tensors: HashMap<&'h str, &'h TensorEntry>,
    scales: BTreeMap<String, ScaleEntry>,
    exponents: BTreeMap<String, i32>,
}

fn dtype_name(d: PackedDtype) -> &'static str {
    match d {
        PackedDtype::U8 => "u8",
        PackedDtype::Bf16 => "bf16",
        PackedDtype::F32 => "f32",
        PackedDtype::I32 => "i32",
        PackedDtype::U32 => "u32",
    }
}

/// Refuses a NaN or infinite value of tensor `name` (convert refuses them in its input too).
fn finite(path: &Path, name: &str, values: &[f32]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(j) => Err(bad(path, format!("{name}: element {j} is {}", values[j]))),
        None => Ok(()),
    }
}

/// Refuses a NaN or infinite embedding value (bf16 or f32 bits with an all-ones exponent), naming
/// its row and column.
fn finite_embedding(path: &Path, bytes: &[u8], is_f32: bool, hidden: usize) -> Result<()> {
    let bad_at = if is_f32 {
        bytes
            .chunks_exact(4)
            .position(|c| !f32::from_le_bytes([c[0], c[1], c[2], c[3]]).is_finite())
    } else {
        // A bf16 is the top half of an f32: exponent bits 7..15 all set is NaN or infinity.
        bytes
            .chunks_exact(2)
            .position(|c| u16::from_le_bytes([c[0], c[1]]) & 0x7f80 == 0x7f80)
    };
    match bad_at {
        Some(j) => Err(bad(
            path,
            format!(
                "{}: row {}, column {} is not a finite number",
                names::EMBEDDING,
                j / hidden.max(1),
                j % hidden.max(1)
            ),
        )),
        None => Ok(()),
    }
}

/// Refuses a Pack2 code 3 among the first `cols` weights of any row (padding is not read), so
/// that no kernel ever meets a weight that is not a trit.
fn valid_codes(path: &Path, name: &str, w: &Ternary) -> Result<()> {
    for r in 0..w.rows {
        let used = &w.row(r)[..w.cols.div_ceil(4)];
        for (i, &byte) in used.iter().enumerate() {
            // Bit 2k of `byte & byte >> 1` is set where field k is 0b11.
            let fields = (w.cols - 4 * i).min(4);
            let threes = byte & (byte >> 1) & 0x55 & ((1u16 << (2 * fields)) - 1) as u8;
            if threes != 0 {
                let j = 4 * i + threes.trailing_zeros() as usize / 2;
                let why =
                    format!("{name}: row {r}, weight {j}: code 3 (byte {byte:#04x}) is not a trit");
                return Err(bad(path, why));
            }
        }
    }
    Ok(())
}

impl<'h> PackedParts<'h> {
    fn new(
        path: &Path,
        map: Arc<Mmap>,
        data_offset: usize,
        header: &'h Header,
    ) -> Result<PackedParts<'h>> {
        let (listed, layers) = (header.tensors.len(), header.shape.layers);
        match directory_len(layers) {
            Some(n) if n == listed => {}
            n => {
                let want = n.map_or("more than can be addressed".into(), |n| n.to_string());
                return Err(bad(
                    path,
                    format!("{listed} tensors listed, a model of {layers} layers has {want}"),
                ));
            }
        }
        let mut tensors = HashMap::new();
        for e in &header.tensors {
            if tensors.insert(e.name.as_str(), e).is_some() {
                return Err(bad(path, format!("tensor {} is listed twice", e.name)));
            }
        }
        let (scales, exponents) = (header.scales.clone(), header.bfp_exponents.clone());
        Ok(PackedParts {
            path: path.into(),
            map,
            data_offset,
            data_bytes: header.data_bytes,
            tensors,
            scales,
            exponents,
        })
    }

    /// The absolute byte range of tensor `name`, after checking dtype, shape and bounds.
    fn take(&mut self, name: &str, dtype: PackedDtype, shape: &[usize]) -> Result<Range<usize>> {
        let path = || self.path.clone();
        let e = self
            .tensors
            .remove(name)
            .ok_or_else(|| Error::MissingTensor {
                path: path(),
                tensor: name.into(),
            })?;
        if e.dtype != dtype {
            return Err(Error::TensorDtype {
                path: path(),
                tensor: name.into(),
                dtype: dtype_name(e.dtype).into(),
                expected: dtype_name(dtype),
            });
        }
        if e.shape != shape {
            return Err(Error::TensorShape {
                path: path(),
                tensor: name.into(),
                shape: e.shape.clone(),
                expected: shape.to_vec(),
            });
        }
        let want = shape
            .iter()
            .try_fold(dtype.size() as u64, |n, &k| n.checked_mul(k as u64));
        if e.offset % DATA_ALIGN as u64 != 0 {
            let why = format!(
                "tensor {name}: offset {} is unaligned (a multiple of {DATA_ALIGN} is required)",
                e.offset
            );
            return Err(bad(&self.path, why));
        }
        let end = e.offset.checked_add(e.bytes);
        let fits = end.is_some_and(|end| end <= self.data_bytes);
        if want != Some(e.bytes) || !fits {
            let why = format!(
                "tensor {name}: {} bytes at offset {} do not fit its shape or the data region",
                e.bytes, e.offset
            );
            return Err(bad(&self.path, why));
        }
        let start = self.data_offset + e.offset as usize;
        Ok(start..start + e.bytes as usize)
    }

    /// The `[len]` vector `name` of `N`-byte elements decoded by `f`.
    fn vector<T, const N: usize>(
        &mut self,
        name: &str,
        dtype: PackedDtype,
        len: usize,
        f: fn([u8; N]) -> T,
    ) -> Result<Vec<T>> {
        let r = self.take(name, dtype, &[len])?;
        Ok(self.map[r]
            .chunks_exact(N)
            .map(|c| f(c.try_into().unwrap_or([0; N])))
            .collect())
    }

    fn scale(&mut self, base: &str) -> Result<(f32, Scale)> {
        let s = self
            .scales
            .remove(base)
            .ok_or_else(|| bad(&self.path, format!("no scale for {base}")))?;
        let fixed = Scale::from_parts(s.mantissa, s.exponent).ok_or_else(|| {
            bad(
                &self.path,
                format!("scale of {base}: mantissa {} is not normalized", s.mantissa),
            )
        })?;
        // The fixed scale is derived from alpha (as convert does): any other pair would change a
        // result of one precision and not the other.
        if Scale::from_f64(f64::from(s.alpha)) != Some(fixed) {
            let why = format!(
                "scale of {base}: mantissa {} exponent {} is not the form of alpha {}",
                s.mantissa, s.exponent, s.alpha
            );
            return Err(bad(&self.path, why));
        }
        Ok((s.alpha, fixed))
    }

    /// Reports the first directory entry, scale or exponent that no model part used.
    fn finish(self) -> Result<()> {
        if let Some(name) = self.tensors.keys().min() {
            return Err(Error::UnexpectedTensor {
                path: self.path,
                tensor: name.to_string(),
            });
        }
        if let Some(name) = self.scales.keys().chain(self.exponents.keys()).next() {
            return Err(bad(
                &self.path,
                format!("scale or exponent for unknown tensor {name}"),
            ));
        }
        Ok(())
    }
}

impl Parts for PackedParts<'_> {
    fn linear(&mut self, base: &str, rows: usize, cols: usize) -> Result<BitLinear> {
        let r = self.take(
            &format!("{base}.weight"),
            PackedDtype::U8,
            &[rows, row_bytes(cols)],
        )?;
        let name = format!("{base}.weight");
        let weight = Ternary {
            rows,
            cols,
            data: Blob::Mapped(self.map.clone(), r),
        };
        valid_codes(&self.path, &name, &weight)?;
        let (alpha, alpha_fixed) = self.scale(base)?;
        let norm = self.norm(&format!("{base}.norm"), cols)?;
        Ok(BitLinear {
            weight,
            alpha,
            alpha_fixed,
            norm,
        })
    }

    fn norm(&mut self, base: &str, len: usize) -> Result<Norm> {
        let name = format!("{base}.weight");
        let f32 = self.vector(&name, PackedDtype::F32, len, f32::from_le_bytes)?;
        let mant = self.vector(
            &format!("{name}.bfp"),
            PackedDtype::I32,
            len,
            i32::from_le_bytes,
        )?;
        let exp = self
            .exponents
            .remove(&name)
            .ok_or_else(|| bad(&self.path, format!("no BFP exponent for {name}")))?;
        finite(&self.path, &name, &f32)?;
        // The fixed form is derived from the f32 weights: any other value would change a result.
        let want = Bfp::from_f32(&f32);
        if let Some(j) = (0..len).find(|&j| mant[j] != want.mant[j]) {
            let why = format!(
                "{name}.bfp: element {j}: BFP mantissa {} is not the form of {} ({} expected)",
                mant[j], f32[j], want.mant[j]
            );
            return Err(bad(&self.path, why));
        }
        if exp != want.exp {
            let why = format!("{name}: BFP exponent {exp}, its weights give {}", want.exp);
            return Err(bad(&self.path, why));
        }
        Ok(Norm {
            f32,
            fixed: Bfp { mant, exp },
        })
    }

    fn lower_bound(&mut self, layer: usize, len: usize) -> Result<LowerBound> {
        let base = names::layer_lower_bound(layer);
        let f32 = self.vector(&base, PackedDtype::F32, len, f32::from_le_bytes)?;
        let fixed = self.vector(
            &format!("{base}.gate"),
            PackedDtype::U32,
            len,
            u32::from_le_bytes,
        )?;
        finite(&self.path, &base, &f32)?;
        if let Some(j) = (0..len).find(|&j| fixed[j] != gate_from_f32(f32[j])) {
            let why = format!(
                "{base}.gate: element {j}: GATE value {} is not the form of {} ({} expected)",
                fixed[j],
                f32[j],
                gate_from_f32(f32[j])
            );
            return Err(bad(&self.path, why));
        }
        Ok(LowerBound { f32, fixed })
    }

    fn embedding(&mut self, vocab: usize, hidden: usize) -> Result<Embedding> {
        let is_f32 = self
            .tensors
            .get(names::EMBEDDING)
            .is_some_and(|e| e.dtype == PackedDtype::F32);
        let dtype = if is_f32 {
            PackedDtype::F32
        } else {
            PackedDtype::Bf16
        };
        let range = self.take(names::EMBEDDING, dtype, &[vocab, hidden])?;
        finite_embedding(&self.path, &self.map[range.clone()], is_f32, hidden)?;
        let blob = Blob::Mapped(self.map.clone(), range);
        Ok(if is_f32 {
            Embedding::F32(blob)
        } else {
            Embedding::Bf16(blob)
        })
    }
}

/// Reads a packed model file, also returning its header (source description, directory).
pub fn read_with_header(path: &Path) -> Result<(Model, Header)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    // SAFETY: read-only map; the file is not expected to change while the model is in use (the
    // writer replaces files by rename, which leaves an existing map intact).
    let map = Arc::new(unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?);
    let (header, data_offset) = parse(path, &map)?;
    header.shape.validate().map_err(|source| Error::Shape {
        path: path.into(),
        source,
    })?;
    let mut parts = PackedParts::new(path, map.clone(), data_offset, &header)?;
    let model = assemble(header.shape, &mut parts, &mut |_, _, _| {})?;
    parts.finish()?;
    Ok((model, header))
}

/// Reads a packed model file; the weights and the embedding borrow the file's memory map.
pub fn read(path: &Path) -> Result<Model> {
    read_with_header(path).map(|(model, _)| model)
}
