//! The scalar unit's plan: its two programs as micro-operations, their expansion into the states
//! of one sequential machine, and the Verilog of that machine and its shared datapath. The cycle
//! count of a program is the sum of its states' cycles, so the behavioural model and the Verilog
//! cannot disagree on when `done` comes.

use std::fmt::Write;

use mmfree_spec::Scale;
use mmfree_spec::format::CODE_MAX;
use mmfree_spec::ops::{eps, inv_code_max};
use mmfree_spec::table::{RECIP_SEED_FRAC_BITS, RSQRT_SEED_FRAC_BITS};

use crate::vpu::config::{SQUARE_BITS, SUM_SQ_BITS};
use crate::vpu::verilog::{Body, lit};

/// Cycles of one multiplication (radix 2, 32 multiplier bits).
pub const MULT_CYCLES: usize = 32;

/// Which program runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarProgram {
    /// `rho` for NORM.
    Rho,
    /// `rho`, `kq`, `c` and `sigma` for QUANT.
    Quant,
}

/// A `Scale` register or constant of the programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// Temporaries.
    T0,
    /// Temporaries.
    T1,
    /// Temporaries.
    T2,
    /// Temporaries.
    T3,
    /// `rho`.
    Rho,
    /// QUANT's `c`.
    Cq,
    /// QUANT's `sigma` before the zero check.
    Sigma,
    /// The instruction's `alpha`.
    Alpha,
    /// `Scale::from_u64(127)`.
    C127,
    /// `ops::inv_code_max()`.
    Inv127,
    /// `ops::eps()`.
    Eps,
}

impl Operand {
    /// Verilog expressions of the mantissa (32 bits) and exponent (32 bits, signed).
    fn nets(self) -> (String, String) {
        let constant = |s: Scale| {
            (
                lit(32, s.mantissa() as u128),
                format!("$signed({})", lit(32, s.exponent() as u32 as u128)),
            )
        };
        match self {
            Operand::Alpha => ("alpha_m_r".into(), "alpha_e_r".into()),
            Operand::C127 => constant(Scale::from_u64(CODE_MAX as u64)),
            Operand::Inv127 => constant(inv_code_max()),
            Operand::Eps => constant(eps()),
            reg => {
                let n = reg.reg();
                (format!("{n}_m"), format!("{n}_e"))
            }
        }
    }

    /// Register name of a writable operand.
    fn reg(self) -> &'static str {
        match self {
            Operand::T0 => "t0",
            Operand::T1 => "t1",
            Operand::T2 => "t2",
            Operand::T3 => "t3",
            Operand::Rho => "rh",
            Operand::Cq => "cq",
            Operand::Sigma => "sg",
            _ => "",
        }
    }
}

/// Where a normalized load takes its wide value and exponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `Scale::new(sum_sq, 2 ea)`.
    SumSq,
    /// `Scale::new(len, 0)`.
    Len,
    /// `Scale::new(umax, ea + eb)`.
    Umax,
}

/// One step of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Micro {
    /// `dst = Scale::new(source)`.
    Load(Operand, Source),
    /// `dst = a * b`.
    Mul(Operand, Operand, Operand),
    /// `dst = a + eps`.
    AddEps(Operand, Operand),
    /// `dst = a.recip()`.
    Recip(Operand, Operand),
    /// `dst = a.rsqrt()`.
    Rsqrt(Operand, Operand),
    /// `kq = bit_len(umax) - 30`, `dst = Scale::from_u64(shift_round(umax, kq, Rne))`.
    Max30(Operand),
}

/// The micro-operations of `prog` (RHO's are QUANT's first ones).
pub fn program(prog: ScalarProgram) -> Vec<Micro> {
    use Micro::*;
    use Operand::*;
    let mut p = vec![
        Load(T0, Source::SumSq),
        Load(T1, Source::Len),
        Recip(T2, T1),
        Mul(T3, T0, T2),
        AddEps(T0, T3),
        Rsqrt(Rho, T0),
    ];
    if prog == ScalarProgram::Quant {
        p.extend([
            Max30(T1),
            Recip(T2, T1),
            Mul(Cq, C127, T2),
            Mul(T3, Alpha, Rho),
            Load(T1, Source::Umax),
            Mul(T0, T3, T1),
            Mul(Sigma, T0, Inv127),
        ]);
    }
    p
}

/// One state of the machine: its register updates, and whether it is a 32-cycle multiply.
struct State {
    actions: Vec<String>,
    mult: bool,
    /// The rom address stays `sidx + 1` in this state (second seed read).
    second_read: Option<&'static str>,
}

fn st(actions: &[&str]) -> State {
    State {
        actions: actions.iter().map(|s| s.to_string()).collect(),
        mult: false,
        second_read: None,
    }
}

fn mult() -> State {
    State {
        actions: Vec::new(),
        mult: true,
        second_read: None,
    }
}

/// Starts a multiplication of `a` (up to 96 bits) by `b` (up to 32 bits).
fn mult_setup(a: &str, b: &str) -> Vec<String> {
    vec![
        format!("ma <= {a};"),
        format!("mb <= {b};"),
        "mp <= 128'd0;".into(),
        "mcnt <= 5'd0;".into(),
    ]
}

/// `Scale::new(w, we)` into `dst` (3 states); with `zero`, a zero result when that flag is set.
fn normalize_into(dst: Operand, zero: Option<&str>) -> Vec<State> {
    let n = dst.reg();
    let z = zero.map_or(String::new(), |f| format!("{f} ? 32'd0 : "));
    let ze = zero.map_or(String::new(), |f| format!("{f} ? 32'sd0 : "));
    vec![
        st(&["nb <= w_bitlen;"]),
        st(&["nm <= new_m;", "ne <= new_e;"]),
        State {
            actions: vec![
                format!("{n}_m <= {z}fin_m;"),
                format!("{n}_e <= {ze}fin_e;"),
            ],
            mult: false,
            second_read: None,
        },
    ]
}

/// The states of one micro-operation.
fn expand(m: Micro) -> Vec<State> {
    let mut s = Vec::new();
    match m {
        Micro::Load(dst, src) => {
            let (w, e) = match src {
                Source::SumSq => (
                    format!("{{{}'d0, ss_r}}", 128 - SUM_SQ_BITS),
                    "ea_r + ea_r".to_string(),
                ),
                Source::Len => ("{96'd0, len_r}".into(), "32'sd0".into()),
                Source::Umax => (
                    format!("{{{}'d0, umax_r}}", 128 - SQUARE_BITS),
                    "ea_r + eb_r".into(),
                ),
            };
            s.push(st(&[&format!("w <= {w};"), &format!("we <= {e};")]));
            s.extend(normalize_into(dst, None));
        }
        Micro::Mul(dst, a, b) => {
            let ((am, ae), (bm, be)) = (a.nets(), b.nets());
            let mut setup = mult_setup(&format!("{{96'd0, {am}}}"), &bm);
            setup.push(format!("we <= {ae} + {be};"));
            s.push(State {
                actions: setup,
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(st(&["w <= mp;"]));
            s.extend(normalize_into(dst, None));
        }
        Micro::AddEps(dst, _) => {
            s.push(st(&["w <= add_w;", "we <= add_e;"]));
            s.extend(normalize_into(dst, None));
        }
        Micro::Recip(dst, a) => {
            let (am, ae) = a.nets();
            s.push(st(&[
                &format!("zin <= {am} == 32'd0;"),
                &format!("sidx <= {{1'b0, {am}[29:{RECIP_SEED_FRAC_BITS}]}};"),
                &format!("sfrac <= {{2'd0, {am}[{}:0]}};", RECIP_SEED_FRAC_BITS - 1),
                &format!("sm <= {am};"),
                &format!("se <= {ae};"),
            ]));
            s.extend(seed_reads("recip"));
            s.push(st(&["r0 <= dneg ? rt - rn_recip : rt + rn_recip;"]));
            s.push(State {
                actions: mult_setup("{96'd0, r0}", "sm"),
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(State {
                actions: mult_setup("(128'd1 << 61) - mp", "r0"),
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(st(&["w <= {59'd0, r1_recip};", "we <= -32'sd61 - se;"]));
            s.extend(normalize_into(dst, Some("zin")));
        }
        Micro::Rsqrt(dst, a) => {
            let (am, ae) = a.nets();
            s.push(st(&[
                &format!("zin <= {am} == 32'd0;"),
                &format!("sm <= {ae}[0] ? {{{am}[30:0], 1'b0}} : {am};"),
                &format!("se <= {ae}[0] ? {ae} - 32'sd1 : {ae};"),
                &format!("sidx <= {{1'b0, rs_t[31:{RSQRT_SEED_FRAC_BITS}]}};"),
                &format!("sfrac <= rs_t[{}:0];", RSQRT_SEED_FRAC_BITS - 1),
            ]));
            s.extend(seed_reads("rsqrt"));
            s.push(st(&["r0 <= dneg ? rt - rn_rsqrt : rt + rn_rsqrt;"]));
            s.push(State {
                actions: mult_setup("{96'd0, r0}", "r0"),
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(State {
                actions: mult_setup("mp", "sm"),
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(State {
                actions: mult_setup("(128'd3 << 90) - mp", "r0"),
                mult: false,
                second_read: None,
            });
            s.push(mult());
            s.push(st(&[
                "w <= {90'd0, r1_rsqrt};",
                "we <= -32'sd31 - ((32'sd30 + se) >>> 1);",
            ]));
            s.extend(normalize_into(dst, Some("zin")));
        }
        Micro::Max30(dst) => {
            s.push(st(&["kq <= {1'b0, ub} - 8'd30;"]));
            s.push(st(&["w <= {64'd0, q30_w};", "we <= 32'sd0;"]));
            s.extend(normalize_into(dst, None));
        }
    }
    s
}

/// Reads `T[sidx]` and `T[sidx + 1]` from a seed ROM and starts `|T1 - T0| * frac`.
fn seed_reads(rom: &'static str) -> Vec<State> {
    vec![
        st(&[]),
        State {
            actions: vec![format!("rt <= {{1'b0, {rom}_rom$data}};")],
            mult: false,
            second_read: Some(rom),
        },
        State {
            actions: {
                let mut a = mult_setup(&format!("{{95'd0, {rom}_mag}}"), "{10'd0, sfrac}");
                a.push(format!("dneg <= {rom}_diff[32];"));
                a
            },
            mult: false,
            second_read: None,
        },
        mult(),
    ]
}

/// The final state of a program: latch the outputs, pulse `done`.
fn finish(prog: ScalarProgram) -> State {
    let mut a: Vec<String> = ["o_rho_m <= rh_m;", "o_rho_e <= rh_e;"]
        .map(String::from)
        .to_vec();
    if prog == ScalarProgram::Quant {
        a.extend(
            [
                "o_c_m <= cq_m;",
                "o_c_shift <= cq_e > 32'sd0 ? 7'd0 : cq_e < -32'sd127 ? 7'd127 : 7'd0 - cq_e[6:0];",
                "o_kq <= kq[6:0];",
                "o_zero <= umax_r == 63'd0;",
                "o_sig_m <= umax_r == 63'd0 ? 32'd0 : sg_m;",
                "o_sig_e <= umax_r == 63'd0 ? 32'sd0 : sg_e;",
            ]
            .map(String::from),
        );
    }
    a.extend(["done_r <= 1'b1;", "busy_r <= 1'b0;"].map(String::from));
    State {
        actions: a,
        mult: false,
        second_read: None,
    }
}

/// The whole machine: RHO's states, RHO's finish, QUANT's extra states, QUANT's finish. State 0
/// is idle; the returned index is RHO's finish.
fn machine() -> (Vec<State>, usize) {
    let rho: Vec<State> = program(ScalarProgram::Rho)
        .into_iter()
        .flat_map(expand)
        .collect();
    let quant: Vec<State> = program(ScalarProgram::Quant)
        .into_iter()
        .skip(program(ScalarProgram::Rho).len())
        .flat_map(expand)
        .collect();
    let fin_rho = rho.len() + 1;
    let mut states = rho;
    states.push(finish(ScalarProgram::Rho));
    states.extend(quant);
    states.push(finish(ScalarProgram::Quant));
    (states, fin_rho)
}

/// Cycles from the edge that takes `start` to the edge after which `done` is high.
pub fn scalar_cycles(prog: ScalarProgram) -> usize {
    let (states, fin_rho) = machine();
    let cycles = |s: &State| if s.mult { MULT_CYCLES } else { 1 };
    match prog {
        ScalarProgram::Rho => states[..fin_rho].iter().map(cycles).sum(),
        ScalarProgram::Quant => {
            states[..fin_rho - 1].iter().map(cycles).sum::<usize>()
                + states[fin_rho..].iter().map(cycles).sum::<usize>()
        }
    }
}

/// A priority encoder: `bit_len` of `x` (`bits` wide) as an `out`-bit value.
fn bit_len_expr(x: &str, bits: usize, out: usize) -> String {
    let chain: String = (0..bits)
        .rev()
        .map(|k| format!("{x}[{k}] ? {} : ", lit(out, k as u128 + 1)))
        .collect();
    format!("{chain}{}", lit(out, 0))
}

/// `rne(x >> n)` of a 128-bit register as a `bits`-bit value.
fn rne_const(b: &mut Body, name: &str, x: &str, n: usize, bits: usize) {
    b.wire(&format!("{name}_q"), 128, false, &format!("{x} >> {n}"));
    b.wire(
        &format!("{name}_up"),
        1,
        false,
        &format!("{x}[{}] & ((|{x}[{}:0]) | {name}_q[0])", n - 1, n - 2),
    );
    b.wire(
        name,
        bits,
        false,
        &format!("{name}_q[{}:0] + {{{}'d0, {name}_up}}", bits - 1, bits - 1),
    );
    b.unused(&[format!("{name}_q[127:{bits}]")]);
}

/// The datapath every state shares (see the parent module's docs).
fn datapath(b: &mut Body) {
    // Normalizer (Scale::new): bit length, then shift with round-half-even, then the carry.
    b.wire("w_bitlen", 8, false, &bit_len_expr("w", 128, 8));
    b.wire("nb_small", 1, false, "nb <= 8'd31");
    b.wire("lsh", 8, false, "8'd31 - nb");
    b.wire("rsh", 8, false, "nb - 8'd31");
    b.wire("n_below", 128, false, "(128'd1 << rsh) - 128'd1");
    b.wire("n_sticky", 128, false, "n_below >> 1");
    b.wire("n_round", 128, false, "n_below ^ n_sticky");
    b.wire("n_q", 128, false, "w >> rsh");
    b.wire(
        "n_up",
        1,
        false,
        "(|(w & n_round)) & ((|(w & n_sticky)) | n_q[0])",
    );
    b.wire("n_left", 32, false, "w[31:0] << lsh[4:0]");
    b.wire(
        "new_m",
        33,
        false,
        "nb_small ? {1'b0, n_left} : n_q[32:0] + {32'd0, n_up}",
    );
    b.wire(
        "new_e",
        32,
        true,
        "nb_small ? we - $signed({24'd0, lsh}) : we + $signed({24'd0, rsh})",
    );
    b.wire("carry", 1, false, "nm[31]");
    b.wire(
        "fin_m",
        32,
        false,
        "nb == 8'd0 ? 32'd0 : carry ? 32'h40000000 : nm[31:0]",
    );
    b.wire(
        "fin_e",
        32,
        true,
        "nb == 8'd0 ? 32'sd0 : carry ? ne + 32'sd1 : ne",
    );
    b.unused(&["n_q[127:33]".into(), "nm[32]".into(), "lsh[7:5]".into()]);
    // Max30: kq = bit_len(umax) - 30, shift_round(umax, kq, Rne).
    b.wire("ub", 7, false, &bit_len_expr("umax_r", SQUARE_BITS, 7));
    b.wire("kq_left", 1, false, "kq[7]");
    b.wire("kq_r", 6, false, "kq_left ? 6'd0 : kq[5:0]");
    b.wire("kq_l", 6, false, "kq_left ? 6'd0 - kq[5:0] : 6'd0");
    b.wire("u64", 64, false, "{1'b0, umax_r}");
    b.wire("u_below", 64, false, "(64'd1 << kq_r) - 64'd1");
    b.wire("u_sticky", 64, false, "u_below >> 1");
    b.wire("u_round", 64, false, "u_below ^ u_sticky");
    b.wire("u_q", 64, false, "u64 >> kq_r");
    b.wire(
        "u_up",
        1,
        false,
        "(|(u64 & u_round)) & ((|(u64 & u_sticky)) | u_q[0])",
    );
    b.wire(
        "q30_w",
        64,
        false,
        "kq_left ? u64 << kq_l : u_q + {63'd0, u_up}",
    );
    b.unused(&["kq[6]".into()]);
    // AddEps: the larger exponent's operand shifted onto the smaller's (Scale's `+`).
    let (am, ae) = Operand::T3.nets();
    let (em, ee) = Operand::Eps.nets();
    b.wire("a_hi", 1, false, &format!("{ae} >= {ee}"));
    b.wire("hi_m", 32, false, &format!("a_hi ? {am} : {em}"));
    b.wire("hi_e", 32, true, &format!("a_hi ? {ae} : {ee}"));
    b.wire("lo_m", 32, false, &format!("a_hi ? {em} : {am}"));
    b.wire("lo_e", 32, true, &format!("a_hi ? {ee} : {ae}"));
    b.wire("a_diff", 32, true, "hi_e - lo_e");
    b.wire(
        "a_plain",
        1,
        false,
        "lo_m == 32'd0 || hi_m == 32'd0 || a_diff > 32'sd64",
    );
    b.wire("add_w", 128, false, "a_plain ? {96'd0, hi_m == 32'd0 ? lo_m : hi_m} : ({96'd0, hi_m} << a_diff[6:0]) + {96'd0, lo_m}");
    b.wire(
        "add_e",
        32,
        true,
        "a_plain ? (hi_m == 32'd0 ? lo_e : hi_e) : lo_e",
    );
    b.unused(&["a_diff[31:7]".into()]);
    // Seeds: the interpolation's difference and rounding, the Newton steps' roundings.
    for (rom, frac) in [
        ("recip", RECIP_SEED_FRAC_BITS),
        ("rsqrt", RSQRT_SEED_FRAC_BITS),
    ] {
        b.wire(
            &format!("{rom}_diff"),
            33,
            true,
            &format!("$signed({{2'd0, {rom}_rom$data}}) - $signed({{1'b0, rt}})"),
        );
        b.wire(
            &format!("{rom}_mag"),
            33,
            false,
            &format!("{rom}_diff[32] ? -{rom}_diff : {rom}_diff"),
        );
        rne_const(b, &format!("rn_{rom}"), "mp", frac as usize, 32);
    }
    rne_const(b, "r1_recip", "mp", 59, 128 - 59);
    rne_const(b, "r1_rsqrt", "mp", 90, 128 - 90);
    b.wire("rs_m2", 32, false, "t0_e[0] ? {t0_m[30:0], 1'b0} : t0_m");
    b.wire("rs_t", 32, false, "rs_m2 - 32'h40000000");
    b.unused(&["rs_t[21:0]".into(), "t0_m[31]".into(), "rt[31]".into()]);
}

/// Registers written by the machine's states (declared, zero at power-up).
const STATE_REGS: [(&str, usize, bool); 47] = [
    ("state", 8, false),
    ("busy_r", 1, false),
    ("done_r", 1, false),
    ("prog_r", 1, false),
    ("ss_r", SUM_SQ_BITS, false),
    ("ea_r", 32, true),
    ("eb_r", 32, true),
    ("len_r", 32, false),
    ("umax_r", SQUARE_BITS, false),
    ("alpha_m_r", 32, false),
    ("alpha_e_r", 32, true),
    ("w", 128, false),
    ("we", 32, true),
    ("nb", 8, false),
    ("nm", 33, false),
    ("ne", 32, true),
    ("ma", 128, false),
    ("mb", 32, false),
    ("mp", 128, false),
    ("mcnt", 5, false),
    ("t0_m", 32, false),
    ("t0_e", 32, true),
    ("t1_m", 32, false),
    ("t1_e", 32, true),
    ("t2_m", 32, false),
    ("t2_e", 32, true),
    ("t3_m", 32, false),
    ("t3_e", 32, true),
    ("rh_m", 32, false),
    ("rh_e", 32, true),
    ("cq_m", 32, false),
    ("cq_e", 32, true),
    ("sg_m", 32, false),
    ("sg_e", 32, true),
    ("kq", 8, false),
    ("sm", 32, false),
    ("se", 32, true),
    ("sidx", 11, false),
    ("sfrac", 22, false),
    ("zin", 1, false),
    ("rt", 32, false),
    ("dneg", 1, false),
    ("r0", 32, false),
    ("o_rho_m", 32, false),
    ("o_rho_e", 32, false),
    ("o_c_m", 32, false),
    ("o_c_shift", 7, false),
];

/// Output registers beyond [`STATE_REGS`].
const OUT_REGS: [(&str, usize, bool); 4] = [
    ("o_kq", 7, false),
    ("o_zero", 1, false),
    ("o_sig_m", 32, false),
    ("o_sig_e", 32, false),
];

/// The Verilog body of the scalar unit.
pub(crate) fn verilog() -> String {
    let (states, fin_rho) = machine();
    let mut b = Body::default();
    for (name, bits, signed) in STATE_REGS.iter().chain(&OUT_REGS) {
        b.state_reg(name, *bits, *signed);
    }
    datapath(&mut b);
    let mut fsm = String::new();
    let _ = writeln!(fsm, "done_r <= 1'b0;\n    case (state)");
    let _ = writeln!(
        fsm,
        "    8'd0: begin\n      if (start) begin\n        ss_r <= sum_sq; ea_r <= $signed(ea); eb_r <= $signed(eb); len_r <= len;\n        \
         umax_r <= umax; alpha_m_r <= alpha_m; alpha_e_r <= $signed(alpha_e); prog_r <= prog;\n        \
         busy_r <= 1'b1; state <= 8'd1;\n      end else if (sigma_write) begin\n        \
         o_sig_m <= sigma_m_in; o_sig_e <= sigma_e_in;\n      end\n    end"
    );
    let mut second = Vec::new();
    for (i, s) in states.iter().enumerate() {
        let idx = i + 1;
        let next = if idx == fin_rho - 1 {
            format!("prog_r ? 8'd{} : 8'd{fin_rho}", fin_rho + 1)
        } else if idx == fin_rho || idx == states.len() {
            "8'd0".to_string()
        } else {
            format!("8'd{}", idx + 1)
        };
        let mut body = s.actions.join(" ");
        if s.mult {
            body = "if (mb[0]) mp <= mp + ma; ma <= ma << 1; mb <= mb >> 1; mcnt <= mcnt + 5'd1; \
                    if (mcnt == 5'd31) state <= NEXT;"
                .replace("NEXT", &next);
        } else {
            body.push_str(&format!(" state <= {next};"));
        }
        let _ = writeln!(fsm, "    8'd{idx}: begin {body} end");
        if let Some(rom) = s.second_read {
            second.push((rom, idx));
        }
    }
    let _ = write!(fsm, "    default: state <= 8'd0;\n    endcase");
    b.raw_seq(&fsm);
    for (rom, bits) in [("recip", 11), ("rsqrt", 10)] {
        let states: Vec<String> = second
            .iter()
            .filter(|s| s.0 == rom)
            .map(|s| format!("state == 8'd{}", s.1))
            .collect();
        let cond = if states.is_empty() {
            "1'b0".to_string()
        } else {
            states.join(" || ")
        };
        b.raw_comb(&format!("{rom}_rom$clock = clock;"));
        b.raw_comb(&format!(
            "{rom}_rom$address = ({cond}) ? sidx[{}:0] + {} : sidx[{}:0];",
            bits - 1,
            lit(bits, 1),
            bits - 1
        ));
    }
    b.unused(&["sidx[10]".into()]);
    for (port, reg) in [
        ("busy", "busy_r"),
        ("done", "done_r"),
        ("rho_m", "o_rho_m"),
        ("rho_e", "o_rho_e"),
        ("c_m", "o_c_m"),
        ("c_shift", "o_c_shift"),
        ("q_shift", "o_kq"),
        ("code_zero", "o_zero"),
        ("sigma_m", "o_sig_m"),
        ("sigma_e", "o_sig_e"),
    ] {
        b.output(port, reg);
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_counts_follow_the_plan() {
        // RHO: two loads (4 each), recip (3 + 4 seed + 1 + 2 x 33 + 1 + 3), mul (37), add (4),
        // rsqrt (1 + 4 seed + 1 + 3 x 33 + 1 + 3), finish.
        let recip = 1 + (3 + MULT_CYCLES) + 1 + 2 * (1 + MULT_CYCLES) + 1 + 3;
        let rsqrt = 1 + (3 + MULT_CYCLES) + 1 + 3 * (1 + MULT_CYCLES) + 1 + 3;
        let mul = 1 + MULT_CYCLES + 1 + 3;
        assert_eq!(
            scalar_cycles(ScalarProgram::Rho),
            4 + 4 + recip + mul + 4 + rsqrt + 1
        );
        assert_eq!(
            scalar_cycles(ScalarProgram::Quant),
            scalar_cycles(ScalarProgram::Rho) + 5 + recip + 4 * mul + 4
        );
    }
}
