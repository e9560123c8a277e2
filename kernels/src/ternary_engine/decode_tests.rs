//! Unit tests of [`TritDecode`]: random beats of both packings (invalid codes included), random
//! lane counts and int8 codes through the rust-hdl simulation, each selected lane checked against
//! the select rule written out per lane; and the block's synthesizability.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::ternary_engine::test_util::{Clocked, edge, lint_and_synth, settle};

type Pack2 = TritDecode<16, 8, 128, 4>;
type Pack5 = TritDecode<16, 10, 160, 4>;

impl<const W: usize, const K: usize, const BK8: usize, const KB: usize> Clocked
    for TritDecode<W, K, BK8, KB>
{
    fn clock(&mut self) -> &mut Signal<In, Clock> {
        &mut self.clock
    }
}

/// One beat: its packed bits, its trits (0 for an invalid code), the lane count and flags.
struct Beat {
    data: u64,
    trits: Vec<i8>,
    count: usize,
    flags: (bool, bool, bool),
}

fn random_beat(packing: Packing, k: usize, rng: &mut ChaCha8Rng) -> Beat {
    let mut trits: Vec<i8> = (0..k).map(|_| rng.gen_range(-1..=1)).collect();
    let mut bytes = [0u8; 2];
    packing.pack_row(&trits, &mut bytes).unwrap();
    // Now and then an invalid code, which must select nothing.
    if rng.gen_bool(0.2) {
        match packing {
            Packing::Pack2 => {
                let lane = rng.gen_range(0..k);
                bytes[lane / 4] |= 3 << (2 * (lane % 4));
                trits[lane] = 0;
            }
            Packing::Pack5 => {
                let byte = rng.gen_range(0..2);
                bytes[byte] = rng.gen_range(243..=255);
                trits[5 * byte..5 * byte + 5].fill(0);
            }
        }
    }
    Beat {
        data: u16::from_le_bytes(bytes) as u64,
        trits,
        count: rng.gen_range(0..=k),
        flags: (rng.r#gen(), rng.r#gen(), rng.r#gen()),
    }
}

/// Streams random beats; after each edge (S1 holds the beat) the beat's codes are applied, as the
/// code buffer delivers them, and the combinational select is checked.
fn stream<const K: usize, const BK8: usize>(
    uut: &mut TritDecode<16, K, BK8, 4>,
    packing: Packing,
    seed: u64,
) {
    uut.connect_all();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let batch = BK8 / (8 * K);
    for cycle in 0..400 {
        let beat = random_beat(packing, K, &mut rng);
        uut.w_data.next = beat.data.into();
        uut.in_count.next = (beat.count as u64).into();
        (uut.in_valid.next, uut.in_first.next, uut.in_last.next) = beat.flags;
        edge(uut);
        let codes: Vec<u8> = (0..batch * K).map(|_| rng.r#gen()).collect();
        let mut bits = Bits::<BK8>::default();
        for (i, &q) in codes.iter().enumerate() {
            bits.set_bits::<8>(8 * i, (q as u64).into());
        }
        uut.codes.next = bits;
        uut.w_data.next = (rng.r#gen::<u16>() as u64).into();
        settle(uut);
        for j in 0..K {
            let w = if j < beat.count { beat.trits[j] } else { 0 };
            assert_eq!(
                uut.neg.val().get_bit(j),
                w == -1,
                "seed {seed} cycle {cycle} lane {j}"
            );
            for b in 0..batch {
                let q = codes[b * K + j];
                let want = match w {
                    1 => q,
                    -1 => !q,
                    _ => 0,
                };
                let got = uut.lanes.val().get_bits::<8>(8 * (b * K + j)).to_u64() as u8;
                assert_eq!(got, want, "seed {seed} cycle {cycle} sequence {b} lane {j}");
            }
        }
        let flags = (uut.out_valid.val(), uut.out_first.val(), uut.out_last.val());
        assert_eq!(flags, beat.flags, "seed {seed} cycle {cycle}");
    }
}

#[test]
fn pack2_lanes_follow_the_select_rule() {
    stream(&mut Pack2::new(Packing::Pack2).unwrap(), Packing::Pack2, 21);
}

#[test]
fn pack5_lanes_follow_the_select_rule() {
    stream(&mut Pack5::new(Packing::Pack5).unwrap(), Packing::Pack5, 22);
}

#[test]
fn trit_decode_is_synthesizable() {
    let mut pack2 = Pack2::new(Packing::Pack2).unwrap();
    pack2.connect_all();
    lint_and_synth(&pack2, "trit_decode_pack2");
    let mut pack5 = Pack5::new(Packing::Pack5).unwrap();
    pack5.connect_all();
    lint_and_synth(&pack5, "trit_decode_pack5");
}
