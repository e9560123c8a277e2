//! The ISS as a [`Card`]: banks allocated in host memory at distinct device addresses, the
//! `ap_ctrl_hs` registers of [`mmfree_spec::regmap`], and a run of the program in the data bank when
//! `ap_start` is written (the run is synchronous; [`Card::wait`] reports its outcome).

use std::time::Duration;

use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::{Header, tag_hash};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::regmap::{self, AP_DONE, AP_IDLE, AP_READY, AP_START};
use mmfree_spec::{Error, Result};

use crate::machine::{Counters, Machine, Memory};

/// Device address of the first bank; banks are [`BANK_SPACING`] apart.
pub const BANK_BASE: u64 = 1 << 40;
/// Distance between the device addresses of two banks.
pub const BANK_SPACING: u64 = 1 << 40;

/// One allocated bank.
#[derive(Debug)]
struct Buffer {
    address: u64,
    bytes: Vec<u8>,
}

/// The instruction-set simulator of one accelerator configured by a [`HwConfig`].
#[derive(Debug)]
pub struct Iss {
    cfg: HwConfig,
    banks: Vec<Option<Buffer>>,
    regs: Vec<u32>,
    outcome: Option<Result<()>>,
    counters: Counters,
}

impl Iss {
    /// An idle accelerator with no banks allocated.
    pub fn new(cfg: HwConfig) -> Result<Iss> {
        cfg.validate()?;
        let n = cfg.weight_ports as usize + 1;
        let mut regs = vec![0u32; regmap::end(&cfg) as usize / 4];
        regs[0] = AP_IDLE;
        Ok(Iss {
            cfg,
            banks: (0..n).map(|_| None).collect(),
            regs,
            outcome: None,
            counters: Counters::default(),
        })
    }

    /// What the last run counted.
    pub fn run_counters(&self) -> Counters {
        self.counters
    }

    fn index(&self, bank: Bank) -> Result<usize> {
        let i = match bank {
            Bank::Data => 0,
            Bank::Weight(p) => p as usize + 1,
        };
        if i < self.banks.len() {
            Ok(i)
        } else {
            Err(Error::Backend {
                backend: "iss".into(),
                why: format!(
                    "{bank} does not exist ({} weight ports)",
                    self.cfg.weight_ports
                ),
            })
        }
    }

    fn buffer(&mut self, bank: Bank, offset: u64, len: usize) -> Result<&mut [u8]> {
        let i = self.index(bank)?;
        let buf = self.banks[i].as_mut().ok_or_else(|| Error::Backend {
            backend: "iss".into(),
            why: format!("{bank} is not allocated"),
        })?;
        let size = buf.bytes.len() as u64;
        match offset.checked_add(len as u64) {
            Some(end) if end <= size => Ok(&mut buf.bytes[offset as usize..end as usize]),
            _ => Err(Error::OutOfBank {
                bank: bank.to_string(),
                offset,
                len: len as u64,
                size,
            }),
        }
    }

    fn reg_index(&self, offset: u32) -> Result<usize> {
        let end = regmap::end(&self.cfg);
        if offset >= end || !offset.is_multiple_of(4) {
            return Err(Error::Register { offset, end });
        }
        Ok(offset as usize / 4)
    }

    /// Checks the kernel arguments, then runs the program.
    fn execute(&mut self) -> Result<()> {
        for (i, bank) in Bank::all(&self.cfg).into_iter().enumerate() {
            let at = bank.arg_offset() as usize / 4;
            let arg = regmap::join_pointer(self.regs[at], self.regs[at + 1]);
            let expected = self.banks[i].as_ref().map(|b| b.address);
            if expected != Some(arg) {
                return Err(Error::Backend {
                    backend: "iss".into(),
                    why: format!(
                        "kernel argument of the {bank} is 0x{arg:x}, not an allocated buffer"
                    ),
                });
            }
        }
        let (data, weights) = self.banks.split_at_mut(1);
        let data = &mut data[0]
            .as_mut()
            .map(|b| &mut b.bytes)
            .ok_or_else(|| Error::Backend {
                backend: "iss".into(),
                why: "the data bank is not allocated".into(),
            })?;
        let header = Header::decode(data)?;
        if header.tag_hash != tag_hash(&self.cfg.tag()) || header.batch != self.cfg.batch {
            return Err(Error::DeviceMemory {
                what: "data-bank header".into(),
                why: format!(
                    "the image was compiled for another hardware configuration than {}",
                    self.cfg.tag()
                ),
            });
        }
        let mut mem = Memory {
            data,
            weights: weights
                .iter()
                .map(|b| b.as_ref().map_or(&[][..], |b| &b.bytes[..]))
                .collect(),
        };
        let mut machine = Machine::new(&self.cfg, header);
        let result = machine.run(&mut mem);
        self.counters = machine.counters;
        result
    }
}

impl Card for Iss {
    fn backend(&self) -> String {
        "iss".into()
    }

    fn config(&self) -> &HwConfig {
        &self.cfg
    }

    fn alloc(&mut self, bank: Bank, bytes: u64) -> Result<u64> {
        let i = self.index(bank)?;
        let others: u64 = (self.banks.iter().enumerate())
            .filter(|(j, _)| *j != i)
            .filter_map(|(_, b)| b.as_ref().map(|b| b.bytes.len() as u64))
            .sum();
        if others + bytes > self.cfg.device_bytes {
            return Err(Error::Alloc {
                bank: bank.to_string(),
                bytes,
                why: format!(
                    "{others} of the {} bytes of device memory are already allocated",
                    self.cfg.device_bytes
                ),
            });
        }
        let address = BANK_BASE + i as u64 * BANK_SPACING;
        self.banks[i] = Some(Buffer {
            address,
            bytes: vec![0; bytes as usize],
        });
        Ok(address)
    }

    fn write(&mut self, bank: Bank, offset: u64, bytes: &[u8]) -> Result<()> {
        self.buffer(bank, offset, bytes.len())?
            .copy_from_slice(bytes);
        Ok(())
    }

    fn read(&mut self, bank: Bank, offset: u64, out: &mut [u8]) -> Result<()> {
        out.copy_from_slice(self.buffer(bank, offset, out.len())?);
        Ok(())
    }

    fn write_reg(&mut self, offset: u32, value: u32) -> Result<()> {
        let i = self.reg_index(offset)?;
        match offset {
            regmap::CTRL => {
                self.regs[i] = value & regmap::AUTO_RESTART;
                if value & AP_START != 0 {
                    let outcome = self.execute();
                    self.outcome = Some(outcome);
                    self.regs[i] |= AP_DONE | AP_IDLE | AP_READY;
                    if self.regs[regmap::IER as usize / 4] & 1 != 0 {
                        self.regs[regmap::ISR as usize / 4] |= 1;
                    }
                } else {
                    self.regs[i] |= AP_IDLE;
                }
            }
            regmap::ISR => self.regs[i] ^= value,
            _ => self.regs[i] = value,
        }
        Ok(())
    }

    fn read_reg(&mut self, offset: u32) -> Result<u32> {
        let i = self.reg_index(offset)?;
        let v = self.regs[i];
        if offset == regmap::CTRL {
            self.regs[i] &= !AP_DONE;
        }
        Ok(v)
    }

    fn wait(&mut self, _timeout: Duration) -> Result<()> {
        self.outcome.take().unwrap_or_else(|| {
            Err(Error::Backend {
                backend: "iss".into(),
                why: "wait without a start".into(),
            })
        })
    }

    fn counters(&self) -> Vec<(&'static str, u64)> {
        let c = self.counters;
        vec![
            ("instructions", c.instructions),
            ("weight_bytes", c.weight_bytes),
            ("elements", c.elements),
            ("ternary_macs", c.ternary_macs),
        ]
    }
}
