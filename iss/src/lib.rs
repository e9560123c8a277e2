//! The instruction-set simulator of the mmfree accelerator (DESIGN.md section 3, step 3): a
//! [`mmfree_spec::card::Card`] that, when started, executes the program found in its data bank with
//! the registers, code buffers, accumulators and `sigma` of ACCELERATOR.md, every arithmetic step
//! one `mmfree_spec::ops` primitive, weights read from the weight banks as the compiler laid them
//! out. It is the fixed-point model of the MatMul-free LM (arXiv 2406.02528) run as a program,
//! and the oracle the RTL is compared with instruction by instruction.

pub mod card;
pub mod gemv;
pub mod machine;
pub mod vector;

pub use card::Iss;
pub use machine::Counters;
