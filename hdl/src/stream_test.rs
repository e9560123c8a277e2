//! Test rig shared by the stream blocks' tests (STYLE.md house rule 6): drives a valid/ready block
//! with random producer stalls and random consumer back-pressure and checks order and completeness
//! against a software queue.

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_hdl::prelude::*;

use crate::{RamFifo, SkidBuffer, StreamFifo};

/// Access to the common stream ports (`in_valid`/`in_ready`/`in_data`, `out_valid`/`out_ready`/`out_data`).
pub(crate) trait StreamPorts: Block {
    fn drive(&mut self, clock: bool, in_valid: bool, in_data: u128, out_ready: bool);
    fn seen(&self) -> (bool, bool, u128);
}

macro_rules! impl_stream_ports {
    () => {
        fn drive(&mut self, clock: bool, in_valid: bool, in_data: u128, out_ready: bool) {
            self.clock.next = Clock::from(clock);
            self.in_valid.next = in_valid;
            self.in_data.next = in_data.to_bits();
            self.out_ready.next = out_ready;
        }
        fn seen(&self) -> (bool, bool, u128) {
            (
                self.in_ready.val(),
                self.out_valid.val(),
                self.out_data.val().to_u128(),
            )
        }
    };
}

impl<const W: usize, const L: usize, const L1: usize> StreamPorts for StreamFifo<Bits<W>, L, L1> {
    impl_stream_ports!();
}

impl<const W: usize> StreamPorts for SkidBuffer<Bits<W>> {
    impl_stream_ports!();
}

impl<const W: usize, const L: usize, const L1: usize> StreamPorts for RamFifo<Bits<W>, L, L1> {
    impl_stream_ports!();
}

/// What the block showed just before a rising edge, and which handshakes that edge completes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seen {
    pub in_ready: bool,
    pub out_data: u128,
    pub in_fire: bool,
    pub out_fire: bool,
}

/// A block under test, connected and clocked by hand.
pub(crate) struct StreamRig<B: StreamPorts> {
    uut: B,
}

impl<B: StreamPorts> StreamRig<B> {
    pub fn new(mut uut: B) -> Self {
        uut.connect_all();
        StreamRig { uut }
    }

    /// The block itself, to drive its other inputs (such as a reset).
    pub fn uut_mut(&mut self) -> &mut B {
        &mut self.uut
    }

    /// Applies inputs with the clock low and lets the logic settle.
    pub fn settle(&mut self, in_valid: bool, in_data: u128, out_ready: bool) -> Seen {
        self.uut.drive(false, in_valid, in_data, out_ready);
        assert!(simulate(&mut self.uut, 100), "logic did not settle");
        let (in_ready, out_valid, out_data) = self.uut.seen();
        Seen {
            in_ready,
            out_data,
            in_fire: in_valid && in_ready,
            out_fire: out_valid && out_ready,
        }
    }

    /// One clock cycle: settle, then a rising edge.
    pub fn cycle(&mut self, in_valid: bool, in_data: u128, out_ready: bool) -> Seen {
        let seen = self.settle(in_valid, in_data, out_ready);
        self.uut.drive(true, in_valid, in_data, out_ready);
        assert!(
            simulate(&mut self.uut, 100),
            "logic did not settle after the edge"
        );
        seen
    }
}

/// Streams `n` random beats of `width` bits through the rig and checks every beat comes out once,
/// in order, and nothing else does.
pub(crate) fn run_stream<B: StreamPorts>(
    rig: &mut StreamRig<B>,
    width: usize,
    n: usize,
    seed: u64,
    p_valid: f64,
    p_ready: f64,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mask = if width == 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    };
    let beats: Vec<u128> = (0..n).map(|_| rng.r#gen::<u128>() & mask).collect();
    let (mut sent, mut received, mut holding) = (0, 0, false);
    let mut queue = VecDeque::new();
    for cycle in 0..n * 50 {
        if !holding && sent < n && rng.gen_bool(p_valid) {
            holding = true; // once offered, a beat stays offered until taken
        }
        let seen = rig.cycle(holding, beats[sent.min(n - 1)], rng.gen_bool(p_ready));
        if seen.out_fire {
            let want = queue.pop_front();
            assert_eq!(
                Some(seen.out_data),
                want,
                "seed {seed}: beat {received} at cycle {cycle}"
            );
            received += 1;
        }
        if seen.in_fire {
            queue.push_back(beats[sent]);
            sent += 1;
            holding = false;
        }
        if received == n {
            break;
        }
    }
    assert_eq!(
        received, n,
        "seed {seed}: only {received} of {n} beats came out"
    );
    for _ in 0..20 {
        assert!(
            !rig.cycle(false, 0, true).out_fire,
            "seed {seed}: a beat came out that was never sent"
        );
    }
}

/// Emits, lints and elaborates a block (the `<block>_is_synthesizable` tests).
pub(crate) fn lint_and_synth<B: Block>(mut uut: B, name: &str) {
    uut.connect_all();
    let dir = tempfile::tempdir().unwrap();
    let path = crate::emit_to_dir(&uut, name, dir.path()).unwrap();
    crate::lint(&path).unwrap();
    crate::synth_check(&path, name).unwrap();
}
