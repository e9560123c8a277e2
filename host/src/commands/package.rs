//! `mmfree package --config NAME --platform PLATFORM --out DIR [--json]` (contracts.md, "Packaging
//! for Vitis"): writes the kernel's Verilog, `kernel.xml`, the `package_xo` script and the `v++`
//! link configuration of a card configuration into DIR, all at once or not at all.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mmfree_kernels::top::vitis::{self, KERNEL_XML};
use mmfree_spec::hw::HwConfig;
use serde_json::json;

use crate::paths::refuse_output_in_input;

/// Arguments of `package`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Card configuration (u280, u55c, u250).
    #[arg(long)]
    pub config: String,
    /// Vitis platform name or `.xpfm` file (e.g. xilinx_u280_gen3x16_xdma_1_202211_1).
    #[arg(long)]
    pub platform: String,
    /// Output directory (replaced when it holds an earlier package).
    #[arg(long)]
    pub out: PathBuf,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Generates the package and writes it.
pub fn run(a: Args) -> Result<()> {
    let platform = Path::new(&a.platform);
    if platform.exists() {
        refuse_output_in_input(&a.out, platform)?;
    }
    check_out(&a.out)?;
    let hw = HwConfig::preset(&a.config)?;
    let pkg = vitis::package(&hw, &a.platform)?;
    let files = pkg.files();
    write_atomically(&a.out, &files)?;
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    if a.json {
        super::print_json(&json!({
            "config": hw.name,
            "tag": hw.tag(),
            "platform": a.platform,
            "kernel": pkg.kernel,
            "out": a.out.display().to_string(),
            "files": names,
        }));
    } else {
        println!(
            "package {} ({}) for {}: {} in {}",
            hw.name,
            pkg.kernel,
            a.platform,
            names.join(", "),
            a.out.display()
        );
    }
    Ok(())
}

/// Refuses an output that is a file, or a non-empty directory that no earlier package wrote.
fn check_out(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("--out {}: exists and is not a directory", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("--out {}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(KERNEL_XML).is_file() {
        bail!(
            "--out {}: is a non-empty directory without {KERNEL_XML} (not an earlier package); \
             choose another directory",
            out.display()
        );
    }
    Ok(())
}

/// Writes every file into a temporary directory beside `out`, then puts it in `out`'s place.
fn write_atomically(out: &Path, files: &[(String, &str)]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("--out {}", out.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".package-")
        .tempdir_in(&parent)
        .with_context(|| {
            format!(
                "--out {}: cannot create a temporary directory",
                out.display()
            )
        })?;
    for (name, text) in files {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).with_context(|| format!("{}", path.display()))?;
    }
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(".package-old-")
            .tempdir_in(&parent)
            .with_context(|| format!("--out {}", out.display()))?;
        let aside = old.path().join("previous");
        std::fs::rename(out, &aside).with_context(|| format!("--out {}", out.display()))?;
        let new = tmp.keep();
        if let Err(e) = std::fs::rename(&new, out) {
            // Put the earlier package back rather than leave nothing.
            let _ = std::fs::rename(&aside, out);
            let _ = std::fs::remove_dir_all(&new);
            return Err(e).with_context(|| format!("--out {}", out.display()));
        }
        drop(old);
    } else {
        std::fs::rename(tmp.keep(), out).with_context(|| format!("--out {}", out.display()))?;
    }
    Ok(())
}
