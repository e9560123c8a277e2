//! `AxiLiteControl` in Verilator driven by `axi::LiteDriver` (DESIGN.md section 4, the Vitis
//! `ap_ctrl_hs` register map): the start/done/idle handshake, clear-on-read, interrupts, 64-bit
//! argument words, byte strobes, and a long random sequence of host accesses and kernel events
//! checked against an independent model of the register map, under random bus timing.

mod axi_common;

use anyhow::ensure;
use axi_common::verilate;
use mmfree_hdl::{ControlLayout, declare_axi_lite_control};
use mmfree_sim::axi::LiteDriver;
use mmfree_sim::{Port, Verilated};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N_ARGS: usize = 8;
declare_axi_lite_control!(Control, N_ARGS, 7);

/// The ap_ctrl_hs offsets of DESIGN.md section 4, written out here independently of any crate.
const CONTROL: u64 = 0x00;
const GIE: u64 = 0x04;
const IER: u64 = 0x08;
const ISR: u64 = 0x0c;
const ARGS: u64 = 0x10;

/// The register map as the host sees it, written from DESIGN.md section 4 and the Vitis
/// `ap_ctrl_hs` conventions.
#[derive(Clone, Debug, Default)]
struct Reference {
    start: bool,
    done: bool,
    ready: bool,
    idle: bool,
    gie: bool,
    ier: u32,
    isr: u32,
    args: [u32; N_ARGS],
}

impl Reference {
    fn write(&mut self, addr: u64, data: u32, strb: u8) {
        let mask = (0..4)
            .filter(|i| strb >> i & 1 == 1)
            .fold(0u32, |m, i| m | 0xff << (8 * i));
        let low = strb & 1 == 1;
        match addr {
            CONTROL if low && data & 1 == 1 => self.start = true,
            GIE if low => self.gie = data & 1 == 1,
            IER if low => self.ier = data & 3,
            ISR if low => self.isr ^= data & 3,
            a if (ARGS..ARGS + 4 * N_ARGS as u64).contains(&a) => {
                let w = &mut self.args[((a - ARGS) / 4) as usize];
                *w = (*w & !mask) | (data & mask);
            }
            _ => {}
        }
    }

    fn read(&mut self, addr: u64) -> u32 {
        match addr {
            CONTROL => {
                let v = self.start as u32
                    | (self.done as u32) << 1
                    | (self.idle as u32) << 2
                    | (self.ready as u32) << 3;
                self.done = false;
                self.ready = false;
                v
            }
            GIE => self.gie as u32,
            IER => self.ier,
            ISR => self.isr,
            a if (ARGS..ARGS + 4 * N_ARGS as u64).contains(&a) => {
                self.args[((a - ARGS) / 4) as usize]
            }
            _ => 0,
        }
    }

    fn kernel_done(&mut self) {
        self.start = false;
        self.done = true;
        self.ready = true;
        self.isr |= self.ier;
    }

    fn irq(&self) -> bool {
        self.gie && self.isr != 0
    }
}

/// The slave with its host driver and kernel-side ports.
struct Rig {
    model: Verilated,
    host: LiteDriver,
    done: Port,
    idle: Port,
    start: Port,
    irq: Port,
    args: Port,
}

impl Rig {
    fn new(random_timing: Option<u64>) -> anyhow::Result<Rig> {
        let layout = ControlLayout {
            control: CONTROL,
            global_interrupt_enable: GIE,
            interrupt_enable: IER,
            interrupt_status: ISR,
            args: ARGS,
        };
        let mut model = verilate(Control::new(layout)?, "axi_lite_control8")?;
        let mut host = LiteDriver::bind(&model, "s_axil")?;
        if let Some(seed) = random_timing {
            host = host.with_random_timing(seed, 4);
        }
        let reset = model.port("reset")?;
        model.set(reset, 1)?;
        host.idle(&mut model, 2)?;
        model.set(reset, 0)?;
        Ok(Rig {
            done: model.port("done")?,
            idle: model.port("idle")?,
            start: model.port("start")?,
            irq: model.port("irq")?,
            args: model.port("args")?,
            model,
            host,
        })
    }

    /// One cycle with `done` high, as a finishing kernel raises it.
    fn pulse_done(&mut self) -> anyhow::Result<()> {
        self.model.set(self.done, 1)?;
        self.host.idle(&mut self.model, 1)?;
        self.model.set(self.done, 0)?;
        Ok(())
    }

    fn read(&mut self, addr: u64) -> anyhow::Result<u32> {
        Ok(self.host.read(&mut self.model, addr)?)
    }

    fn write(&mut self, addr: u64, data: u32) -> anyhow::Result<()> {
        Ok(self.host.write(&mut self.model, addr, data)?)
    }

    fn flag(&self, port: Port) -> anyhow::Result<bool> {
        Ok(self.model.get(port)? != 0)
    }

    /// Argument word `i` as the kernel sees it.
    fn arg(&self, i: usize) -> u32 {
        self.model.get_words(self.args)[i]
    }
}

#[test]
fn start_done_idle_handshake_and_clear_on_read() -> anyhow::Result<()> {
    let mut r = Rig::new(None)?;
    r.model.set(r.idle, 1)?;
    ensure!(r.read(CONTROL)? == 0b0100, "after reset: idle only");
    r.write(CONTROL, 1)?;
    ensure!(r.flag(r.start)?, "ap_start did not reach the kernel");
    ensure!(r.read(CONTROL)? == 0b0101, "started and still idle");
    r.model.set(r.idle, 0)?;
    ensure!(r.read(CONTROL)? == 0b0001, "running: start, not idle");
    r.write(CONTROL, 0)?;
    ensure!(r.flag(r.start)?, "writing 0 must not clear ap_start");
    r.model.set(r.idle, 1)?;
    r.pulse_done()?;
    ensure!(!r.flag(r.start)?, "done must clear ap_start");
    ensure!(
        r.read(CONTROL)? == 0b1110,
        "done, idle and ready after the run"
    );
    ensure!(r.read(CONTROL)? == 0b0100, "done and ready clear on read");
    Ok(())
}

#[test]
fn a_done_on_the_clearing_read_is_not_lost() -> anyhow::Result<()> {
    let mut r = Rig::new(None)?;
    r.model.set(r.idle, 1)?;
    // done stays high through the whole read, so it also arrives on the read's handshake edge.
    r.model.set(r.done, 1)?;
    ensure!(r.read(CONTROL)? & 0b10 == 0b10, "done not visible");
    r.model.set(r.done, 0)?;
    ensure!(
        r.read(CONTROL)? & 0b10 == 0b10,
        "the done that met the clearing read was lost"
    );
    ensure!(r.read(CONTROL)? & 0b10 == 0, "done did not clear");
    Ok(())
}

#[test]
fn interrupts_enable_status_and_toggle_on_write() -> anyhow::Result<()> {
    let mut r = Rig::new(None)?;
    r.pulse_done()?;
    ensure!(r.read(ISR)? == 0, "status set with interrupts disabled");
    r.write(IER, 0b01)?;
    r.pulse_done()?;
    ensure!(r.read(ISR)? == 0b01, "done did not set the status");
    ensure!(!r.flag(r.irq)?, "irq without the global enable");
    r.write(GIE, 1)?;
    ensure!(r.flag(r.irq)?, "irq did not rise");
    ensure!(
        (r.read(GIE)?, r.read(IER)?) == (1, 0b01),
        "enables read back"
    );
    r.write(ISR, 0b01)?;
    ensure!(r.read(ISR)? == 0, "writing 1 must toggle the status off");
    ensure!(!r.flag(r.irq)?, "irq did not fall");
    r.write(IER, 0b11)?;
    r.pulse_done()?;
    ensure!(r.read(ISR)? == 0b11, "done and ready status");
    r.write(ISR, 0b10)?;
    ensure!(r.read(ISR)? == 0b01, "toggle of the ready bit only");
    ensure!(r.flag(r.irq)?, "irq with one status bit left");
    Ok(())
}

#[test]
fn argument_words_and_64_bit_pointers() -> anyhow::Result<()> {
    let mut r = Rig::new(None)?;
    let pointer: u64 = 0x0000_0040_1234_5600;
    let before = r.host.cycles();
    r.write(ARGS + 8, pointer as u32)?;
    // Valids up, both readies one cycle later, B the cycle after: three cycles per write.
    ensure!(
        r.host.cycles() - before == 3,
        "a write took {} cycles",
        r.host.cycles() - before
    );
    r.write(ARGS + 12, (pointer >> 32) as u32)?;
    let kernel = r.arg(2) as u64 | (r.arg(3) as u64) << 32;
    ensure!(
        kernel == pointer,
        "pointer as the kernel sees it: {kernel:#x}"
    );
    let before = r.host.cycles();
    ensure!(
        r.read(ARGS + 8)? == 0x1234_5600,
        "pointer low word read back"
    );
    // ARVALID, ARREADY one cycle later, RVALID the cycle after: three cycles per read.
    ensure!(
        r.host.cycles() - before == 3,
        "a read took {} cycles",
        r.host.cycles() - before
    );
    ensure!(r.read(ARGS + 12)? == 0x40, "pointer high word read back");
    for i in 0..N_ARGS as u64 {
        r.write(ARGS + 4 * i, 0x1111_1111 * (i as u32 + 1))?;
    }
    r.host
        .write_strobed(&mut r.model, ARGS, 0xaabb_ccdd, 0b0101)?;
    ensure!(r.read(ARGS)? == 0x11bb_11dd, "byte strobes");
    for i in 1..N_ARGS {
        ensure!(r.arg(i) == 0x1111_1111 * (i as u32 + 1), "argument {i}");
    }
    ensure!(
        r.read(ARGS + 4 * N_ARGS as u64)? == 0,
        "past the last argument reads 0"
    );
    Ok(())
}

#[test]
fn random_accesses_and_kernel_events_match_the_register_model() -> anyhow::Result<()> {
    for seed in [41, 42, 43] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut r = Rig::new(Some(seed))?;
        let mut want = Reference::default();
        let addrs: Vec<u64> = (0..(ARGS / 4 + N_ARGS as u64 + 3)).map(|w| 4 * w).collect();
        for step in 0..3000 {
            let addr = addrs[rng.gen_range(0..addrs.len())] | rng.gen_range(0..4);
            let word = addr & !3;
            match rng.gen_range(0..10) {
                0..=3 => {
                    let (data, strb) = (rng.r#gen(), rng.gen_range(0..16));
                    r.host.write_strobed(&mut r.model, addr, data, strb)?;
                    want.write(word, data, strb);
                }
                4..=7 => {
                    let got = r.read(addr)?;
                    let expected = want.read(word);
                    ensure!(
                        got == expected,
                        "seed {seed} step {step}: read of {addr:#x} gave {got:#x}, want {expected:#x}"
                    );
                }
                8 => {
                    r.pulse_done()?;
                    want.kernel_done();
                }
                _ => {
                    let idle = rng.gen_bool(0.5);
                    r.model.set(r.idle, idle as u64)?;
                    r.host.idle(&mut r.model, 1)?;
                    want.idle = idle;
                }
            }
            ensure!(
                r.flag(r.start)? == want.start && r.flag(r.irq)? == want.irq(),
                "seed {seed} step {step}: start/irq {}/{}, want {}/{}",
                r.flag(r.start)?,
                r.flag(r.irq)?,
                want.start,
                want.irq()
            );
            for i in 0..N_ARGS {
                ensure!(
                    r.arg(i) == want.args[i],
                    "seed {seed} step {step}: argument {i} is {:#x}, want {:#x}",
                    r.arg(i),
                    want.args[i]
                );
            }
        }
        eprintln!(
            "control seed {seed}: 3000 operations in {} cycles",
            r.host.cycles()
        );
    }
    Ok(())
}

/// A deliberately faulty AXI4-Lite slave: `mode` 0 behaves, 1 drops RVALID after one cycle,
/// 2 raises BVALID before any write, 3 answers SLVERR.
const FAULTY_SLAVE: &str = "
module faulty(clock, mode, s_axil_awaddr, s_axil_awvalid, s_axil_awready, s_axil_wdata, s_axil_wvalid,
  s_axil_wready, s_axil_bresp, s_axil_bvalid, s_axil_bready, s_axil_araddr, s_axil_arvalid,
  s_axil_arready, s_axil_rdata, s_axil_rresp, s_axil_rvalid, s_axil_rready);
  input wire clock;
  input wire [1:0] mode;
  input wire [7:0] s_axil_awaddr;
  input wire s_axil_awvalid;
  output wire s_axil_awready;
  input wire [31:0] s_axil_wdata;
  input wire s_axil_wvalid;
  output wire s_axil_wready;
  output wire [1:0] s_axil_bresp;
  output reg s_axil_bvalid;
  input wire s_axil_bready;
  input wire [7:0] s_axil_araddr;
  input wire s_axil_arvalid;
  output wire s_axil_arready;
  output reg [31:0] s_axil_rdata;
  output wire [1:0] s_axil_rresp;
  output reg s_axil_rvalid;
  input wire s_axil_rready;
  assign s_axil_awready = s_axil_awvalid & s_axil_wvalid;
  assign s_axil_wready = s_axil_awvalid & s_axil_wvalid;
  assign s_axil_arready = 1'b1;
  assign s_axil_bresp = (mode == 2'd3) ? 2'd2 : 2'd0;
  assign s_axil_rresp = (mode == 2'd3) ? 2'd2 : 2'd0;
  initial begin s_axil_bvalid = 1'b0; s_axil_rvalid = 1'b0; s_axil_rdata = 32'd0; end
  always @(posedge clock) begin
    if (mode == 2'd2 || (s_axil_awvalid && s_axil_wvalid)) s_axil_bvalid <= 1'b1;
    else if (s_axil_bready) s_axil_bvalid <= 1'b0;
    if (s_axil_arvalid) begin s_axil_rvalid <= 1'b1; s_axil_rdata <= {24'd0, s_axil_araddr}; end
    else if (s_axil_rready || mode == 2'd1) s_axil_rvalid <= 1'b0;
  end
endmodule
";

#[test]
fn the_driver_reports_a_faulty_slave() -> anyhow::Result<()> {
    let mut model = Verilated::build(FAULTY_SLAVE, "faulty", &mmfree_sim::Options::default())?;
    let mode = model.port("mode")?;
    let mut host = LiteDriver::bind(&model, "s_axil")?.with_random_timing(7, 0);
    ensure!(
        host.read(&mut model, 0x24)? == 0x24,
        "the faulty slave's good mode"
    );
    host.write(&mut model, 0x24, 1)?;
    model.set(mode, 1)?;
    let first_error = |host: &mut LiteDriver, model: &mut Verilated| {
        (0..50)
            .find_map(|_| host.read(model, 0x8).err())
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = first_error(&mut host, &mut model);
    ensure!(
        e.starts_with("s_axil: cycle ") && e.ends_with(": RVALID fell before RREADY"),
        "{e}"
    );
    model.set(mode, 2)?;
    host.idle(&mut model, 1)?;
    let e = host
        .write(&mut model, 0x8, 1)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    ensure!(
        e.ends_with(": BVALID before the write's AW and W handshakes"),
        "{e}"
    );
    model.set(mode, 3)?;
    host.idle(&mut model, 3)?;
    let e = host
        .read(&mut model, 0x4)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    ensure!(e == "s_axil: read of 0x4 answered SLVERR (not OKAY)", "{e}");
    let e = LiteDriver::bind(&model, "s_axi_control")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    ensure!(e.starts_with("s_axi_control: cannot bind to module 'faulty': module 'faulty' has no port 's_axi_control_awaddr'"), "{e}");
    Ok(())
}
