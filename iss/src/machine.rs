//! The sequencer and the units of ACCELERATOR.md section 1 as a functional model: per sequence 16
//! vector registers, a code buffer, the accumulators and `sigma`; every instruction of docs/ISA.md
//! section 2 executed with the `mmfree_spec::ops` primitive it names, in program order, for each of
//! the B sequences. Any fault stops the run with the instruction's index.

use mmfree_spec::devmem::{self, Header, MAX_EXP};
use mmfree_spec::format::{Bfp, ZERO_EXP};
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::{self, INSTR_BYTES, Instr};
use mmfree_spec::{Error, Result, Scale, ops};

use crate::gemv::{self, Gemv};
use crate::vector::{Fault, gates_reg, prefix, vec_op};

/// What the ISS counted over one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Instructions executed (END included).
    pub instructions: u64,
    /// Bytes streamed from the weight banks (padding rows and beats included).
    pub weight_bytes: u64,
    /// Vector elements loaded, stored or computed, summed over the sequences.
    pub elements: u64,
    /// Ternary multiply-accumulates (`rows * cols` per GEMV and sequence).
    pub ternary_macs: u64,
}

/// The per-sequence state of the datapath.
#[derive(Clone, Debug)]
struct Lane {
    regs: Vec<Bfp>,
    codes: Vec<i8>,
    acc: Vec<i32>,
    sigma: Scale,
}

/// The device memory the program sees.
pub struct Memory<'a> {
    /// The data bank.
    pub data: &'a mut [u8],
    /// The weight banks, in port order.
    pub weights: Vec<&'a [u8]>,
}

fn span(
    bank: &[u8],
    what: &str,
    at: u64,
    len: u64,
) -> std::result::Result<std::ops::Range<usize>, Fault> {
    match at.checked_add(len) {
        Some(end) if end <= bank.len() as u64 => Ok(at as usize..end as usize),
        _ => Err(format!(
            "{what}: {len} bytes at 0x{at:x} are outside the data bank ({} bytes)",
            bank.len()
        )),
    }
}

/// The machine: configuration, header and lanes.
pub struct Machine<'c> {
    cfg: &'c HwConfig,
    header: Header,
    lanes: Vec<Lane>,
    /// Activity of this run.
    pub counters: Counters,
}

impl<'c> Machine<'c> {
    /// A machine in its reset state for the image whose header is `header`.
    pub fn new(cfg: &'c HwConfig, header: Header) -> Machine<'c> {
        let lane = Lane {
            regs: vec![Bfp::default(); isa::N_VREGS as usize],
            codes: Vec::new(),
            acc: Vec::new(),
            sigma: Scale::ZERO,
        };
        Machine {
            cfg,
            header,
            lanes: vec![lane; cfg.batch as usize],
            counters: Counters::default(),
        }
    }

    /// Fetches and executes instructions from the header's program offset until END.
    pub fn run(&mut self, mem: &mut Memory<'_>) -> Result<()> {
        for index in 0..self.header.program_len as usize {
            if self.step(mem, index)? {
                return Ok(());
            }
        }
        Err(Error::Program {
            index: self.header.program_len as usize,
            instr: "fetch".into(),
            why: "the program has no END".into(),
        })
    }

    /// Fetches and executes instruction `index`; true at END (the instruction-by-instruction
    /// comparison with the RTL steps both machines with this).
    pub fn step(&mut self, mem: &mut Memory<'_>, index: usize) -> Result<bool> {
        let at = self.header.program as u64 + (index * INSTR_BYTES) as u64;
        let fault = |instr: String, why: String| Error::Program { index, instr, why };
        let range = span(mem.data, "fetch", at, INSTR_BYTES as u64)
            .map_err(|why| fault("fetch".into(), why))?;
        let instr = isa::decode(&mem.data[range.clone()])
            .map_err(|e| fault(isa::hex_words(words(&mem.data[range])), e.to_string()))?;
        self.counters.instructions += 1;
        if instr == Instr::End {
            return Ok(true);
        }
        self.exec(&instr, mem)
            .map_err(|why| fault(instr.to_string(), why))?;
        Ok(false)
    }

    /// Vector register `r` of sequence `b` (as long as its last write).
    pub fn vreg(&self, b: usize, r: usize) -> &Bfp {
        &self.lanes[b].regs[r]
    }

    /// The codes of the last QUANT of sequence `b`.
    pub fn codes(&self, b: usize) -> &[i8] {
        &self.lanes[b].codes
    }

    /// The accumulators of the last GEMV of sequence `b`.
    pub fn accumulators(&self, b: usize) -> &[i32] {
        &self.lanes[b].acc
    }

    /// `sigma` of the last QUANT of sequence `b`.
    pub fn sigma(&self, b: usize) -> Scale {
        self.lanes[b].sigma
    }

    fn check_len(&self, len: u32) -> std::result::Result<usize, Fault> {
        let cap = self.cfg.vreg_words();
        if len > cap {
            return Err(format!(
                "len {len} exceeds the {cap} elements of a vector register"
            ));
        }
        Ok(len as usize)
    }

    fn exec(&mut self, instr: &Instr, mem: &mut Memory<'_>) -> std::result::Result<(), Fault> {
        let b_count = self.lanes.len() as u64;
        match *instr {
            Instr::End => Ok(()),
            Instr::LoadV {
                vd,
                len,
                addr,
                stride,
            } => {
                let n = self.check_len(len)?;
                for (b, lane) in self.lanes.iter_mut().enumerate() {
                    let at = addr as u64 + b as u64 * stride as u64;
                    let r = span(
                        mem.data,
                        "LOADV",
                        at,
                        (devmem::BFP_HEAD_BYTES + 4 * n) as u64,
                    )?;
                    lane.regs[vd as usize] =
                        devmem::decode_bfp(&mem.data[r], n).map_err(|e| e.to_string())?;
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::StoreV {
                va,
                len,
                addr,
                stride,
            } => {
                let n = self.check_len(len)?;
                for (b, lane) in self.lanes.iter().enumerate() {
                    let v = prefix(&lane.regs[va as usize], va, n)?;
                    let at = addr as u64 + b as u64 * stride as u64;
                    let r = span(
                        mem.data,
                        "STOREV",
                        at,
                        (devmem::BFP_HEAD_BYTES + 4 * n) as u64,
                    )?;
                    devmem::encode_bfp(&v, &mut mem.data[r]);
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::LoadG { vd, len, addr } => {
                let n = self.check_len(len)?;
                let r = span(mem.data, "LOADG", addr as u64, 4 * n as u64)?;
                let g = devmem::decode_gates(&mem.data[r], n).map_err(|e| e.to_string())?;
                let v = gates_reg(&g);
                for lane in &mut self.lanes {
                    lane.regs[vd as usize] = v.clone();
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::Embed {
                vd,
                len,
                table,
                row_stride,
            } => {
                let n = self.check_len(len)?;
                for b in 0..self.lanes.len() {
                    let t = self.token(mem, b)?;
                    let at = table as u64 + t as u64 * row_stride as u64;
                    let r = span(
                        mem.data,
                        "EMBED",
                        at,
                        (devmem::BFP_HEAD_BYTES + 4 * n) as u64,
                    )?;
                    self.lanes[b].regs[vd as usize] =
                        devmem::decode_bfp(&mem.data[r], n).map_err(|e| e.to_string())?;
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::Vec {
                op,
                vd,
                va,
                vb,
                len,
            } => {
                let n = self.check_len(len)?;
                for lane in &mut self.lanes {
                    let out = vec_op(op, &lane.regs, vd, va, vb, n)?;
                    if !(ZERO_EXP..=MAX_EXP).contains(&out.exp) {
                        return Err(format!("result exponent {} is out of range", out.exp));
                    }
                    lane.regs[vd as usize] = out;
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::Quant { va, vb, len, alpha } => {
                let n = self.check_len(len)?;
                for lane in &mut self.lanes {
                    let y = prefix(&lane.regs[va as usize], va, n)?;
                    let gamma = prefix(&lane.regs[vb as usize], vb, n)?;
                    lane.codes = vec![0i8; n];
                    lane.sigma = ops::quantize(&y, &gamma, alpha, &mut lane.codes);
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::Gemv {
                cols,
                weights,
                rows,
            } => self.gemv(mem, cols, weights, rows),
            Instr::Dequant {
                vd,
                len,
                first,
                group,
            } => {
                let n = self.check_len(len)?;
                for lane in &mut self.lanes {
                    let (first, group) = (first as usize, group as usize);
                    if group > lane.acc.len() || first + n > group {
                        return Err(format!(
                            "elements {first}..{} of a group of {group} rows do not fit the {} rows of the last GEMV",
                            first + n,
                            lane.acc.len()
                        ));
                    }
                    let all = ops::dequantize(&lane.acc[..group], lane.sigma);
                    lane.regs[vd as usize] = Bfp {
                        mant: all.mant[first..first + n].to_vec(),
                        exp: all.exp,
                    };
                }
                self.counters.elements += n as u64 * b_count;
                Ok(())
            }
            Instr::Argmax { len, addr } => {
                for b in 0..self.lanes.len() {
                    let acc = self.acc(b, len)?;
                    let token = ops::argmax(acc) as u32;
                    let r = span(mem.data, "ARGMAX", addr as u64 + 4 * b as u64, 4)?;
                    mem.data[r].copy_from_slice(&token.to_le_bytes());
                }
                self.counters.elements += len as u64 * b_count;
                Ok(())
            }
            Instr::StoreAcc { len, addr, stride } => {
                for b in 0..self.lanes.len() {
                    let at = addr as u64 + b as u64 * stride as u64;
                    let bytes = devmem::acc_output_bytes(len as usize) as u64;
                    let r = span(mem.data, "STOREACC", at, bytes)?;
                    let out = &mut mem.data[r];
                    devmem::encode_scale(self.lanes[b].sigma, out);
                    let acc = self.acc(b, len)?;
                    for (c, a) in out[devmem::SCALE_BYTES..].chunks_exact_mut(4).zip(acc) {
                        c.copy_from_slice(&a.to_le_bytes());
                    }
                }
                self.counters.elements += len as u64 * b_count;
                Ok(())
            }
        }
    }

    fn acc(&self, b: usize, len: u32) -> std::result::Result<&[i32], Fault> {
        let acc = &self.lanes[b].acc;
        acc.get(..len as usize)
            .ok_or_else(|| format!("len {len} exceeds the {} rows of the last GEMV", acc.len()))
    }

    fn token(&self, mem: &Memory<'_>, b: usize) -> std::result::Result<u32, Fault> {
        let r = span(
            mem.data,
            "token slot",
            self.header.tokens as u64 + 4 * b as u64,
            4,
        )?;
        let t = u32::from_le_bytes(mem.data[r].try_into().unwrap_or([0; 4]));
        if t >= self.header.vocab {
            return Err(format!(
                "token id {t} of sequence {b} is not below the vocabulary size {}",
                self.header.vocab
            ));
        }
        Ok(t)
    }

    fn gemv(
        &mut self,
        mem: &Memory<'_>,
        cols: u32,
        weights: u32,
        rows: u32,
    ) -> std::result::Result<(), Fault> {
        let cfg = self.cfg;
        if rows > cfg.acc_rows() {
            return Err(format!(
                "rows {rows} exceed the {} accumulators",
                cfg.acc_rows()
            ));
        }
        let k = cfg.weights_per_beat() as usize;
        let beats = (cols as usize).div_ceil(k);
        let row_bytes = beats * cfg.beat_bytes() as usize;
        let per_bank = (rows as usize).div_ceil(cfg.weight_ports as usize) * row_bytes;
        let padded = beats * k;
        let mut codes = Vec::with_capacity(self.lanes.len());
        for lane in &self.lanes {
            if lane.codes.len() < cols as usize {
                return Err(format!(
                    "cols {cols} exceed the {} codes of the last QUANT",
                    lane.codes.len()
                ));
            }
            let mut c = lane.codes[..cols as usize].to_vec();
            c.resize(padded, 0);
            codes.push(c);
        }
        for (p, bank) in mem.weights.iter().enumerate() {
            if weights as usize + per_bank > bank.len() {
                return Err(format!(
                    "{per_bank} bytes at 0x{weights:x} are outside weight bank {p} ({} bytes)",
                    bank.len()
                ));
            }
        }
        let g = Gemv {
            banks: &mem.weights,
            offset: weights as usize,
            row_bytes,
            rows: rows as usize,
            codes: &codes,
        };
        let acc = gemv::run(&g, cfg)?;
        for (lane, a) in self.lanes.iter_mut().zip(acc) {
            lane.acc = a;
        }
        let nb = self.lanes.len() as u64;
        self.counters.weight_bytes += (per_bank * mem.weights.len()) as u64;
        self.counters.ternary_macs += rows as u64 * cols as u64 * nb;
        Ok(())
    }
}

fn words(bytes: &[u8]) -> [u32; 4] {
    let mut w = [0u32; 4];
    for (x, c) in w.iter_mut().zip(bytes.chunks_exact(4)) {
        *x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    w
}
