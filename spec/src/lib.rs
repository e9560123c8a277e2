//! The numeric contract of mmfree, shared by software and hardware so that they cannot drift apart.
//!
//! Everything that defines a bit lives here: rounding and overflow rules ([`round`]), the fixed-point
//! formats ([`format`]), the pseudo-float scale type used for per-token scalars ([`scale`]), the
//! interpolated lookup tables for sigmoid, reciprocal square root and reciprocal ([`table`]), the
//! vector primitives of the fixed-point model ([`ops`]), the ternary packing formats ([`pack`]), the
//! model shapes ([`shape`]), the hardware configurations ([`hw`]), the unified spiking neuron
//! ([`neuron`]), and the accelerator's interfaces: the instruction set ([`isa`]), the device-memory
//! encodings ([`devmem`]), the control registers ([`regmap`]) and the driver API ([`card`]).
//! `docs/NUMERICS.md` explains every choice. The model is the MatMul-free LM of arXiv 2406.02528.

pub mod card;
pub mod devmem;
pub mod energy;
pub mod error;
pub mod format;
pub mod hw;
pub mod isa;
pub mod neuron;
pub mod ops;
pub mod pack;
pub mod regmap;
pub mod round;
pub mod scale;
pub mod shape;
pub mod table;

pub use error::{Error, Result};
pub use scale::Scale;
