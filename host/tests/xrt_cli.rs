//! The `xrt:INDEX` device and `mmfree devices` from the command line, without a card: the no-card
//! line in each XRT environment (never an abort), the invalid index, the xclbin/configuration
//! check on xclbin files built here in the `axlf` layout (under `XCL_EMULATION_MODE=hw_emu`, where
//! XRT opens an emulated device so that the check runs), and the `devices --json` shape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mmfree_host::xrt::kernel_spec;
use mmfree_spec::hw::HwConfig;

/// Runs `mmfree` in `dir` with `env` (`None` removes a variable) and XRT's variables cleared.
fn mmfree_in(dir: &Path, env: &[(&str, Option<&str>)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mmfree"));
    c.current_dir(dir).args(args);
    c.env("XDG_CACHE_HOME", dir.join("cache"));
    c.env_remove("XCL_EMULATION_MODE")
        .env_remove("XRT_INI_PATH");
    for (k, v) in env {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c.output().expect("mmfree runs")
}

/// The one error line of a failed run: exit status 1 (not an abort's 134 or a crash's signal),
/// exactly one line starting `error:`, last, and nothing from XRT itself.
fn one_error(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit status {}: {err}",
        out.status
    );
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line:\n{err}");
    assert_eq!(
        err.lines().last(),
        Some(errors[0]),
        "the error is last:\n{err}"
    );
    assert!(
        !err.contains("XRT build version") && !err.contains("[XRT]") && !err.contains("panicked"),
        "no XRT banner, XRT log line or panic:\n{err}"
    );
    errors[0].to_string()
}

struct Setup {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    model: String,
    links: String,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let model = dir.join("m.mmf").display().to_string();
    let out = mmfree_in(
        &dir,
        &[],
        &["random", "--shape", "tiny", "--seed", "3", "--out", &model],
    );
    assert!(out.status.success(), "{out:?}");
    let links = dir.join("xrt");
    std::fs::create_dir_all(links.join("lib")).unwrap();
    for e in std::fs::read_dir(mmfree_xrt::LINKED_LIB_DIR)
        .unwrap()
        .flatten()
    {
        if e.file_name().to_string_lossy().starts_with("libxrt") {
            std::os::unix::fs::symlink(e.path(), links.join("lib").join(e.file_name())).unwrap();
        }
    }
    Setup {
        _tmp: tmp,
        dir,
        model,
        links: links.display().to_string(),
    }
}

fn generate<'a>(s: &'a Setup, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "generate",
        "--model",
        &s.model,
        "--tokens",
        "1,2",
        "--max-new-tokens",
        "2",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn no_card_is_one_line_in_every_xrt_environment() {
    let s = setup();
    let envs: [(&str, Option<&str>); 3] = [
        ("XILINX_XRT", None),
        ("XILINX_XRT", Some("/usr")),
        ("XILINX_XRT", Some(&s.links)),
    ];
    for env in envs {
        for hw in ["tiny", "u280"] {
            let out = mmfree_in(
                &s.dir,
                &[env],
                &generate(&s, &["--device", "xrt:0", "--hw", hw]),
            );
            let line = one_error(&out);
            assert!(
                line.starts_with("error: no XRT card found at index 0 (")
                    || line.starts_with("error: no XRT runtime ("),
                "{env:?}: {line}"
            );
            for what in ["xocl", "XILINX_XRT", "xbutil examine"] {
                assert!(line.contains(what), "{env:?}: names {what}: {line}");
            }
        }
    }
}

#[test]
fn an_index_that_is_not_a_number_is_refused() {
    let s = setup();
    for bad in ["xrt:abc", "xrt:", "xrt:-1", "xrt:+1"] {
        let line = one_error(&mmfree_in(&s.dir, &[], &generate(&s, &["--device", bad])));
        assert!(line.contains(&format!("device '{bad}'")), "{line}");
        assert!(line.contains("is not a card index"), "{line}");
    }
}

fn write_xclbin(dir: &Path, name: &str, config: &str) -> String {
    let hw = HwConfig::preset(config).unwrap();
    let bytes = kernel_spec(&hw)
        .unwrap()
        .builder("xilinx_test_platform")
        .build();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

const HW_EMU: (&str, Option<&str>) = ("XCL_EMULATION_MODE", Some("hw_emu"));

#[test]
fn an_xclbin_of_another_configuration_is_refused_naming_both() {
    let s = setup();
    let u250 = write_xclbin(&s.dir, "u250.xclbin", "u250");
    let u55c = write_xclbin(&s.dir, "u55c.xclbin", "u55c");
    let args = generate(
        &s,
        &["--device", "xrt:0", "--hw", "u280", "--xclbin", &u250],
    );
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    assert!(
        line.starts_with(&format!(
            "error: {u250}: the xclbin's kernel mmfree_u250 (no mmfree_u280) does not match \
             configuration u280, whose kernel is mmfree_u280 with 34 arguments (33 buffers: \
             data:HBM[0] w0:HBM[0] w1:HBM[1] "
        )),
        "{line}"
    );
    let args = generate(
        &s,
        &["--device", "xrt:0", "--hw", "u280", "--xclbin", &u55c],
    );
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    assert!(
        line.contains("kernel mmfree_u55c (no mmfree_u280)"),
        "{line}"
    );
    // A DDR kernel under the U250's name but with HBM banks: the banks differ.
    let hw = HwConfig::preset("u250").unwrap();
    let mut spec = kernel_spec(&hw).unwrap();
    for a in spec.args.iter_mut().filter(|a| a.pointer) {
        a.bank = Some("HBM[0]".into());
    }
    let hbm = s.dir.join("hbm.xclbin");
    std::fs::write(&hbm, spec.builder("xilinx_u250").build()).unwrap();
    let hbm = hbm.display().to_string();
    let args = generate(&s, &["--device", "xrt:0", "--hw", "u250", "--xclbin", &hbm]);
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    assert!(line.contains("does not match configuration u250"), "{line}");
    assert!(
        line.contains("w0:HBM[0]") && line.contains("w0:DDR[0]"),
        "{line}"
    );
}

#[test]
fn the_matching_xclbin_passes_the_check_and_reaches_the_loader() {
    let s = setup();
    // The default place beside the model: NAME.xclbin.
    write_xclbin(&s.dir, "m.xclbin", "u280");
    let args = generate(&s, &["--device", "xrt:0", "--hw", "u280"]);
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    // Past the check: XRT's loader refuses a file without a bitstream (no hw_emu kernel here).
    assert!(line.contains("m.xclbin: xrtDeviceLoadXclbinFile"), "{line}");
    assert!(!line.contains("does not match"), "{line}");
}

#[test]
fn without_an_xclbin_the_places_looked_in_are_named() {
    let s = setup();
    let args = generate(&s, &["--device", "xrt:0", "--hw", "u250"]);
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    let beside = s.dir.join("m.xclbin").display().to_string();
    assert_eq!(
        line,
        format!(
            "error: no xclbin for configuration u250 (looked for {beside}, \
             bitstreams/u250/mmfree_u250.xclbin, out/xclbin/u250/mmfree_u250.xclbin): build one with make xclbin CONFIG=u250 \
             PLATFORM=... or give --xclbin FILE"
        )
    );
    let args = generate(&s, &["--device", "xrt:0", "--hw", "tiny"]);
    let line = one_error(&mmfree_in(&s.dir, &[HW_EMU], &args));
    assert_eq!(
        line,
        "error: --hw tiny: configuration tiny targets no Alveo card (card configurations: \
         u280, u55c, u250)"
    );
}

#[test]
fn devices_json_lists_the_software_devices_simulators_and_why_no_card() {
    let s = setup();
    for env in [("XILINX_XRT", None), ("XILINX_XRT", Some("/usr"))] {
        let out = mmfree_in(&s.dir, &[env], &["devices", "--json"]);
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        let names: Vec<&str> = v["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["golden", "ref", "iss", "sim"], "no card listed");
        let configs = |i: usize| -> Vec<&str> {
            v["devices"][i]["configs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect()
        };
        assert_eq!(
            configs(2),
            ["tiny", "tiny-b2", "small", "u280", "u55c", "u250", "up5k"]
        );
        assert_eq!(
            configs(3),
            ["tiny", "tiny-b2", "small", "u280", "u55c", "u250"]
        );
        assert_eq!(v["xrt"]["available"], false);
        let reason = v["xrt"]["reason"].as_str().unwrap();
        assert!(
            reason.contains("no card") && reason.contains("xbutil examine"),
            "{reason}"
        );
    }
    let out = mmfree_in(&s.dir, &[], &["devices"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("xrt:N    no card: ")),
        "{text}"
    );
}
