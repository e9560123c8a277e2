//! `mmfree bench` on the software devices, the ISS and the Verilated kernel: the JSON report's
//! keys, labels and arithmetic, the weight bytes against the packed layout computed here from the
//! shape, the energy measured from a fake RAPL tree or estimated from the events, the batch
//! figures, and one-line errors for the options that cannot run or make no sense.

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

/// The keys contracts.md requires of every report.
const REQUIRED: [&str; 16] = [
    "device",
    "model",
    "shape",
    "tokens",
    "tokens_per_s",
    "cycles_per_token",
    "projected_tokens_per_s",
    "clock_mhz",
    "weight_bytes_per_token",
    "roofline_tokens_per_s",
    "fraction_of_roofline",
    "prefill_tokens_per_s",
    "energy_j_per_token",
    "tokens_per_j",
    "power_w",
    "counters_per_token",
];

fn bench_json_env(model: &str, device: &str, more: &[&str], env: &[(&str, &str)]) -> Value {
    let mut args = vec![
        "bench",
        "--model",
        model,
        "--device",
        device,
        "--json",
        "--stream-mib",
        "4",
    ];
    if !more.contains(&"--tokens") {
        args.extend(["--tokens", "5"]);
    }
    args.extend(more);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(&args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let r: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    for k in REQUIRED {
        assert!(r.get(k).is_some(), "{device}: no key {k}");
    }
    // Every figure is a value with a basis of the four kinds, or null and why not.
    for (k, f) in r.as_object().unwrap() {
        let Some(basis) = f.get("basis").and_then(Value::as_str) else {
            continue;
        };
        if f.get("value").is_none() {
            // `token_ms`: median, min, max with one basis.
            continue;
        }
        match basis {
            "measured" | "counted" | "projected" | "estimate" => {
                assert!(!f["value"].is_null(), "{device} {k}: {f}")
            }
            b => assert!(
                b.starts_with("not available: ") && f["value"].is_null(),
                "{device} {k}: {f}"
            ),
        }
    }
    r
}

fn bench_json(model: &str, device: &str) -> Value {
    bench_json_env(model, device, &[], &[])
}

fn value(r: &Value, key: &str, basis: &str) -> f64 {
    assert_eq!(r[key]["basis"], basis, "{key}: {}", r[key]);
    r[key]["value"].as_f64().unwrap()
}

fn unavailable(r: &Value, key: &str) -> String {
    assert!(r[key]["value"].is_null(), "{key}: {}", r[key]);
    r[key]["basis"].as_str().unwrap().to_string()
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
        assert_eq!(r["shape_name"], "tiny");
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
        let copy = value(&r, "stream_copy_gb_per_s", "measured");
        assert!(copy > 0.0);
        assert_eq!(r["stream_copy_gb_per_s"]["bytes"], 4 << 20);
        assert_eq!(r["stream_copy_gb_per_s"]["passes"], 5);
        let gbs = value(&r, "weight_gb_per_s", "measured");
        assert!((gbs - tiny_weight_bytes() as f64 * tps / 1e9).abs() <= 1e-9 * gbs);
        let ratio = value(&r, "fraction_of_stream_copy", "measured");
        assert!((ratio - gbs / copy).abs() <= 1e-9 * ratio);
        assert!(r.get("load_average").is_some() && r.get("cpu").is_some());
        assert!(unavailable(&r, "prefill_tokens_per_s").contains("--prompt-tokens"));
        if device == "iss" {
            // The ISS counts the bytes of its own weight banks (the accelerator's packing).
            let counters = &r["counters_per_token"];
            assert_eq!(counters["basis"], "counted");
            let bytes = counters["value"]["weight_bytes"].as_u64().unwrap();
            assert!(counters["value"]["instructions"].as_u64().unwrap() > 0);
            assert_eq!(value(&r, "weight_bytes_per_token", "counted"), bytes as f64);
            // The tiny configuration: one 64-bit port, 4 vector lanes.
            let elements = counters["value"]["elements"].as_u64().unwrap();
            let cycles = bytes.div_ceil(8) + elements.div_ceil(4);
            assert_eq!(value(&r, "cycles_per_token", "estimate"), cycles as f64);
            let projected = value(&r, "projected_tokens_per_s", "estimate");
            assert!((projected - 3e8 / cycles as f64).abs() < 1e-6 * projected);
            assert_eq!(value(&r, "clock_mhz", "projected"), 300.0);
            // tiny has no card: its port's 2.4 GB/s is the roofline.
            let roof = value(&r, "roofline_tokens_per_s", "projected");
            assert!((roof - 2.4e9 / bytes as f64).abs() < 1e-6 * roof);
            let frac = value(&r, "fraction_of_roofline", "estimate");
            assert!((frac - projected / roof).abs() < 1e-9);
            let j = value(&r, "energy_j_per_token", "estimate");
            assert!(value(&r, "tokens_per_j", "estimate") * j > 0.999);
            assert!(
                r["energy_j_per_token"]["detail"]
                    .as_str()
                    .unwrap()
                    .contains("tiny as if on a U280")
            );
            assert!(
                value(&r, "power_w", "estimate") > 39.0,
                "static power included"
            );
        } else {
            assert_eq!(
                value(&r, "weight_bytes_per_token", "counted"),
                tiny_weight_bytes() as f64
            );
            let roof = value(&r, "roofline_tokens_per_s", "measured");
            assert!((roof - copy * 1e9 / tiny_weight_bytes() as f64).abs() < 1e-6 * roof);
            let frac = value(&r, "fraction_of_roofline", "measured");
            assert!((frac - tps / roof).abs() < 1e-9 * frac.max(1e-9));
            for k in ["cycles_per_token", "projected_tokens_per_s", "clock_mhz"] {
                unavailable(&r, k);
            }
            assert!(unavailable(&r, "counters_per_token").contains("counts no activity"));
            // This machine may or may not expose RAPL: a figure measured from it, or why not.
            let e = &r["energy_j_per_token"];
            if e["value"].is_null() {
                assert!(
                    e["basis"].as_str().unwrap().starts_with("not available: "),
                    "{e}"
                );
            } else {
                assert_eq!(e["basis"], "measured");
            }
        }
    }
}

/// A fake RAPL package whose counter a thread advances by `uj` every 2 ms until dropped.
struct FakeRapl {
    root: tempfile::TempDir,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeRapl {
    fn start(uj: u64) -> FakeRapl {
        let root = tempfile::tempdir().unwrap();
        let zone = root.path().join("class/powercap/intel-rapl:0");
        std::fs::create_dir_all(&zone).unwrap();
        std::fs::write(zone.join("max_energy_range_uj"), "262143328850\n").unwrap();
        std::fs::write(zone.join("energy_uj"), "0\n").unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut e = 0u64;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(2));
                e += uj;
                let tmp = zone.join("energy_uj.tmp");
                std::fs::write(&tmp, format!("{e}\n")).unwrap();
                std::fs::rename(tmp, zone.join("energy_uj")).unwrap();
            }
        });
        FakeRapl {
            root,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FakeRapl {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
    }
}

#[test]
fn rapl_is_sampled_over_the_timed_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path());
    // 40 mJ every 2 ms or more: at most 20 W.
    let rapl = FakeRapl::start(40_000);
    let root = rapl.root.path().to_str().unwrap().to_string();
    let r = bench_json_env(
        &model,
        "ref",
        &["--tokens", "3000", "--idle-s", "0.3", "--power-hz", "50"],
        &[("MMFREE_SYSFS_ROOT", &root)],
    );
    drop(rapl);
    // The writer's rate bounds the mean from above (one increment of slack at the ends); a
    // starved writer can only lower it.
    let w = value(&r, "power_w", "measured");
    assert!(0.0 < w && w <= 30.0, "{w}");
    let idle = value(&r, "idle_power_w", "measured");
    assert!(0.0 < idle && idle <= 30.0, "{idle}");
    let j = value(&r, "energy_j_per_token", "measured");
    assert!((value(&r, "tokens_per_j", "measured") * j - 1.0).abs() < 1e-9);
    assert_eq!(r["power_trace"]["sensor"], "RAPL, 1 package zone(s)");
    let samples = r["power_trace"]["samples"].as_array().unwrap();
    assert!(!samples.is_empty());
    // Each interval's own rate (a short last interval may hold a whole increment).
    for s in samples {
        let (t, w) = (s[0].as_f64().unwrap(), s[1].as_f64().unwrap());
        assert!(t >= 0.0 && w >= 0.0 && w.is_finite(), "{s}");
    }
    // A tree without RAPL: not available, naming the missing directory.
    let empty = tempfile::tempdir().unwrap();
    let r = bench_json_env(
        &model,
        "golden",
        &[],
        &[("MMFREE_SYSFS_ROOT", empty.path().to_str().unwrap())],
    );
    for k in [
        "energy_j_per_token",
        "tokens_per_j",
        "power_w",
        "idle_power_w",
    ] {
        assert!(unavailable(&r, k).contains("class/powercap"), "{k}");
    }
    assert!(r["power_trace"].is_null());
}

#[test]
fn sim_counts_cycles_and_a_batch_reports_its_aggregate() {
    let dir = tempfile::tempdir().unwrap();
    let model = tiny_model(dir.path());
    let sim = bench_json_env(
        &model,
        "sim",
        &["--tokens", "2", "--prompt-tokens", "2"],
        &[],
    );
    let cycles = value(&sim, "cycles_per_token", "counted");
    assert!(cycles > 1000.0, "{cycles}");
    let projected = value(&sim, "projected_tokens_per_s", "projected");
    assert!((projected - 3e8 / cycles).abs() < 1e-6 * projected);
    assert!(value(&sim, "prefill_tokens_per_s", "measured") > 0.0);
    assert!(value(&sim, "projected_prefill_tokens_per_s", "projected") > 0.0);
    // The events come from the ISS running the same program: the same bytes as --device iss.
    let iss = bench_json_env(&model, "iss", &["--tokens", "2"], &[]);
    assert_eq!(
        sim["counters_per_token"]["value"],
        iss["counters_per_token"]["value"]
    );
    assert!(
        sim["counters_per_token"]["detail"]
            .as_str()
            .unwrap()
            .contains("the ISS")
    );
    // The same events priced at the counted instead of the estimated cycles.
    let (e_sim, e_iss) = (
        value(&sim, "energy_j_per_token", "estimate"),
        value(&iss, "energy_j_per_token", "estimate"),
    );
    let dynamic = sim["energy_j_per_token"]["dynamic_j"].as_f64().unwrap();
    assert_eq!(
        dynamic,
        iss["energy_j_per_token"]["dynamic_j"].as_f64().unwrap()
    );
    let static_j = sim["energy_j_per_token"]["static_j"].as_f64().unwrap();
    assert!((static_j - 39.22 * cycles / 3e8).abs() < 1e-9 * static_j);
    assert!((e_sim - dynamic - static_j).abs() < 1e-12 && e_iss > 0.0);
    // tiny-b2: two sequences a step share the weights.
    let b2 = bench_json_env(&model, "iss", &["--hw", "tiny-b2", "--tokens", "2"], &[]);
    assert_eq!(b2["batch"], 2);
    let step_bytes = b2["counters_per_token"]["value"]["weight_bytes"]
        .as_f64()
        .unwrap();
    assert_eq!(
        value(&b2, "weight_bytes_per_token", "counted"),
        step_bytes / 2.0
    );
    let tps = value(&b2, "tokens_per_s", "measured");
    let agg = value(&b2, "aggregate_tokens_per_s", "measured");
    assert!((agg - 2.0 * tps).abs() < 1e-9 * agg);
    let p = value(&b2, "projected_tokens_per_s", "estimate");
    let pa = value(&b2, "projected_aggregate_tokens_per_s", "estimate");
    assert!((pa - 2.0 * p).abs() < 1e-9 * pa);
    assert!(unavailable(&iss, "aggregate_tokens_per_s").contains("batch 1"));
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
    for label in [
        "decode",
        "prefill",
        "weight stream",
        "stream copy",
        "ratio",
        "energy",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(
            line.contains("measured") || line.contains("not available: "),
            "{line}"
        );
    }
    assert!(
        err.contains("bench: steps 3/3"),
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
    let report = dir.path().join("report");
    std::fs::create_dir_all(&report).unwrap();
    std::fs::write(report.join("results.jsonl"), "{\"device\": \"ref\"}\n").unwrap();
    let mut args = with(&["--device", "ref", "--report"]);
    args.push(report.to_str().unwrap());
    let e = fails(&args);
    assert!(
        e.contains("results.jsonl line 1: not a bench result"),
        "{e}"
    );
    assert!(!report.join("index.html").exists());
    let e = fails(&with(&["--device", "sim", "--hw", "up5k"]));
    assert!(e.contains("vector_lanes = 1"), "{e}");
    // No card here: whatever opening it says, as one line.
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
    let e = fails(&with(&["--device", "ref", "--idle-s=-1"]));
    assert!(e.contains("--idle-s -1"), "{e}");
    let e = fails(&with(&["--device", "ref", "--power-hz", "0"]));
    assert!(e.contains("--power-hz 0"), "{e}");
    let e = fails(&["bench", "--model", "/nonexistent.mmf", "--device", "ref"]);
    assert!(e.contains("nonexistent"), "{e}");
}
