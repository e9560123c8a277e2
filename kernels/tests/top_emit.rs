//! The top-level kernel's Verilog (DESIGN.md section 4): emitted for the `tiny` configuration, its
//! batch-2 twin `tiny-b2`, `u280` and `u250` it must pass `verilator --lint-only -Wall` with only
//! the emitter's documented waivers; a configuration the top level cannot build is refused with a
//! reason.

use mmfree_kernels::top::{TopConfig, emit_top};
use mmfree_spec::hw::HwConfig;

fn emit_and_lint(name: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let hw = HwConfig::preset(name)?;
    let v = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || emit_top(&hw))?
        .join()
        .map_err(|_| anyhow::anyhow!("emission panicked"))??;
    let dir = std::env::var("MMFREE_TOP_VERILOG_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir());
    let path = dir.join(format!("{}.v", v.top));
    std::fs::write(&path, &v.text)?;
    let emitted = started.elapsed();
    mmfree_hdl::lint_top(&path, &v.top)?;
    eprintln!(
        "{name}: emitted {} bytes in {:.1} s, linted in {:.1} s",
        v.text.len(),
        emitted.as_secs_f64(),
        (started.elapsed() - emitted).as_secs_f64()
    );
    Ok(())
}

#[test]
fn tiny_kernel_lints_clean() -> anyhow::Result<()> {
    emit_and_lint("tiny")
}

#[test]
fn tiny_b2_kernel_lints_clean() -> anyhow::Result<()> {
    emit_and_lint("tiny-b2")
}

#[test]
fn u280_kernel_lints_clean() -> anyhow::Result<()> {
    emit_and_lint("u280")
}

#[test]
fn u250_kernel_lints_clean() -> anyhow::Result<()> {
    emit_and_lint("u250")
}

#[test]
fn configurations_the_top_level_cannot_build_are_refused() {
    let up5k = HwConfig::preset("up5k").unwrap();
    let e = TopConfig::from_hw(&up5k).unwrap_err().to_string();
    assert!(e.contains("vector_lanes = 1 gives 32-bit"), "{e}");
    let mut wide = HwConfig::preset("u280").unwrap();
    wide.vector_lanes = 64;
    let e = TopConfig::from_hw(&wide).unwrap_err().to_string();
    assert!(e.contains("vector_lanes = 64 gives 2048-bit"), "{e}");
    let mut many = HwConfig::preset("tiny").unwrap();
    many.batch = 17;
    let e = TopConfig::from_hw(&many).unwrap_err().to_string();
    assert!(e.contains("batch = 17"), "{e}");
}
