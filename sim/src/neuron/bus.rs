//! Packing of the neuron unit's wide ports into the 32-bit words the Verilated model takes and
//! gives: lane `i` of a packed port sits at bit `i * lane_bits`, and each field at its position
//! inside the lane (`mmfree_kernels::neuron_unit::{IN_*, WORD_*, RECORD_*}`).

/// A little-endian bit buffer of whole 32-bit words.
#[derive(Clone, Debug)]
pub(crate) struct Words(pub Vec<u32>);

impl Words {
    /// `bits` zero bits.
    pub fn zeros(bits: usize) -> Words {
        Words(vec![0; bits.div_ceil(32)])
    }

    /// Writes the low `width <= 64` bits of `value` (two's complement) at `at`.
    pub fn put(&mut self, at: usize, width: usize, value: i64) {
        let raw = value as u64;
        for b in 0..width.min(64) {
            let bit = at + b;
            let set = (raw >> b) & 1 == 1;
            let word = &mut self.0[bit / 32];
            if set {
                *word |= 1 << (bit % 32);
            } else {
                *word &= !(1 << (bit % 32));
            }
        }
    }

    /// The `width`-bit field at `at` (`width <= 63`), sign-extended when `signed`.
    pub fn get(&self, at: usize, width: usize, signed: bool) -> i64 {
        let mut raw = 0u64;
        for b in 0..width {
            let bit = at + b;
            raw |= (((self.0[bit / 32] >> (bit % 32)) & 1) as u64) << b;
        }
        if signed && (raw >> (width - 1)) & 1 == 1 {
            raw as i64 - (1i64 << width)
        } else {
            raw as i64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_across_word_boundaries() {
        let mut w = Words::zeros(165);
        w.put(0, 33, -(1 << 32));
        w.put(33, 33, (1 << 32) - 1);
        w.put(66, 33, -1);
        w.put(99, 33, 1 << 31);
        w.put(132, 33, 0);
        assert_eq!(w.0.len(), 6);
        assert_eq!(w.get(0, 33, true), -(1 << 32));
        assert_eq!(w.get(33, 33, true), (1 << 32) - 1);
        assert_eq!(w.get(66, 33, true), -1);
        assert_eq!(w.get(66, 33, false), (1 << 33) - 1);
        assert_eq!(w.get(99, 33, true), 1 << 31);
        assert_eq!(w.get(132, 33, true), 0);
        w.put(33, 33, 5);
        assert_eq!(w.get(33, 33, true), 5);
        assert_eq!(w.get(0, 33, true), -(1 << 32), "neighbours stay");
    }
}
