//! `mmfree neuron` as a user runs it (contracts.md): the built binary prints the same JSON with
//! `--engine ref` and `--engine rtl` on the section 4.8 vector file, and refuses a bad engine or
//! hardware configuration with a one-line error.

use std::path::PathBuf;
use std::process::{Command, Output};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/neuron_section48.json")
}

fn mmfree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(args)
        .output()
        .expect("the mmfree binary runs")
}

#[test]
fn ref_and_rtl_engines_print_the_same_json() {
    let path = vectors();
    let path = path.to_str().expect("a UTF-8 path");
    let run = |engine| {
        let out = mmfree(&["neuron", "--vectors", path, "--engine", engine, "--json"]);
        assert!(
            out.status.success(),
            "{engine}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 JSON")
    };
    let (reference, rtl) = (run("ref"), run("rtl"));
    assert!(
        reference.starts_with("{\"cases\":[{\"name\":"),
        "{reference}"
    );
    assert_eq!(reference.lines().count(), 1);
    assert_eq!(reference, rtl);
}

#[test]
fn bad_engine_and_hardware_names_are_one_line_errors() {
    let path = vectors();
    let path = path.to_str().expect("a UTF-8 path");
    for (args, expected) in [
        (
            vec!["--engine", "fpga"],
            "unknown engine 'fpga' (known: ref, rtl)",
        ),
        (
            vec!["--engine", "rtl", "--hw", "huge"],
            "unknown hardware configuration 'huge'",
        ),
    ] {
        let mut all = vec!["neuron", "--vectors", path, "--json"];
        all.extend(args);
        let out = mmfree(&all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}
