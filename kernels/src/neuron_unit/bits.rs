//! Conversions between rust-hdl bit vectors and integers for the models of the custom-Verilog
//! blocks and for tests: every datapath value of the neuron unit is a two's-complement pattern.

use rust_hdl::prelude::*;

/// `v` as an `N`-bit two's-complement pattern (`N <= 128`; higher bits are dropped).
pub fn to_bits<const N: usize>(v: i128) -> Bits<N> {
    let mask = if N >= 128 {
        u128::MAX
    } else {
        (1u128 << N) - 1
    };
    ((v as u128) & mask).to_bits()
}

/// The value of an `N`-bit two's-complement pattern (`1 <= N <= 128`).
pub fn from_bits<const N: usize>(b: Bits<N>) -> i128 {
    let shift = 128 - N;
    ((b.to_u128() << shift) as i128) >> shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_round_trip_at_the_extremes() {
        for v in [0i128, 1, -1, (1 << 32) - 1, -(1 << 32), 1 << 40] {
            assert_eq!(from_bits::<84>(to_bits::<84>(v)), v);
        }
        assert_eq!(from_bits::<33>(to_bits::<33>(1 << 32)), -(1 << 32));
        assert_eq!(to_bits::<8>(-1).to_u64(), 0xff);
        assert_eq!(from_bits::<1>(to_bits::<1>(1)), -1);
    }
}
