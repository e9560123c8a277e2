//! The neuron unit's configuration register file: the register image of
//! `mmfree_spec::neuron::regs`, written one 32-bit word at a time and held for a neuron group
//! (neuron-models.md section 4.2: parameters are per group, broadcast to every lane).

use mmfree_spec::neuron::regs::{REG_BITS, REG_WORD_BITS, REG_WORDS};
use rust_hdl::prelude::*;

use super::bits::to_bits;

/// Width of the word address.
pub const CFG_ADDR_BITS: usize = 8;

/// A write port of 32-bit words onto the `REG_BITS`-bit register image.
#[derive(LogicBlock)]
pub struct ConfigRegs {
    /// Register clock.
    pub clock: Signal<In, Clock>,
    /// Write `data` into word `addr` at the next rising edge.
    pub write: Signal<In, Bit>,
    /// Word address (`0..REG_WORDS`; other addresses are ignored).
    pub addr: Signal<In, Bits<CFG_ADDR_BITS>>,
    /// The word (bits above the image's end are dropped).
    pub data: Signal<In, Bits<REG_WORD_BITS>>,
    /// The register image.
    pub regs: Signal<Out, Bits<REG_BITS>>,
    image: DFF<Bits<REG_BITS>>,
    word_mask: [Constant<Bits<REG_BITS>>; REG_WORDS],
    word_at: [Constant<Bits<16>>; REG_WORDS],
}

impl Default for ConfigRegs {
    fn default() -> Self {
        let ones = to_bits::<REG_BITS>((1i128 << REG_WORD_BITS) - 1);
        ConfigRegs {
            clock: Default::default(),
            write: Default::default(),
            addr: Default::default(),
            data: Default::default(),
            regs: Default::default(),
            image: Default::default(),
            word_mask: std::array::from_fn(|i| Constant::new(ones << ((i * REG_WORD_BITS) as u64))),
            word_at: std::array::from_fn(|i| {
                Constant::new(Bits::<16>::from((i * REG_WORD_BITS) as u64))
            }),
        }
    }
}

impl Logic for ConfigRegs {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, image);
        self.regs.next = self.image.q.val();
        if self.write.val() {
            for i in 0..REG_WORDS {
                if self.addr.val().index() == i {
                    self.image.d.next = (self.image.q.val() & !self.word_mask[i].val())
                        | (bit_cast::<REG_BITS, REG_WORD_BITS>(self.data.val())
                            << self.word_at[i].val());
                }
            }
        }
    }
}
