//! The Vitis RTL kernel's top module (DESIGN.md section 4, docs/ACCELERATOR.md section 1): `ap_clk`,
//! `ap_rst_n`, `s_axi_control_*`, `m_axi_data_*` and one `m_axi_w{p}_*` read port per weight bank,
//! wiring the control slave, the data-bank read and write masters, the weight streamers, the
//! engines, one vector unit per sequence and the sequencer. It only routes; the `dbg_*` ports are
//! the debug window the simulation reads (a synthesized kernel leaves them unconnected).

use std::fmt::Write;

use crate::top::config::TopConfig;

/// Module names of the blocks the top instantiates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockNames {
    /// The AXI4-Lite control slave.
    pub ctrl: String,
    /// The data-bank read master.
    pub data_read: String,
    /// The data-bank write master.
    pub data_write: String,
    /// A weight streamer's read master.
    pub weight_read: String,
    /// A ternary engine.
    pub engine: String,
    /// The vector unit.
    pub vpu: String,
    /// The sequencer.
    pub seq: String,
}

impl BlockNames {
    /// The blocks of the top module `top`, each named `{top}_{block}`.
    pub fn new(top: &str) -> BlockNames {
        BlockNames {
            ctrl: format!("{top}_ctrl"),
            data_read: format!("{top}_data_read"),
            data_write: format!("{top}_data_write"),
            weight_read: format!("{top}_weight_read"),
            engine: format!("{top}_engine"),
            vpu: format!("{top}_vpu"),
            seq: format!("{top}_seq"),
        }
    }

    /// Every block with what it is and how many instances a kernel of `ports` weight ports and
    /// `sequences` sequences (one vector unit each) holds, the costliest to synthesize first so
    /// that a run by blocks starts it first.
    pub fn blocks(&self, ports: usize, sequences: usize) -> [(&str, &'static str, usize); 7] {
        [
            (&self.vpu, "vector unit", sequences),
            (&self.engine, "ternary engine", ports),
            (&self.seq, "sequencer", 1),
            (&self.weight_read, "weight streamer", ports),
            (&self.data_read, "data-bank read master", 1),
            (&self.data_write, "data-bank write master", 1),
            (&self.ctrl, "control slave", 1),
        ]
    }
}

const READ_PORTS: [(&str, &str, bool); 11] = [
    ("araddr", "[63:0]", true),
    ("arlen", "[7:0]", true),
    ("arsize", "[2:0]", true),
    ("arburst", "[1:0]", true),
    ("arvalid", "", true),
    ("arready", "", false),
    ("rdata", "D", false),
    ("rresp", "[1:0]", false),
    ("rlast", "", false),
    ("rvalid", "", false),
    ("rready", "", true),
];

const WRITE_PORTS: [(&str, &str, bool); 14] = [
    ("awaddr", "[63:0]", true),
    ("awlen", "[7:0]", true),
    ("awsize", "[2:0]", true),
    ("awburst", "[1:0]", true),
    ("awvalid", "", true),
    ("awready", "", false),
    ("wdata", "D", true),
    ("wstrb", "S", true),
    ("wlast", "", true),
    ("wvalid", "", true),
    ("wready", "", false),
    ("bresp", "[1:0]", false),
    ("bvalid", "", false),
    ("bready", "", true),
];

fn width(w: &str, data_bits: usize) -> String {
    match w {
        "D" => format!("[{}:0]", data_bits - 1),
        "S" => format!("[{}:0]", data_bits / 8 - 1),
        other => other.to_string(),
    }
}

fn axi_conns(ports: &[(&str, &str, bool)], prefix: &str) -> String {
    ports
        .iter()
        .map(|(n, _, _)| format!("        .m_axi_{n}({prefix}_{n}),\n"))
        .collect()
}

/// The AXI4 interfaces of the kernel, in port order: the control slave, the data bank, then
/// one read master per weight bank. `kernel.xml`, the link configuration and the top module's
/// port list all come from this one list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// Port prefix (`s_axi_control`, `m_axi_data`, `m_axi_w{p}`).
    pub name: String,
    /// Whether the kernel drives the bus (a master) rather than answers it.
    pub master: bool,
    /// Bits of one data beat.
    pub data_bits: usize,
    /// Bits of an address.
    pub addr_bits: usize,
    /// Whether the interface writes (the control slave and the data bank do).
    pub writes: bool,
}

/// The kernel's AXI interfaces for `c`.
pub fn interfaces(c: &TopConfig) -> Vec<Interface> {
    let master = |name: String, data_bits, writes| Interface {
        name,
        master: true,
        data_bits,
        addr_bits: 64,
        writes,
    };
    let mut all = vec![
        Interface {
            name: "s_axi_control".into(),
            master: false,
            data_bits: 32,
            addr_bits: c.ctrl_addr_bits,
            writes: true,
        },
        master("m_axi_data".into(), c.data_bits, true),
    ];
    all.extend((0..c.ports).map(|q| master(format!("m_axi_w{q}"), c.port_bits, false)));
    all
}

/// One port of the kernel's Vitis interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// Full port name.
    pub name: String,
    /// Verilog range (`[31:0]`) or empty for one bit.
    pub range: String,
    /// Whether the kernel drives it.
    pub output: bool,
}

impl Port {
    /// The port's Verilog declaration without the trailing comma.
    pub fn declaration(&self) -> String {
        let dir = if self.output {
            "output wire"
        } else {
            "input  wire"
        };
        if self.range.is_empty() {
            format!("{dir} {}", self.name)
        } else {
            format!("{dir} {} {}", self.range, self.name)
        }
    }
}

const LITE_PORTS: [(&str, &str, bool); 17] = [
    ("awaddr", "A", false),
    ("awvalid", "", false),
    ("awready", "", true),
    ("wdata", "[31:0]", false),
    ("wstrb", "[3:0]", false),
    ("wvalid", "", false),
    ("wready", "", true),
    ("bresp", "[1:0]", true),
    ("bvalid", "", true),
    ("bready", "", false),
    ("araddr", "A", false),
    ("arvalid", "", false),
    ("arready", "", true),
    ("rdata", "[31:0]", true),
    ("rresp", "[1:0]", true),
    ("rvalid", "", true),
    ("rready", "", false),
];

/// Every port a Vitis RTL kernel for `c` exposes: clock, reset, the interfaces and `interrupt`.
pub fn interface_ports(c: &TopConfig) -> Vec<Port> {
    let port = |name: String, range: String, output| Port {
        name,
        range,
        output,
    };
    let mut all = vec![
        port("ap_clk".into(), String::new(), false),
        port("ap_rst_n".into(), String::new(), false),
    ];
    for i in interfaces(c) {
        let signals: Vec<&(&str, &str, bool)> = if !i.master {
            LITE_PORTS.iter().collect()
        } else if i.writes {
            READ_PORTS.iter().chain(WRITE_PORTS.iter()).collect()
        } else {
            READ_PORTS.iter().collect()
        };
        for (n, w, out) in signals {
            let range = match *w {
                "A" => format!("[{}:0]", i.addr_bits - 1),
                other => width(other, i.data_bits),
            };
            all.push(port(format!("{}_{n}", i.name), range, *out));
        }
        if !i.master {
            all.push(port("interrupt".into(), String::new(), true));
        }
    }
    all
}

/// A module `top` with only the Vitis interface around the kernel module `core`: Vivado packages
/// it as the RTL kernel, and the debug window the simulation reads is tied off inside.
pub fn vitis_shell(c: &TopConfig, top: &str, core: &str) -> String {
    let ports = interface_ports(c);
    let mut s = format!("// The Vitis RTL kernel for configuration {}.\n", c.name);
    s += "/* verilator lint_off PINCONNECTEMPTY */\n/* verilator lint_off SYMRSVDWORD */\n";
    let decls: Vec<String> = ports
        .iter()
        .map(|p| format!("    {}", p.declaration()))
        .collect();
    let _ = writeln!(s, "module {top} (\n{}\n);", decls.join(",\n"));
    let conns: String = ports
        .iter()
        .map(|p| format!("        .{n}({n}),\n", n = p.name))
        .collect();
    let _ = writeln!(
        s,
        "    {core} core (\n{conns}        .dbg_seq(4'd0), .dbg_sel(4'd0), .dbg_reg(4'd0), .dbg_addr(32'd0),\n        \
         .dbg_data(), .dbg_pc(), .dbg_fault(), .dbg_paused(), .dbg_running(), .dbg_state()\n    );\nendmodule"
    );
    s
}

/// The top module `top` for `c`, instantiating the blocks named in `b`.
pub fn top_verilog(c: &TopConfig, top: &str, b: &BlockNames) -> String {
    let (p, dw, w, nb) = (c.ports, c.data_bits, c.port_bits, c.batch);
    let mut s = String::new();
    let _ = writeln!(s, "// The mmfree kernel for configuration {}.", c.name);
    // Waivers: status outputs of the blocks the top does not need (`out_last`, an engine's
    // `done`, the vector unit's `busy` and `acc_read_enable`) are left open, and `interrupt` is
    // the Vitis name Verilator calls a C++ word.
    s += "/* verilator lint_off PINCONNECTEMPTY */\n/* verilator lint_off UNUSEDSIGNAL */\n/* verilator lint_off SYMRSVDWORD */\n";
    let _ = writeln!(s, "module {top} (");
    for port in interface_ports(c) {
        let _ = writeln!(s, "    {},", port.declaration());
    }
    let _ = writeln!(
        s,
        "    input  wire [3:0] dbg_seq,\n    input  wire [3:0] dbg_sel,\n    input  wire [3:0] dbg_reg,\n    input  wire [31:0] dbg_addr,\n    \
         output wire [{}:0] dbg_data,\n    output wire [31:0] dbg_pc,\n    output wire [7:0] dbg_fault,\n    \
         output wire dbg_paused,\n    output wire dbg_running,\n    output wire [5:0] dbg_state\n);",
        dw - 1
    );
    let nargs = c.n_args;
    let accw = c.acc_width();
    let _ = writeln!(
        s,
        "    wire reset = !ap_rst_n;\n    wire start, done, idle;\n    wire [{}:0] args;",
        32 * nargs - 1
    );
    // Control slave.
    let lite: String = [
        "awaddr", "awvalid", "awready", "wdata", "wstrb", "wvalid", "wready", "bresp", "bvalid",
        "bready", "araddr", "arvalid", "arready", "rdata", "rresp", "rvalid", "rready",
    ]
    .iter()
    .map(|n| format!("        .s_axil_{n}(s_axi_control_{n}),\n"))
    .collect();
    let _ = writeln!(
        s,
        "    {} ctrl (\n        .clock(ap_clk), .reset(reset),\n{lite}        .start(start), .done(done), .idle(idle), .irq(interrupt), .args(args)\n    );",
        b.ctrl
    );
    // Data-bank masters.
    let _ = writeln!(
        s,
        "    wire rd_cmd_valid, rd_cmd_ready, rd_out_valid, rd_out_ready, rd_error;\n    wire [63:0] rd_cmd_addr;\n    \
         wire [31:0] rd_cmd_len;\n    wire [{d}:0] rd_out_data;\n    wire wr_cmd_valid, wr_cmd_ready, wr_in_valid, wr_in_ready, wr_done, wr_error;\n    \
         wire [63:0] wr_cmd_addr;\n    wire [31:0] wr_cmd_len;\n    wire [{d}:0] wr_in_data;",
        d = dw - 1
    );
    let _ = writeln!(
        s,
        "    {} data_read (\n        .clock(ap_clk), .reset(reset), .cmd_valid(rd_cmd_valid), .cmd_ready(rd_cmd_ready),\n        \
         .cmd_addr(rd_cmd_addr), .cmd_len(rd_cmd_len), .out_valid(rd_out_valid), .out_ready(rd_out_ready),\n        \
         .out_data(rd_out_data), .out_last(), .error(rd_error),\n{}    );",
        b.data_read,
        axi_conns(&READ_PORTS, "m_axi_data")
            .trim_end_matches(",\n")
            .to_string()
            + "\n"
    );
    let _ = writeln!(
        s,
        "    {} data_write (\n        .clock(ap_clk), .reset(reset), .cmd_valid(wr_cmd_valid), .cmd_ready(wr_cmd_ready),\n        \
         .cmd_addr(wr_cmd_addr), .cmd_len(wr_cmd_len), .in_valid(wr_in_valid), .in_ready(wr_in_ready),\n        \
         .in_data(wr_in_data), .done(wr_done), .error(wr_error),\n{}    );",
        b.data_write,
        axi_conns(&WRITE_PORTS, "m_axi_data")
            .trim_end_matches(",\n")
            .to_string()
            + "\n"
    );
    // Weight streamers and engines.
    let _ = writeln!(
        s,
        "    wire w_cmd_valid;\n    wire [31:0] w_cmd_offset, w_cmd_len;\n    wire [{pp}:0] w_cmd_ready, w_error, eng_busy, acc_valid, acc_ready;\n    \
         wire [{a}:0] acc_data;\n    wire eng_start, cb_write;\n    wire [{sb}:0] cb_seq;\n    wire [{cb}:0] eng_cols;\n    \
         wire [{rb}:0] eng_rows;\n    wire [{ca}:0] cb_addr;\n    wire [{k8}:0] cb_data;",
        pp = p - 1,
        a = p * nb * accw - 1,
        sb = c.seq_bits() - 1,
        cb = c.cols_width() - 1,
        rb = c.rows_width() - 1,
        ca = c.cb_addr_width() - 1,
        k8 = 8 * c.lanes_k - 1
    );
    for q in 0..p {
        let prefix = format!("m_axi_w{q}");
        let _ = writeln!(
            s,
            "    wire w{q}_valid, w{q}_ready;\n    wire [{wm}:0] w{q}_data;\n    \
             {rm} weights{q} (\n        .clock(ap_clk), .reset(reset), .cmd_valid(w_cmd_valid), .cmd_ready(w_cmd_ready[{q}]),\n        \
             .cmd_addr(args[{lo} +: 64] + {{32'd0, w_cmd_offset}}), .cmd_len(w_cmd_len), .out_valid(w{q}_valid),\n        \
             .out_ready(w{q}_ready), .out_data(w{q}_data), .out_last(), .error(w_error[{q}]),\n{conns}    );\n    \
             {eng} engine{q} (\n        .clock(ap_clk), .start(eng_start), .cols(eng_cols), .rows(eng_rows), .busy(eng_busy[{q}]), .done(),\n        \
             .w_valid(w{q}_valid), .w_ready(w{q}_ready), .w_data(w{q}_data), .cb_write(cb_write), .cb_seq(cb_seq),\n        \
             .cb_addr(cb_addr), .cb_data(cb_data), .acc_valid(acc_valid[{q}]), .acc_ready(acc_ready[{q}]),\n        \
             .acc_data(acc_data[{q}*{ba} +: {ba}])\n    );",
            wm = w - 1,
            rm = b.weight_read,
            lo = 64 * (q + 1),
            conns = axi_conns(&READ_PORTS, &prefix)
                .trim_end_matches(",\n")
                .to_string()
                + "\n",
            eng = b.engine,
            ba = nb * accw,
        );
    }
    // Vector units, one per sequence.
    s += &vector_units(c, &b.vpu);
    // Sequencer.
    let seq_ports = [
        "start",
        "done",
        "idle",
        "rd_cmd_valid",
        "rd_cmd_ready",
        "rd_cmd_addr",
        "rd_cmd_len",
        "rd_out_valid",
        "rd_out_ready",
        "rd_out_data",
        "rd_error",
        "wr_cmd_valid",
        "wr_cmd_ready",
        "wr_cmd_addr",
        "wr_cmd_len",
        "wr_in_valid",
        "wr_in_ready",
        "wr_in_data",
        "wr_done",
        "wr_error",
        "w_cmd_valid",
        "w_cmd_ready",
        "w_cmd_offset",
        "w_cmd_len",
        "w_error",
        "eng_start",
        "eng_cols",
        "eng_rows",
        "eng_busy",
        "cb_write",
        "cb_seq",
        "cb_addr",
        "cb_data",
        "acc_valid",
        "acc_ready",
        "acc_data",
        "v_cmd_valid",
        "v_cmd_ready",
        "v_cmd_op",
        "v_cmd_vd",
        "v_cmd_va",
        "v_cmd_vb",
        "v_cmd_len",
        "v_cmd_imm0",
        "v_cmd_imm1",
        "v_done",
        "v_error",
        "v_ext_write",
        "v_ext_write_reg",
        "v_ext_write_row",
        "v_ext_write_data",
        "v_ext_exp_write",
        "v_ext_exp_data",
        "v_ext_read_reg",
        "v_ext_read_row",
        "v_ext_read_data",
        "v_ext_read_exp",
        "v_code_valid",
        "v_code_address",
        "v_code_data",
        "v_acc_read_enable",
        "v_acc_read_address",
        "v_acc_read_data",
        "v_sigma_m",
        "v_sigma_e",
        "v_argmax_index",
        "dbg_seq",
        "dbg_sel",
        "dbg_reg",
        "dbg_addr",
        "dbg_data",
        "dbg_pc",
        "dbg_fault",
        "dbg_paused",
        "dbg_running",
        "dbg_state",
    ];
    let conns: Vec<String> = seq_ports.iter().map(|n| format!(".{n}({n})")).collect();
    let _ = writeln!(
        s,
        "    {} seq (\n        .clock(ap_clk), .reset(reset), .data_base(args[63:0]), .dbg_ctrl(args[{}*32 +: 32]),\n        {}\n    );",
        b.seq,
        nargs - 1,
        conns.join(", ")
    );
    s += "endmodule\n/* verilator lint_on SYMRSVDWORD */\n/* verilator lint_on UNUSEDSIGNAL */\n/* verilator lint_on PINCONNECTEMPTY */\n";
    s
}

/// The vector units of the `B` sequences: the command fields and the register-port address are
/// shared; strobes are one bit per unit, data buses unit `u`'s slice `[u*width +: width]`.
fn vector_units(c: &TopConfig, vpu: &str) -> String {
    let (nb, dw, l8) = (c.batch, c.data_bits, 8 * c.lanes);
    let ra = c.vpu.row_bits() - 1;
    let mut s = format!(
        "    wire [{n}:0] v_cmd_valid, v_cmd_ready, v_busy, v_done, v_error, v_ext_write, v_ext_exp_write, v_code_valid, v_acc_read_enable;\n    \
         wire [7:0] v_cmd_op;\n    wire [3:0] v_cmd_vd, v_cmd_va, v_cmd_vb, v_ext_write_reg, v_ext_read_reg;\n    \
         wire [31:0] v_cmd_len, v_cmd_imm0, v_cmd_imm1, v_ext_exp_data;\n    \
         wire [{w32}:0] v_ext_read_exp, v_code_address, v_acc_read_address, v_sigma_m, v_sigma_e, v_argmax_index;\n    \
         wire [{ra}:0] v_ext_write_row, v_ext_read_row;\n    wire [{d}:0] v_ext_write_data;\n    \
         wire [{bd}:0] v_ext_read_data, v_acc_read_data;\n    wire [{bl}:0] v_code_data;\n",
        n = nb - 1,
        w32 = 32 * nb - 1,
        d = dw - 1,
        bd = nb * dw - 1,
        bl = nb * l8 - 1,
    );
    for u in 0..nb {
        let w = |bits: usize| format!("{u}*{bits} +: {bits}");
        let _ = writeln!(
            s,
            "    {vpu} vpu{u} (\n        .clock(ap_clk), .cmd_valid(v_cmd_valid[{u}]), .cmd_ready(v_cmd_ready[{u}]), .cmd_op(v_cmd_op),\n        \
             .cmd_vd(v_cmd_vd), .cmd_va(v_cmd_va), .cmd_vb(v_cmd_vb), .cmd_len(v_cmd_len), .cmd_imm0(v_cmd_imm0),\n        \
             .cmd_imm1(v_cmd_imm1), .busy(v_busy[{u}]), .done(v_done[{u}]), .error(v_error[{u}]),\n        \
             .ext_write(v_ext_write[{u}]), .ext_write_reg(v_ext_write_reg), .ext_write_row(v_ext_write_row),\n        \
             .ext_write_data(v_ext_write_data), .ext_exp_write(v_ext_exp_write[{u}]), .ext_exp_data(v_ext_exp_data),\n        \
             .ext_read_reg(v_ext_read_reg), .ext_read_row(v_ext_read_row), .ext_read_data(v_ext_read_data[{wd}]),\n        \
             .ext_read_exp(v_ext_read_exp[{w32}]), .code_valid(v_code_valid[{u}]), .code_address(v_code_address[{w32}]),\n        \
             .code_data(v_code_data[{wl}]), .acc_read_enable(v_acc_read_enable[{u}]),\n        \
             .acc_read_address(v_acc_read_address[{w32}]), .acc_read_data(v_acc_read_data[{wd}]),\n        \
             .sigma_m(v_sigma_m[{w32}]), .sigma_e(v_sigma_e[{w32}]), .sigma_write(1'b0), .sigma_m_in(32'd0),\n        \
             .sigma_e_in(32'd0), .argmax_index(v_argmax_index[{w32}])\n    );",
            wd = w(dw),
            w32 = w(32),
            wl = w(l8),
        );
    }
    s
}
