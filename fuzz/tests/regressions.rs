//! Every input the fuzzer found to panic, replayed through the same call (fuzz/regressions/: one
//! folder per target, one file per input, named for what it damages), each asserting the one-line
//! error the fixed parser gives.

use std::path::Path;

use mmfree_fuzz::Target;

/// Runs `file` of fuzz/regressions/tokenizer as the tokenizer target's input.
fn tokenizer_error(file: &str) -> String {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("regressions/tokenizer")
        .join(file);
    let work = tempfile::tempdir().unwrap();
    std::fs::copy(&input, work.path().join("tokenizer.json")).unwrap();
    let message = Target::Tokenizer.run(work.path()).unwrap_err();
    let shown = work.path().join("tokenizer.json").display().to_string();
    let lead = format!("{shown}: cannot read tokenizer: ");
    assert!(message.starts_with(&lead), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    message[lead.len()..].to_string()
}

#[test]
fn a_decoder_cut_short_is_invalid_json_not_a_panic() {
    // tokenizers 0.23 buffers the decoder object and `expect`s the buffering to succeed.
    let m = tokenizer_error("decoder-cut.json");
    assert!(m.starts_with("invalid JSON: "), "{m}");
    assert!(m.contains("EOF while parsing"), "{m}");
}

#[test]
fn a_subword_prefix_longer_than_a_merge_part_is_refused_not_a_panic() {
    // tokenizers 0.23 subtracts the prefix length from the merge part's length unchecked.
    let m = tokenizer_error("prefix-longer-than-merge.json");
    assert_eq!(
        m,
        r#"model.merges[0] ("▁" "t") does not make a vocabulary token"#
    );
}

#[test]
fn a_template_naming_an_undefined_special_token_is_refused_not_a_panic() {
    // tokenizers 0.23 indexes the template's special-token map at encode time without a check.
    let m = tokenizer_error("template-undefined-special.json");
    assert_eq!(
        m,
        r#"post_processor.single: special token "<s>" is not in special_tokens"#
    );
}
