//! The weight files of a Hugging Face checkpoint: `model.safetensors`, or
//! `model.safetensors.index.json` and its shards. Every file is memory-mapped and its header parsed
//! by the `safetensors` crate; tensors are then served as byte ranges of the maps, so a 2.7B
//! checkpoint is never read into memory as a whole. The expected tensor set is mmfree-model.md
//! section 3.1.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;
use safetensors::{Dtype, SafeTensorError, SafeTensors};
use serde::Deserialize;

use crate::convert::{RawTensor, Source};
use crate::dtype::FloatDtype;
use crate::error::{Error, Result};
use crate::hf::config::HfConfig;
use crate::model::Blob;
use crate::names::{self, Expected, Kind};

/// The single-file weights name.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// The shard index name.
pub const INDEX_FILE: &str = "model.safetensors.index.json";

/// One tensor located inside a mapped file.
struct Entry {
    file: Arc<PathBuf>,
    map: Arc<Mmap>,
    dtype: Dtype,
    shape: Vec<usize>,
    range: std::ops::Range<usize>,
}

/// All tensors of a checkpoint, by name.
pub(crate) struct Checkpoint {
    /// The file that lists the tensors (`model.safetensors` or the index), for "missing" errors.
    listing: PathBuf,
    tensors: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct Index {
    weight_map: BTreeMap<String, String>,
}

fn header_error(path: &Path, e: SafeTensorError, map: &[u8]) -> Error {
    let header_len = map
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    let why = match e {
        SafeTensorError::HeaderTooSmall => format!("{} bytes is too short for a header", map.len()),
        SafeTensorError::HeaderTooLarge => format!(
            "header length {} is over the 100 MB limit",
            header_len.unwrap_or(0)
        ),
        SafeTensorError::InvalidHeaderLength => {
            format!(
                "header length {} runs past the end of the file ({} bytes)",
                header_len.unwrap_or(0),
                map.len()
            )
        }
        SafeTensorError::InvalidHeader => "header is not UTF-8".into(),
        SafeTensorError::InvalidHeaderDeserialization => {
            "header is not valid safetensors JSON".into()
        }
        SafeTensorError::MetadataIncompleteBuffer => {
            format!(
                "the data does not end where the header says (file of {} bytes truncated or padded)",
                map.len()
            )
        }
        SafeTensorError::InvalidOffset(t) => {
            format!("tensor {t} has data offsets that are not contiguous")
        }
        SafeTensorError::TensorInvalidInfo => {
            "a tensor's byte length does not match its dtype and shape".into()
        }
        SafeTensorError::ValidationOverflow => "a tensor's size overflows".into(),
        other => format!("{other:?}"),
    };
    Error::Safetensors {
        path: path.into(),
        why,
    }
}

/// Maps one safetensors file and lists its tensors.
fn map_file(path: &Path) -> Result<Vec<(String, Entry)>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    // SAFETY: the map is read-only; a checkpoint modified while it is being converted is outside
    // this reader's contract (the same assumption as every mmap-based safetensors loader).
    let map = Arc::new(unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?);
    let (n, meta) = SafeTensors::read_metadata(&map).map_err(|e| header_error(path, e, &map))?;
    let data_start = 8 + n;
    let file = Arc::new(path.to_path_buf());
    let entries = meta
        .tensors()
        .into_iter()
        .map(|(name, info)| {
            let range = data_start + info.data_offsets.0..data_start + info.data_offsets.1;
            let entry = Entry {
                file: file.clone(),
                map: map.clone(),
                dtype: info.dtype,
                shape: info.shape.clone(),
                range,
            };
            (name, entry)
        })
        .collect();
    Ok(entries)
}

/// Checks that a shard name is a plain file name inside the directory.
fn shard_path(dir: &Path, index: &Path, shard: &str) -> Result<PathBuf> {
    let bad = |why| Error::Shard {
        path: index.into(),
        shard: shard.into(),
        why,
    };
    if shard.is_empty() || shard.contains(['/', '\\']) || shard == "." || shard == ".." {
        return Err(bad("is not a plain file name"));
    }
    let path = dir.join(shard);
    if !path.is_file() {
        return Err(bad("is named by the index but not found"));
    }
    Ok(path)
}

fn read_index(dir: &Path, index_path: &Path) -> Result<HashMap<String, Entry>> {
    let text = std::fs::read(index_path).map_err(|e| Error::io(index_path, e))?;
    let index: Index = serde_json::from_slice(&text).map_err(|source| Error::Json {
        path: index_path.into(),
        source,
    })?;
    let mut shards: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (tensor, shard) in &index.weight_map {
        shards.entry(shard).or_default().push(tensor);
    }
    let mut tensors = HashMap::new();
    for (shard, wanted) in shards {
        let path = shard_path(dir, index_path, shard)?;
        let mut found: HashMap<String, Entry> = map_file(&path)?.into_iter().collect();
        for tensor in wanted {
            let entry = found.remove(tensor).ok_or_else(|| Error::MissingTensor {
                path: path.clone(),
                tensor: tensor.into(),
            })?;
            tensors.insert(tensor.to_string(), entry);
        }
        if let Some(extra) = found.keys().min() {
            return Err(Error::Unindexed {
                path,
                tensor: extra.clone(),
            });
        }
    }
    Ok(tensors)
}

impl Checkpoint {
    /// Maps the weight files of `dir` (the single file when present, else the index and shards).
    pub(crate) fn open(dir: &Path) -> Result<Checkpoint> {
        let single = dir.join(WEIGHTS_FILE);
        if single.is_file() {
            let tensors = map_file(&single)?.into_iter().collect();
            return Ok(Checkpoint {
                listing: single,
                tensors,
            });
        }
        let index = dir.join(INDEX_FILE);
        if index.is_file() {
            let tensors = read_index(dir, &index)?;
            return Ok(Checkpoint {
                listing: index,
                tensors,
            });
        }
        Err(Error::NoWeights { dir: dir.into() })
    }

    /// Checks presence, dtype and exact shape of every expected tensor, and that nothing else is
    /// there. `model.lower_bounds` may be absent only when the config does not use it.
    pub(crate) fn validate(&self, config: &HfConfig) -> Result<()> {
        let mut known = HashSet::new();
        for e in names::tensors_of(&config.shape, true) {
            let Some(t) = self.tensors.get(&e.name) else {
                if e.kind == Kind::LowerBounds && !config.use_lower_bound {
                    continue;
                }
                return Err(Error::MissingTensor {
                    path: self.listing.clone(),
                    tensor: e.name,
                });
            };
            check_entry(t, &e)?;
            known.insert(e.name);
        }
        let mut extra: Vec<(&String, &Entry)> = self
            .tensors
            .iter()
            .filter(|(n, _)| !known.contains(*n))
            .collect();
        extra.sort_by_key(|(n, _)| *n);
        match extra.first() {
            Some((name, t)) => Err(Error::UnexpectedTensor {
                path: t.file.as_ref().clone(),
                tensor: name.to_string(),
            }),
            None => Ok(()),
        }
    }
}

/// Checks one present tensor's dtype and shape.
fn check_entry(t: &Entry, e: &Expected) -> Result<()> {
    let path = || t.file.as_ref().clone();
    if FloatDtype::from_safetensors(t.dtype).is_none() {
        let dtype = format!("{:?}", t.dtype);
        return Err(Error::TensorDtype {
            path: path(),
            tensor: e.name.clone(),
            dtype,
            expected: "BF16, F16 or F32",
        });
    }
    if t.shape != e.shape {
        return Err(Error::TensorShape {
            path: path(),
            tensor: e.name.clone(),
            shape: t.shape.clone(),
            expected: e.shape.clone(),
        });
    }
    Ok(())
}

impl Source for Checkpoint {
    fn origin(&self, tensor: &str) -> String {
        self.tensors.get(tensor).map_or_else(
            || self.listing.display().to_string(),
            |t| t.file.display().to_string(),
        )
    }

    fn tensor(&mut self, tensor: &str) -> Result<RawTensor> {
        let t = self
            .tensors
            .get(tensor)
            .ok_or_else(|| Error::MissingTensor {
                path: self.listing.clone(),
                tensor: tensor.into(),
            })?;
        let dtype = FloatDtype::from_safetensors(t.dtype).ok_or_else(|| Error::TensorDtype {
            path: t.file.as_ref().clone(),
            tensor: tensor.into(),
            dtype: format!("{:?}", t.dtype),
            expected: "BF16, F16 or F32",
        })?;
        Ok(RawTensor {
            dtype,
            bytes: Blob::Mapped(t.map.clone(), t.range.clone()),
        })
    }
}
