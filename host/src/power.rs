//! Power measured while a run is in progress (DESIGN.md section 5: figures are measured or
//! labelled otherwise): the sensors a machine exposes in sysfs ([`sysfs`]) and a thread that
//! samples one at a fixed rate and stops with the run ([`sampler`]).

pub mod sampler;
pub mod sysfs;

pub use sampler::{Measurement, Sampler};
pub use sysfs::{Reading, Sensor};
