//! The card backend: [`XrtCard`] implements [`Card`] over the packaged kernel (`mmfree package`):
//! one buffer per bank, allocated in the memory bank the xclbin connects its argument to, the
//! image written once, and a kernel run per token. Before the xclbin is loaded its kernel is
//! checked against the configuration's ([`KernelSpec`]), so a kernel built for another
//! configuration is refused with both named.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use mmfree_spec::card::{Bank, Card};
use mmfree_spec::error::{Error as SpecError, Result as SpecResult};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::regmap;

use crate::api::{Bo, Device, Kernel, Run, RunState};
use crate::error::{Error, Result};
use crate::xclbin::{KernelInfo, Xclbin, build::XclbinBuilder};

/// One argument the configuration's kernel has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgSpec {
    /// Argument name (`data`, `w0`, `debug_ctrl`).
    pub name: String,
    /// A bank pointer rather than a scalar.
    pub pointer: bool,
    /// The bank `v++` links it to (`HBM[0]`), for pointers.
    pub bank: Option<String>,
}

/// The kernel a configuration packages to (from the kernel crate's Vitis description).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelSpec {
    /// The configuration's name.
    pub config: String,
    /// The kernel name (`mmfree_u280`).
    pub name: String,
    /// The arguments in index order: the data bank, the weight banks, the debug word.
    pub args: Vec<ArgSpec>,
}

fn describe_args(args: &[(Option<&str>, bool, Option<&str>)]) -> String {
    let pointers = args.iter().filter(|a| a.1).count();
    let banks: Vec<String> = args
        .iter()
        .filter(|a| a.1)
        .map(|a| format!("{}:{}", a.0.unwrap_or("?"), a.2.unwrap_or("unconnected")))
        .collect();
    format!(
        "{} arguments ({pointers} buffers: {})",
        args.len(),
        banks.join(" ")
    )
}

impl KernelSpec {
    /// `name` with its argument count and banks, for messages.
    pub fn describe(&self) -> String {
        let args: Vec<_> = (self.args.iter())
            .map(|a| (Some(a.name.as_str()), a.pointer, a.bank.as_deref()))
            .collect();
        format!("{} with {}", self.name, describe_args(&args))
    }

    /// An xclbin holding exactly this kernel (for tests and bring-up; no bitstream).
    pub fn builder(&self, platform: &str) -> XclbinBuilder {
        self.args
            .iter()
            .fold(XclbinBuilder::new(&self.name, platform), |b, a| {
                match (a.pointer, &a.bank) {
                    (true, Some(tag)) => b.pointer(&a.name, tag),
                    (true, None) => b.pointer(&a.name, "HBM[0]"),
                    (false, _) => b.scalar(&a.name),
                }
            })
    }

    /// The memory kind every buffer of this kernel uses (`HBM`, `DDR`), where the spec names banks.
    fn bank_kind(&self) -> Option<String> {
        let tag = self.args.iter().find_map(|a| a.bank.as_deref())?;
        Some(tag.split('[').next().unwrap_or(tag).to_string())
    }

    /// Refuses an xclbin whose kernel is not this one: another name, other arguments (count,
    /// names, buffer or scalar), a buffer connected to no bank or to another kind of memory.
    pub fn check(&self, xclbin: &Xclbin, path: &Path) -> Result<()> {
        let found = match xclbin.kernel(&self.name) {
            Some(k) => k,
            None => {
                let names: Vec<&str> = xclbin.kernels.iter().map(|k| k.name.as_str()).collect();
                return Err(self.mismatch(path, format!("{} (no {})", names.join(", "), self.name)));
            }
        };
        let same_args = found.args.len() == self.args.len()
            && found
                .args
                .iter()
                .zip(&self.args)
                .enumerate()
                .all(|(i, (f, s))| {
                    f.id == i
                        && f.pointer == s.pointer
                        && f.name.as_deref().is_none_or(|n| n == s.name)
                });
        let kind = self.bank_kind();
        let banks_ok = found
            .args
            .iter()
            .filter(|a| a.pointer)
            .all(|a| match &a.bank {
                None => false,
                Some(tag) => kind.as_deref().is_none_or(|k| tag.starts_with(k)),
            });
        if same_args && banks_ok {
            return Ok(());
        }
        Err(self.mismatch(path, describe_kernel(found)))
    }

    fn mismatch(&self, path: &Path, found: String) -> Error {
        Error::Mismatch {
            path: path.display().to_string(),
            config: self.config.clone(),
            found,
            expected: self.describe(),
        }
    }
}

fn describe_kernel(k: &KernelInfo) -> String {
    let args: Vec<_> = (k.args.iter())
        .map(|a| (a.name.as_deref(), a.pointer, a.bank.as_deref()))
        .collect();
    format!("{} with {}", k.name, describe_args(&args))
}

/// A configuration's kernel on an Alveo card.
pub struct XrtCard {
    // Field order is drop order: the run, the buffers and the kernel close before the device.
    run: Run,
    buffers: BTreeMap<Bank, Bo>,
    kernel: Kernel,
    device: Device,
    cfg: HwConfig,
    spec: KernelSpec,
}

impl XrtCard {
    /// Checks `xclbin` against `spec` (the kernel of `cfg`), loads it on the opened `device` and
    /// opens the kernel; another configuration's kernel is [`Error::Mismatch`].
    pub fn new(device: Device, xclbin: &Path, cfg: HwConfig, spec: KernelSpec) -> Result<XrtCard> {
        let info = Xclbin::read(xclbin)?;
        spec.check(&info, xclbin)?;
        let uuid = device.load_xclbin(xclbin)?;
        let kernel = device.kernel(&uuid, &spec.name)?;
        let run = kernel.run()?;
        Ok(XrtCard {
            run,
            buffers: BTreeMap::new(),
            kernel,
            device,
            cfg,
            spec,
        })
    }

    fn backend_error(&self, why: impl std::fmt::Display) -> SpecError {
        SpecError::Backend {
            backend: self.backend(),
            why: why.to_string(),
        }
    }

    /// The kernel argument index of `bank` (data is argument 0, weight bank `p` argument 1 + p).
    fn arg_of(&self, bank: Bank) -> SpecResult<usize> {
        match bank {
            Bank::Data => Ok(0),
            Bank::Weight(p) if p < self.cfg.weight_ports => Ok(1 + p as usize),
            Bank::Weight(p) => Err(self.backend_error(format!(
                "weight bank {p} does not exist ({} weight ports)",
                self.cfg.weight_ports
            ))),
        }
    }

    fn buffer(&self, bank: Bank, offset: u64, len: usize) -> SpecResult<&Bo> {
        let bo = (self.buffers.get(&bank))
            .ok_or_else(|| self.backend_error(format!("{bank} is not allocated")))?;
        let end = offset.checked_add(len as u64);
        if end.is_none_or(|e| e > bo.len() as u64) {
            return Err(SpecError::OutOfBank {
                bank: bank.to_string(),
                offset,
                len: len as u64,
                size: bo.len() as u64,
            });
        }
        Ok(bo)
    }

    fn debug_arg(&self) -> Option<usize> {
        self.spec.args.iter().position(|a| a.name == "debug_ctrl")
    }
}

/// Zero-fill chunk: the contract's "allocated zeroed" without one host copy of a whole bank.
const ZERO_CHUNK: usize = 1 << 20;

impl Card for XrtCard {
    fn backend(&self) -> String {
        format!("xrt:{}", self.device.index())
    }

    fn config(&self) -> &HwConfig {
        &self.cfg
    }

    fn alloc(&mut self, bank: Bank, bytes: u64) -> SpecResult<u64> {
        let arg = self.arg_of(bank)?;
        let err = |e: Error| SpecError::Alloc {
            bank: bank.to_string(),
            bytes,
            why: e.to_string(),
        };
        let n = usize::try_from(bytes.max(1)).map_err(|_| self.backend_error("size overflow"))?;
        self.buffers.remove(&bank);
        let group = self.kernel.arg_group(arg).map_err(err)?;
        let bo = self.device.alloc(n, group).map_err(err)?;
        let zeros = vec![0u8; ZERO_CHUNK.min(n)];
        for at in (0..n).step_by(ZERO_CHUNK) {
            let len = ZERO_CHUNK.min(n - at);
            bo.write(at, &zeros[..len]).map_err(err)?;
        }
        bo.sync_to_device(0, n).map_err(err)?;
        let address = bo.address().map_err(err)?;
        self.buffers.insert(bank, bo);
        Ok(address)
    }

    fn write(&mut self, bank: Bank, offset: u64, bytes: &[u8]) -> SpecResult<()> {
        let bo = self.buffer(bank, offset, bytes.len())?;
        let at = offset as usize;
        let r = bo
            .write(at, bytes)
            .and_then(|()| bo.sync_to_device(at, bytes.len()));
        r.map_err(|e| self.backend_error(e))
    }

    fn read(&mut self, bank: Bank, offset: u64, out: &mut [u8]) -> SpecResult<()> {
        let bo = self.buffer(bank, offset, out.len())?;
        let at = offset as usize;
        let r = bo
            .sync_from_device(at, out.len())
            .and_then(|()| bo.read(at, out));
        r.map_err(|e| self.backend_error(e))
    }

    fn set_bank_arg(&mut self, bank: Bank, _address: u64) -> SpecResult<()> {
        // XRT writes the buffer's address into the argument's registers itself.
        let arg = self.arg_of(bank)?;
        let bo = self.buffer(bank, 0, 0)?;
        self.run.set_bo(arg, bo).map_err(|e| self.backend_error(e))
    }

    fn write_reg(&mut self, offset: u32, value: u32) -> SpecResult<()> {
        let debug = self.debug_arg();
        match offset {
            regmap::CTRL if value & regmap::AP_START != 0 => self.start(),
            o if debug.is_some_and(|d| o == regmap::pointer_arg(d as u32)) => {
                let d = debug.expect("checked");
                self.run
                    .set_u32(d, value)
                    .map_err(|e| self.backend_error(e))
            }
            o => Err(self.backend_error(format!(
                "control register 0x{o:02x} is not written through XRT's run interface \
                 (bank pointers go through set_bank_arg, the kernel starts through CTRL.ap_start)"
            ))),
        }
    }

    fn read_reg(&mut self, offset: u32) -> SpecResult<u32> {
        if offset != regmap::CTRL {
            return Err(self.backend_error(format!(
                "control register 0x{offset:02x} is not readable through XRT's run interface"
            )));
        }
        match self.run.state().map_err(|e| self.backend_error(e))? {
            RunState::Completed => Ok(regmap::AP_DONE | regmap::AP_IDLE | regmap::AP_READY),
            RunState::Pending(1) => Ok(regmap::AP_IDLE),
            RunState::Pending(_) => Ok(0),
            RunState::Failed(s) => {
                Err(self.backend_error(format!("the run failed (XRT state {s})")))
            }
        }
    }

    fn start(&mut self) -> SpecResult<()> {
        self.run.start().map_err(|e| self.backend_error(e))
    }

    fn wait(&mut self, timeout: Duration) -> SpecResult<()> {
        match self.run.wait(timeout).map_err(|e| self.backend_error(e))? {
            RunState::Completed => Ok(()),
            RunState::Pending(_) => Err(SpecError::Timeout {
                backend: self.backend(),
                ms: timeout.as_millis(),
            }),
            RunState::Failed(s) => Err(self.backend_error(format!(
                "the kernel run ended in XRT state {s} ({})",
                state_name(s)
            ))),
        }
    }
}

fn state_name(s: u32) -> &'static str {
    match s {
        5 => "error",
        6 => "abort",
        8 => "timeout",
        9 => "no response",
        _ => "failure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(config: &str, kernel: &str, weight_ports: usize, bank: &str) -> KernelSpec {
        let mut args = vec![ArgSpec {
            name: "data".into(),
            pointer: true,
            bank: Some(format!("{bank}[0]")),
        }];
        args.extend((0..weight_ports).map(|p| ArgSpec {
            name: format!("w{p}"),
            pointer: true,
            bank: Some(format!("{bank}[{p}]")),
        }));
        args.push(ArgSpec {
            name: "debug_ctrl".into(),
            pointer: false,
            bank: None,
        });
        KernelSpec {
            config: config.into(),
            name: kernel.into(),
            args,
        }
    }

    fn parsed(s: &KernelSpec) -> Xclbin {
        Xclbin::parse(&s.builder("xilinx_u280_x").build()).unwrap()
    }

    #[test]
    fn the_configurations_own_kernel_passes() {
        let s = spec("u280", "mmfree_u280", 4, "HBM");
        s.check(&parsed(&s), Path::new("k.xclbin")).unwrap();
    }

    #[test]
    fn another_configurations_kernel_is_refused_naming_both() {
        let want = spec("u280", "mmfree_u280", 4, "HBM");
        let other = spec("u250", "mmfree_u250", 4, "DDR");
        let e = want
            .check(&parsed(&other), Path::new("k.xclbin"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "k.xclbin: the xclbin's kernel mmfree_u250 (no mmfree_u280) does not match \
             configuration u280, whose kernel is mmfree_u280 with 6 arguments (5 buffers: \
             data:HBM[0] w0:HBM[0] w1:HBM[1] w2:HBM[2] w3:HBM[3])"
        );
        // Same name, fewer ports: the argument lists differ.
        let fewer = spec("u280", "mmfree_u280", 2, "HBM");
        let e = want
            .check(&parsed(&fewer), Path::new("k.xclbin"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("kernel mmfree_u280 with 4 arguments (3 buffers"),
            "{e}"
        );
        assert!(
            e.contains("whose kernel is mmfree_u280 with 6 arguments"),
            "{e}"
        );
        // Same arguments on another kind of memory.
        let ddr = spec("u280", "mmfree_u280", 4, "DDR");
        let e = want
            .check(&parsed(&ddr), Path::new("k.xclbin"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("data:DDR[0]"), "{e}");
    }
}
