//! Writing the packed model file (docs/FORMAT.md): the layout is planned from
//! [`Model::components`], then prefix, header, aligned tensors and checksum are streamed to a
//! temporary file that is renamed into place only when complete.

use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use super::header::{Header, PackedDtype, ScaleEntry, TensorEntry};
use super::{DATA_ALIGN, MAGIC, PREFIX_BYTES, VERSION, align_up};
use crate::error::{Error, Result};
use crate::model::{
    BitLinear, Component, Embedding, LowerBound, Model, Norm, ROW_ALIGN_WEIGHTS, row_bytes,
};
use crate::staged::Staged;

fn le_bytes<T: Copy, const N: usize>(values: &[T], f: fn(T) -> [u8; N]) -> Vec<u8> {
    values.iter().flat_map(|&v| f(v)).collect()
}

/// The header being built and the bytes of each tensor, in file order.
struct Layout<'m> {
    header: Header,
    data: Vec<Cow<'m, [u8]>>,
}

impl<'m> Layout<'m> {
    fn add(
        &mut self,
        name: String,
        dtype: PackedDtype,
        shape: Vec<usize>,
        bytes: Cow<'m, [u8]>,
    ) -> Result<()> {
        let want = shape.iter().product::<usize>() * dtype.size();
        if bytes.len() != want {
            return Err(Error::Inconsistent {
                tensor: name,
                why: format!("{} bytes for shape {shape:?}, expected {want}", bytes.len()),
            });
        }
        let offset = align_up(self.header.data_bytes as usize) as u64;
        self.header.data_bytes = offset + bytes.len() as u64;
        self.header.tensors.push(TensorEntry {
            name,
            dtype,
            shape,
            offset,
            bytes: bytes.len() as u64,
        });
        self.data.push(bytes);
        Ok(())
    }

    fn norm(&mut self, base: &str, n: &Norm) -> Result<()> {
        let name = format!("{base}.weight");
        self.add(
            name.clone(),
            PackedDtype::F32,
            vec![n.f32.len()],
            le_bytes(&n.f32, f32::to_le_bytes).into(),
        )?;
        self.add(
            format!("{name}.bfp"),
            PackedDtype::I32,
            vec![n.fixed.mant.len()],
            le_bytes(&n.fixed.mant, i32::to_le_bytes).into(),
        )?;
        self.header.bfp_exponents.insert(name, n.fixed.exp);
        Ok(())
    }

    fn linear(&mut self, base: &str, b: &'m BitLinear) -> Result<()> {
        let shape = vec![b.weight.rows, row_bytes(b.weight.cols)];
        self.add(
            format!("{base}.weight"),
            PackedDtype::U8,
            shape,
            Cow::Borrowed(&b.weight.data),
        )?;
        let (mantissa, exponent) = (b.alpha_fixed.mantissa(), b.alpha_fixed.exponent());
        self.header.scales.insert(
            base.into(),
            ScaleEntry {
                alpha: b.alpha,
                mantissa,
                exponent,
            },
        );
        self.norm(&format!("{base}.norm"), &b.norm)
    }

    fn lower_bound(&mut self, base: &str, lb: &LowerBound) -> Result<()> {
        self.add(
            base.into(),
            PackedDtype::F32,
            vec![lb.f32.len()],
            le_bytes(&lb.f32, f32::to_le_bytes).into(),
        )?;
        self.add(
            format!("{base}.gate"),
            PackedDtype::U32,
            vec![lb.fixed.len()],
            le_bytes(&lb.fixed, u32::to_le_bytes).into(),
        )
    }

    fn embedding(&mut self, base: &str, e: &'m Embedding, shape: Vec<usize>) -> Result<()> {
        let (dtype, bytes) = match e {
            Embedding::Bf16(b) => (PackedDtype::Bf16, b),
            Embedding::F32(b) => (PackedDtype::F32, b),
        };
        self.add(format!("{base}.weight"), dtype, shape, Cow::Borrowed(bytes))
    }
}

fn layout<'m>(model: &'m Model, source: &str) -> Result<Layout<'m>> {
    model.check()?;
    let header = Header {
        shape: model.shape,
        source: source.into(),
        packing: mmfree_spec::pack::Packing::Pack2,
        row_align_weights: ROW_ALIGN_WEIGHTS,
        data_align: DATA_ALIGN,
        data_bytes: 0,
        tensors: Vec::new(),
        scales: Default::default(),
        bfp_exponents: Default::default(),
    };
    let mut l = Layout {
        header,
        data: Vec::new(),
    };
    for (base, c) in model.components() {
        match c {
            Component::Linear(b) => l.linear(&base, b)?,
            Component::Norm(n) => l.norm(&base, n)?,
            Component::LowerBound(lb) => l.lower_bound(&base, lb)?,
            Component::Embedding(e) => {
                l.embedding(&base, e, vec![model.shape.vocab, model.shape.hidden])?
            }
        }
    }
    Ok(l)
}

/// A writer that hashes and counts everything passed through it.
struct Hashing<W: Write> {
    inner: W,
    hasher: Xxh3,
    written: usize,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Hashing<W> {
    /// Writes zero bytes up to absolute position `to`.
    fn pad_to(&mut self, to: usize) -> std::io::Result<()> {
        let n = to.saturating_sub(self.written);
        self.write_all(&vec![0u8; n])
    }
}

fn stream(out: impl Write, layout: &Layout<'_>, json: &[u8]) -> std::io::Result<()> {
    let mut w = Hashing {
        inner: out,
        hasher: Xxh3::new(),
        written: 0,
    };
    w.write_all(&MAGIC)?;
    w.write_all(&VERSION.to_le_bytes())?;
    w.write_all(&(json.len() as u32).to_le_bytes())?;
    w.write_all(json)?;
    let data_offset = align_up(PREFIX_BYTES + json.len());
    for (entry, bytes) in layout.header.tensors.iter().zip(&layout.data) {
        w.pad_to(data_offset + entry.offset as usize)?;
        w.write_all(bytes)?;
    }
    w.pad_to(data_offset + layout.header.data_bytes as usize)?;
    let digest = w.hasher.digest();
    w.inner.write_all(&digest.to_le_bytes())?;
    w.inner.flush()
}

/// Writes `model` to `path` as a packed model file; `source` describes where the model came from.
/// The file appears complete or not at all.
pub fn write(model: &Model, path: &Path, source: &str) -> Result<()> {
    let layout = layout(model, source)?;
    let json = serde_json::to_vec(&layout.header).map_err(|e| Error::Json {
        path: path.into(),
        source: e,
    })?;
    if u32::try_from(json.len()).is_err() {
        return Err(Error::Inconsistent {
            tensor: "header".into(),
            why: format!("{} bytes of JSON", json.len()),
        });
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|_| !path.is_dir())
        .ok_or_else(|| {
            Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"),
            )
        })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut staged = Staged::new(dir)?;
    let temp = staged.file(name)?;
    let temp_path = temp.path().to_path_buf();
    stream(
        BufWriter::with_capacity(1 << 20, temp.as_file_mut()),
        &layout,
        &json,
    )
    .map_err(|e| Error::io(temp_path, e))?;
    staged.commit()
}
