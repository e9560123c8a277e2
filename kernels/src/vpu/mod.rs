//! The vector unit (VPU): every element-wise, reduction and scalar primitive of the fixed-point
//! contract (`mmfree_spec::ops`, NUMERICS.md section 5) on 16 vector registers, `L` elements per
//! cycle (docs/ACCELERATOR.md sections 1 and 3; the model is arXiv 2406.02528).

pub mod align;
#[cfg(test)]
mod check;
pub mod config;
pub mod control;
pub mod cycles;
pub mod datapath;
pub mod decode;
pub mod exponent;
pub mod gates;
mod lanes;
mod model;
pub mod normalizer;
pub mod product;
pub mod reduction;
pub mod regfile;
pub mod scalar;
pub mod select;
pub mod sigmoid;
pub mod state_reg;
mod verilog;
#[allow(clippy::module_inception)]
pub mod vpu;

pub use align::AlignUnit;
pub use config::{VpuConfig, VpuOp};
pub use exponent::ExpUnit;
pub use gates::GateUnit;
pub use normalizer::Normalizer;
pub use product::ProductUnit;
pub use reduction::Reduction;
pub use regfile::RegFile;
pub use scalar::ScalarUnit;
pub use select::LaneSelect;
pub use sigmoid::SigmoidUnit;
pub use vpu::Vpu;
