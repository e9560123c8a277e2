//! `config.json` of an `HGRNBitForCausalLM` checkpoint (mmfree-model.md section 1.7): what this
//! project reads from it, the settings it refuses, and the full key set it writes.

use std::path::{Path, PathBuf};

use mmfree_spec::shape::{ModelShape, default_intermediate};
use serde::Deserialize;
use serde_json::json;

use crate::dtype::FloatDtype;
use crate::error::{Error, Result};

/// File name of the configuration inside a checkpoint directory.
pub const CONFIG_FILE: &str = "config.json";

/// The architecture name a supported checkpoint declares.
pub const ARCHITECTURE: &str = "HGRNBitForCausalLM";

/// The `model_type` a supported checkpoint declares.
pub const MODEL_TYPE: &str = "hgrn_bit";

/// What the converter needs from `config.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HfConfig {
    /// Model dimensions.
    pub shape: ModelShape,
    /// Whether the checkpoint has and uses `model.lower_bounds`.
    pub use_lower_bound: bool,
}

/// The keys read; missing flags take `HGRNBitConfig`'s defaults, missing sizes are errors.
#[derive(Deserialize)]
struct Raw {
    architectures: Option<Vec<String>>,
    model_type: Option<String>,
    hidden_size: Option<usize>,
    num_hidden_layers: Option<usize>,
    vocab_size: Option<usize>,
    intermediate_size: Option<usize>,
    hidden_ratio: Option<f64>,
    rms_norm_eps: Option<f64>,
    use_short_conv: Option<bool>,
    expand_ratio: Option<f64>,
    tie_word_embeddings: Option<bool>,
    use_lower_bound: Option<bool>,
}

impl Raw {
    fn architecture_ok(&self) -> bool {
        self.architectures
            .as_ref()
            .is_some_and(|a| a.iter().any(|n| n == ARCHITECTURE))
            || self.model_type.as_deref() == Some(MODEL_TYPE)
    }

    fn describe_architecture(&self) -> String {
        format!(
            "architectures {:?}, model_type {:?}",
            self.architectures.clone().unwrap_or_default(),
            self.model_type.as_deref().unwrap_or("none")
        )
    }
}

/// The JSON kind a key of [`Raw`] must hold (or `null`).
#[derive(Clone, Copy)]
enum Kind {
    Size,
    Number,
    Flag,
    Text,
    Names,
}

/// Every key [`Raw`] reads, with its kind.
const KEY_KINDS: [(&str, Kind); 12] = [
    ("architectures", Kind::Names),
    ("model_type", Kind::Text),
    ("hidden_size", Kind::Size),
    ("num_hidden_layers", Kind::Size),
    ("vocab_size", Kind::Size),
    ("intermediate_size", Kind::Size),
    ("hidden_ratio", Kind::Number),
    ("rms_norm_eps", Kind::Number),
    ("use_short_conv", Kind::Flag),
    ("expand_ratio", Kind::Number),
    ("tie_word_embeddings", Kind::Flag),
    ("use_lower_bound", Kind::Flag),
];

impl Kind {
    fn holds(self, v: &serde_json::Value) -> bool {
        use serde_json::Value;
        match self {
            Kind::Size => v.as_u64().is_some_and(|n| usize::try_from(n).is_ok()),
            Kind::Number => v.is_number(),
            Kind::Flag => v.is_boolean(),
            Kind::Text => v.is_string(),
            Kind::Names => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Size => "a whole number >= 0",
            Kind::Number => "a number",
            Kind::Flag => "true or false",
            Kind::Text => "a string",
            Kind::Names => "a list of strings",
        }
    }
}

/// Names the first key whose value has the wrong JSON type (the file itself is valid JSON), so that
/// `"hidden_size": "1024"` reads as what it is rather than as a parse error.
fn check_types(path: &Path, value: &serde_json::Value) -> Result<()> {
    let Some(obj) = value.as_object() else {
        return Err(refuse(path, "config", "must be a JSON object".into()));
    };
    for (key, kind) in KEY_KINDS {
        match obj.get(key) {
            Some(v) if !v.is_null() && !kind.holds(v) => {
                return Err(refuse(path, key, format!("{v} must be {}", kind.what())));
            }
            _ => {}
        }
    }
    Ok(())
}

fn refuse(path: &Path, key: &'static str, why: String) -> Error {
    Error::Config {
        path: path.to_path_buf(),
        key,
        why,
    }
}

fn size(path: &Path, key: &'static str, v: Option<usize>) -> Result<usize> {
    match v {
        None => Err(refuse(path, key, "missing".into())),
        Some(0) => Err(refuse(path, key, "0 is not a size (at least 1)".into())),
        Some(n) => Ok(n),
    }
}

fn require<T: PartialEq + std::fmt::Debug>(
    path: &Path,
    key: &'static str,
    v: T,
    want: T,
    why: &str,
) -> Result<()> {
    if v == want {
        Ok(())
    } else {
        Err(refuse(path, key, format!("{v:?} is not supported ({why})")))
    }
}

fn intermediate(path: &Path, raw: &Raw, hidden: usize) -> Result<usize> {
    if let Some(i) = raw.intermediate_size {
        return Ok(i);
    }
    let ratio = raw.hidden_ratio.unwrap_or(4.0);
    require(
        path,
        "hidden_ratio",
        ratio,
        4.0,
        "intermediate_size is null, so the size formula needs ratio 4",
    )?;
    Ok(default_intermediate(hidden))
}

fn check(path: &Path, raw: &Raw) -> Result<HfConfig> {
    if !raw.architecture_ok() {
        return Err(Error::WrongArchitecture {
            path: path.into(),
            found: raw.describe_architecture(),
        });
    }
    let hidden = size(path, "hidden_size", raw.hidden_size)?;
    let layers = size(path, "num_hidden_layers", raw.num_hidden_layers)?;
    let vocab = size(path, "vocab_size", raw.vocab_size)?;
    let shape = ModelShape {
        hidden,
        layers,
        vocab,
        intermediate: intermediate(path, raw, hidden)?,
    };
    require(
        path,
        "rms_norm_eps",
        raw.rms_norm_eps.unwrap_or(1e-6),
        1e-6,
        "the fixed-point contract fixes 1e-6",
    )?;
    require(
        path,
        "use_short_conv",
        raw.use_short_conv.unwrap_or(false),
        false,
        "no short convolution in the accelerator",
    )?;
    require(
        path,
        "expand_ratio",
        raw.expand_ratio.unwrap_or(1.0),
        1.0,
        "the token mixer must be d to d",
    )?;
    require(
        path,
        "tie_word_embeddings",
        raw.tie_word_embeddings.unwrap_or(false),
        false,
        "the lm_head is a separate ternary matrix",
    )?;
    shape.validate().map_err(|source| Error::Shape {
        path: path.into(),
        source,
    })?;
    Ok(HfConfig {
        shape,
        use_lower_bound: raw.use_lower_bound.unwrap_or(true),
    })
}

/// Reads and checks `dir/config.json`.
pub fn read(dir: &Path) -> Result<HfConfig> {
    let path: PathBuf = dir.join(CONFIG_FILE);
    if !path.is_file() {
        return Err(Error::NotFound {
            path,
            what: "a Hugging Face checkpoint directory needs config.json",
        });
    }
    let text = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let json = |source| Error::Json {
        path: path.clone(),
        source,
    };
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(json)?;
    check_types(&path, &value)?;
    let raw: Raw = serde_json::from_value(value).map_err(json)?;
    check(&path, &raw)
}

/// The `config.json` of a checkpoint of `shape` stored as `dtype`: every key of the released 370M
/// configuration, with the sizes replaced (`intermediate_size` stays null when the default
/// formula gives it).
pub fn to_json(shape: &ModelShape, dtype: FloatDtype) -> serde_json::Value {
    let intermediate =
        (shape.intermediate != default_intermediate(shape.hidden)).then_some(shape.intermediate);
    json!({
        "architectures": [ARCHITECTURE],
        "attn_mode": "fused_recurrent",
        "bos_token_id": 1,
        "conv_size": 4,
        "eos_token_id": 2,
        "expand_ratio": 1,
        "fuse_cross_entropy": true,
        "hidden_act": "swish",
        "hidden_ratio": 4,
        "hidden_size": shape.hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "max_position_embeddings": 2048,
        "model_type": MODEL_TYPE,
        "num_heads": 1,
        "num_hidden_layers": shape.layers,
        "rms_norm_eps": 1e-6,
        "share_conv_kernel": true,
        "tie_word_embeddings": false,
        "torch_dtype": dtype.torch_name(),
        "transformers_version": "4.40.2",
        "use_cache": true,
        "use_lower_bound": true,
        "use_short_conv": false,
        "vocab_size": shape.vocab,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: serde_json::Value) -> Result<HfConfig> {
        check(
            Path::new("config.json"),
            &serde_json::from_value(v).unwrap(),
        )
    }

    #[test]
    fn written_config_reads_back() {
        for name in ["tiny", "370m", "2.7b"] {
            let s = ModelShape::preset(name).unwrap();
            let c = parse(to_json(&s, FloatDtype::Bf16)).unwrap();
            assert_eq!(
                c,
                HfConfig {
                    shape: s,
                    use_lower_bound: true
                }
            );
        }
        let odd = ModelShape {
            intermediate: 300,
            ..ModelShape::new(64, 2, 256)
        };
        let v = to_json(&odd, FloatDtype::F32);
        assert_eq!(v["intermediate_size"], 300);
        assert_eq!(parse(v).unwrap().shape, odd);
    }

    #[test]
    fn unsupported_settings_are_refused_with_the_key_named() {
        let base = to_json(&ModelShape::preset("tiny").unwrap(), FloatDtype::Bf16);
        let cases = [
            (
                "rms_norm_eps",
                json!(1e-5),
                "config.json: rms_norm_eps: 1e-5 is not supported",
            ),
            (
                "use_short_conv",
                json!(true),
                "config.json: use_short_conv: true is not supported",
            ),
            (
                "tie_word_embeddings",
                json!(true),
                "config.json: tie_word_embeddings: true",
            ),
            (
                "expand_ratio",
                json!(2),
                "config.json: expand_ratio: 2.0 is not supported",
            ),
            (
                "hidden_ratio",
                json!(3),
                "config.json: hidden_ratio: 3.0 is not supported",
            ),
            (
                "hidden_size",
                json!(null),
                "config.json: hidden_size: missing",
            ),
        ];
        for (key, value, want) in cases {
            let mut v = base.clone();
            v[key] = value;
            let e = parse(v).unwrap_err().to_string();
            assert!(e.starts_with(want), "{key}: {e}");
        }
        let mut v = base.clone();
        v["use_lower_bound"] = json!(false);
        assert!(!parse(v).unwrap().use_lower_bound);
    }
}
