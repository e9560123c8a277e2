//! The whole flow on real blocks (DESIGN.md section 3, rung 2): rust-hdl design -> emitted Verilog
//! -> Verilator model built at run time -> driven from Rust, checked cycle by cycle against a plain
//! software model and against the rust-hdl simulation of the same design, on 100,000 random cycles.
//! Throughput and build time are printed (not asserted; they are measurements, not properties).

use std::collections::VecDeque;
use std::time::Instant;

use mmfree_hdl::{adder_tree_latency, declare_adder_tree, declare_stream_fifo, emit};
use mmfree_sim::{Batch, Options, Verilated};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

const CYCLES: usize = 100_000;
const LANES: usize = 16;
const WIDTH: usize = 9;
const REGISTER_EVERY: usize = 2;
declare_adder_tree!(Tree, LANES, WIDTH);
declare_stream_fifo!(Fifo, Bits<16>, 8);

/// Random lanes (every 64th vector all-minimum or all-maximum) and a random valid bit, per cycle.
fn tree_vectors(lanes: usize, width: usize, cycles: usize, seed: u64) -> Vec<(bool, Vec<i64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (lo, hi) = (-(1i64 << (width - 1)), (1i64 << (width - 1)) - 1);
    (0..cycles)
        .map(|i| {
            let values = match i % 64 {
                0 => vec![lo; lanes],
                1 => vec![hi; lanes],
                _ => (0..lanes).map(|_| rng.gen_range(lo..=hi)).collect(),
            };
            (rng.gen_bool(0.75), values)
        })
        .collect()
}

/// The lanes as the little-endian words of the packed `in_data` port.
fn pack_words(lanes: &[i64], width: usize) -> Vec<u32> {
    let mut words = vec![0u32; (lanes.len() * width).div_ceil(32)];
    for (i, &v) in lanes.iter().enumerate() {
        let raw = (v as u64) & ((1 << width) - 1);
        for b in 0..width {
            let bit = i * width + b;
            words[bit / 32] |= (((raw >> b) & 1) as u32) << (bit % 32);
        }
    }
    words
}

/// The software model: the plain sum, valid and sum delayed by `latency` cycles.
fn software_tree(vectors: &[(bool, Vec<i64>)], latency: usize) -> Vec<(bool, i64)> {
    let mut line = VecDeque::from(vec![(false, 0i64); latency - 1]);
    vectors
        .iter()
        .map(|(valid, lanes)| {
            line.push_back((*valid, lanes.iter().sum()));
            line.pop_front().unwrap_or_default()
        })
        .collect()
}

/// Runs `vectors` through a tree model in one batch; returns (valid, sum) per cycle and the
/// cycles per second of the run call alone.
fn verilator_tree(
    model: &mut Verilated,
    vectors: &[(bool, Vec<i64>)],
    width: usize,
) -> anyhow::Result<(Vec<(bool, i64)>, f64)> {
    let (in_valid, in_data) = (model.port("in_valid")?, model.port("in_data")?);
    let (out_valid, out_sum) = (model.port("out_valid")?, model.port("out_sum")?);
    let mut batch = Batch::new(&[in_valid, in_data], &[out_valid, out_sum], vectors.len())?;
    for (c, (valid, lanes)) in vectors.iter().enumerate() {
        batch.set(c, 0, *valid as u64)?;
        batch.set_words(c, 1, &pack_words(lanes, width))?;
    }
    let t = Instant::now();
    model.run(&mut batch)?;
    let rate = vectors.len() as f64 / t.elapsed().as_secs_f64();
    let out = (0..vectors.len())
        .map(|c| Ok((batch.get(c, 0)? == 1, batch.get_signed(c, 1)?)))
        .collect::<anyhow::Result<_>>()?;
    Ok((out, rate))
}

/// The rust-hdl simulation of the same tree, one cycle at a time.
fn rust_hdl_tree(vectors: &[(bool, Vec<i64>)]) -> anyhow::Result<Vec<(bool, i64)>> {
    let mut uut = Tree::new(REGISTER_EVERY)?;
    uut.connect_all();
    let mut out = Vec::with_capacity(vectors.len());
    for (valid, lanes) in vectors {
        let mut data = Bits::<{ LANES * WIDTH }>::default();
        for (i, &v) in lanes.iter().enumerate() {
            data.set_bits::<WIDTH>(i * WIDTH, Bits::from((v as u64) & ((1 << WIDTH) - 1)));
        }
        uut.in_data.next = data;
        uut.in_valid.next = *valid;
        for level in [true, false] {
            uut.clock.next = Clock::from(level);
            anyhow::ensure!(simulate(&mut uut, 100), "rust-hdl did not settle");
        }
        let sum: i64 = uut.out_sum.val().bigint().try_into()?;
        out.push((uut.out_valid.val(), sum));
    }
    Ok(out)
}

fn first_mismatch<T: PartialEq + std::fmt::Debug>(a: &[T], b: &[T]) -> Option<String> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .map(|i| format!("cycle {i}: {:?} != {:?}", a[i], b[i]))
}

#[test]
fn adder_tree_verilator_matches_software_and_rust_hdl() -> anyhow::Result<()> {
    let seed = 2406_02528;
    let vectors = tree_vectors(LANES, WIDTH, CYCLES, seed);
    let mut tree = Tree::new(REGISTER_EVERY)?;
    tree.connect_all();
    let verilog = emit(&tree, "adder_tree16x9")?;
    let mut model = Verilated::build(&verilog, "adder_tree16x9", &Options::default())?;
    let info = model.build_info().clone();
    let (verilator, batched_rate) = verilator_tree(&mut model, &vectors, WIDTH)?;

    // Per call: a fresh model of the same library, one FFI call per port and cycle.
    let mut single = Verilated::build(&verilog, "adder_tree16x9", &Options::default())?;
    anyhow::ensure!(
        single.build_info().cached,
        "second build of the same design was not cached"
    );
    let (in_valid, in_data) = (single.port("in_valid")?, single.port("in_data")?);
    let (out_valid, out_sum) = (single.port("out_valid")?, single.port("out_sum")?);
    let packed: Vec<Vec<u32>> = vectors.iter().map(|(_, l)| pack_words(l, WIDTH)).collect();
    let t = Instant::now();
    let mut per_call = Vec::with_capacity(CYCLES);
    for (c, (valid, _)) in vectors.iter().enumerate() {
        single.set(in_valid, *valid as u64)?;
        single.set_words(in_data, &packed[c])?;
        single.tick()?;
        per_call.push((single.get(out_valid)? == 1, single.get_signed(out_sum)?));
    }
    let single_rate = CYCLES as f64 / t.elapsed().as_secs_f64();

    let software = software_tree(&vectors, adder_tree_latency(LANES, REGISTER_EVERY));
    let t = Instant::now();
    let rust_hdl = rust_hdl_tree(&vectors)?;
    let rust_hdl_rate = CYCLES as f64 / t.elapsed().as_secs_f64();
    assert_eq!(
        first_mismatch(&verilator, &software),
        None,
        "Verilator vs software model, seed {seed}"
    );
    assert_eq!(
        first_mismatch(&verilator, &rust_hdl),
        None,
        "Verilator vs rust-hdl, seed {seed}"
    );
    assert_eq!(
        first_mismatch(&per_call, &verilator),
        None,
        "per-call vs batched, seed {seed}"
    );
    assert!(
        software.iter().filter(|(v, _)| *v).count() > CYCLES / 2,
        "too few valid outputs"
    );
    eprintln!(
        "adder tree {LANES}x{WIDTH} (k={REGISTER_EVERY}): build {:.2} s ({}), Verilator {:.2} M cycles/s batched, \
         {:.2} M cycles/s per call, rust-hdl {:.3} M cycles/s",
        info.seconds,
        if info.cached { "cached" } else { "cold" },
        batched_rate / 1e6,
        single_rate / 1e6,
        rust_hdl_rate / 1e6
    );
    Ok(())
}

/// Soak tier (`cargo test -p mmfree-sim --test flow -- --ignored`, about a minute cold): a 64-lane
/// tree with a 576-bit input port, 2,000,000 random cycles against the software model.
#[test]
#[ignore]
fn soak_wide_adder_tree_two_million_cycles() -> anyhow::Result<()> {
    declare_adder_tree!(Wide, 64, 9);
    let seed = 64_009;
    let mut tree = Wide::new(3)?;
    tree.connect_all();
    let verilog = emit(&tree, "adder_tree64x9")?;
    let mut model = Verilated::build(&verilog, "adder_tree64x9", &Options::default())?;
    let vectors = tree_vectors(64, 9, 2_000_000, seed);
    let (verilator, rate) = verilator_tree(&mut model, &vectors, 9)?;
    let software = software_tree(&vectors, adder_tree_latency(64, 3));
    assert_eq!(first_mismatch(&verilator, &software), None, "seed {seed}");
    eprintln!(
        "adder tree 64x9 (k=3): build {:.2} s, {:.2} M cycles/s batched",
        model.build_info().seconds,
        rate / 1e6
    );
    Ok(())
}

/// One side of the FIFO comparison: what the block shows before the edge (in_ready, out_valid,
/// out_data) for given inputs (in_valid, in_data, out_ready), then the edge.
trait FifoUnderTest {
    fn cycle(
        &mut self,
        in_valid: bool,
        in_data: u64,
        out_ready: bool,
    ) -> anyhow::Result<(bool, bool, u64)>;
}

struct RustHdlFifo(Fifo);

impl FifoUnderTest for RustHdlFifo {
    fn cycle(
        &mut self,
        in_valid: bool,
        in_data: u64,
        out_ready: bool,
    ) -> anyhow::Result<(bool, bool, u64)> {
        let f = &mut self.0;
        f.in_valid.next = in_valid;
        f.in_data.next = in_data.into();
        f.out_ready.next = out_ready;
        f.clock.next = Clock::from(false);
        anyhow::ensure!(simulate(f, 100), "rust-hdl did not settle");
        let seen = (
            f.in_ready.val(),
            f.out_valid.val(),
            f.out_data.val().to_u64(),
        );
        f.clock.next = Clock::from(true);
        anyhow::ensure!(simulate(f, 100), "rust-hdl did not settle");
        Ok(seen)
    }
}

struct VerilatorFifo {
    m: Verilated,
    ports: [mmfree_sim::Port; 6],
}

impl FifoUnderTest for VerilatorFifo {
    fn cycle(
        &mut self,
        in_valid: bool,
        in_data: u64,
        out_ready: bool,
    ) -> anyhow::Result<(bool, bool, u64)> {
        let [iv, id, or, ir, ov, od] = self.ports;
        self.m.set(iv, in_valid as u64)?;
        self.m.set(id, in_data)?;
        self.m.set(or, out_ready as u64)?;
        self.m.eval();
        let seen = (self.m.get(ir)? == 1, self.m.get(ov)? == 1, self.m.get(od)?);
        self.m.tick()?;
        Ok(seen)
    }
}

#[test]
fn fifo_verilator_matches_rust_hdl_and_a_queue_under_stalls() -> anyhow::Result<()> {
    let mut fifo = Fifo::default();
    fifo.connect_all();
    let verilog = emit(&fifo, "stream_fifo8x16")?;
    let m = Verilated::build(&verilog, "stream_fifo8x16", &Options::default())?;
    let names = [
        "in_valid",
        "in_data",
        "out_ready",
        "in_ready",
        "out_valid",
        "out_data",
    ];
    let ports: Vec<mmfree_sim::Port> = names.iter().map(|n| m.port(n)).collect::<Result<_, _>>()?;
    let ports: [mmfree_sim::Port; 6] =
        ports.try_into().map_err(|_| anyhow::anyhow!("six ports"))?;
    let mut rtl = VerilatorFifo { m, ports };
    let mut reference = RustHdlFifo(fifo);
    let seed = 17;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut queue, mut holding, mut next_beat, mut received) =
        (VecDeque::new(), None::<u64>, 0u64, 0usize);
    for cycle in 0..CYCLES {
        // Phases of heavy stalls, heavy back-pressure and free flow.
        let (p_valid, p_ready) =
            [(0.5, 0.5), (0.9, 0.2), (0.2, 0.9), (1.0, 1.0)][(cycle / 5000) % 4];
        if holding.is_none() && rng.gen_bool(p_valid) {
            holding = Some(next_beat & 0xffff);
            next_beat = next_beat
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                >> 7;
        }
        let out_ready = rng.gen_bool(p_ready);
        let (in_valid, in_data) = (holding.is_some(), holding.unwrap_or(0));
        let got = rtl.cycle(in_valid, in_data, out_ready)?;
        let want = reference.cycle(in_valid, in_data, out_ready)?;
        let (in_ready, out_valid, out_data) = got;
        anyhow::ensure!(
            (got.0, got.1) == (want.0, want.1) && (!out_valid || got.2 == want.2),
            "seed {seed} cycle {cycle}: Verilator {got:?} vs rust-hdl {want:?}"
        );
        if out_valid && out_ready {
            anyhow::ensure!(
                queue.pop_front() == Some(out_data),
                "seed {seed} cycle {cycle}: beat out of order"
            );
            received += 1;
        }
        if in_valid && in_ready {
            queue.push_back(in_data);
            holding = None;
        }
        anyhow::ensure!(
            queue.len() <= 8,
            "seed {seed} cycle {cycle}: more than 8 beats inside"
        );
    }
    assert!(received > CYCLES / 4, "only {received} beats passed");
    eprintln!("stream fifo: {received} beats checked over {CYCLES} cycles");
    Ok(())
}
