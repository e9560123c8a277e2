//! Unit tests of the JSON vector runner (docs/NEURON.md section 7): the output keys and the
//! one-line input errors that name the case and the key.

use super::json::{parse_vectors, run_case, run_json};
use super::{NeuronConfig, NeuronState};

#[test]
fn json_output_has_u_only_with_the_current_stage() {
    let text = r#"{"cases": [
        {"name": "a", "config": {"fire": "none", "reset": "none"}, "steps": [{"x": 5}, {"x": -2, "f": 9}]},
        {"name": "b", "preset": "loihi_cuba", "config": {"vth": 100}, "init": {"u": 64}, "steps": [{"x": 1}]},
        {"name": "c", "config": {"preset": "adaptive_alif", "th0": 100}, "steps": [{"x": 0}]}
    ]}"#;
    let out = run_json(text).unwrap();
    assert_eq!(
        out,
        concat!(
            r#"{"cases":[{"name":"a","out":[5,3],"v":[5,3]},"#,
            r#"{"name":"b","out":[1],"v":[0],"u":[127]},"#,
            r#"{"name":"c","out":[0],"v":[0],"u":[0],"th":[100],"r":[0]}]}"#
        )
    );
}

#[test]
fn json_errors_are_one_line_naming_case_and_key() {
    let run = |case: &str| {
        run_json(&format!(r#"{{"cases": [{case}]}}"#))
            .unwrap_err()
            .to_string()
    };
    let cases = [
        (
            r#"{"name": "k", "config": {"vth_hi": 5}, "steps": []}"#,
            "neuron vectors: case 'k', key 'config.vth_hi': unknown config key",
        ),
        (
            r#"{"name": "k", "config": {"w_v": "24"}, "steps": []}"#,
            "neuron vectors: case 'k', key 'config.w_v': invalid type: string \"24\", expected i64",
        ),
        (
            r#"{"name": "k", "config": {"dec_round": "up"}, "steps": []}"#,
            "neuron vectors: case 'k', key 'config.dec_round': unknown variant `up`, expected one of `floor`, `rtz`, `rhu`, `rhaz`, `rne`",
        ),
        (
            r#"{"name": "k", "config": {"w_v": 20}, "steps": []}"#,
            "neuron vectors: case 'k': neuron config: w_v = 20: state widths are 16, 24 or 32",
        ),
        (
            r#"{"name": "k", "preset": "nope", "steps": []}"#,
            "neuron vectors: case 'k': unknown neuron preset 'nope' (known: ",
        ),
        (
            r#"{"name": "k", "preset": "mlgru", "config": {"preset": "mlgru"}, "steps": []}"#,
            "neuron vectors: case 'k', key 'preset': given both beside and inside config",
        ),
        (
            r#"{"name": "k", "preset": "mlgru", "steps": [{"x": 1}]}"#,
            "neuron vectors: case 'k', key 'steps[0].f': missing (the case is gated)",
        ),
        (
            r#"{"name": "k", "config": {}, "steps": [{"x": 1.5}]}"#,
            "neuron vectors: case 'k', key 'steps[0].x': expected a 64-bit integer, got 1.5",
        ),
        (
            r#"{"name": "k", "config": {}, "steps": [{"x": 1}, {"y": 1}]}"#,
            "neuron vectors: case 'k', key 'steps[1].y': unknown key (a step has x and f)",
        ),
        (
            r#"{"name": "k", "config": {}, "steps": [{"x": 8589934592}]}"#,
            "neuron vectors: case 'k', step 0: input x = 8589934592: x is a signed 33-bit input",
        ),
        (
            r#"{"name": "k", "config": {}, "init": {"u": 3}, "steps": []}"#,
            "neuron vectors: case 'k', key 'init.u': the case has no current stage (use_u = false), so only its starting value 0 is accepted",
        ),
        (
            r#"{"name": "k", "config": {}, "init": {"v": 8388608}, "steps": []}"#,
            "neuron vectors: case 'k', init: state v = 8388608: outside the 24-bit sat register",
        ),
        (
            r#"{"name": "k", "config": {}}"#,
            "neuron vectors: case 'k', key 'steps': missing",
        ),
        (
            r#"{"config": {}, "steps": []}"#,
            "neuron vectors: case #0, key 'name': missing",
        ),
        (
            r#"{"name": "k", "config": {}, "steps": [], "extra": 1}"#,
            "neuron vectors: case 'k', key 'extra': unknown key",
        ),
    ];
    for (case, want) in cases {
        let got = run(case);
        assert!(got.starts_with(want), "got  {got}\nwant {want}");
        assert!(!got.contains('\n'), "{got}");
    }
    assert!(
        run_json("{\"cases\": [")
            .unwrap_err()
            .to_string()
            .starts_with("neuron vectors: JSON: EOF while parsing")
    );
    assert_eq!(
        run_json("[]").unwrap_err().to_string(),
        "neuron vectors: top level, key 'cases': expected {\"cases\": [...]}"
    );
}

#[test]
fn expectations_parse_beside_the_inputs() {
    let text = r#"{"cases": [{"name": "e", "config": {}, "steps": [{"x": 1}], "note": "free text",
        "expect": {"out": [0], "v": [1]}}]}"#;
    let cases = parse_vectors(text).unwrap();
    let expect = cases[0].expect.as_ref().unwrap();
    assert_eq!(
        (expect.out.as_slice(), expect.v.as_slice(), &expect.u),
        ([0].as_slice(), [1].as_slice(), &None)
    );
    assert_eq!(run_case(&cases[0]).unwrap(), *expect);
}

#[test]
fn a_case_without_config_or_preset_takes_the_defaults_and_unused_state_may_start_at_rest() {
    let text = r#"{"cases": [{"name": "k", "init": {"u": 0, "th": 4096, "r": 0}, "steps": []}]}"#;
    let cases = parse_vectors(text).unwrap();
    assert_eq!(cases[0].config, NeuronConfig::default());
    assert_eq!(
        cases[0].init,
        NeuronState::initial(&NeuronConfig::default())
    );
}
