//! Power measured while a run is in progress (DESIGN.md section 5: figures are measured or
//! labelled otherwise): the sensors a machine exposes in sysfs ([`sysfs`]) and a thread that
//! samples one at a fixed rate and stops with the run ([`sampler`]).

pub mod sampler;
pub mod sysfs;

use std::path::Path;

pub use sampler::{Measurement, Sampler};
pub use sysfs::{Reading, Sensor};

/// The sensor that measures the power of `device`: the CPU packages' RAPL counters for the
/// software models (`golden`, `ref`), the card's hwmon or XMC rails for `xrt:INDEX`; `None` for
/// the simulated accelerator (`iss`, `sim`), whose energy is estimated instead. `Some(Err)` says
/// why this machine cannot measure it.
pub fn sensor_for(device: &str, root: &Path) -> Option<Result<Box<dyn Sensor>, String>> {
    if matches!(device, "golden" | "ref") {
        return Some(sysfs::Rapl::open(root).map(|s| Box::new(s) as Box<dyn Sensor>));
    }
    let index = device.strip_prefix("xrt:")?;
    Some(
        index
            .parse::<usize>()
            .map_err(|_| format!("'{device}': the card index '{index}' is not a number"))
            .and_then(|i| sysfs::CardPower::open(root, i))
            .map(|s| Box::new(s) as Box<dyn Sensor>),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_device_has_its_sensor_or_none() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        assert!(sensor_for("iss", r).is_none() && sensor_for("sim", r).is_none());
        let e = sensor_for("ref", r).unwrap().err().unwrap();
        assert!(e.contains("class/powercap"), "{e}");
        let e = sensor_for("xrt:x", r).unwrap().err().unwrap();
        assert!(e.contains("'x' is not a number"), "{e}");
        std::fs::create_dir_all(r.join("class/powercap/intel-rapl:0")).unwrap();
        std::fs::write(r.join("class/powercap/intel-rapl:0/energy_uj"), "5\n").unwrap();
        std::fs::write(
            r.join("class/powercap/intel-rapl:0/max_energy_range_uj"),
            "100\n",
        )
        .unwrap();
        let s = sensor_for("golden", r).unwrap().unwrap();
        assert_eq!(s.name(), "RAPL, 1 package zone(s)");
        let e = sensor_for("xrt:0", r).unwrap().err().unwrap();
        assert!(e.contains("bus/pci/devices"), "{e}");
    }
}
