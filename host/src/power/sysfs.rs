//! The power sensors Linux exposes in sysfs, read from a root directory (`/sys`, or a fake tree
//! in the tests): an Alveo card's hwmon `power1_input` (microwatts) under its PCI device or, where
//! the driver exposes them, its XMC rail voltages and currents; and the CPU packages' powercap
//! RAPL energy counters (`energy_uj`, which wrap at `max_energy_range_uj`).

use std::fs;
use std::path::{Path, PathBuf};

/// PCI vendor id of AMD Xilinx devices (`vendor` in sysfs).
const XILINX_VENDOR: &str = "0x10ee";

/// The XMC rails whose voltage (mV) and current (mA) files make the card's input power: the PCIe
/// slot's 12 V and 3.3 V and the auxiliary 12 V connector.
const XMC_RAILS: [(&str, &str); 3] = [
    ("xmc_12v_pex_vol", "xmc_12v_pex_curr"),
    ("xmc_3v3_pex_vol", "xmc_3v3_pex_curr"),
    ("xmc_12v_aux_vol", "xmc_12v_aux_curr"),
];

/// One reading of a sensor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reading {
    /// Instantaneous power, in watts.
    Watts(f64),
    /// Energy since the sensor was opened, in joules (counter wrap-around already undone).
    Joules(f64),
}

/// A power source that can be read repeatedly; an error says which file failed and why.
pub trait Sensor: Send {
    /// What is measured, for the report (`RAPL package 0+1`, `hwmon 0000:01:00.1`).
    fn name(&self) -> String;
    /// The current reading.
    fn read(&mut self) -> Result<Reading, String>;
}

/// Reads one integer file.
fn read_u64(path: &Path) -> Result<u64, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.trim()
        .parse()
        .map_err(|_| format!("{}: '{}' is not an integer", path.display(), text.trim()))
}

/// A RAPL zone's energy counter and the value at which it wraps to zero.
struct RaplZone {
    energy: PathBuf,
    range_uj: u64,
    last_uj: u64,
}

/// The sum of every CPU package's RAPL energy counter.
pub struct Rapl {
    zones: Vec<RaplZone>,
    total_uj: u128,
}

impl Rapl {
    /// The top-level zones (`intel-rapl:N`, one per package; their sub-zones are parts of them)
    /// under `root/class/powercap`, read once to check they are readable.
    pub fn open(root: &Path) -> Result<Rapl, String> {
        let dir = root.join("class/powercap");
        let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("intel-rapl:") && n.matches(':').count() == 1)
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(format!("{}: no intel-rapl package zone", dir.display()));
        }
        let mut zones = Vec::new();
        for n in names {
            let zone = dir.join(n);
            let energy = zone.join("energy_uj");
            zones.push(RaplZone {
                last_uj: read_u64(&energy)?,
                range_uj: read_u64(&zone.join("max_energy_range_uj"))?,
                energy,
            });
        }
        Ok(Rapl { zones, total_uj: 0 })
    }
}

impl Sensor for Rapl {
    fn name(&self) -> String {
        format!("RAPL, {} package zone(s)", self.zones.len())
    }

    fn read(&mut self) -> Result<Reading, String> {
        for z in &mut self.zones {
            let now = read_u64(&z.energy)?;
            let delta = if now >= z.last_uj {
                now - z.last_uj
            } else {
                // The counter wrapped: it ran up to the range, then from zero.
                z.range_uj - z.last_uj + now
            };
            z.last_uj = now;
            self.total_uj += delta as u128;
        }
        Ok(Reading::Joules(self.total_uj as f64 * 1e-6))
    }
}

/// How an Alveo card reports its power.
enum CardFiles {
    /// hwmon `power1_input`, microwatts.
    Hwmon(PathBuf),
    /// XMC rails: (voltage mV, current mA) file pairs.
    Xmc(Vec<(PathBuf, PathBuf)>),
}

/// The input power of one Alveo card.
pub struct CardPower {
    bdf: String,
    files: CardFiles,
}

impl CardPower {
    /// The `index`-th Xilinx PCI function (by address) under `root/bus/pci/devices` that has a
    /// power sensor: hwmon first, the XMC rails otherwise.
    pub fn open(root: &Path, index: usize) -> Result<CardPower, String> {
        let dir = root.join("bus/pci/devices");
        let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut devices: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        devices.sort();
        let cards: Vec<CardPower> = devices
            .iter()
            .filter(|d| {
                fs::read_to_string(d.join("vendor")).is_ok_and(|v| v.trim() == XILINX_VENDOR)
            })
            .filter_map(|d| CardPower::sensor_of(d))
            .collect();
        let found = cards.len();
        cards.into_iter().nth(index).ok_or_else(|| {
            format!(
                "{}: card {index} has no power sensor ({found} Xilinx device(s) with hwmon power1_input or XMC rails)",
                dir.display()
            )
        })
    }

    /// The sensor files of one PCI device, if it has any.
    fn sensor_of(device: &Path) -> Option<CardPower> {
        let bdf = device.file_name()?.to_string_lossy().into_owned();
        let listed = |sub: &Path, prefix: &str| -> Vec<PathBuf> {
            let mut v: Vec<PathBuf> = fs::read_dir(sub)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                .map(|e| e.path())
                .collect();
            v.sort();
            v
        };
        if let Some(p) = listed(&device.join("hwmon"), "hwmon")
            .into_iter()
            .map(|h| h.join("power1_input"))
            .find(|p| p.exists())
        {
            return Some(CardPower {
                bdf,
                files: CardFiles::Hwmon(p),
            });
        }
        let xmc = listed(device, "xmc").into_iter().next()?;
        let rails: Vec<(PathBuf, PathBuf)> = XMC_RAILS
            .iter()
            .map(|(v, i)| (xmc.join(v), xmc.join(i)))
            .filter(|(v, i)| v.exists() && i.exists())
            .collect();
        (!rails.is_empty()).then_some(CardPower {
            bdf,
            files: CardFiles::Xmc(rails),
        })
    }
}

impl Sensor for CardPower {
    fn name(&self) -> String {
        match &self.files {
            CardFiles::Hwmon(_) => format!("hwmon power1_input of {}", self.bdf),
            CardFiles::Xmc(r) => format!("XMC rails ({}) of {}", r.len(), self.bdf),
        }
    }

    fn read(&mut self) -> Result<Reading, String> {
        match &self.files {
            CardFiles::Hwmon(p) => Ok(Reading::Watts(read_u64(p)? as f64 * 1e-6)),
            CardFiles::Xmc(rails) => {
                let mut w = 0.0;
                for (v, i) in rails {
                    w += read_u64(v)? as f64 * 1e-3 * read_u64(i)? as f64 * 1e-3;
                }
                Ok(Reading::Watts(w))
            }
        }
    }
}

/// The sysfs root the sensors are read from: `MMFREE_SYSFS_ROOT` if set (tests), else `/sys`.
pub fn root() -> PathBuf {
    std::env::var_os("MMFREE_SYSFS_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/sys"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn joules(s: &mut dyn Sensor) -> f64 {
        match s.read().unwrap() {
            Reading::Joules(j) => j,
            r => panic!("{r:?}"),
        }
    }

    #[test]
    fn rapl_sums_packages_skips_subzones_and_undoes_wrap_around() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(r, "class/powercap/intel-rapl:0/energy_uj", "999000000\n");
        write(
            r,
            "class/powercap/intel-rapl:0/max_energy_range_uj",
            "1000000000\n",
        );
        write(r, "class/powercap/intel-rapl:1/energy_uj", "5000000\n");
        write(
            r,
            "class/powercap/intel-rapl:1/max_energy_range_uj",
            "1000000000\n",
        );
        // A sub-zone (the cores of package 0) is part of its package and must not be added.
        write(r, "class/powercap/intel-rapl:0:0/energy_uj", "7\n");
        write(
            r,
            "class/powercap/intel-rapl:0:0/max_energy_range_uj",
            "100\n",
        );
        let mut s = Rapl::open(r).unwrap();
        assert_eq!(s.name(), "RAPL, 2 package zone(s)");
        assert_eq!(joules(&mut s), 0.0);
        // Package 0 wraps: 999 J -> 1000 J (wrap) -> 2 J is 3 J; package 1 gains 1.5 J.
        write(r, "class/powercap/intel-rapl:0/energy_uj", "2000000\n");
        write(r, "class/powercap/intel-rapl:1/energy_uj", "6500000\n");
        assert!((joules(&mut s) - 4.5).abs() < 1e-9);
        write(r, "class/powercap/intel-rapl:0/energy_uj", "2500000\n");
        assert!((joules(&mut s) - 5.0).abs() < 1e-9);
    }

    #[test]
    fn rapl_errors_name_the_missing_or_bad_file() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        let e = Rapl::open(r).err().unwrap();
        assert!(e.contains("class/powercap"), "{e}");
        write(r, "class/powercap/intel-rapl:0/energy_uj", "12\n");
        let e = Rapl::open(r).err().unwrap();
        assert!(e.contains("max_energy_range_uj"), "{e}");
        write(r, "class/powercap/intel-rapl:0/max_energy_range_uj", "x\n");
        let e = Rapl::open(r).err().unwrap();
        assert!(e.contains("'x' is not an integer"), "{e}");
        write(
            r,
            "class/powercap/intel-rapl:0/max_energy_range_uj",
            "100\n",
        );
        let mut s = Rapl::open(r).unwrap();
        fs::remove_file(r.join("class/powercap/intel-rapl:0/energy_uj")).unwrap();
        let e = s.read().unwrap_err();
        assert!(e.contains("intel-rapl:0/energy_uj"), "{e}");
        // An unreadable counter (a directory in its place: root may read any plain file, so
        // permission bits cannot make one unreadable here) is refused at open with its path.
        fs::create_dir_all(r.join("class/powercap/intel-rapl:0/energy_uj")).unwrap();
        let e = Rapl::open(r).err().unwrap();
        assert!(e.contains("intel-rapl:0/energy_uj: "), "{e}");
    }

    #[test]
    fn card_power_from_hwmon_or_xmc_rails_of_the_indexed_xilinx_device() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        // Another vendor's device with a sensor is not a card.
        write(r, "bus/pci/devices/0000:00:02.0/vendor", "0x8086\n");
        write(
            r,
            "bus/pci/devices/0000:00:02.0/hwmon/hwmon0/power1_input",
            "1\n",
        );
        // The card's management function has no sensor; its user function has hwmon.
        write(r, "bus/pci/devices/0000:01:00.0/vendor", "0x10ee\n");
        write(r, "bus/pci/devices/0000:01:00.1/vendor", "0x10ee\n");
        write(
            r,
            "bus/pci/devices/0000:01:00.1/hwmon/hwmon3/power1_input",
            "58360411\n",
        );
        // A second card exposes only the XMC rails: 12 V x 2 A + 3.3 V x 1 A + 12 V x 1.5 A.
        let xmc = "bus/pci/devices/0000:81:00.1/xmc.u.1";
        write(r, "bus/pci/devices/0000:81:00.1/vendor", "0x10ee\n");
        for (f, v) in [
            ("xmc_12v_pex_vol", "12000"),
            ("xmc_12v_pex_curr", "2000"),
            ("xmc_3v3_pex_vol", "3300"),
            ("xmc_3v3_pex_curr", "1000"),
            ("xmc_12v_aux_vol", "12000"),
            ("xmc_12v_aux_curr", "1500"),
        ] {
            write(r, &format!("{xmc}/{f}"), v);
        }
        let mut c0 = CardPower::open(r, 0).unwrap();
        assert_eq!(c0.name(), "hwmon power1_input of 0000:01:00.1");
        assert_eq!(c0.read().unwrap(), Reading::Watts(58.360411));
        let mut c1 = CardPower::open(r, 1).unwrap();
        assert_eq!(c1.name(), "XMC rails (3) of 0000:81:00.1");
        match c1.read().unwrap() {
            Reading::Watts(w) => assert!((w - 45.3).abs() < 1e-9, "{w}"),
            r => panic!("{r:?}"),
        }
        let e = CardPower::open(r, 2).err().unwrap();
        assert!(e.contains("card 2 has no power sensor (2 Xilinx"), "{e}");
    }

    #[test]
    fn an_unreadable_or_garbled_card_sensor_is_an_error_naming_its_file() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(r, "bus/pci/devices/0000:01:00.1/vendor", "0x10ee\n");
        let power = "bus/pci/devices/0000:01:00.1/hwmon/hwmon1/power1_input";
        // A directory where the file should be (root reads any plain file).
        fs::create_dir_all(r.join(power)).unwrap();
        let mut c = CardPower::open(r, 0).unwrap();
        let e = c.read().unwrap_err();
        assert!(e.contains("hwmon1/power1_input: "), "{e}");
        fs::remove_dir(r.join(power)).unwrap();
        write(r, power, "-5\n");
        let e = c.read().unwrap_err();
        assert!(e.contains("power1_input: '-5' is not an integer"), "{e}");
        // No card at all.
        let e = CardPower::open(&r.join("nothing"), 0).err().unwrap();
        assert!(e.contains("nothing/bus/pci/devices"), "{e}");
    }
}
