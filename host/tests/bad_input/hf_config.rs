//! Issue 15 case 7, checkpoint configs: valid JSON with a wrong type names the key and what it
//! must be (not "invalid JSON"), and a size of zero names the file and the key.

use super::{checkpoint, fails_unchanged, s};

#[test]
fn config_values_of_the_wrong_type_name_the_key_and_the_type() {
    let t = tempfile::tempdir().unwrap();
    let c = checkpoint(t.path());
    let config = c.join("config.json");
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let out = t.path().join("out.mmf");
    let cases: [(&str, serde_json::Value, &str); 8] = [
        ("hidden_size", (-5).into(), "-5 must be a whole number >= 0"),
        (
            "hidden_size",
            "1024".into(),
            "\"1024\" must be a whole number >= 0",
        ),
        (
            "hidden_size",
            1024.5.into(),
            "1024.5 must be a whole number >= 0",
        ),
        (
            "vocab_size",
            true.into(),
            "true must be a whole number >= 0",
        ),
        ("rms_norm_eps", "1e-6".into(), "\"1e-6\" must be a number"),
        (
            "use_short_conv",
            "no".into(),
            "\"no\" must be true or false",
        ),
        (
            "architectures",
            "HGRNBitForCausalLM".into(),
            "\"HGRNBitForCausalLM\" must be a list of strings",
        ),
        (
            "num_hidden_layers",
            0.into(),
            "0 is not a size (at least 1)",
        ),
    ];
    for (key, value, why) in cases {
        let mut bad = good.clone();
        bad[key] = value;
        std::fs::write(&config, serde_json::to_string(&bad).unwrap()).unwrap();
        let line = fails_unchanged(
            t.path(),
            &["convert", "--from", "hf", s(&c), "--out", s(&out)],
        );
        assert_eq!(
            line,
            format!("error: {}: {key}: {why}", config.display()),
            "{key}"
        );
    }
    std::fs::write(&config, "[1024]").unwrap();
    let line = fails_unchanged(t.path(), &["logits", "--model", s(&c), "--tokens", "1"]);
    assert_eq!(
        line,
        format!("error: {}: config: must be a JSON object", config.display())
    );
}

#[test]
fn a_shard_index_of_the_wrong_structure_is_not_called_invalid_json() {
    let t = tempfile::tempdir().unwrap();
    let c = t.path().join("sharded");
    let dir = format!("{}/", c.display());
    let (ok, _, err) = super::mmfree(&[
        "random",
        "--shape",
        "tiny",
        "--seed",
        "3",
        "--max-shard-bytes",
        "100000",
        "--out",
        &dir,
    ]);
    assert!(ok, "{err}");
    let index = c.join("model.safetensors.index.json");
    std::fs::write(&index, r#"{"weight_map": {"lm_head.weight": 5}}"#).unwrap();
    let line = fails_unchanged(t.path(), &["logits", "--model", s(&c), "--tokens", "1"]);
    assert!(
        line.starts_with(&format!(
            "error: {}: unexpected JSON structure: invalid type: integer `5`, expected a string",
            index.display()
        )),
        "{line}"
    );
}
