//! The binding of an AXI4 memory model to a Verilated design's master ports (DESIGN.md section 4:
//! `m_axi_<bank>_*`): finds `<prefix>_arvalid` and friends once, then copies the slave's outputs
//! onto the pins before the design settles and the master's outputs off them after.
//!
//! A port with no AR channel is a write-only master and the other way round. `AxSIZE`,
//! `AxBURST`, `xRESP` and `WSTRB` may be absent (full-width INCR bursts, OKAY, all strobes).

use crate::axi::signals::{INCR, MasterSignals, Request, SlaveSignals};
use crate::error::{Error, Result};
use crate::model::{Port, Verilated};

/// The AR and R ports.
struct ReadPins {
    araddr: Port,
    arlen: Port,
    arsize: Option<Port>,
    arburst: Option<Port>,
    arvalid: Port,
    arready: Port,
    rdata: Port,
    rresp: Option<Port>,
    rlast: Port,
    rvalid: Port,
    rready: Port,
}

/// The AW, W and B ports.
struct WritePins {
    awaddr: Port,
    awlen: Port,
    awsize: Option<Port>,
    awburst: Option<Port>,
    awvalid: Port,
    awready: Port,
    wdata: Port,
    wstrb: Option<Port>,
    wlast: Port,
    wvalid: Port,
    wready: Port,
    bresp: Option<Port>,
    bvalid: Port,
    bready: Port,
}

/// The ports of one master, found by name.
pub(crate) struct Pins {
    read: Option<ReadPins>,
    write: Option<WritePins>,
    beat_bytes: usize,
    size_code: u8,
    words: Vec<u32>,
}

/// Looks ports up by `<prefix>_<name>`.
struct Finder<'a> {
    model: &'a Verilated,
    bus: &'a str,
    prefix: &'a str,
}

impl Finder<'_> {
    fn has(&self, name: &str) -> bool {
        self.model.port(&format!("{}_{name}", self.prefix)).is_ok()
    }

    fn get(&self, name: &str) -> Result<Port> {
        self.model
            .port(&format!("{}_{name}", self.prefix))
            .map_err(|e| self.error(e.to_string()))
    }

    fn opt(&self, name: &str) -> Option<Port> {
        self.model.port(&format!("{}_{name}", self.prefix)).ok()
    }

    /// A data port must carry exactly one beat.
    fn data(&self, name: &str, beat_bytes: usize) -> Result<Port> {
        let p = self.get(name)?;
        if p.width() as usize != 8 * beat_bytes {
            return Err(self.error(format!(
                "{}_{name} is {} bits wide, the memory's beats are {} bits",
                self.prefix,
                p.width(),
                8 * beat_bytes
            )));
        }
        Ok(p)
    }

    fn error(&self, why: String) -> Error {
        Error::Bind {
            bus: self.bus.into(),
            top: self.model.top().into(),
            why,
        }
    }
}

impl Pins {
    /// Finds the ports of the master `<prefix>_*` of `model`.
    pub(crate) fn bind(
        model: &Verilated,
        bus: &str,
        prefix: &str,
        beat_bytes: usize,
    ) -> Result<Pins> {
        let f = Finder { model, bus, prefix };
        let read = if f.has("arvalid") {
            Some(ReadPins {
                araddr: f.get("araddr")?,
                arlen: f.get("arlen")?,
                arsize: f.opt("arsize"),
                arburst: f.opt("arburst"),
                arvalid: f.get("arvalid")?,
                arready: f.get("arready")?,
                rdata: f.data("rdata", beat_bytes)?,
                rresp: f.opt("rresp"),
                rlast: f.get("rlast")?,
                rvalid: f.get("rvalid")?,
                rready: f.get("rready")?,
            })
        } else {
            None
        };
        let write = if f.has("awvalid") {
            Some(WritePins {
                awaddr: f.get("awaddr")?,
                awlen: f.get("awlen")?,
                awsize: f.opt("awsize"),
                awburst: f.opt("awburst"),
                awvalid: f.get("awvalid")?,
                awready: f.get("awready")?,
                wdata: f.data("wdata", beat_bytes)?,
                wstrb: f.opt("wstrb"),
                wlast: f.get("wlast")?,
                wvalid: f.get("wvalid")?,
                wready: f.get("wready")?,
                bresp: f.opt("bresp"),
                bvalid: f.get("bvalid")?,
                bready: f.get("bready")?,
            })
        } else {
            None
        };
        if read.is_none() && write.is_none() {
            return Err(f.error(format!("no {prefix}_arvalid or {prefix}_awvalid port")));
        }
        Ok(Pins {
            read,
            write,
            beat_bytes,
            size_code: beat_bytes.trailing_zeros() as u8,
            words: vec![0; beat_bytes.div_ceil(4)],
        })
    }

    /// Sets the slave's outputs on the design's inputs.
    pub(crate) fn drive(&self, model: &mut Verilated, s: &SlaveSignals) -> Result<()> {
        if let Some(p) = &self.read {
            model.set(p.arready, s.ar_ready as u64)?;
            model.set(p.rvalid, s.r_valid as u64)?;
            model.set_words(p.rdata, &to_words(&s.r_data))?;
            model.set(p.rlast, s.r_last as u64)?;
            if let Some(rresp) = p.rresp {
                model.set(rresp, s.r_resp as u64)?;
            }
        }
        if let Some(p) = &self.write {
            model.set(p.awready, s.aw_ready as u64)?;
            model.set(p.wready, s.w_ready as u64)?;
            model.set(p.bvalid, s.b_valid as u64)?;
            if let Some(bresp) = p.bresp {
                model.set(bresp, s.b_resp as u64)?;
            }
        }
        Ok(())
    }

    /// Reads the master's outputs from the settled design into `m`.
    pub(crate) fn sample(&mut self, model: &Verilated, m: &mut MasterSignals) -> Result<()> {
        let flag = |port: Port| -> Result<bool> { Ok(model.get(port)? != 0) };
        if let Some(p) = &self.read {
            m.ar_valid = flag(p.arvalid)?;
            m.ar = self.request(model, p.araddr, p.arlen, p.arsize, p.arburst)?;
            m.r_ready = flag(p.rready)?;
        }
        if let Some(p) = &self.write {
            m.aw_valid = flag(p.awvalid)?;
            m.aw = self.request(model, p.awaddr, p.awlen, p.awsize, p.awburst)?;
            m.w_valid = flag(p.wvalid)?;
            m.w_last = flag(p.wlast)?;
            m.b_ready = flag(p.bready)?;
            m.w_strb = match p.wstrb {
                Some(port) => {
                    model.get_words_into(port, &mut self.words[..port.words()])?;
                    self.words[..port.words()]
                        .iter()
                        .rev()
                        .fold(0u128, |acc, &w| acc << 32 | w as u128)
                }
                None => u128::MAX,
            };
            model.get_words_into(p.wdata, &mut self.words)?;
            m.w_data.resize(self.beat_bytes, 0);
            for (i, b) in m.w_data.iter_mut().enumerate() {
                *b = (self.words[i / 4] >> (8 * (i % 4))) as u8;
            }
        }
        Ok(())
    }

    fn request(
        &self,
        model: &Verilated,
        addr: Port,
        len: Port,
        size: Option<Port>,
        burst: Option<Port>,
    ) -> Result<Request> {
        Ok(Request {
            addr: model.get(addr)?,
            len: model.get(len)? as u8,
            size: match size {
                Some(p) => model.get(p)? as u8,
                None => self.size_code,
            },
            burst: match burst {
                Some(p) => model.get(p)? as u8,
                None => INCR,
            },
        })
    }
}

/// Little-endian bytes as little-endian 32-bit words.
fn to_words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| c.iter().rev().fold(0u32, |acc, &b| acc << 8 | b as u32))
        .collect()
}
