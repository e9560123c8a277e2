//! An AXI4-Lite master driven from Rust on a Verilated design's slave ports (DESIGN.md section 4:
//! the host programs the kernel through `s_axi_control`): one read or write at a time, with
//! optional seeded random delays before each VALID and random READY, checking the slave's side
//! of the protocol as it goes (no response before its request, RVALID/BVALID held until taken,
//! RDATA stable while waiting).
//!
//! Each call clocks the model until the transaction completes; it drives only the bus inputs, so
//! the caller sets the design's other inputs before the call.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::axi::signals::{OKAY, resp_name};
use crate::error::{Error, Result};
use crate::model::{Port, Verilated};

/// Cycles a transaction may take before it is reported as stuck.
const TIMEOUT_CYCLES: u64 = 1000;

/// The ports of one AXI4-Lite slave interface.
#[derive(Clone, Copy)]
struct LitePorts {
    awaddr: Port,
    awvalid: Port,
    awready: Port,
    wdata: Port,
    wstrb: Option<Port>,
    wvalid: Port,
    wready: Port,
    bresp: Option<Port>,
    bvalid: Port,
    bready: Port,
    araddr: Port,
    arvalid: Port,
    arready: Port,
    rdata: Port,
    rresp: Option<Port>,
    rvalid: Port,
    rready: Port,
}

/// Random timing of the master's signals.
struct Jitter {
    rng: ChaCha8Rng,
    max_delay: u32,
}

/// Performs AXI4-Lite reads and writes on the `<prefix>_*` ports of a model.
pub struct LiteDriver {
    bus: String,
    ports: LitePorts,
    jitter: Option<Jitter>,
    cycles: u64,
}

impl LiteDriver {
    /// Finds the slave ports `<prefix>_awaddr` ... `<prefix>_rready` of `model`.
    pub fn bind(model: &Verilated, prefix: &str) -> Result<LiteDriver> {
        let get = |name: &str| {
            model
                .port(&format!("{prefix}_{name}"))
                .map_err(|e| Error::Bind {
                    bus: prefix.into(),
                    top: model.top().into(),
                    why: e.to_string(),
                })
        };
        let opt = |name: &str| model.port(&format!("{prefix}_{name}")).ok();
        let ports = LitePorts {
            awaddr: get("awaddr")?,
            awvalid: get("awvalid")?,
            awready: get("awready")?,
            wdata: get("wdata")?,
            wstrb: opt("wstrb"),
            wvalid: get("wvalid")?,
            wready: get("wready")?,
            bresp: opt("bresp"),
            bvalid: get("bvalid")?,
            bready: get("bready")?,
            araddr: get("araddr")?,
            arvalid: get("arvalid")?,
            arready: get("arready")?,
            rdata: get("rdata")?,
            rresp: opt("rresp"),
            rvalid: get("rvalid")?,
            rready: get("rready")?,
        };
        Ok(LiteDriver {
            bus: prefix.into(),
            ports,
            jitter: None,
            cycles: 0,
        })
    }

    /// From now on, waits `0..=max_delay` cycles before raising each VALID and raises READY on
    /// a random half of the cycles, drawn from `seed`.
    pub fn with_random_timing(mut self, seed: u64, max_delay: u32) -> LiteDriver {
        self.jitter = Some(Jitter {
            rng: ChaCha8Rng::seed_from_u64(seed),
            max_delay,
        });
        self
    }

    /// Cycles this driver has clocked the model.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Writes a whole 32-bit word.
    pub fn write(&mut self, model: &mut Verilated, addr: u64, data: u32) -> Result<()> {
        self.write_strobed(model, addr, data, 0xf)
    }

    /// Writes the bytes of `data` selected by `strb` (bit `i` for byte `i`).
    pub fn write_strobed(
        &mut self,
        model: &mut Verilated,
        addr: u64,
        data: u32,
        strb: u8,
    ) -> Result<()> {
        let p = self.ports;
        let (aw_delay, w_delay) = (self.delay(), self.delay());
        let (mut aw_done, mut w_done, mut b_waiting) = (false, false, false);
        model.set(p.awaddr, addr)?;
        model.set(p.wdata, data as u64)?;
        if let Some(wstrb) = p.wstrb {
            model.set(wstrb, strb as u64)?;
        } else if strb != 0xf {
            return Err(self.protocol("the slave has no WSTRB for a partial write".into()));
        }
        for c in 0..TIMEOUT_CYCLES as u32 {
            let (aw_on, w_on) = (!aw_done && c >= aw_delay, !w_done && c >= w_delay);
            let b_ready = self.ready();
            model.set(p.awvalid, aw_on as u64)?;
            model.set(p.wvalid, w_on as u64)?;
            model.set(p.bready, b_ready as u64)?;
            model.eval();
            let b_valid = model.get(p.bvalid)? != 0;
            if b_valid && !(aw_done && w_done) {
                return Err(self.protocol("BVALID before the write's AW and W handshakes".into()));
            }
            if b_waiting && !b_valid {
                return Err(self.protocol("BVALID fell before BREADY".into()));
            }
            aw_done |= aw_on && model.get(p.awready)? != 0;
            w_done |= w_on && model.get(p.wready)? != 0;
            let resp = match p.bresp {
                Some(port) => model.get(port)? as u8,
                None => OKAY,
            };
            self.tick(model)?;
            if b_valid && b_ready {
                self.release(model)?;
                return self.answer(resp, format!("write of {data:#010x} to {addr:#x}"));
            }
            b_waiting = b_valid;
        }
        Err(self.timeout(format!("write to {addr:#x}")))
    }

    /// Reads a 32-bit word.
    pub fn read(&mut self, model: &mut Verilated, addr: u64) -> Result<u32> {
        let p = self.ports;
        let ar_delay = self.delay();
        let (mut ar_done, mut waiting) = (false, None::<u64>);
        model.set(p.araddr, addr)?;
        for c in 0..TIMEOUT_CYCLES as u32 {
            let ar_on = !ar_done && c >= ar_delay;
            let r_ready = self.ready();
            model.set(p.arvalid, ar_on as u64)?;
            model.set(p.rready, r_ready as u64)?;
            model.eval();
            let r_valid = model.get(p.rvalid)? != 0;
            let data = model.get(p.rdata)?;
            if r_valid && !ar_done {
                return Err(self.protocol("RVALID before the read's AR handshake".into()));
            }
            if let Some(before) = waiting {
                if !r_valid {
                    return Err(self.protocol("RVALID fell before RREADY".into()));
                }
                if data != before {
                    return Err(
                        self.protocol("RDATA changed while RVALID waited for RREADY".into())
                    );
                }
            }
            ar_done |= ar_on && model.get(p.arready)? != 0;
            let resp = match p.rresp {
                Some(port) => model.get(port)? as u8,
                None => OKAY,
            };
            self.tick(model)?;
            if r_valid && r_ready {
                self.release(model)?;
                self.answer(resp, format!("read of {addr:#x}"))?;
                return Ok(data as u32);
            }
            waiting = r_valid.then_some(data);
        }
        Err(self.timeout(format!("read of {addr:#x}")))
    }

    /// Clocks the model `cycles` times with the bus idle.
    pub fn idle(&mut self, model: &mut Verilated, cycles: u64) -> Result<()> {
        self.release(model)?;
        for _ in 0..cycles {
            self.tick(model)?;
        }
        Ok(())
    }

    fn tick(&mut self, model: &mut Verilated) -> Result<()> {
        self.cycles += 1;
        model.tick()
    }

    /// Drops every VALID and READY the driver owns.
    fn release(&self, model: &mut Verilated) -> Result<()> {
        let p = &self.ports;
        for port in [p.awvalid, p.wvalid, p.bready, p.arvalid, p.rready] {
            model.set(port, 0)?;
        }
        Ok(())
    }

    fn delay(&mut self) -> u32 {
        match &mut self.jitter {
            Some(j) => j.rng.gen_range(0..=j.max_delay),
            None => 0,
        }
    }

    fn ready(&mut self) -> bool {
        match &mut self.jitter {
            Some(j) => j.rng.gen_bool(0.5),
            None => true,
        }
    }

    fn answer(&self, resp: u8, what: String) -> Result<()> {
        if resp == OKAY {
            Ok(())
        } else {
            Err(Error::Response {
                bus: self.bus.clone(),
                what,
                resp: resp_name(resp),
            })
        }
    }

    fn protocol(&self, rule: String) -> Error {
        Error::Protocol {
            bus: self.bus.clone(),
            cycle: self.cycles,
            rule,
        }
    }

    fn timeout(&self, what: String) -> Error {
        Error::Timeout {
            bus: self.bus.clone(),
            what,
            cycles: TIMEOUT_CYCLES,
        }
    }
}
