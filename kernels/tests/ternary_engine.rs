//! The ternary-accumulate engine under Verilator (DESIGN.md section 3, rung 2; docs/ACCELERATOR.md
//! sections 1 and 2): random rows on six configurations (W = 64, 128, 256; pack2 and pack5;
//! B = 1 and 2) with random input gaps and output back-pressure, directed extremes, the exact cycle
//! count, the row credits, empty jobs, the rust-hdl simulation against Verilator, and synthesis
//! (lint clean, zero DSP48E2). Every sum is compared with the independent oracle of `support::job`.
//! The soak tier (`#[ignore]`) runs ten million random rows.

mod support;

use anyhow::Context;
use mmfree_kernels::ternary_engine::EngineConfig;
use mmfree_spec::pack::Packing;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use support::bench::{Bench, Traffic};
use support::job::{Job, JobStyle, random_cols};
use support::{big_stack, test_config};

/// Base seed of every random test (printed with each failure).
const SEED: u64 = 2406_02528;
/// Random rows per configuration in the default tier (six configurations: 102,000 rows).
const ROWS_PER_CONFIG: usize = 17_000;

/// Totals of a random run.
#[derive(Debug, Default)]
struct Totals {
    rows: usize,
    beats: usize,
    edges: u64,
    seconds: f64,
}

/// Random jobs on `cfg` until `rows` rows have been checked.
fn random_rows(cfg: &EngineConfig, rows: usize, seed: u64) -> anyhow::Result<Totals> {
    let mut bench = support::bench(cfg)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut totals = Totals::default();
    let mut job_index = 0;
    while totals.rows < rows {
        let cols = random_cols(cfg, &mut rng);
        let per_row = cfg.beats_per_row(cols);
        let n_rows = rng
            .gen_range(1..=(2000 / per_row).clamp(1, 400))
            .min(rows - totals.rows);
        let style = JobStyle {
            p_zero: [0.0, 0.33, 0.9][rng.gen_range(0..3)],
            p_dirty_padding: 0.5,
            code_mode: [0, 0, 0, 1, 2][rng.gen_range(0..5)],
        };
        let job = Job::random(cfg, cols, n_rows, style, &mut rng);
        let traffic = Traffic::random(&mut rng);
        bench
            .run_job(&job, traffic, &mut rng)
            .with_context(|| format!("seed {seed}, job {job_index}"))?;
        totals.rows += n_rows;
        totals.beats += n_rows * per_row;
        job_index += 1;
    }
    totals.edges = bench.edges;
    totals.seconds = bench.busy_seconds;
    eprintln!(
        "{}: {} rows, {} beats, {} cycles checked in {:.1} s ({:.2} M cycles/s), seed {seed}",
        support::top_name(cfg),
        totals.rows,
        totals.beats,
        totals.edges,
        totals.seconds,
        totals.edges as f64 / totals.seconds / 1e6
    );
    Ok(totals)
}

macro_rules! random_test {
    ($name: ident, $w: expr, $p: expr, $b: expr, $i: expr) => {
        #[test]
        fn $name() -> anyhow::Result<()> {
            let cfg = test_config($w, $p, $b);
            let totals = random_rows(&cfg, ROWS_PER_CONFIG, SEED + $i)?;
            assert!(totals.rows >= ROWS_PER_CONFIG);
            Ok(())
        }
    };
}

random_test!(random_rows_w64_pack2_b1, 64, Packing::Pack2, 1, 0);
random_test!(random_rows_w64_pack5_b2, 64, Packing::Pack5, 2, 1);
random_test!(random_rows_w128_pack2_b2, 128, Packing::Pack2, 2, 2);
random_test!(random_rows_w128_pack5_b1, 128, Packing::Pack5, 1, 3);
random_test!(random_rows_w256_pack2_b1, 256, Packing::Pack2, 1, 4);
random_test!(random_rows_w256_pack5_b2, 256, Packing::Pack5, 2, 5);

/// Runs `job` with random traffic after checking the oracle against the closed form `want`.
fn run_directed(
    bench: &mut Bench,
    job: &Job,
    want: &[Vec<i64>],
    what: &str,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<()> {
    let oracle = job.expected(&bench.cfg)?;
    anyhow::ensure!(
        oracle == want,
        "{what}: the oracle disagrees with the closed form"
    );
    let traffic = Traffic::random(rng);
    bench
        .run_job(job, traffic, rng)
        .with_context(|| what.to_string())?;
    Ok(())
}

/// The directed cases of one configuration; every expected value is a closed form.
fn directed(cfg: &EngineConfig, seed: u64) -> anyhow::Result<()> {
    let mut bench = support::bench(cfg)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (k, max, b) = (cfg.lanes(), cfg.max_cols, cfg.batch);
    // Extremes at the maximum columns: |acc| = 127 * cols (and 128 * cols for code -128).
    for (w, q) in [
        (1i8, 127i8),
        (-1, -127),
        (-1, 127),
        (1, -127),
        (-1, -128),
        (1, -128),
    ] {
        let job = Job::directed(cfg, max, vec![vec![w; max]; 3], &vec![vec![q]; b]);
        let want = vec![vec![w as i64 * q as i64 * max as i64; b]; 3];
        run_directed(
            &mut bench,
            &job,
            &want,
            &format!("all {w} x {q} at {max} columns"),
            &mut rng,
        )?;
    }
    // All-zero weights against random codes: zero, for every length.
    for cols in [1, k - 1, k, k + 1, max] {
        let codes: Vec<Vec<i8>> = (0..b)
            .map(|_| (0..k).map(|_| rng.r#gen()).collect())
            .collect();
        let job = Job::directed(cfg, cols, vec![vec![0; cols]; 4], &codes);
        run_directed(
            &mut bench,
            &job,
            &vec![vec![0; b]; 4],
            &format!("zero weights, {cols} columns"),
            &mut rng,
        )?;
    }
    // Alternating signs against a constant code c: c * (cols mod 2).
    for cols in [1, 2, k, k + 1, 2 * k + 3, max - 1, max] {
        let row: Vec<i8> = (0..cols).map(|j| if j % 2 == 0 { 1 } else { -1 }).collect();
        let codes: Vec<Vec<i8>> = (0..b).map(|s| vec![100 - 7 * s as i8]).collect();
        let want: Vec<i64> = codes
            .iter()
            .map(|c| c[0] as i64 * (cols % 2) as i64)
            .collect();
        let job = Job::directed(cfg, cols, vec![row; 2], &codes);
        run_directed(
            &mut bench,
            &job,
            &vec![want; 2],
            &format!("alternating, {cols} columns"),
            &mut rng,
        )?;
    }
    // One non-zero trit at every position of a beat (each lane against a distinct code), then the
    // same trit just inside and just outside `cols`.
    let codes: Vec<Vec<i8>> = (0..b)
        .map(|s| {
            (0..k)
                .map(|j| (((j * 37 + s * 11) % 255) as i16 - 127) as i8)
                .collect()
        })
        .collect();
    for sign in [1i8, -1] {
        let rows: Vec<Vec<i8>> = (0..k)
            .map(|p| (0..k).map(|j| if j == p { sign } else { 0 }).collect())
            .collect();
        let want: Vec<Vec<i64>> = (0..k)
            .map(|p| codes.iter().map(|c| sign as i64 * c[p] as i64).collect())
            .collect();
        let job = Job::directed(cfg, k, rows, &codes);
        run_directed(
            &mut bench,
            &job,
            &want,
            &format!("single trit {sign} at every lane"),
            &mut rng,
        )?;
        for p in [0, 1, k / 2, k - 2, k - 1] {
            let mut row = vec![0i8; k];
            row[p] = sign;
            let inside = Job::directed(cfg, p + 1, vec![row[..p + 1].to_vec()], &codes);
            let want: Vec<i64> = codes.iter().map(|c| sign as i64 * c[p] as i64).collect();
            run_directed(
                &mut bench,
                &inside,
                &[want],
                &format!("trit {sign} at lane {p}, cols {}", p + 1),
                &mut rng,
            )?;
            if p > 0 {
                // The trit lies in the padding of a `p`-column row: the mask must drop it.
                let mut outside = Job::directed(cfg, p, vec![vec![0; p]], &codes);
                outside.rows[0][p] = sign;
                run_directed(
                    &mut bench,
                    &outside,
                    &[vec![0; b]],
                    &format!("trit {sign} beyond cols {p}"),
                    &mut rng,
                )?;
            }
        }
    }
    Ok(())
}

#[test]
fn directed_extremes_zeros_alternating_and_single_trits() -> anyhow::Result<()> {
    for (i, cfg) in support::test_configs().iter().enumerate() {
        directed(cfg, SEED + 100 + i as u64).with_context(|| support::top_name(cfg))?;
    }
    Ok(())
}

/// With no gaps and no back-pressure, beats enter on every edge from the one after `start`, each
/// row's sums are taken `latency + 1` edges after its last beat, and `done` follows one edge later.
#[test]
fn cycle_count_is_beats_plus_the_fixed_latency() -> anyhow::Result<()> {
    for cfg in [
        test_config(64, Packing::Pack2, 1),
        test_config(256, Packing::Pack5, 2),
    ] {
        let mut bench = support::bench(&cfg)?;
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        let k = cfg.lanes();
        let latency = cfg.latency() as u64;
        for cols in [1, k, 3 * k + 5, cfg.max_cols] {
            let per_row = cfg.beats_per_row(cols) as u64;
            let job = Job::random(
                &cfg,
                cols,
                20,
                JobStyle {
                    p_zero: 0.3,
                    p_dirty_padding: 0.5,
                    code_mode: 0,
                },
                &mut rng,
            );
            let trace = bench.run_job(&job, Traffic::FREE, &mut rng)?;
            let n = 20 * per_row;
            assert_eq!(
                trace.accepted,
                (1..=n).collect::<Vec<_>>(),
                "{cols} columns"
            );
            let taken: Vec<u64> = (1..=20).map(|r| r * per_row + latency + 1).collect();
            assert_eq!(trace.taken, taken, "{cols} columns");
            assert_eq!(trace.done, n + latency + 2, "{cols} columns: {n} beats");
        }
        // The documented figures: tree levels, D, accumulator, FIFO.
        assert_eq!(latency, k.next_power_of_two().trailing_zeros() as u64 + 3);
    }
    Ok(())
}

/// With the consumer stalled, the engine takes exactly one row per FIFO slot and then waits.
#[test]
fn output_back_pressure_stops_the_input_at_the_fifo_depth() -> anyhow::Result<()> {
    let cfg = test_config(128, Packing::Pack5, 1);
    let mut bench = support::bench(&cfg)?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 7);
    let hold = 300;
    for cols in [cfg.lanes(), 2 * cfg.lanes()] {
        let job = Job::random(
            &cfg,
            cols,
            60,
            JobStyle {
                p_zero: 0.3,
                p_dirty_padding: 0.0,
                code_mode: 0,
            },
            &mut rng,
        );
        let traffic = Traffic {
            hold_output: hold,
            ..Traffic::FREE
        };
        let trace = bench.run_job(&job, traffic, &mut rng)?;
        let depth = 1usize << cfg.log_fifo_depth();
        let rows_in =
            trace.accepted.iter().filter(|&&e| e <= hold).count() / cfg.beats_per_row(cols);
        assert_eq!(rows_in, depth, "{cols} columns");
    }
    Ok(())
}

#[test]
fn empty_jobs_finish_at_once() -> anyhow::Result<()> {
    let cfg = test_config(64, Packing::Pack5, 2);
    let mut bench = support::bench(&cfg)?;
    assert_eq!(bench.empty_job(0, 7)?, 1);
    assert_eq!(bench.empty_job(5, 0)?, 1);
    // A real job still works afterwards.
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 9);
    let job = Job::random(
        &cfg,
        77,
        5,
        JobStyle {
            p_zero: 0.3,
            p_dirty_padding: 0.5,
            code_mode: 0,
        },
        &mut rng,
    );
    bench.run_job(&job, Traffic::FREE, &mut rng)?;
    Ok(())
}

#[test]
fn declared_types_refuse_other_configurations() {
    let cfg = support::declared_configs()[0];
    let other = EngineConfig { batch: 2, ..cfg };
    let e = support::engine_verilog(&other, "x")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no engine type"), "{e}");
    let e = big_stack(move || support::T64P2B1::new(&other).err().map(|e| e.to_string()));
    let e = e.unwrap_or_default();
    assert!(e.contains("BK8") && e.contains("declared type"), "{e}");
}

/// Soak tier: ten million random rows over the six configurations, two configurations at a time
/// (one per core); prints the time it took.
#[test]
#[ignore]
fn soak_ten_million_random_rows() -> anyhow::Result<()> {
    let t = std::time::Instant::now();
    let configs = support::test_configs();
    let per_config = 10_000_000usize.div_ceil(configs.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<anyhow::Result<Totals>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut sum = Totals::default();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(cfg) = configs.get(i) else {
                            return Ok(sum);
                        };
                        let t = random_rows(cfg, per_config, SEED + 1000 + i as u64)?;
                        sum.rows += t.rows;
                        sum.beats += t.beats;
                        sum.edges += t.edges;
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut total = Totals::default();
    for r in results {
        let r = r?;
        total.rows += r.rows;
        total.beats += r.beats;
        total.edges += r.edges;
    }
    assert!(total.rows >= 10_000_000);
    eprintln!(
        "soak: {} rows, {} beats, {} cycles in {:.0} s",
        total.rows,
        total.beats,
        total.edges,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
