//! The Verilated top-level kernel as a [`Card`] (DESIGN.md section 3, rung 2; docs/ACCELERATOR.md
//! section 4): one [`Memory`] per bank with HBM-like latency and the configuration's port width,
//! the control slave through [`LiteDriver`], a watchdog that turns a kernel that never raises
//! `ap_done` into a one-line error naming the cycle count and the program counter, and the cycles
//! of every start. The debug window (single step; per sequence the registers, accumulators, codes
//! and `sigma`; the program counter) serves the instruction-by-instruction comparison with the ISS.

use std::time::Duration;

use mmfree_kernels::top::{FAULTS, TopConfig, emit_top};
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::{HEADER_BYTES, Header, tag_hash};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::{self, INSTR_BYTES};
use mmfree_spec::regmap::{self, AP_START};
use mmfree_spec::{Error as SpecError, Result as SpecResult};

use crate::axi::{LiteDriver, Memory, MemoryConfig, Timing};
use crate::model::{Options, Port, Verilated};

/// Device address of the first bank; banks are this far apart.
pub const BANK_SPACING: u64 = 1 << 40;
/// Cycles a run may take before the watchdog stops it (`MMFREE_SIM_WATCHDOG` overrides it).
pub const DEFAULT_WATCHDOG: u64 = 20_000_000;

/// The environment variable that overrides [`DEFAULT_WATCHDOG`].
pub const WATCHDOG_VAR: &str = "MMFREE_SIM_WATCHDOG";
/// Cycles from a debug-window select to its data.
const DEBUG_LATENCY: usize = 3;
/// Debug-window selects (the sequencer's `dbg_sel`).
const SEL_VREG: u64 = 0;
const SEL_EXP: u64 = 1;
const SEL_ACC: u64 = 2;
const SEL_CODES: u64 = 3;
const SEL_SIGMA: u64 = 4;

/// The debug ports of the top module.
struct DebugPorts {
    seq: Port,
    sel: Port,
    reg: Port,
    addr: Port,
    data: Port,
    pc: Port,
    fault: Port,
    paused: Port,
    running: Port,
    state: Port,
}

/// How a run (or one step) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// END: the kernel raised `ap_done` and is idle.
    Done,
    /// Single-step mode: stopped after the instruction before the program counter.
    Paused,
}

fn backend_err(why: impl ToString) -> SpecError {
    SpecError::Backend {
        backend: "sim".into(),
        why: why.to_string(),
    }
}

/// The watchdog's cycle limit: `MMFREE_SIM_WATCHDOG` when set (checked before the long build, so a
/// typo costs no time and never silently falls back), else [`DEFAULT_WATCHDOG`].
fn watchdog_from_env() -> SpecResult<u64> {
    let Some(raw) = std::env::var_os(WATCHDOG_VAR) else {
        return Ok(DEFAULT_WATCHDOG);
    };
    let text = raw.to_string_lossy();
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(backend_err(format!(
            "{WATCHDOG_VAR}={text}: not a cycle count (a whole number of at least 1)"
        ))),
    }
}

/// The Verilated kernel of one hardware configuration.
pub struct SimCard {
    cfg: HwConfig,
    top: TopConfig,
    model: Verilated,
    lite: LiteDriver,
    mems: Vec<Option<Memory>>,
    dbg: DebugPorts,
    timing: Timing,
    watchdog: u64,
    cycles: u64,
    outcome: Option<SpecResult<()>>,
    words: Vec<u32>,
}

impl SimCard {
    /// Emits and builds (or loads from the build cache) the kernel of `cfg`, held in reset for a
    /// few cycles (`MMFREE_SIM_TRACE=FILE.vcd` records every signal).
    pub fn new(cfg: HwConfig) -> SpecResult<SimCard> {
        let watchdog = watchdog_from_env()?;
        let verilog = std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn({
                let cfg = cfg.clone();
                move || emit_top(&cfg)
            })
            .map_err(backend_err)?
            .join()
            .map_err(|_| backend_err("elaborating the kernel panicked"))?
            .map_err(backend_err)?;
        let options = Options {
            clock: "ap_clk".into(),
            trace: std::env::var_os("MMFREE_SIM_TRACE").map(Into::into),
            ..Options::default()
        };
        let mut model =
            Verilated::build(&verilog.text, &verilog.top, &options).map_err(backend_err)?;
        let lite = LiteDriver::bind(&model, "s_axi_control").map_err(backend_err)?;
        let port = |n: &str| model.port(n).map_err(backend_err);
        let dbg = DebugPorts {
            seq: port("dbg_seq")?,
            sel: port("dbg_sel")?,
            reg: port("dbg_reg")?,
            addr: port("dbg_addr")?,
            data: port("dbg_data")?,
            pc: port("dbg_pc")?,
            fault: port("dbg_fault")?,
            paused: port("dbg_paused")?,
            running: port("dbg_running")?,
            state: port("dbg_state")?,
        };
        let reset = port("ap_rst_n")?;
        model.set(reset, 0).map_err(backend_err)?;
        for _ in 0..4 {
            model.tick().map_err(backend_err)?;
        }
        model.set(reset, 1).map_err(backend_err)?;
        model.tick().map_err(backend_err)?;
        let n = cfg.weight_ports as usize + 1;
        let words = vec![0; verilog.config.data_bits / 32];
        Ok(SimCard {
            top: verilog.config,
            cfg,
            model,
            lite,
            mems: (0..n).map(|_| None).collect(),
            dbg,
            timing: Timing::hbm(),
            watchdog,
            cycles: 0,
            outcome: None,
            words,
        })
    }

    /// Stops a run after `cycles` cycles with an error (the watchdog).
    pub fn set_watchdog(&mut self, cycles: u64) {
        self.watchdog = cycles;
    }

    /// The memory timing of banks allocated from now on.
    pub fn set_timing(&mut self, timing: Timing) {
        self.timing = timing;
    }

    /// The top level's derived parameters.
    pub fn top_config(&self) -> &TopConfig {
        &self.top
    }

    fn index(&self, bank: Bank) -> SpecResult<usize> {
        let i = match bank {
            Bank::Data => 0,
            Bank::Weight(p) => p as usize + 1,
        };
        if i < self.mems.len() {
            Ok(i)
        } else {
            Err(backend_err(format!(
                "{bank} does not exist ({} weight ports)",
                self.cfg.weight_ports
            )))
        }
    }

    fn mem(&mut self, bank: Bank) -> SpecResult<&mut Memory> {
        let i = self.index(bank)?;
        self.mems[i]
            .as_mut()
            .ok_or_else(|| backend_err(format!("{bank} is not allocated")))
    }

    fn base(i: usize) -> u64 {
        BANK_SPACING * (i as u64 + 1)
    }

    /// One clock cycle of the kernel and every memory.
    fn cycle(&mut self) -> SpecResult<()> {
        for m in self.mems.iter().flatten() {
            m.drive(&mut self.model).map_err(backend_err)?;
        }
        self.model.eval();
        for m in self.mems.iter_mut().flatten() {
            m.edge(&self.model).map_err(backend_err)?;
        }
        self.model.tick().map_err(backend_err)
    }

    fn get(&self, port: Port) -> SpecResult<u64> {
        self.model.get(port).map_err(backend_err)
    }

    /// The program counter (the index of the next instruction).
    pub fn pc(&self) -> SpecResult<u64> {
        self.get(self.dbg.pc)
    }

    /// Checks the image's header against the configuration, as the ISS does.
    fn check_header(&mut self) -> SpecResult<Header> {
        let base = Self::base(0);
        let mem = self.mem(Bank::Data)?;
        let bytes = mem
            .read(base, HEADER_BYTES as u64)
            .map_err(backend_err)?
            .to_vec();
        let header = Header::decode(&bytes)?;
        if header.tag_hash != tag_hash(&self.cfg.tag()) || header.batch != self.cfg.batch {
            return Err(SpecError::DeviceMemory {
                what: "data-bank header".into(),
                why: format!(
                    "the image was compiled for another hardware configuration than {}",
                    self.cfg.tag()
                ),
            });
        }
        Ok(header)
    }

    /// Starts the kernel and clocks it until it is done or paused.
    fn run(&mut self) -> SpecResult<Stop> {
        let header = self.check_header()?;
        self.lite
            .write(&mut self.model, regmap::CTRL as u64, AP_START)
            .map_err(backend_err)?;
        self.cycles = 0;
        loop {
            self.cycle()?;
            self.cycles += 1;
            if self.get(self.dbg.paused)? == 1 {
                self.ack()?;
                return Ok(Stop::Paused);
            }
            if self.get(self.dbg.running)? == 0 {
                self.ack()?;
                self.fault(&header)?;
                return Ok(Stop::Done);
            }
            if self.cycles >= self.watchdog {
                return Err(backend_err(format!(
                    "the kernel did not raise ap_done within {} cycles (program counter {}, \
                     sequencer state {})",
                    self.cycles,
                    self.pc()?,
                    self.get(self.dbg.state)?
                )));
            }
        }
    }

    /// Reads (and so clears) `ap_done`, which must be set.
    fn ack(&mut self) -> SpecResult<()> {
        let ctrl = self
            .lite
            .read(&mut self.model, regmap::CTRL as u64)
            .map_err(backend_err)?;
        if ctrl & regmap::AP_DONE == 0 {
            return Err(backend_err(format!(
                "the kernel stopped without ap_done (control word {ctrl:#x})"
            )));
        }
        Ok(())
    }

    /// The fault the sequencer latched, as the ISS words it.
    fn fault(&mut self, header: &Header) -> SpecResult<()> {
        let code = self.get(self.dbg.fault)? as usize;
        if code == 0 {
            return Ok(());
        }
        let index = self.pc()? as usize;
        let at = Self::base(0) + header.program as u64 + (index * INSTR_BYTES) as u64;
        let instr = match self.mem(Bank::Data)?.read(at, INSTR_BYTES as u64) {
            Ok(b) => match isa::decode(b) {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            },
            Err(_) => "fetch".into(),
        };
        Err(SpecError::Program {
            index,
            instr,
            why: FAULTS
                .get(code)
                .map_or_else(|| format!("fault code {code}"), |s| s.to_string()),
        })
    }

    /// Sets single-step mode (the kernel stops after every instruction).
    pub fn set_single_step(&mut self, on: bool) -> SpecResult<()> {
        let at = self.top.debug_ctrl_offset() as u64;
        self.lite
            .write(&mut self.model, at, on as u32)
            .map_err(backend_err)
    }

    /// Starts or continues a run; returns after one instruction in single-step mode.
    pub fn step(&mut self) -> SpecResult<Stop> {
        self.run()
    }

    /// Reads `rows` rows of the debug window for sequence `b` and `sel`/`reg`, pipelined one row
    /// per cycle.
    fn window(&mut self, b: usize, sel: u64, reg: u64, rows: usize) -> SpecResult<Vec<Vec<u32>>> {
        if b >= self.top.batch {
            return Err(backend_err(format!(
                "sequence {b} does not exist (batch {})",
                self.top.batch
            )));
        }
        let d = &self.dbg;
        let (p_seq, p_sel, p_reg, p_addr, p_data) = (d.seq, d.sel, d.reg, d.addr, d.data);
        self.model.set(p_seq, b as u64).map_err(backend_err)?;
        self.model.set(p_sel, sel).map_err(backend_err)?;
        self.model.set(p_reg, reg).map_err(backend_err)?;
        let mut out = Vec::with_capacity(rows);
        for c in 0..rows + DEBUG_LATENCY {
            let a = c.min(rows.max(1) - 1) as u64;
            self.model.set(p_addr, a).map_err(backend_err)?;
            self.model.eval();
            if c >= DEBUG_LATENCY {
                self.model
                    .get_words_into(p_data, &mut self.words)
                    .map_err(backend_err)?;
                out.push(self.words.clone());
            }
            self.model.tick().map_err(backend_err)?;
        }
        Ok(out)
    }

    /// The first `n` elements of sequence `b`'s vector register `r` and its exponent.
    pub fn vreg(&mut self, b: usize, r: u8, n: usize) -> SpecResult<(Vec<i32>, i32)> {
        let l = self.top.lanes;
        let rows = self.window(b, SEL_VREG, r as u64, n.div_ceil(l))?;
        let exp = self.window(b, SEL_EXP, r as u64, 1)?[0][0] as i32;
        let m = rows.iter().flatten().take(n).map(|&w| w as i32).collect();
        Ok((m, exp))
    }

    /// The first `n` accumulators of sequence `b`.
    pub fn acc(&mut self, b: usize, n: usize) -> SpecResult<Vec<i32>> {
        let l = self.top.lanes;
        let rows = self.window(b, SEL_ACC, 0, n.div_ceil(l))?;
        Ok(rows.iter().flatten().take(n).map(|&w| w as i32).collect())
    }

    /// The first `n` codes of sequence `b`'s last QUANT.
    pub fn codes(&mut self, b: usize, n: usize) -> SpecResult<Vec<i8>> {
        let l = self.top.lanes;
        let rows = self.window(b, SEL_CODES, 0, n.div_ceil(l))?;
        let bytes = rows.iter().flat_map(|r| {
            r.iter()
                .flat_map(|w| w.to_le_bytes())
                .take(l)
                .collect::<Vec<_>>()
        });
        Ok(bytes.take(n).map(|b| b as i8).collect())
    }

    /// `sigma` of sequence `b`'s last QUANT as (mantissa, exponent).
    pub fn sigma(&mut self, b: usize) -> SpecResult<(u32, i32)> {
        let w = self.window(b, SEL_SIGMA, 0, 1)?;
        Ok((w[0][0], w[0][1] as i32))
    }
}

impl Card for SimCard {
    fn backend(&self) -> String {
        "sim".into()
    }

    fn config(&self) -> &HwConfig {
        &self.cfg
    }

    fn alloc(&mut self, bank: Bank, bytes: u64) -> SpecResult<u64> {
        let i = self.index(bank)?;
        let others: u64 = (self.mems.iter().enumerate())
            .filter(|(j, _)| *j != i)
            .filter_map(|(_, m)| m.as_ref().map(|m| m.config().size as u64))
            .sum();
        if others + bytes > self.cfg.device_bytes {
            return Err(SpecError::Alloc {
                bank: bank.to_string(),
                bytes,
                why: format!(
                    "{others} of the {} bytes of device memory are already allocated",
                    self.cfg.device_bytes
                ),
            });
        }
        let (bus, beat) = match bank {
            Bank::Data => ("m_axi_data".to_string(), self.top.data_bits / 8),
            Bank::Weight(p) => (format!("m_axi_w{p}"), self.top.port_bits / 8),
        };
        let size = bytes.max(1).next_multiple_of(4096) as usize;
        let address = Self::base(i);
        let config = MemoryConfig {
            timing: self.timing,
            ..MemoryConfig::new(&bus, beat, address, size)
        };
        let mut mem = Memory::new(config).map_err(backend_err)?;
        mem.attach(&self.model, &bus).map_err(backend_err)?;
        self.mems[i] = Some(mem);
        Ok(address)
    }

    fn write(&mut self, bank: Bank, offset: u64, bytes: &[u8]) -> SpecResult<()> {
        let base = Self::base(self.index(bank)?);
        self.mem(bank)?
            .write(base + offset, bytes)
            .map_err(|e| backend_err(format!("{bank}: {e}")))
    }

    fn read(&mut self, bank: Bank, offset: u64, out: &mut [u8]) -> SpecResult<()> {
        let base = Self::base(self.index(bank)?);
        let src = self
            .mem(bank)?
            .read(base + offset, out.len() as u64)
            .map_err(|e| backend_err(format!("{bank}: {e}")))?;
        out.copy_from_slice(src);
        Ok(())
    }

    fn write_reg(&mut self, offset: u32, value: u32) -> SpecResult<()> {
        if offset == regmap::CTRL && value & AP_START != 0 {
            let outcome = self.run().map(|_| ());
            self.outcome = Some(outcome);
            return Ok(());
        }
        self.lite
            .write(&mut self.model, offset as u64, value)
            .map_err(backend_err)
    }

    fn read_reg(&mut self, offset: u32) -> SpecResult<u32> {
        self.lite
            .read(&mut self.model, offset as u64)
            .map_err(backend_err)
    }

    fn wait(&mut self, _timeout: Duration) -> SpecResult<()> {
        self.outcome
            .take()
            .unwrap_or_else(|| Err(backend_err("wait without a start")))
    }

    fn cycles(&self) -> Option<u64> {
        Some(self.cycles)
    }
}
