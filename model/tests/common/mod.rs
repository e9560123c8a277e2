//! Helpers shared by the integration tests: tiny checkpoints in temporary directories and an
//! independent safetensors rewriter for making bad inputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mmfree_model::{FloatDtype, Model, random};
use mmfree_spec::shape::ModelShape;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

/// The `tiny` preset (d=64, L=2, V=256, I=256).
pub fn tiny() -> ModelShape {
    ModelShape::preset("tiny").unwrap()
}

/// A progress callback that ignores its reports.
pub fn quiet() -> impl FnMut(&str, usize, usize) {
    |_, _, _| {}
}

/// Writes a random tiny checkpoint (seed 11) into a fresh temporary directory.
pub fn tiny_checkpoint(dtype: FloatDtype, max_shard_bytes: u64) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ckpt");
    random::write_hf(tiny(), 11, &dir, dtype, max_shard_bytes, &mut quiet()).unwrap();
    (tmp, dir)
}

/// One tensor of a safetensors file, owned.
#[derive(Clone, Debug)]
pub struct Tensor {
    pub name: String,
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub data: Vec<u8>,
}

/// Reads every tensor of a safetensors file.
pub fn read_tensors(path: &Path) -> Vec<Tensor> {
    let bytes = std::fs::read(path).unwrap();
    let st = SafeTensors::deserialize(&bytes).unwrap();
    st.tensors()
        .into_iter()
        .map(|(name, v)| Tensor {
            name,
            dtype: v.dtype(),
            shape: v.shape().to_vec(),
            data: v.data().to_vec(),
        })
        .collect()
}

/// Writes tensors as a safetensors file.
pub fn write_tensors(path: &Path, tensors: &[Tensor]) {
    let views: Vec<(String, TensorView<'_>)> = tensors
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                TensorView::new(t.dtype, t.shape.clone(), &t.data).unwrap(),
            )
        })
        .collect();
    safetensors::serialize_to_file(views, &None, path).unwrap();
}

/// Applies `edit` to the tensor list of `path` and writes the file back.
pub fn rewrite(path: &Path, edit: impl FnOnce(&mut Vec<Tensor>)) {
    let mut tensors = read_tensors(path);
    edit(&mut tensors);
    write_tensors(path, &tensors);
}

/// Changes one key of `dir/config.json`.
pub fn set_config(dir: &Path, key: &str, value: serde_json::Value) {
    let path = dir.join("config.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v[key] = value;
    std::fs::write(path, serde_json::to_vec(&v).unwrap()).unwrap();
}

/// Files in `dir`, sorted (hidden temporaries included).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    v.sort();
    v
}

/// Asserts that two models are identical in every bit, naming the first difference.
pub fn assert_same(a: &Model, b: &Model) {
    if let Some(d) = a.first_difference(b) {
        panic!("models differ: {d}");
    }
}

/// Converts the checkpoint at `dir` into a packed file `out` the way `mmfree convert` does, and
/// on failure checks that the error is one line and that nothing was written next to `out`.
pub fn convert_expect_error(dir: &Path, out_dir: &Path) -> String {
    let out = out_dir.join("model.mmfree");
    let result =
        mmfree_model::load(dir).and_then(|m| mmfree_model::packed::write(&m, &out, "test"));
    let msg = match result {
        Ok(()) => panic!("conversion of {} unexpectedly succeeded", dir.display()),
        Err(e) => e.to_string(),
    };
    assert!(!msg.contains('\n'), "multi-line error: {msg}");
    assert!(
        files_in(out_dir).is_empty(),
        "left behind: {:?}",
        files_in(out_dir)
    );
    msg
}
