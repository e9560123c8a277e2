//! A Verilated vector unit and the memory around it: the register port (load and read back
//! vectors), the accumulator buffer answering reads at the configured latency, the code sink,
//! `sigma`, and a command runner that counts cycles.

use std::collections::VecDeque;

use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use mmfree_sim::{Port, Verilated};
use mmfree_spec::Scale;
use mmfree_spec::format::Bfp;

use super::{lanes_s, lanes_u, pack};

/// Port handles of the unit.
struct Ports {
    cmd_valid: Port,
    cmd_ready: Port,
    cmd_op: Port,
    cmd_vd: Port,
    cmd_va: Port,
    cmd_vb: Port,
    cmd_len: Port,
    cmd_imm0: Port,
    cmd_imm1: Port,
    done: Port,
    error: Port,
    ext_write: Port,
    ext_write_reg: Port,
    ext_write_row: Port,
    ext_write_data: Port,
    ext_exp_write: Port,
    ext_exp_data: Port,
    ext_read_reg: Port,
    ext_read_row: Port,
    ext_read_data: Port,
    ext_read_exp: Port,
    code_valid: Port,
    code_address: Port,
    code_data: Port,
    acc_read_enable: Port,
    acc_read_address: Port,
    acc_read_data: Port,
    sigma_m: Port,
    sigma_e: Port,
    sigma_write: Port,
    sigma_m_in: Port,
    sigma_e_in: Port,
    argmax_index: Port,
}

/// One command for the unit.
#[derive(Clone, Copy, Debug)]
pub struct Command {
    /// Operation.
    pub op: VpuOp,
    /// Registers.
    pub vd: u8,
    /// See `vd`.
    pub va: u8,
    /// See `vd`.
    pub vb: u8,
    /// Elements.
    pub len: u32,
    /// Words 2 and 3.
    pub imm: (u32, u32),
}

/// What a command did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Cycles from the edge that took the command to the one after which `done` was high.
    pub cycles: u64,
    /// `error` at `done`.
    pub error: bool,
    /// Codes by element index (QUANT).
    pub codes: Vec<(u32, Vec<i8>)>,
}

/// A Verilated vector unit with its surroundings.
pub struct VpuRig {
    /// The model.
    pub model: Verilated,
    /// What it was built for.
    pub cfg: VpuConfig,
    ports: Ports,
    /// Accumulator buffer contents.
    pub acc: Vec<i32>,
    /// Cycles ticked so far.
    pub ticks: u64,
}

impl VpuRig {
    /// Wraps a model built from the unit's Verilog for `cfg`.
    pub fn new(model: Verilated, cfg: VpuConfig) -> anyhow::Result<VpuRig> {
        let p = |n: &str| model.port(n);
        let ports = Ports {
            cmd_valid: p("cmd_valid")?,
            cmd_ready: p("cmd_ready")?,
            cmd_op: p("cmd_op")?,
            cmd_vd: p("cmd_vd")?,
            cmd_va: p("cmd_va")?,
            cmd_vb: p("cmd_vb")?,
            cmd_len: p("cmd_len")?,
            cmd_imm0: p("cmd_imm0")?,
            cmd_imm1: p("cmd_imm1")?,
            done: p("done")?,
            error: p("error")?,
            ext_write: p("ext_write")?,
            ext_write_reg: p("ext_write_reg")?,
            ext_write_row: p("ext_write_row")?,
            ext_write_data: p("ext_write_data")?,
            ext_exp_write: p("ext_exp_write")?,
            ext_exp_data: p("ext_exp_data")?,
            ext_read_reg: p("ext_read_reg")?,
            ext_read_row: p("ext_read_row")?,
            ext_read_data: p("ext_read_data")?,
            ext_read_exp: p("ext_read_exp")?,
            code_valid: p("code_valid")?,
            code_address: p("code_address")?,
            code_data: p("code_data")?,
            acc_read_enable: p("acc_read_enable")?,
            acc_read_address: p("acc_read_address")?,
            acc_read_data: p("acc_read_data")?,
            sigma_m: p("sigma_m")?,
            sigma_e: p("sigma_e")?,
            sigma_write: p("sigma_write")?,
            sigma_m_in: p("sigma_m_in")?,
            sigma_e_in: p("sigma_e_in")?,
            argmax_index: p("argmax_index")?,
        };
        Ok(VpuRig {
            model,
            cfg,
            ports,
            acc: Vec::new(),
            ticks: 0,
        })
    }

    fn tick(&mut self) -> anyhow::Result<()> {
        self.model.tick()?;
        self.ticks += 1;
        Ok(())
    }

    /// Ticks until the unit is idle (the register port is served only then).
    pub fn wait_idle(&mut self) -> anyhow::Result<()> {
        for _ in 0..4 {
            if self.model.get(self.ports.cmd_ready)? == 1 {
                return Ok(());
            }
            self.tick()?;
        }
        anyhow::bail!("the unit stays busy after done")
    }

    /// Loads `words` (BFP mantissas or gates) and `exp` into register `reg`, one row per cycle.
    pub fn write_reg(&mut self, reg: u8, words: &[u32], exp: i32) -> anyhow::Result<()> {
        self.wait_idle()?;
        let l = self.cfg.lanes;
        let p = &self.ports;
        let (we, wreg, wrow, wdata) = (
            p.ext_write,
            p.ext_write_reg,
            p.ext_write_row,
            p.ext_write_data,
        );
        let (ewe, edata) = (p.ext_exp_write, p.ext_exp_data);
        self.model.set(wreg, reg as u64)?;
        for (r, row) in words.chunks(l).enumerate() {
            let mut lanes: Vec<i128> = row.iter().map(|&w| w as i128).collect();
            lanes.resize(l, 0);
            self.model.set(we, 1)?;
            self.model.set(wrow, r as u64)?;
            self.model.set_words(wdata, &pack(&lanes, 32))?;
            self.tick()?;
        }
        self.model.set(we, 0)?;
        self.model.set(ewe, 1)?;
        self.model.set(edata, exp as u32 as u64)?;
        self.tick()?;
        self.model.set(ewe, 0)?;
        Ok(())
    }

    /// Loads a BFP vector.
    pub fn write_bfp(&mut self, reg: u8, v: &Bfp) -> anyhow::Result<()> {
        let words: Vec<u32> = v.mant.iter().map(|&m| m as u32).collect();
        self.write_reg(reg, &words, v.exp)
    }

    /// Reads `len` words and the exponent of register `reg` (rows pipelined, two cycles deep).
    pub fn read_reg(&mut self, reg: u8, len: usize) -> anyhow::Result<(Vec<u32>, i32)> {
        self.wait_idle()?;
        let l = self.cfg.lanes;
        let rows = len.div_ceil(l);
        let p = &self.ports;
        let (rreg, rrow, rdata, rexp) = (
            p.ext_read_reg,
            p.ext_read_row,
            p.ext_read_data,
            p.ext_read_exp,
        );
        self.model.set(rreg, reg as u64)?;
        self.model.eval();
        let exp = self.model.get(rexp)? as u32 as i32;
        let mut words = Vec::with_capacity(rows * l);
        for k in 0..rows + 1 {
            self.model.set(rrow, k.min(rows.saturating_sub(1)) as u64)?;
            self.tick()?;
            if k >= 1 {
                words.extend(
                    lanes_u(&self.model.get_words(rdata), l, 32)
                        .into_iter()
                        .map(|w| w as u32),
                );
            }
        }
        words.truncate(len);
        Ok((words, exp))
    }

    /// Reads a BFP vector.
    pub fn read_bfp(&mut self, reg: u8, len: usize) -> anyhow::Result<Bfp> {
        let (words, exp) = self.read_reg(reg, len)?;
        Ok(Bfp {
            mant: words.into_iter().map(|w| w as i32).collect(),
            exp,
        })
    }

    /// Restores `sigma`.
    pub fn set_sigma(&mut self, s: Scale) -> anyhow::Result<()> {
        self.wait_idle()?;
        let p = &self.ports;
        let (w, m, e) = (p.sigma_write, p.sigma_m_in, p.sigma_e_in);
        self.model.set(w, 1)?;
        self.model.set(m, s.mantissa() as u64)?;
        self.model.set(e, s.exponent() as u32 as u64)?;
        self.tick()?;
        self.model.set(w, 0)?;
        Ok(())
    }

    /// `sigma` as the unit holds it.
    pub fn sigma(&self) -> anyhow::Result<(u32, i32)> {
        Ok((
            self.model.get(self.ports.sigma_m)? as u32,
            self.model.get(self.ports.sigma_e)? as u32 as i32,
        ))
    }

    /// The latest ARGMAX index.
    pub fn argmax(&self) -> anyhow::Result<u32> {
        Ok(self.model.get(self.ports.argmax_index)? as u32)
    }

    /// Runs one command to `done`, answering accumulator reads from [`VpuRig::acc`] and
    /// collecting codes; fails after `limit` cycles.
    pub fn run(&mut self, cmd: Command, limit: u64) -> anyhow::Result<Outcome> {
        self.wait_idle()?;
        let l = self.cfg.lanes;
        let p = &self.ports;
        let fields = [
            (p.cmd_op, cmd.op.code() as u64),
            (p.cmd_vd, cmd.vd as u64),
            (p.cmd_va, cmd.va as u64),
            (p.cmd_vb, cmd.vb as u64),
            (p.cmd_len, cmd.len as u64),
            (p.cmd_imm0, cmd.imm.0 as u64),
            (p.cmd_imm1, cmd.imm.1 as u64),
            (p.cmd_valid, 1),
        ];
        for (port, v) in fields {
            self.model.set(port, v)?;
        }
        self.tick()?;
        self.model.set(self.ports.cmd_valid, 0)?;
        let mut queue: VecDeque<Option<u32>> = VecDeque::from(vec![None; self.cfg.acc_latency]);
        let mut out = Outcome::default();
        loop {
            let p = &self.ports;
            let request = (self.model.get(p.acc_read_enable)? == 1)
                .then(|| self.model.get(p.acc_read_address))
                .transpose()?;
            queue.push_back(request.map(|a| a as u32));
            let answer = queue.pop_front().flatten();
            let row: Vec<i128> = (0..l)
                .map(|i| {
                    answer
                        .and_then(|a| self.acc.get(a as usize + i))
                        .copied()
                        .unwrap_or(0) as i128
                })
                .collect();
            let data = self.ports.acc_read_data;
            self.model.set_words(data, &pack(&row, 32))?;
            self.tick()?;
            out.cycles += 1;
            let p = &self.ports;
            if self.model.get(p.code_valid)? == 1 {
                let codes = lanes_s(&self.model.get_words(p.code_data), l, 8)
                    .into_iter()
                    .map(|c| c as i8)
                    .collect();
                out.codes
                    .push((self.model.get(p.code_address)? as u32, codes));
            }
            if self.model.get(p.done)? == 1 {
                out.error = self.model.get(p.error)? == 1;
                return Ok(out);
            }
            anyhow::ensure!(
                out.cycles < limit,
                "{cmd:?} did not finish in {limit} cycles"
            );
        }
    }
}
