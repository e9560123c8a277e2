//! The harness on small hand-written designs: narrow, 64-bit, wide and signed ports, the clock,
//! the batched API, the cache, tracing, and the one-line errors.

use mmfree_sim::{Batch, Error, Options, Verilated};

const COUNTER: &str = "
module counter(clock, inc, wide_in, count, wide_out, neg, big);
  input wire clock;
  input wire [7:0] inc;
  input wire [99:0] wide_in;
  output reg [15:0] count;
  output wire [99:0] wide_out;
  output wire signed [11:0] neg;
  output wire [39:0] big;
  initial count = 16'd0;
  always @(posedge clock) count <= count + {8'd0, inc};
  assign wide_out = wide_in ^ {4'hf, 96'h0};
  assign neg = -$signed({4'd0, inc});
  assign big = {count, count, inc};
endmodule
";

#[test]
fn ports_clock_and_wide_values() -> anyhow::Result<()> {
    let mut m = Verilated::build(COUNTER, "counter", &Options::default())?;
    let (inc, wide_in, count) = (m.port("inc")?, m.port("wide_in")?, m.port("count")?);
    let (wide_out, neg, big) = (m.port("wide_out")?, m.port("neg")?, m.port("big")?);
    let mut want = 0u64;
    for i in 0..1000u64 {
        let step = (i * 37) % 256;
        m.set(inc, step)?;
        m.tick()?;
        want = (want + step) % 65536;
        assert_eq!(m.get(count)?, want, "cycle {i}");
        assert_eq!(m.get_signed(neg)?, -(step as i64));
        assert_eq!(m.get(big)?, (want << 24) | (want << 8) | step);
    }
    m.set_words(wide_in, &[1, 2, 3, 0x5])?;
    m.eval();
    assert_eq!(m.get_words(wide_out), vec![1, 2, 3, 0xa]);
    Ok(())
}

#[test]
fn batch_matches_single_calls() -> anyhow::Result<()> {
    let mut a = Verilated::build(COUNTER, "counter", &Options::default())?;
    let mut b = Verilated::build(COUNTER, "counter", &Options::default())?;
    assert!(
        b.build_info().cached,
        "the second build of one design must come from the cache"
    );
    assert_eq!(a.build_info().library, b.build_info().library);
    let (inc, count, big) = (a.port("inc")?, a.port("count")?, a.port("big")?);
    let mut batch = Batch::new(&[inc], &[count, big], 500)?;
    for c in 0..500 {
        batch.set(c, 0, (c as u64 * 11) % 256)?;
    }
    b.run(&mut batch)?;
    for c in 0..500 {
        a.set(inc, (c as u64 * 11) % 256)?;
        a.tick()?;
        assert_eq!(batch.get(c, 0)?, a.get(count)?, "cycle {c}");
        assert_eq!(batch.get(c, 1)?, a.get(big)?, "cycle {c}");
    }
    Ok(())
}

/// Slow tier (`-- --ignored`): forces one cold design build (10-30 s on two cores) every run.
#[test]
#[ignore]
fn second_build_comes_from_the_cache() -> anyhow::Result<()> {
    // A design text no earlier run has seen (the shared runtime objects stay cached), removed at the end.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let fresh = format!("// run {nonce} of {}\n{COUNTER}", std::process::id());
    let first = Verilated::build(&fresh, "counter", &Options::default())?;
    assert!(!first.build_info().cached);
    let second = Verilated::build(&fresh, "counter", &Options::default())?;
    assert!(second.build_info().cached);
    assert_eq!(first.build_info().library, second.build_info().library);
    let other = Verilated::build(COUNTER, "counter", &Options::default())?;
    assert_ne!(other.build_info().library, first.build_info().library);
    let dir = first.build_info().library.parent().map(|d| d.to_path_buf());
    drop((first, second));
    if let Some(dir) = dir {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

#[test]
fn trace_writes_a_vcd() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let vcd = dir.path().join("counter.vcd");
    {
        let mut m = Verilated::build(
            COUNTER,
            "counter",
            &Options {
                trace: Some(vcd.clone()),
                ..Options::default()
            },
        )?;
        let inc = m.port("inc")?;
        m.set(inc, 3)?;
        for _ in 0..4 {
            m.tick()?;
        }
    }
    let text = std::fs::read_to_string(&vcd)?;
    assert!(text.contains("$enddefinitions"), "no VCD header");
    assert!(text.contains(" count "), "count is not traced");
    assert!(
        text.contains("b0000000000001100 "),
        "count never reached 12"
    );
    Ok(())
}

#[test]
fn errors_are_one_clear_line() -> anyhow::Result<()> {
    let mut m = Verilated::build(COUNTER, "counter", &Options::default())?;
    let e = m.port("nope").unwrap_err().to_string();
    assert_eq!(
        e,
        "module 'counter' has no port 'nope' (ports: clock, inc, wide_in, count, wide_out, neg, big)"
    );
    let inc = m.port("inc")?;
    assert_eq!(
        m.set(inc, 256).unwrap_err().to_string(),
        "port 'inc' is 8 bits wide; 256 does not fit"
    );
    assert!(matches!(m.set_signed(inc, -129), Err(Error::Width { .. })));
    let count = m.port("count")?;
    assert_eq!(
        m.set(count, 1).unwrap_err().to_string(),
        "port 'count' is an output, not an input"
    );
    let wide = m.port("wide_in")?;
    assert!(matches!(
        m.set_words(wide, &[0, 0, 0, 0x10]),
        Err(Error::Width { .. })
    ));
    assert!(matches!(m.get(wide), Err(Error::Width { .. })));
    let e = Verilated::build(
        "module broken(a); input wire a; assign b = ; endmodule",
        "broken",
        &Options::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        e.starts_with("verilator failed on module 'broken': %Error"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    let no_clock = Options {
        clock: "clk".into(),
        ..Options::default()
    };
    let mut m = Verilated::build(COUNTER, "counter", &no_clock)?;
    assert_eq!(
        m.tick().unwrap_err().to_string(),
        "module 'counter' has no clock input 'clk' to tick (set Options::clock)"
    );
    Ok(())
}
