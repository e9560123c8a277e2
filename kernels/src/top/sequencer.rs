//! The sequencer, data mover, accumulator buffer, collector and code gather of the top level
//! (docs/ACCELERATOR.md sections 1-4, docs/ISA.md sections 1-3) as a Verilog body written for one
//! configuration (hdl/README.md: a block may write its own Verilog). The opcodes come from
//! `mmfree_spec::isa`; no opcode is written anywhere else.
//!
//! Per start it reads the 64-byte header, loads the program into an instruction memory, reads the
//! token slot and runs to END, one instruction at a time: moves between the data bank and the
//! vector unit's register port (LOADV, STOREV, LOADG, EMBED, STOREACC; ARGMAX's token by a
//! read-modify-write of one beat), vector-unit commands (NORM, QUANT, DEQUANT, the element-wise
//! operations, MLGRU on the vector unit's path, ARGMAX), and GEMV: one weight command to every
//! streamer, one job to every engine, and the collector that puts engine `p`'s `k`-th row at
//! accumulator `k*P + p`. A fault stops the run with a code on `dbg_fault`; with bit 0 of the debug
//! word it stops after every instruction (`ap_done` with the program counter kept) and the next
//! start continues.

use mmfree_spec::isa::{VecOp, opcode};

use crate::top::config::{IMEM_INSTRS, TopConfig, index_bits};

/// The template; every `$NAME$` is filled by [`sequencer_verilog`].
const TEMPLATE: &str = include_str!("seq.v");

/// Fault codes on `dbg_fault`, in the order of the template's `F_*` parameters.
pub const FAULTS: [&str; 12] = [
    "no fault",
    "unknown opcode",
    "len exceeds the elements of a vector register",
    "address not aligned to a data-bank beat",
    "access outside the data bank",
    "token id is not below the vocabulary size",
    "the vector unit refused the operation",
    "GEMV, DEQUANT, ARGMAX or STOREACC outside the accumulators, codes or rows of the last GEMV",
    "the program does not fit the instruction memory",
    "the program has no END",
    "an AXI response was not OKAY",
    "the program offset is not aligned",
];

/// `localparam`s of every opcode, from the spec.
fn opcodes() -> String {
    let mut named: Vec<(String, u8)> = [
        ("END", opcode::END),
        ("LOADV", opcode::LOADV),
        ("STOREV", opcode::STOREV),
        ("LOADG", opcode::LOADG),
        ("EMBED", opcode::EMBED),
        ("QUANT", opcode::QUANT),
        ("GEMV", opcode::GEMV),
        ("DEQUANT", opcode::DEQUANT),
        ("ARGMAX", opcode::ARGMAX),
        ("STOREACC", opcode::STOREACC),
    ]
    .into_iter()
    .map(|(n, o)| (n.to_string(), o))
    .collect();
    named.extend(
        VecOp::ALL
            .iter()
            .map(|v| (v.mnemonic().to_uppercase(), v.opcode())),
    );
    named
        .iter()
        .map(|(n, o)| format!("    localparam [7:0] OP_{n} = 8'h{o:02x};\n"))
        .collect()
}

fn is_vec() -> String {
    let terms: Vec<String> = VecOp::ALL
        .iter()
        .map(|v| format!("op == OP_{}", v.mnemonic().to_uppercase()))
        .collect();
    format!("({})", terms.join(" || "))
}

fn log2(n: usize) -> usize {
    n.trailing_zeros() as usize
}

/// The accumulator buffers of the `B` sequences: per sequence, `L` banks, each bank's index of a
/// read window (the shared mover/debug address or the sequence's vector unit), the two-cycle read
/// and rotation, and the collector's write of the sequence's sum.
fn acc_buffers(c: &TopConfig, depth: usize, aab: usize) -> String {
    let (lb, dw, accw) = (log2(c.lanes), c.data_bits, c.acc_width());
    let sext = |raw: &str| {
        if accw >= 32 {
            format!("{raw}[31:0]")
        } else {
            format!("{{{{{}{{{raw}[{}]}}}}, {raw}}}", 32 - accw, accw - 1)
        }
    };
    let mut s = String::new();
    for b in 0..c.batch {
        let (mut read, mut write) = (String::new(), String::new());
        s += &format!(
            "    wire [31:0] acc_rd_elem_{b} = acc_shared ? acc_shared_elem : v_acc_read_address[{b}*32 +: 32];\n    \
             reg [{d}:0] acc_q1_{b}, acc_q2_{b};\n    reg [31:0] acc_rot_{b};\n    \
             wire [{d2}:0] acc_rotated_{b} = {{acc_q1_{b}, acc_q1_{b}}} >> (32 * acc_rot_{b});\n    \
             wire [{a}:0] take_raw_{b} = acc_data[(g_p*{nb} + {b})*{accw} +: {accw}];\n    \
             wire [31:0] take_val_{b} = {sx};\n",
            d = dw - 1,
            d2 = 2 * dw - 1,
            a = accw - 1,
            nb = c.batch,
            sx = sext(&format!("take_raw_{b}")),
        );
        for j in 0..c.lanes {
            s += &format!(
                "    reg [31:0] acc_mem_{b}_{j} [0:{}];\n    \
                 wire [31:0] acc_idx_{b}_{j} = (acc_rd_elem_{b} + (({j} - acc_rd_elem_{b}) & (L - 1))) >> LB;\n",
                depth - 1
            );
            read += &format!(
                "        acc_q1_{b}[32*{j} +: 32] <= acc_mem_{b}_{j}[acc_idx_{b}_{j}[{}:0]];\n",
                aab - 1
            );
            let target = format!("acc_mem_{b}_{j}[g_r_row[{}:0]] <= take_val_{b};", aab - 1);
            if c.lanes == 1 {
                write += &format!("            {target}\n");
            } else {
                write += &format!("            if (g_r[{}:0] == {j}) {target}\n", lb - 1);
            }
        }
        s += &format!(
            "    always @(posedge clock) begin\n{read}        acc_rot_{b} <= acc_rd_elem_{b} & (L - 1);\n        \
             acc_q2_{b} <= acc_rotated_{b}[{d}:0];\n        if (take && g_r < g_rows) begin\n{write}        end\n    end\n    \
             assign acc_q2_all[{b}*{dw} +: {dw}] = acc_q2_{b};\n",
            d = dw - 1
        );
    }
    s
}

/// The sequencer module `name` for `c`.
pub fn sequencer_verilog(c: &TopConfig, name: &str) -> String {
    let dwb = c.data_bits / 8;
    let ipb = c.instrs_per_beat();
    let imem_rows = IMEM_INSTRS / ipb;
    let acc_depth = c.acc_rows / c.lanes;
    let aab = index_bits(acc_depth);
    let code_rows = c.vreg_words / c.lanes;
    let logp = log2(c.ports);
    let accw = c.acc_width();
    let acc_buf = acc_buffers(c, acc_depth, aab);
    let head = c.head_beats();
    let hdr_shift = if head == 1 {
        "                hdr <= rd_out_data;".to_string()
    } else {
        format!(
            "                hdr <= {{rd_out_data, hdr[511:{}]}};",
            c.data_bits
        )
    };
    // The beats that can hold the B token slots from any 4-byte-aligned offset.
    let tok_beats = (dwb - 4 + 4 * c.batch).div_ceil(dwb);
    let ipc_lo = log2(ipb);
    let ipc_slot = if ipb == 1 {
        "0".to_string()
    } else {
        format!("pc[{}:0]", ipc_lo - 1)
    };
    let gp = if c.ports == 1 {
        "1'b0".to_string()
    } else {
        format!("g_r[{}:0]", logp - 1)
    };
    let align_lo = log2(dwb);
    let vals: Vec<(&str, String)> = vec![
        ("MOD", name.into()),
        ("OPCODES", opcodes()),
        ("IS_VEC", is_vec()),
        ("DW", c.data_bits.to_string()),
        ("DWB", dwb.to_string()),
        ("L", c.lanes.to_string()),
        ("L8", (8 * c.lanes).to_string()),
        ("LB", log2(c.lanes).to_string()),
        ("P", c.ports.to_string()),
        ("LOGP", logp.to_string()),
        ("LOGP1", logp.max(1).to_string()),
        ("GP", gp),
        ("K", c.lanes_k.to_string()),
        ("K8", (8 * c.lanes_k).to_string()),
        ("GB", (8 * (c.lanes_k + c.lanes)).to_string()),
        ("ACCW", accw.to_string()),
        ("COLSB", c.cols_width().to_string()),
        ("ROWSB", c.rows_width().to_string()),
        ("CBA", c.cb_addr_width().to_string()),
        ("RA", c.vpu.row_bits().to_string()),
        ("VW", c.vreg_words.to_string()),
        ("ACC_ROWS", c.acc_rows.to_string()),
        ("ACC_DEPTH", acc_depth.to_string()),
        ("AAB", aab.to_string()),
        ("ACC_BUF", acc_buf),
        ("B", c.batch.to_string()),
        ("SB", c.seq_bits().to_string()),
        ("LAST_SEQ", format!("{}'d{}", c.seq_bits(), c.batch - 1)),
        ("TOKW", (tok_beats * c.data_bits).to_string()),
        ("CODE_ROWS", code_rows.to_string()),
        ("CRB", index_bits(code_rows).to_string()),
        ("HEAD_BEATS", head.to_string()),
        ("HDR_SHIFT", hdr_shift),
        ("IPB", ipb.to_string()),
        ("IMEM_ROWS", imem_rows.to_string()),
        ("IAB", index_bits(imem_rows).to_string()),
        ("IPC_LO", ipc_lo.to_string()),
        ("IPC_HI", (ipc_lo + index_bits(imem_rows) - 1).to_string()),
        ("IPC_SLOT", ipc_slot),
        ("ALIGN_LO", align_lo.to_string()),
        ("ALIGN_HI", (align_lo - 1).to_string()),
        ("ALIGN_Z", format!("{align_lo}'d0")),
    ];
    let mut text = TEMPLATE.to_string();
    for (k, v) in vals {
        text = text.replace(&format!("${k}$"), &v);
    }
    text
}
