//! Shared pieces of the behavioural models that stand for the vector unit's custom-Verilog blocks
//! in rust-hdl simulation (hdl/README.md, "AdderTree"): a pipeline of fixed latency and the width
//! checks every block's constructor runs.

use std::collections::VecDeque;

use crate::error::{Error, Result};

/// A pipeline of `latency` register stages: a value pushed on a rising edge appears at
/// [`Pipe::out`] after that edge when the latency is 1, `latency - 1` edges later otherwise.
#[derive(Clone, Debug)]
pub(crate) struct Pipe<T: Clone + Default> {
    stages: VecDeque<T>,
}

impl<T: Clone + Default> Pipe<T> {
    /// A pipeline of `latency >= 1` stages, all holding `T::default()`.
    pub fn new(latency: usize) -> Self {
        Pipe {
            stages: VecDeque::from(vec![T::default(); latency.max(1)]),
        }
    }

    /// One rising edge: `input` enters the first stage, every stage moves one on.
    pub fn tick(&mut self, input: T) {
        self.stages.pop_back();
        self.stages.push_front(input);
    }

    /// The last stage.
    pub fn out(&self) -> &T {
        self.stages.back().expect("a pipe has at least one stage")
    }
}

/// Refuses a generic width that does not equal `want` (the block's `declare_*` macro or the
/// vector unit computes it from the lane count).
pub(crate) fn check_width(
    block: &'static str,
    param: &'static str,
    got: usize,
    want: usize,
) -> Result<()> {
    if got == want {
        return Ok(());
    }
    Err(Error::InvalidConfig {
        kernel: block,
        param,
        value: got,
        why: format!("must be {want} for this lane count"),
    })
}

/// Refuses a lane count that is not a power of two in `1..=64`.
pub(crate) fn check_lanes(block: &'static str, lanes: usize) -> Result<()> {
    if lanes.is_power_of_two() && lanes <= 64 {
        return Ok(());
    }
    Err(Error::InvalidConfig {
        kernel: block,
        param: "L",
        value: lanes,
        why: "lanes must be a power of two in 1..=64".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_delays_by_its_latency() {
        let mut p = Pipe::<u32>::new(3);
        let mut seen = Vec::new();
        for x in 1..=5 {
            p.tick(x);
            seen.push(*p.out());
        }
        assert_eq!(seen, vec![0, 0, 1, 2, 3]);
        assert!(check_width("b", "W", 3, 4).is_err());
        assert!(check_lanes("b", 3).is_err());
        assert!(check_lanes("b", 64).is_ok());
    }
}
