//! Lane access for the behavioural models of the vector unit's blocks: a packed bus holds `lanes`
//! fields of `width` bits, lane `i` at bits `[i*width, (i+1)*width)`, as in the Verilog bodies.

use rust_hdl::prelude::*;

/// `2^width - 1`.
pub(crate) const fn mask(width: usize) -> u128 {
    if width >= 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    }
}

/// The raw bits of the `width`-bit field at `offset` (`width <= 128`).
pub(crate) fn field<const N: usize>(bus: &Bits<N>, offset: usize, width: usize) -> u128 {
    let mut v = 0u128;
    let mut k = 0;
    while k < width {
        v |= (bus.get_bits::<32>(offset + k).to_u64() as u128) << k;
        k += 32;
    }
    v & mask(width)
}

/// Field `i` of `width` bits as an unsigned value.
pub(crate) fn lane_u<const N: usize>(bus: &Bits<N>, i: usize, width: usize) -> u128 {
    field(bus, i * width, width)
}

/// Field `i` of `width` bits as a two's-complement value.
pub(crate) fn lane_s<const N: usize>(bus: &Bits<N>, i: usize, width: usize) -> i128 {
    sign_extend(lane_u(bus, i, width), width)
}

/// Sign-extends the low `width` bits of `raw`.
pub(crate) fn sign_extend(raw: u128, width: usize) -> i128 {
    let shift = 128 - width as u32;
    ((raw << shift) as i128) >> shift
}

/// A bus of `width`-bit lanes holding `values` (two's complement, truncated to the width).
pub(crate) fn pack<const N: usize>(
    values: impl IntoIterator<Item = i128>,
    width: usize,
) -> Bits<N> {
    let mut bus = Bits::<N>::default();
    for (i, v) in values.into_iter().enumerate() {
        set_field(&mut bus, i * width, width, v as u128 & mask(width));
    }
    bus
}

/// Writes the `width`-bit field at `offset`.
pub(crate) fn set_field<const N: usize>(
    bus: &mut Bits<N>,
    offset: usize,
    width: usize,
    value: u128,
) {
    let mut k = 0;
    while k + 32 <= width {
        bus.set_bits::<32>(
            offset + k,
            Bits::<32>::from(((value >> k) as u64) & 0xffff_ffff),
        );
        k += 32;
    }
    while k < width {
        *bus = bus.replace_bit(offset + k, (value >> k) & 1 == 1);
        k += 1;
    }
}

/// A value as a `bits`-wide bus word (`bits <= 64`), two's complement.
pub(crate) fn word<const B: usize>(value: i128) -> Bits<B> {
    Bits::<B>::from((value as u128 & mask(B)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_round_trip_at_odd_widths() {
        let values = [-1i128, 5, -(1 << 64), (1 << 64) - 1];
        let bus: Bits<260> = pack(values, 65);
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(lane_s(&bus, i, 65), v, "lane {i}");
        }
        assert_eq!(lane_u(&bus, 0, 65), mask(65));
        let small: Bits<8> = pack([1, -1], 4);
        assert_eq!(small.to_u64(), 0xf1);
        assert_eq!(word::<7>(-3).to_u64(), 0x7d);
    }
}
