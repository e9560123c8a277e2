//! The Verilated kernel against the instruction-set simulator after every instruction (DESIGN.md
//! section 3, rung 2; docs/ACCELERATOR.md: "the RTL must equal the ISS after every instruction"):
//! the tiny model compiled for the `tiny` configuration runs in single-step mode on both, and
//! after each instruction every vector register (the elements the ISS holds, and the exponent),
//! the codes, the accumulators, `sigma` and the whole data bank must agree bit for bit. Randomized
//! legal programs run the same way on `tiny` and on `tiny-b2` (two sequences: every sequence's
//! state is compared). A failure names the instruction, the sequence and the first differing
//! element.

use anyhow::{Context, bail, ensure};
use mmfree_compiler::{Options, compile};
use mmfree_iss::machine::{Machine, Memory};
use mmfree_sim::card::{SimCard, Stop};
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::Header;
use mmfree_spec::devmem::{HEADER_BYTES, tag_hash};
use mmfree_spec::format::Bfp;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa::{Instr, VecOp};
use mmfree_spec::shape::ModelShape;
use mmfree_spec::{Scale, devmem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Where two slices first differ, as text.
fn first_mismatch<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> Option<String> {
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        return Some(format!("element {i}: rtl {:?}, iss {:?}", got[i], want[i]));
    }
    (got.len() != want.len()).then(|| format!("rtl {} elements, iss {}", got.len(), want.len()))
}

/// Compares the whole visible state after instruction `index`: every sequence's, then the bank.
fn compare(
    sim: &mut SimCard,
    iss: &Machine<'_>,
    data: &[u8],
    index: usize,
    what: &str,
) -> anyhow::Result<()> {
    for b in 0..sim.top_config().batch {
        compare_sequence(sim, iss, b)
            .with_context(|| format!("after instruction {index} ({what}), sequence {b}"))?;
    }
    let mut bank = vec![0u8; data.len()];
    sim.read(Bank::Data, 0, &mut bank)?;
    if let Some(m) = first_mismatch(&bank, data) {
        bail!("after instruction {index} ({what}): data bank: byte {m}");
    }
    Ok(())
}

/// Compares sequence `b`'s registers, codes, accumulators and `sigma`.
fn compare_sequence(sim: &mut SimCard, iss: &Machine<'_>, b: usize) -> anyhow::Result<()> {
    let fail = |part: String, m: String| -> anyhow::Result<()> { bail!("{part}: {m}") };
    for r in 0..16 {
        let want = iss.vreg(b, r);
        if want.mant.is_empty() {
            continue;
        }
        let (mant, exp) = sim.vreg(b, r as u8, want.mant.len())?;
        if let Some(m) = first_mismatch(&mant, &want.mant) {
            return fail(format!("v{r}"), m);
        }
        if exp != want.exp {
            return fail(
                format!("v{r} exponent"),
                format!("rtl {exp}, iss {}", want.exp),
            );
        }
    }
    let codes = iss.codes(b);
    if let Some(m) = first_mismatch(&sim.codes(b, codes.len())?, codes) {
        return fail("codes".into(), m);
    }
    let acc = iss.accumulators(b);
    if let Some(m) = first_mismatch(&sim.acc(b, acc.len())?, acc) {
        return fail("accumulators".into(), m);
    }
    // The ISS starts every run from empty registers, codes and sigma; the RTL keeps them, so
    // only what this run wrote is compared.
    if !codes.is_empty() {
        let s = iss.sigma(b);
        let got = sim.sigma(b)?;
        if got != (s.mantissa(), s.exponent()) {
            return fail("sigma".into(), format!("rtl {got:?}, iss {s:?}"));
        }
    }
    Ok(())
}

#[test]
fn rtl_equals_the_iss_after_every_instruction_of_the_tiny_model() -> anyhow::Result<()> {
    let hw = HwConfig::preset("tiny")?;
    let shape = ModelShape::preset("tiny")?;
    let model = mmfree_model::random::model(shape, 11, Default::default(), &mut |_, _, _| {})?;
    let image = compile(&model, &hw, &Options { trace: false })?;
    let mut sim = SimCard::new(hw.clone())?;
    let mut data = image.data.clone();
    let header = Header::decode(&data)?;
    let mut token = 1u32;
    for _ in 0..4 {
        data[header.tokens as usize..][..4].copy_from_slice(&token.to_le_bytes());
        for (i, bytes) in std::iter::once(&data).chain(&image.weights).enumerate() {
            let bank = if i == 0 {
                Bank::Data
            } else {
                Bank::Weight(i as u32 - 1)
            };
            let address = sim.alloc(bank, bytes.len() as u64)?;
            sim.write(bank, 0, bytes)?;
            sim.set_bank_arg(bank, address)?;
        }
        sim.set_single_step(true)?;
        let weights: Vec<&[u8]> = image.weights.iter().map(|w| &w[..]).collect();
        let mut machine = Machine::new(&hw, header);
        eprintln!("token {token}");
        for index in 0.. {
            let what = image.program[index].to_string();
            let end = {
                let mut mem = Memory {
                    data: &mut data,
                    weights: weights.clone(),
                };
                machine.step(&mut mem, index)?
            };
            let stop = sim
                .step()
                .with_context(|| format!("instruction {index} ({what})"))?;
            if end {
                ensure!(stop == Stop::Done, "the RTL did not stop at END ({index})");
                break;
            }
            ensure!(
                stop == Stop::Paused,
                "the RTL stopped early at {index} ({what})"
            );
            ensure!(
                sim.pc()? == index as u64 + 1,
                "program counter after {index}"
            );
            compare(&mut sim, &machine, &data, index, &what)?;
        }
        sim.set_single_step(false)?;
        // Greedy decoding: the next input is this step's output token.
        let out = &data[header.outputs as usize..][..4];
        token = u32::from_le_bytes([out[0], out[1], out[2], out[3]]);
    }
    Ok(())
}

/// Longest vector of the randomized programs.
const N: usize = 48;
/// Rows of the randomized GEMVs.
const MAX_ROWS: u32 = 64;
/// Data-bank regions of the randomized programs.
const TOKENS: usize = 64;
const OUTPUTS: usize = 128;
const VECTORS: usize = 256;
const GATES: usize = 2304;
const TABLE: usize = 3072;
const TABLE_ROWS: u32 = 8;
const ACC_OUT: usize = 5120;
/// Per-sequence strides of the batched programs: LOADV reads vectors 0..4 (sequence 1: 4..8),
/// STOREV writes vectors 4..6 (sequence 1: 6..8), STOREACC's outputs follow each other.
const LOAD_STRIDE: u32 = 4 * devmem::bfp_bytes(N) as u32;
const STORE_STRIDE: u32 = 2 * devmem::bfp_bytes(N) as u32;
const ACC_STRIDE: u32 = 384;
const PROGRAM: usize = 6144;
const DATA_BYTES: usize = 8192;

/// What a register holds in the generator's model of the machine.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Vector(usize),
    Gates(usize),
}

fn bfp(rng: &mut ChaCha8Rng, n: usize) -> Bfp {
    Bfp {
        mant: (0..n)
            .map(|_| rng.gen_range(-(1 << 29)..=1 << 29))
            .collect(),
        exp: rng.gen_range(-40..-20),
    }
}

/// A random data bank and weight bank (every byte a valid pack2 code).
fn random_banks(rng: &mut ChaCha8Rng) -> (Vec<u8>, Vec<u8>) {
    let mut data = vec![0u8; DATA_BYTES];
    for i in 0..8 {
        let v = bfp(rng, N);
        devmem::encode_bfp(&v, &mut data[VECTORS + i * devmem::bfp_bytes(N)..]);
    }
    for i in 0..4 {
        let g: Vec<u32> = (0..N).map(|_| rng.gen_range(0..=1 << 30)).collect();
        let bytes = devmem::gates_to_bytes(&g);
        data[GATES + i * devmem::gate_bytes(N)..][..bytes.len()].copy_from_slice(&bytes);
    }
    for r in 0..TABLE_ROWS as usize {
        let v = bfp(rng, N);
        devmem::encode_bfp(&v, &mut data[TABLE + r * devmem::bfp_bytes(N)..]);
    }
    let weights = (0..4096)
        .map(|_| (0..4).fold(0u8, |a, i| a | rng.gen_range(0..3u8) << (2 * i)))
        .collect();
    (data, weights)
}

/// Picks a register holding what `want` accepts, with at least `min` elements.
fn pick(rng: &mut ChaCha8Rng, regs: &[Option<Kind>], gates: bool) -> Option<(u8, usize)> {
    let found: Vec<(u8, usize)> = (regs.iter().enumerate())
        .filter_map(|(r, k)| match (k, gates) {
            (Some(Kind::Vector(n)), false) | (Some(Kind::Gates(n)), true) => Some((r as u8, *n)),
            _ => None,
        })
        .collect();
    (!found.is_empty()).then(|| found[rng.gen_range(0..found.len())])
}

/// A random legal program of about `n` instructions, END last; with `batched` the loads, stores
/// and STOREACC may use per-sequence strides (drawn only then, so batch-1 programs are unchanged).
fn random_program(rng: &mut ChaCha8Rng, n: usize, batched: bool) -> Vec<Instr> {
    let mut regs: Vec<Option<Kind>> = vec![None; 16];
    let (mut codes, mut rows) = (0usize, 0u32);
    let mut prog = Vec::new();
    while prog.len() < n {
        let vd = rng.gen_range(0..16u8);
        let len = rng.gen_range(1..=N);
        let vec_op = |op, vd, va, vb, len: usize| Instr::Vec {
            op,
            vd,
            va,
            vb,
            len: len as u32,
        };
        let instr = match rng.gen_range(0..14) {
            0 => {
                regs[vd as usize] = Some(Kind::Vector(len));
                let strided = batched && rng.gen_bool(0.5);
                let (slots, stride) = if strided { (4, LOAD_STRIDE) } else { (8, 0) };
                let addr = (VECTORS + rng.gen_range(0..slots) * devmem::bfp_bytes(N)) as u32;
                Instr::LoadV {
                    vd,
                    len: len as u32,
                    addr,
                    stride,
                }
            }
            1 => {
                regs[vd as usize] = Some(Kind::Gates(len));
                let addr = (GATES + rng.gen_range(0..4) * devmem::gate_bytes(N)) as u32;
                Instr::LoadG {
                    vd,
                    len: len as u32,
                    addr,
                }
            }
            2 => {
                regs[vd as usize] = Some(Kind::Vector(len));
                let row_stride = devmem::bfp_bytes(N) as u32;
                Instr::Embed {
                    vd,
                    len: len as u32,
                    table: TABLE as u32,
                    row_stride,
                }
            }
            3 => {
                let Some((va, n)) = pick(rng, &regs, false) else {
                    continue;
                };
                let (slots, stride) = if batched {
                    (4..6, STORE_STRIDE)
                } else {
                    (4..8, 0)
                };
                let addr = (VECTORS + rng.gen_range(slots) * devmem::bfp_bytes(N)) as u32;
                Instr::StoreV {
                    va,
                    len: rng.gen_range(1..=n) as u32,
                    addr,
                    stride,
                }
            }
            4..=6 => {
                let (Some((va, na)), Some((vb, nb))) =
                    (pick(rng, &regs, false), pick(rng, &regs, false))
                else {
                    continue;
                };
                let op = [VecOp::Add, VecOp::Mul, VecOp::Norm][rng.gen_range(0..3)];
                let len = rng.gen_range(1..=na.min(nb));
                regs[vd as usize] = Some(Kind::Vector(len));
                vec_op(op, vd, va, vb, len)
            }
            7 => {
                let Some((va, na)) = pick(rng, &regs, false) else {
                    continue;
                };
                let len = rng.gen_range(1..=na);
                let (op, kind) = if rng.gen_bool(0.5) {
                    (VecOp::Silu, Kind::Vector(len))
                } else {
                    (VecOp::Sigmoid, Kind::Gates(len))
                };
                regs[vd as usize] = Some(kind);
                vec_op(op, vd, va, 0, len)
            }
            8 => {
                let (Some((va, na)), Some((vb, nb))) =
                    (pick(rng, &regs, true), pick(rng, &regs, true))
                else {
                    continue;
                };
                let len = rng.gen_range(1..=na.min(nb));
                regs[vd as usize] = Some(Kind::Gates(len));
                if rng.gen_bool(0.5) {
                    vec_op(VecOp::LbMix, vd, va, vb, len)
                } else {
                    vec_op(VecOp::OneMinus, vd, va, 0, len)
                }
            }
            9 => {
                let (Some((va, na)), Some((vb, nb))) =
                    (pick(rng, &regs, false), pick(rng, &regs, true))
                else {
                    continue;
                };
                let len = rng.gen_range(1..=na.min(nb));
                if rng.gen_bool(0.5) {
                    regs[vd as usize] = Some(Kind::Vector(len));
                    vec_op(VecOp::GMul, vd, va, vb, len)
                } else {
                    // MLGRU: h in vd (a vector), forget gates va, candidate vb.
                    let Some((h, nh)) = pick(rng, &regs, false) else {
                        continue;
                    };
                    let len = len.min(nh);
                    regs[h as usize] = Some(Kind::Vector(len));
                    vec_op(VecOp::Mlgru, h, vb, va, len)
                }
            }
            10 => {
                let (Some((va, na)), Some((vb, nb))) =
                    (pick(rng, &regs, false), pick(rng, &regs, false))
                else {
                    continue;
                };
                let len = rng.gen_range(1..=na.min(nb));
                codes = len;
                let alpha = Scale::from_u64(rng.gen_range(1..1u64 << 40));
                Instr::Quant {
                    va,
                    vb,
                    len: len as u32,
                    alpha,
                }
            }
            11 => {
                if codes == 0 {
                    continue;
                }
                rows = rng.gen_range(1..=MAX_ROWS);
                Instr::Gemv {
                    cols: rng.gen_range(1..=codes) as u32,
                    weights: 0,
                    rows,
                }
            }
            12 => {
                if rows == 0 {
                    continue;
                }
                let group = rng.gen_range(1..=rows.min(N as u32));
                let len = rng.gen_range(1..=group);
                let first = rng.gen_range(0..=group - len);
                regs[vd as usize] = Some(Kind::Vector(len as usize));
                Instr::Dequant {
                    vd,
                    len,
                    first,
                    group,
                }
            }
            _ => {
                if rows == 0 {
                    continue;
                }
                let len = rng.gen_range(1..=rows);
                if rng.gen_bool(0.5) {
                    Instr::Argmax {
                        len,
                        addr: OUTPUTS as u32,
                    }
                } else {
                    Instr::StoreAcc {
                        len,
                        addr: ACC_OUT as u32,
                        stride: if batched { ACC_STRIDE } else { 0 },
                    }
                }
            }
        };
        prog.push(instr);
    }
    prog.push(Instr::End);
    prog
}

/// The kernel stores whole data-bank beats: after STOREV and STOREACC the words between `len` and
/// the end of the last beat read back zero (docs/HARDWARE.md, "Top level"); the ISS leaves them.
/// The compiler pads every region to 64 bytes with zeros, so whole-model images never see this.
/// `b` is the sequence whose store this is.
fn beat_tail(instr: &Instr, b: usize, data: &mut [u8], beat: usize) {
    let (addr, len, stride) = match *instr {
        Instr::StoreV {
            addr, len, stride, ..
        }
        | Instr::StoreAcc { addr, len, stride } => (addr, len, stride),
        _ => return,
    };
    let end = addr as usize + b * stride as usize + 64 + 4 * len as usize;
    let tail = end.next_multiple_of(beat).min(data.len());
    data[end.min(tail)..tail].fill(0);
}

/// Eight randomized programs of 40 instructions, stepped on the RTL of `hw_name` and the ISS.
fn random_programs_match(hw_name: &str) -> anyhow::Result<()> {
    let hw = HwConfig::preset(hw_name)?;
    let batch = hw.batch as usize;
    let mut sim = SimCard::new(hw.clone())?;
    for seed in 0..8u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut data, weights) = random_banks(&mut rng);
        let program = random_program(&mut rng, 40, batch > 1);
        for (i, instr) in program.iter().enumerate() {
            data[PROGRAM + 16 * i..][..16].copy_from_slice(&instr.encode());
        }
        let header = Header {
            tag_hash: tag_hash(&hw.tag()),
            batch: hw.batch,
            vocab: TABLE_ROWS,
            program: PROGRAM as u32,
            program_len: program.len() as u32,
            tokens: TOKENS as u32,
            outputs: OUTPUTS as u32,
            data_bytes: DATA_BYTES as u32,
        };
        data[..HEADER_BYTES].copy_from_slice(&header.encode());
        for b in 0..batch {
            data[TOKENS + 4 * b..][..4]
                .copy_from_slice(&rng.gen_range(0..TABLE_ROWS).to_le_bytes());
        }
        for (bank, bytes) in [(Bank::Data, &data), (Bank::Weight(0), &weights)] {
            let address = sim.alloc(bank, bytes.len() as u64)?;
            sim.write(bank, 0, bytes)?;
            sim.set_bank_arg(bank, address)?;
        }
        sim.set_single_step(true)?;
        let mut machine = Machine::new(&hw, header);
        for (index, instr) in program.iter().enumerate() {
            let what = format!("seed {seed}: {instr}");
            let iss = machine.step(
                &mut Memory {
                    data: &mut data,
                    weights: vec![&weights[..]],
                },
                index,
            );
            let rtl = sim.step();
            for b in 0..batch {
                beat_tail(instr, b, &mut data, sim.top_config().data_bits / 8);
            }
            match (iss, rtl) {
                (Ok(true), Ok(Stop::Done)) => break,
                (Ok(false), Ok(Stop::Paused)) => compare(&mut sim, &machine, &data, index, &what)?,
                (Err(_), Err(_)) => break,
                (iss, rtl) => bail!("instruction {index} ({what}): iss {iss:?}, rtl {rtl:?}"),
            }
        }
        sim.set_single_step(false)?;
    }
    Ok(())
}

#[test]
fn rtl_equals_the_iss_after_every_instruction_of_random_programs() -> anyhow::Result<()> {
    random_programs_match("tiny")
}

#[test]
fn every_sequence_of_the_batch_kernel_equals_the_iss_after_every_instruction() -> anyhow::Result<()>
{
    random_programs_match("tiny-b2")
}
