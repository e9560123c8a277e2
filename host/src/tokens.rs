//! Token ids from the command line: a comma-separated list, or text through the checkpoint's
//! tokenizer (`tokenizer.json`, the Mistral SentencePiece BPE of the released models) or, for
//! 256-entry vocabularies, raw bytes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Parses `1,5,9` into token ids, checking each against the vocabulary.
pub fn parse_list(list: &str, vocab: usize) -> Result<Vec<u32>> {
    let ids = list
        .split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u32>()
                .with_context(|| format!("token '{s}' is not a non-negative integer"))
        })
        .collect::<Result<Vec<u32>>>()?;
    if ids.is_empty() {
        bail!("empty prompt: --tokens lists no token ids");
    }
    check(&ids, vocab)?;
    Ok(ids)
}

/// Rejects ids outside the vocabulary, naming the first.
pub fn check(ids: &[u32], vocab: usize) -> Result<()> {
    if let Some(t) = ids.iter().find(|&&t| t as usize >= vocab) {
        bail!("token id {t} is out of range (vocabulary size {vocab})");
    }
    Ok(())
}

/// Checks what the `tokenizers` crate (0.23) panics on instead of refusing, found by fuzzing
/// (docs/FUZZING.md): a JSON syntax error inside the decoder, a template naming a special token
/// it does not define, and a BPE merge whose second part is shorter than the continuing-subword
/// prefix or whose result is not a vocabulary token (the crate's length arithmetic overflows
/// before it looks the result up).
fn precheck(text: &str) -> std::result::Result<(), String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    check_templates(&json["post_processor"])?;
    check_merges(&json)
}

/// A template's special-token pieces: `{"SpecialToken": {"id"}}` objects, or the words of the
/// string form (`"[CLS]:1 $A"`) that are not sequences.
fn template_specials(template: &serde_json::Value) -> Vec<String> {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| !w.starts_with('$'))
            .map(|w| w.rsplit_once(':').map_or(w, |(id, _)| id).to_string())
            .collect()
    };
    match template {
        serde_json::Value::String(s) => words(s),
        serde_json::Value::Array(pieces) => pieces
            .iter()
            .flat_map(|p| match p {
                serde_json::Value::String(s) => words(s),
                _ => p["SpecialToken"]["id"]
                    .as_str()
                    .map(String::from)
                    .into_iter()
                    .collect(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Every `TemplateProcessing` (also inside a processor sequence) names only special tokens it
/// defines: the crate indexes its map with them at encode time.
fn check_templates(v: &serde_json::Value) -> std::result::Result<(), String> {
    if v["type"] == "TemplateProcessing" {
        let defined = v["special_tokens"].as_object();
        for key in ["single", "pair"] {
            for id in template_specials(&v[key]) {
                if !defined.is_some_and(|d| d.contains_key(&id)) {
                    return Err(format!(
                        "post_processor.{key}: special token {id:?} is not in special_tokens"
                    ));
                }
            }
        }
    }
    match v {
        serde_json::Value::Array(a) => a.iter().try_for_each(check_templates),
        serde_json::Value::Object(o) => o.values().try_for_each(check_templates),
        _ => Ok(()),
    }
}

/// Every BPE merge joins two parts into a vocabulary token.
fn check_merges(json: &serde_json::Value) -> std::result::Result<(), String> {
    let model = &json["model"];
    let (Some(vocab), Some(merges)) = (model["vocab"].as_object(), model["merges"].as_array())
    else {
        return Ok(());
    };
    let prefix = model["continuing_subword_prefix"].as_str().unwrap_or("");
    for (rank, merge) in merges.iter().enumerate() {
        let pair = match merge {
            serde_json::Value::String(line) if line.starts_with("#version") => None,
            serde_json::Value::String(line) => {
                line.split_once(' ').filter(|(_, b)| !b.contains(' '))
            }
            serde_json::Value::Array(parts) => match parts.as_slice() {
                [a, b] => a.as_str().zip(b.as_str()),
                _ => None,
            },
            _ => None,
        };
        let Some((a, b)) = pair else { continue };
        let merged = b.strip_prefix(prefix).map(|rest| format!("{a}{rest}"));
        if !merged.is_some_and(|m| vocab.contains_key(&m)) {
            return Err(format!(
                "model.merges[{rank}] ({a:?} {b:?}) does not make a vocabulary token"
            ));
        }
    }
    Ok(())
}

/// How text becomes token ids and back.
pub enum Tokenizer {
    /// One token per byte (256-entry vocabularies).
    Bytes,
    /// A Hugging Face `tokenizer.json`.
    Hf(Box<tokenizers::Tokenizer>),
}

impl Tokenizer {
    /// The tokenizer for a model: an explicit file, else `tokenizer.json` beside the checkpoint,
    /// else bytes when the vocabulary has 256 entries.
    pub fn for_model(model: &Path, vocab: usize, explicit: Option<&Path>) -> Result<Tokenizer> {
        let beside: PathBuf = if model.is_dir() {
            model.join("tokenizer.json")
        } else {
            model.with_extension("tokenizer.json")
        };
        let file = explicit
            .map(Path::to_path_buf)
            .or_else(|| beside.is_file().then_some(beside));
        match file {
            Some(f) => {
                let text = std::fs::read_to_string(&f)
                    .with_context(|| format!("{}: cannot read tokenizer", f.display()))?;
                precheck(&text)
                    .map_err(|e| anyhow::anyhow!("{}: cannot read tokenizer: {e}", f.display()))?;
                let t = text
                    .parse::<tokenizers::Tokenizer>()
                    .map_err(|e| anyhow::anyhow!("{}: cannot read tokenizer: {e}", f.display()))?;
                Ok(Tokenizer::Hf(Box::new(t)))
            }
            None if vocab == 256 => Ok(Tokenizer::Bytes),
            None => bail!(
                "{}: no tokenizer.json beside the model and the vocabulary ({vocab}) is not bytes; pass --tokens or --tokenizer",
                model.display()
            ),
        }
    }

    /// Text to ids (special tokens such as BOS as the tokenizer's template adds them).
    pub fn encode(&self, text: &str, vocab: usize) -> Result<Vec<u32>> {
        let ids = match self {
            Tokenizer::Bytes => text.bytes().map(u32::from).collect(),
            Tokenizer::Hf(t) => t
                .encode(text, true)
                .map_err(|e| anyhow::anyhow!("tokenizer: {e}"))?
                .get_ids()
                .to_vec(),
        };
        if ids.is_empty() {
            bail!("empty prompt: the text encodes to no tokens");
        }
        check(&ids, vocab)?;
        Ok(ids)
    }

    /// Ids to text (lossy for byte tokens that are not valid UTF-8).
    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        match self {
            Tokenizer::Bytes => Ok(String::from_utf8_lossy(
                &ids.iter().map(|&i| i as u8).collect::<Vec<u8>>(),
            )
            .into_owned()),
            Tokenizer::Hf(t) => t
                .decode(ids, true)
                .map_err(|e| anyhow::anyhow!("tokenizer: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_and_are_checked() {
        assert_eq!(parse_list("1, 5,9", 10).unwrap(), vec![1, 5, 9]);
        assert_eq!(
            parse_list("1,12", 10).unwrap_err().to_string(),
            "token id 12 is out of range (vocabulary size 10)"
        );
        assert_eq!(
            parse_list("", 10).unwrap_err().to_string(),
            "empty prompt: --tokens lists no token ids"
        );
        assert!(
            parse_list("1,x", 10)
                .unwrap_err()
                .to_string()
                .contains("'x'")
        );
    }

    #[test]
    fn bytes_round_trip() {
        let t = Tokenizer::Bytes;
        let ids = t.encode("hé", 256).unwrap();
        assert_eq!(ids, vec![104, 195, 169]);
        assert_eq!(t.decode(&ids).unwrap(), "hé");
        assert!(
            t.encode("", 256)
                .unwrap_err()
                .to_string()
                .starts_with("empty prompt")
        );
    }
}
