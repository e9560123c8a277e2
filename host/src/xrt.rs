//! The `xrt:INDEX` device: a real Alveo card through XRT ([`mmfree_xrt`]). The card opens first
//! (so a machine without one always gets the no-card line), then the configuration's kernel is
//! derived from the kernel crate's Vitis description (name, arguments, the bank `v++` links each
//! pointer to) and checked against the xclbin before the xclbin is loaded.
//!
//! The xclbin is `--xclbin FILE`, else `NAME.xclbin` beside the model (NAME: the model file's or
//! checkpoint folder's stem), else `bitstreams/<config>/mmfree_<config>.xclbin`, else
//! `out/xclbin/<config>/mmfree_<config>.xclbin` (where `make xclbin` leaves it).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use mmfree_kernels::top::{TopConfig, top_name, vitis};
use mmfree_spec::hw::{HW_NAMES, HwConfig};
use mmfree_xrt::{ArgSpec, Device, KernelSpec, XrtCard};

/// The `--xclbin` flag of the commands that open a device.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct XclbinArgs {
    /// The kernel of xrt:INDEX devices (default: NAME.xclbin beside the model, else
    /// mmfree_<config>.xclbin in bitstreams/<config>/ or out/xclbin/<config>/).
    #[arg(long, value_name = "FILE")]
    pub xclbin: Option<PathBuf>,
}

impl XclbinArgs {
    /// The files of a card device for a command whose model is `model`.
    pub fn files<'a>(&'a self, model: &'a Path) -> CardFiles<'a> {
        CardFiles {
            xclbin: self.xclbin.as_deref(),
            model: Some(model),
        }
    }
}

/// Where a card device finds its xclbin: the flag's file, or the defaults beside `model`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CardFiles<'a> {
    /// `--xclbin FILE`.
    pub xclbin: Option<&'a Path>,
    /// `--model PATH`, for the default beside it.
    pub model: Option<&'a Path>,
}

/// The card index of a device name `xrt:INDEX`; `None` for other names.
pub fn index(name: &str) -> Option<Result<u32>> {
    let rest = name.strip_prefix("xrt:")?;
    Some(match rest.parse::<u32>() {
        Ok(i) if rest.chars().all(|c| c.is_ascii_digit()) => Ok(i),
        _ => Err(anyhow::anyhow!(
            "device '{name}': '{rest}' is not a card index (xrt:INDEX with INDEX 0, 1, ...; \
             mmfree devices lists the cards)"
        )),
    })
}

/// The configurations built for a card (they have card memory), the ones `xrt:N` accepts.
pub(crate) fn card_configs() -> Vec<&'static str> {
    HW_NAMES
        .iter()
        .filter(|n| HwConfig::preset(n).is_ok_and(|c| c.card_memory().is_some()))
        .copied()
        .collect()
}

/// The kernel `mmfree package` builds for `hw`: its name, its arguments in index order and the
/// bank each pointer is linked to.
pub fn kernel_spec(hw: &HwConfig) -> Result<KernelSpec> {
    let Some(card) = hw.card_memory() else {
        bail!(
            "--hw {}: configuration {} targets no Alveo card (card configurations: {})",
            hw.name,
            hw.name,
            card_configs().join(", ")
        );
    };
    let top = TopConfig::from_hw(hw)?;
    let args = vitis::kernel_args(&top)
        .iter()
        .map(|a| ArgSpec {
            name: a.name.clone(),
            pointer: a.is_pointer(),
            bank: a.is_pointer().then(|| vitis::bank_of(&card, a.id)),
        })
        .collect();
    Ok(KernelSpec {
        config: hw.name.clone(),
        name: top_name(hw),
        args,
    })
}

/// The xclbin files looked for, in order, when `--xclbin` is not given.
pub fn default_xclbins(model: Option<&Path>, hw: &HwConfig) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(m) = model {
        let trimmed = m.components().as_path();
        if let (Some(stem), Some(dir)) = (trimmed.file_stem(), trimmed.parent()) {
            let mut name = stem.to_owned();
            name.push(".xclbin");
            out.push(dir.join(name));
        }
    }
    let file = format!("{}.xclbin", top_name(hw));
    out.push(Path::new("bitstreams").join(&hw.name).join(&file));
    out.push(Path::new("out/xclbin").join(&hw.name).join(&file));
    out
}

/// The xclbin to load: the flag's file (which must exist), else the first default that exists.
pub fn resolve_xclbin(files: CardFiles<'_>, hw: &HwConfig) -> Result<PathBuf> {
    if let Some(x) = files.xclbin {
        if !x.is_file() {
            bail!("--xclbin {}: no such file", x.display());
        }
        return Ok(x.to_path_buf());
    }
    let candidates = default_xclbins(files.model, hw);
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    bail!(
        "no xclbin for configuration {} (looked for {}): build one with make xclbin CONFIG={} \
         PLATFORM=... or give --xclbin FILE",
        hw.name,
        looked.join(", "),
        hw.name
    )
}

/// Opens card `index` with the kernel of `hw`: the card, then the xclbin, checked, then loaded.
pub fn open_card(index: u32, hw: &HwConfig, files: CardFiles<'_>) -> Result<XrtCard> {
    let device = Device::open(index)?;
    let spec = kernel_spec(hw)?;
    let xclbin = resolve_xclbin(files, hw)?;
    Ok(XrtCard::new(device, &xclbin, hw.clone(), spec)?)
}
