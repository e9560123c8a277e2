//! Generates the XRT bindings with bindgen from the installed XRT 2.13 headers (Debian's
//! `libxrt-dev` or Xilinx's `/opt/xilinx/xrt`), compiles the C++ exception shim with `cc`, and
//! links `xrt_coreutil`. XRT's `xrt.pc` is broken on Debian (`prefix=/usr//usr`), so the
//! directories are found here instead of through pkg-config.

use std::env;
use std::path::{Path, PathBuf};

/// Where the XRT headers and `libxrt_coreutil.so` live.
struct XrtInstall {
    include: PathBuf,
    lib: PathBuf,
}

fn find_xrt() -> Result<XrtInstall, String> {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_else(|_| "x86_64".into());
    let mut candidates: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let Some(root) = env::var_os("XILINX_XRT").map(PathBuf::from) {
        candidates.push((root.join("include"), root.join("lib")));
    }
    candidates.push((
        "/usr/include/xrt".into(),
        format!("/usr/lib/{arch}-linux-gnu").into(),
    ));
    candidates.push((
        "/opt/xilinx/xrt/include".into(),
        "/opt/xilinx/xrt/lib".into(),
    ));
    candidates
        .into_iter()
        .find(|(inc, lib)| {
            inc.join("xrt/xrt_device.h").is_file() && lib.join("libxrt_coreutil.so").exists()
        })
        .map(|(include, lib)| XrtInstall { include, lib })
        .ok_or_else(|| {
            "XRT 2.13 headers and libxrt_coreutil.so not found (looked in $XILINX_XRT, \
             /usr/include/xrt with /usr/lib/<arch>-linux-gnu, /opt/xilinx/xrt): install \
             Debian's libxrt-dev (scripts/setup-system demo)"
                .into()
        })
}

fn main() {
    println!("cargo:rerun-if-changed=shim/shim.h");
    println!("cargo:rerun-if-changed=shim/shim.cpp");
    println!("cargo:rerun-if-env-changed=XILINX_XRT");
    let xrt = find_xrt().unwrap_or_else(|e| panic!("{e}"));
    let shim = Path::new("shim");

    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(&xrt.include)
        .include(shim)
        .file(shim.join("shim.cpp"))
        .warnings(true)
        .compile("mmfree_xrt_shim");
    println!("cargo:rustc-link-search=native={}", xrt.lib.display());
    println!("cargo:rustc-link-lib=dylib=xrt_coreutil");
    // The directory XRT's own loader needs under $XILINX_XRT/lib at run time (src/env.rs).
    println!("cargo:rustc-env=MMFREE_XRT_LIB_DIR={}", xrt.lib.display());

    let bindings = bindgen::Builder::default()
        .header(shim.join("shim.h").to_string_lossy())
        .clang_arg(format!("-I{}", xrt.include.display()))
        .allowlist_function("mmfree_xrt_.*")
        .allowlist_type("xrt(Device|Buffer|Kernel|Run)Handle")
        .allowlist_type("mmfree_xrt_err")
        .allowlist_var("MMFREE_XRT_ERR_BYTES")
        .rustified_enum("xclBOSyncDirection")
        .constified_enum_module("ert_cmd_state")
        .allowlist_type("ert_cmd_state")
        .layout_tests(true)
        .generate()
        .unwrap_or_else(|e| panic!("bindgen over {}: {e}", shim.join("shim.h").display()));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("xrt.rs");
    bindings
        .write_to_file(&out)
        .unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
