//! `mmfree bench` on the software devices and the ISS: the JSON report's keys, labels and arithmetic, the
//! weight bytes against the packed layout computed here from the shape, and one-line errors for
//! the options that cannot run yet or make no sense.

mod common;

use common::{fails, mmfree};
use serde_json::Value;

/// Packed bytes of one row of `cols` weights: 2 bits each, padded to 128 weights (docs/FORMAT.md).
fn row_bytes(cols: usize) -> usize {
    cols.div_ceil(128) * 32
}

/// The `tiny` shape (d=64, L=2, V=256, I=256): per layer i, f, g, o (`d x d`), gate_proj
/// (`2I x d`), down_proj (`d x I`), then the lm_head (`V x d`).
fn tiny_weight_bytes() -> u64 {
    let (d, l, v, i) = (64, 2, 256, 256);
    let layer = 4 * d * row_bytes(d) + 2 * i * row_bytes(d) + d * row_bytes(i);
    (l * layer + v * row_bytes(d)) as u64
}

/// A tiny packed model in a temporary directory.
fn tiny_model(dir: &std::path::Path) -> String {
    let path = dir.join("tiny.mmf").to_str().unwrap().to_string();
    let (ok, _, err) = mmfree(&["random", "--shape", "tiny", "--seed", "4", "--out", &path]);
    assert!(ok, "{err}");
    path
}

fn bench_json(model: &str, device: &str) -> Value {
    let args = [
        "bench",
        "--model",
        model,
        "--device",
        device,
        "--tokens",
        "5",
        "--json",
        "--stream-mib",
        "4",
    ];
    let (ok, out, err) = mmfree(&args);
    assert!(ok, "{err}");
    serde_json::from_str(out.lines().last().unwrap()).unwrap()
}

fn value(r: &Value, key: &str, basis: &str) -> f64 {
    assert_eq!(r[key]["basis"], basis, "{key}");
    r[key]["value"].as_f64().unwrap()
}

#[test]
fn json_report_is_complete_labelled_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path());
    for device in ["ref", "golden", "iss"] {
        let r = bench_json(&model, device);
        assert_eq!(r["device"], device);
        assert_eq!(
            (r["tokens"].as_u64(), r["warmup_tokens"].as_u64()),
            (Some(5), Some(1))
        );
        assert_eq!(r["shape"]["hidden"], 64);
        let ms = &r["token_ms"];
        assert_eq!(ms["basis"], "measured");
        let (min, median, max) = (
            ms["min"].as_f64().unwrap(),
            ms["median"].as_f64().unwrap(),
            ms["max"].as_f64().unwrap(),
        );
        assert!(0.0 < min && min <= median && median <= max, "{ms}");
        let tps = value(&r, "tokens_per_s", "measured");
        assert!(
            (tps - 1e3 / median).abs() <= 1e-9 * tps,
            "{tps} vs {median} ms"
        );
        let bytes = value(&r, "weight_bytes_per_token", "counted");
        assert_eq!(bytes as u64, tiny_weight_bytes());
        let gbs = value(&r, "weight_gb_per_s", "measured");
        assert!((gbs - bytes * tps / 1e9).abs() <= 1e-9 * gbs);
        let copy = value(&r, "stream_copy_gb_per_s", "measured");
        assert!(copy > 0.0);
        assert_eq!(r["stream_copy_gb_per_s"]["bytes"], 4 << 20);
        assert_eq!(r["stream_copy_gb_per_s"]["passes"], 5);
        let ratio = value(&r, "fraction_of_stream_copy", "measured");
        assert!((ratio - gbs / copy).abs() <= 1e-9 * ratio);
        assert!(r.get("load_average").is_some() && r.get("cpu").is_some());
        assert_eq!(r["cycles_per_token"]["value"], Value::Null);
        assert_eq!(r["cycles_per_token"]["basis"], "not counted by this device");
        assert_eq!(r["energy_j_per_token"]["value"], Value::Null);
        assert_eq!(r["energy_j_per_token"]["basis"], "not estimated");
        let counters = r["counters_per_token"].as_object().unwrap();
        if device == "iss" {
            // The ISS counts the bytes of its own weight banks (the accelerator's packing).
            assert!(
                counters["weight_bytes"].as_u64().unwrap() > 0,
                "{counters:?}"
            );
            assert!(counters["instructions"].as_u64().unwrap() > 0);
        } else {
            assert!(counters.is_empty(), "{counters:?}");
        }
    }
}

#[test]
fn text_report_says_measured_on_every_timing_figure() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path());
    let args = [
        "bench",
        "--model",
        &model,
        "--device",
        "ref",
        "--tokens",
        "2",
        "--stream-mib",
        "4",
    ];
    let (ok, out, err) = mmfree(&args);
    assert!(ok, "{err}");
    for label in ["decode", "weight stream", "stream copy", "ratio"] {
        let line = out
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(line.contains("measured"), "{line}");
    }
    assert!(
        err.contains("bench: tokens 3/3"),
        "progress on stderr: {err}"
    );
}

#[test]
fn options_that_cannot_run_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path());
    let base = [
        "bench",
        "--model",
        &model,
        "--tokens",
        "1",
        "--stream-mib",
        "4",
    ];
    let with = |more: &[&'static str]| -> Vec<&str> { base.iter().chain(more).copied().collect() };
    let e = fails(&with(&["--device", "ref", "--report", "out"]));
    assert!(
        e.contains("--report out") && e.contains("not supported yet"),
        "{e}"
    );
    let e = fails(&with(&["--device", "sim", "--hw", "up5k"]));
    assert!(e.contains("vector_lanes = 1"), "{e}");
    let e = fails(&with(&["--device", "xrt:0"]));
    assert!(
        (e.contains("no XRT card found at index 0") || e.contains("no XRT runtime"))
            && e.contains("xbutil examine"),
        "{e}"
    );
    let e = fails(&with(&["--device", "cpu"]));
    assert!(e.contains("unknown device 'cpu'"), "{e}");
    let e = fails(&with(&["--device", "iss", "--hw", "u999"]));
    assert!(e.contains("u999"), "{e}");
    let e = fails(&[
        "bench", "--model", &model, "--device", "ref", "--tokens", "0",
    ]);
    assert!(e.contains("--tokens 0"), "{e}");
    let e = fails(&[
        "bench",
        "--model",
        &model,
        "--device",
        "ref",
        "--stream-mib",
        "0",
    ]);
    assert!(e.contains("--stream-mib 0"), "{e}");
    let e = fails(&["bench", "--model", "/nonexistent.mmf", "--device", "ref"]);
    assert!(e.contains("nonexistent"), "{e}");
}
