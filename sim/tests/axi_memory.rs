//! The AXI4 memory model on its own, driven by hand-written master signals (no simulator): exact
//! latency, in-flight caps, the bandwidth budget, held responses under stalls, strobes, error
//! responses and every protocol rule it enforces.

use mmfree_sim::Error;
use mmfree_sim::axi::{MasterSignals, Memory, MemoryConfig, Rate, Request, Stalls, Timing};

const BEAT: usize = 16;

fn req(addr: u64, beats: u64) -> Request {
    Request {
        addr,
        len: (beats - 1) as u8,
        size: BEAT.trailing_zeros() as u8,
        burst: 1,
    }
}

fn memory(timing: Timing, stalls: Stalls) -> Memory {
    let config = MemoryConfig {
        timing,
        stalls,
        ..MemoryConfig::new("m_axi", BEAT, 0x1000, 1 << 16)
    };
    let mut m = Memory::new(config).unwrap();
    let pattern: Vec<u8> = (0..1 << 16).map(|i: u32| (i * 7 + i / 256) as u8).collect();
    m.write(0x1000, &pattern).unwrap();
    m
}

/// A well-behaved reader: offers each request until taken, takes R beats with `r_ready(edge)`.
/// Returns (edge, data) of every R beat.
fn read_all(
    m: &mut Memory,
    requests: &[Request],
    edges: u64,
    r_ready: impl Fn(u64) -> bool,
) -> Vec<(u64, Vec<u8>)> {
    let mut next = 0;
    let mut beats = Vec::new();
    for edge in 0..edges {
        let signals = MasterSignals {
            ar_valid: next < requests.len(),
            ar: requests.get(next).copied().unwrap_or_default(),
            r_ready: r_ready(edge),
            ..Default::default()
        };
        let s = m.slave().clone();
        if s.r_valid && signals.r_ready {
            beats.push((edge, s.r_data.clone()));
        }
        if signals.ar_valid && s.ar_ready {
            next += 1;
        }
        m.clock(&signals).unwrap();
    }
    beats
}

#[test]
fn first_beat_comes_exactly_the_read_latency_after_the_request() {
    for latency in [1, 2, 17, 110] {
        let mut m = memory(
            Timing {
                read_latency: latency,
                ..Timing::ideal()
            },
            Stalls::default(),
        );
        let beats = read_all(&mut m, &[req(0x1000, 4)], 200, |_| true);
        // The AR handshake is at edge 0 (ARREADY is up from the start).
        let edges: Vec<u64> = beats.iter().map(|b| b.0).collect();
        let l = latency as u64;
        assert_eq!(edges, vec![l, l + 1, l + 2, l + 3], "latency {latency}");
        assert_eq!(beats[1].1, m.read(0x1010, 16).unwrap(), "latency {latency}");
        assert_eq!(m.stats().read_busy_cycles, l + 3);
    }
}

#[test]
fn bursts_in_flight_are_capped() {
    let mut m = memory(
        Timing {
            read_latency: 50,
            max_reads: 2,
            ..Timing::ideal()
        },
        Stalls::default(),
    );
    let requests: Vec<Request> = (0..4).map(|i| req(0x1000 + 0x100 * i, 2)).collect();
    let beats = read_all(&mut m, &requests, 400, |_| true);
    let bursts = m.take_bursts();
    let accepted: Vec<u64> = bursts.iter().map(|b| b.cycle).collect();
    // Two requests at edges 0 and 1; the third only after the first burst is back (edge 51).
    assert_eq!(&accepted[..2], &[0, 1]);
    assert_eq!(accepted[2], 52, "{accepted:?}");
    assert_eq!(beats.len(), 8);
    assert_eq!(m.stats().max_reads_in_flight, 2);
}

#[test]
fn bandwidth_budget_limits_the_long_run_rate() {
    let mut m = memory(
        Timing {
            bandwidth: Rate {
                beats: 2,
                cycles: 5,
            },
            ..Timing::ideal()
        },
        Stalls::default(),
    );
    let requests: Vec<Request> = (0..16).map(|i| req(0x1000 + 0x1000 * i, 64)).collect();
    read_all(&mut m, &requests, 5000, |_| true);
    let s = m.stats();
    assert_eq!(s.read_beats, 1024);
    let rate = s.read_utilization();
    assert!((rate - 0.4).abs() < 0.01, "rate {rate}");
}

#[test]
fn stalls_hold_r_beats_until_taken_and_data_follows_the_store() {
    let mut m = memory(
        Timing {
            read_latency: 3,
            read_jitter: 5,
            max_reads: 4,
            ..Timing::ideal()
        },
        Stalls::all(9, 0.4),
    );
    let requests: Vec<Request> = (0..8).map(|i| req(0x1000 + 0x2f0 * i, 7)).collect();
    let mut prev: Option<(bool, Vec<u8>, bool)> = None;
    let mut next = 0;
    let mut got = Vec::new();
    for edge in 0..2000u64 {
        let r_ready = edge % 3 == 0;
        let s = m.slave().clone();
        if let Some((true, data, false)) = &prev {
            assert!(s.r_valid, "edge {edge}: RVALID fell before RREADY");
            assert_eq!(&s.r_data, data, "edge {edge}: RDATA changed while waiting");
        }
        prev = Some((s.r_valid, s.r_data.clone(), r_ready));
        if s.r_valid && r_ready {
            got.extend_from_slice(&s.r_data);
        }
        let signals = MasterSignals {
            ar_valid: next < requests.len(),
            ar: requests.get(next).copied().unwrap_or_default(),
            r_ready,
            ..Default::default()
        };
        next += (signals.ar_valid && s.ar_ready) as usize;
        m.clock(&signals).unwrap();
    }
    let want: Vec<u8> = requests
        .iter()
        .flat_map(|r| m.read(r.addr, 7 * BEAT as u64).unwrap().to_vec())
        .collect();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "data differs");
}

/// Writes one burst, one beat offered per cycle, and returns the edge of the B handshake.
fn write_burst(m: &mut Memory, r: Request, data: &[u8], strb: u128) -> Result<u64, Error> {
    let beats = r.beats() as usize;
    let (mut aw_done, mut sent) = (false, 0);
    for edge in 0..1000u64 {
        let s = m.slave().clone();
        let signals = MasterSignals {
            aw_valid: !aw_done,
            aw: r,
            w_valid: sent < beats,
            w_data: data[sent.min(beats - 1) * BEAT..][..BEAT].to_vec(),
            w_strb: strb,
            w_last: sent + 1 == beats,
            b_ready: true,
            ..Default::default()
        };
        aw_done |= s.aw_ready;
        sent += (signals.w_valid && s.w_ready) as usize;
        let b = s.b_valid;
        m.clock(&signals)?;
        if b {
            return Ok(edge);
        }
    }
    panic!("no write response");
}

#[test]
fn writes_honour_strobes_and_answer_after_the_write_latency() {
    let mut m = memory(
        Timing {
            write_latency: 9,
            ..Timing::ideal()
        },
        Stalls::default(),
    );
    let before = m.read(0x2000, 48).unwrap().to_vec();
    let data: Vec<u8> = (100..148).collect();
    let strb = 0x00ff_u128 | 0x8000;
    let b_edge = write_burst(&mut m, req(0x2000, 3), &data, strb).unwrap();
    // AW at edge 0, W beats at edges 1..=3, response 9 cycles after the last beat.
    assert_eq!(b_edge, 3 + 9);
    let after = m.read(0x2000, 48).unwrap();
    for i in 0..48 {
        let want = if strb >> (i % 16) & 1 == 1 {
            data[i]
        } else {
            before[i]
        };
        assert_eq!(after[i], want, "byte {i}");
    }
    assert_eq!(m.stats().partial_strobe_beats, 3);
    assert_eq!(m.stats().write_responses, 1);
}

#[test]
fn error_range_answers_slverr_and_drops_the_write() {
    let config = MemoryConfig {
        error_range: Some((0x3000, 0x3010)),
        ..MemoryConfig::new("m_axi", BEAT, 0x1000, 1 << 16)
    };
    let mut m = Memory::new(config).unwrap();
    let mut resp = None;
    for edge in 0..20 {
        let signals = MasterSignals {
            aw_valid: edge == 0,
            aw: req(0x3000, 1),
            w_valid: edge == 1,
            w_data: vec![0xaa; BEAT],
            w_strb: u128::MAX,
            w_last: true,
            b_ready: true,
            ..Default::default()
        };
        if m.slave().b_valid {
            resp = Some(m.slave().b_resp);
        }
        m.clock(&signals).unwrap();
    }
    assert_eq!(resp, Some(2));
    assert_eq!(m.read(0x3000, 16).unwrap(), &[0u8; 16]);
}

/// The first error a sequence of master signals provokes, as text.
fn first_error(m: &mut Memory, seq: &[MasterSignals]) -> String {
    for s in seq {
        if let Err(e) = m.clock(s) {
            return e.to_string();
        }
    }
    String::new()
}

#[test]
fn protocol_violations_are_reported_with_bus_and_cycle() {
    let stalled = || {
        memory(
            Timing::ideal(),
            Stalls {
                seed: 1,
                ar: 0.99,
                ..Default::default()
            },
        )
    };
    let ar = |r: Request| MasterSignals {
        ar_valid: true,
        ar: r,
        ..Default::default()
    };
    // ARVALID dropped while ARREADY is low (the stall keeps ARREADY low most cycles).
    let mut m = stalled();
    let mut seq = vec![ar(req(0x1000, 1))];
    seq.extend((0..50).map(|_| MasterSignals::default()));
    let e = first_error(&mut m, &seq);
    assert!(e.starts_with("m_axi: cycle "), "{e}");
    assert!(e.ends_with(": ARVALID fell before ARREADY"), "{e}");
    // Address changed while waiting.
    let mut m = stalled();
    let seq: Vec<MasterSignals> = (0..50).map(|i| ar(req(0x1000 + 16 * i, 1))).collect();
    let e = first_error(&mut m, &seq);
    assert!(
        e.ends_with("ARADDR changed while ARVALID waited for ARREADY"),
        "{e}"
    );
    // Illegal bursts, accepted at edge 0.
    for (r, rule) in [
        (
            req(0x1ff0, 2),
            "AR burst of 2 beats at 0x1ff0 crosses a 4 KB boundary",
        ),
        (
            req(0x1008, 1),
            "ARADDR 0x1008 is not aligned to the 16-byte beat",
        ),
        (
            req(0x0, 1),
            "AR burst of 1 beats at 0x0 leaves the memory [0x1000, 0x11000)",
        ),
    ] {
        let mut m = memory(Timing::ideal(), Stalls::default());
        assert_eq!(
            first_error(&mut m, &[ar(r)]),
            format!("m_axi: cycle 0: {rule}")
        );
    }
    // A burst of 2 beats whose first beat carries WLAST.
    let mut m = memory(Timing::ideal(), Stalls::default());
    let e = write_burst(&mut m, req(0x1000, 2), &[0; 32], u128::MAX);
    assert!(e.is_ok());
    let mut m = memory(Timing::ideal(), Stalls::default());
    let aw = MasterSignals {
        aw_valid: true,
        aw: req(0x1000, 2),
        ..Default::default()
    };
    let w = MasterSignals {
        w_valid: true,
        w_data: vec![0; BEAT],
        w_last: true,
        ..Default::default()
    };
    assert_eq!(
        first_error(&mut m, &[aw, w]),
        "m_axi: cycle 1: WLAST on beat 1 of a 2-beat burst"
    );
}

#[test]
fn bad_configurations_are_refused() {
    let base = MemoryConfig::new("m_axi_w3", 64, 0, 4096);
    let bad = [
        MemoryConfig {
            beat_bytes: 48,
            ..base.clone()
        },
        MemoryConfig {
            size: 0,
            ..base.clone()
        },
        MemoryConfig {
            timing: Timing {
                read_latency: 0,
                ..Timing::ideal()
            },
            ..base.clone()
        },
        MemoryConfig {
            stalls: Stalls::all(0, 1.0),
            ..base.clone()
        },
    ];
    for config in bad {
        let e = Memory::new(config)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("m_axi_w3: "), "{e}");
    }
    let m = Memory::new(base).unwrap();
    assert_eq!(
        m.read(4000, 100)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        "m_axi_w3: 100 bytes at 0xfa0 are outside the memory [0x0, 0x1000)"
    );
}
