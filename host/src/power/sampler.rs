//! A thread that reads one [`Sensor`] at a fixed rate while a run is in progress and stops with
//! it, turning the readings into a power trace and the energy of the run. The first and the last
//! reading are taken on the caller's thread, so the measurement spans exactly the run. A sensor that fails
//! mid-run (a file that disappears or becomes unreadable) makes the whole measurement
//! unavailable with the reason: never a figure made up from part of the run.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::sysfs::{Reading, Sensor};

/// Default sampling rate.
pub const DEFAULT_HZ: f64 = 10.0;

/// What a sampled run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The sensor's name.
    pub sensor: String,
    /// Power over time: (seconds since the start, watts).
    pub samples: Vec<(f64, f64)>,
    /// Energy over the run, in joules.
    pub energy_j: f64,
    /// Length of the run, in seconds.
    pub duration_s: f64,
}

impl Measurement {
    /// Mean power over the run (energy over time).
    pub fn mean_w(&self) -> f64 {
        if self.duration_s > 0.0 {
            self.energy_j / self.duration_s
        } else {
            f64::NAN
        }
    }
}

/// A sampling thread in progress.
pub struct Sampler {
    stop: Sender<()>,
    thread: JoinHandle<Result<Log, String>>,
}

/// What the sampling thread hands back when told to stop: the sensor, for the last reading,
/// and the readings so far.
struct Log {
    sensor: Box<dyn Sensor>,
    name: String,
    start: Instant,
    readings: Vec<(f64, Reading)>,
}

impl Log {
    /// One reading, timed from the start; a failure names the sensor and when it failed.
    fn read(&mut self) -> Result<(), String> {
        let t = self.start.elapsed().as_secs_f64();
        let r = (self.sensor.read())
            .map_err(|why| format!("{} failed {t:.2} s into the run: {why}", self.name))?;
        self.readings.push((t, r));
        Ok(())
    }
}

impl Sampler {
    /// Reads `sensor` now, on the calling thread, then `hz` times a second on a thread of its
    /// own: the measurement spans exactly the calls to `start` and [`Sampler::stop`], however
    /// late the thread is scheduled.
    pub fn start(sensor: Box<dyn Sensor>, hz: f64) -> Sampler {
        let (stop, rx) = mpsc::channel();
        let period = Duration::from_secs_f64(1.0 / hz);
        let mut log = Log {
            name: sensor.name(),
            sensor,
            start: Instant::now(),
            readings: Vec::new(),
        };
        let first = log.read();
        let thread = std::thread::spawn(move || first.and_then(|_| sample(log, period, rx)));
        Sampler { stop, thread }
    }

    /// Stops the thread, takes a last reading on the calling thread and returns the
    /// measurement, or why there is none.
    pub fn stop(self) -> Result<Measurement, String> {
        let _ = self.stop.send(());
        let mut log = self
            .thread
            .join()
            .unwrap_or_else(|_| Err("the sampling thread panicked".into()))?;
        log.read()?;
        Ok(integrate(log.name, &log.readings))
    }

    /// Samples for `duration` with nothing else running: the idle baseline.
    pub fn idle(
        sensor: Box<dyn Sensor>,
        hz: f64,
        duration: Duration,
    ) -> Result<Measurement, String> {
        let s = Sampler::start(sensor, hz);
        std::thread::sleep(duration);
        s.stop()
    }
}

/// The sampling loop: one reading each period until told to stop.
fn sample(mut log: Log, period: Duration, stop: mpsc::Receiver<()>) -> Result<Log, String> {
    // A stop message or a dropped sender ends the run; a timeout is the next sample.
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(period) {
        log.read()?;
    }
    Ok(log)
}

/// Power samples and energy from timed readings: watts are integrated by the trapezoid rule;
/// energy counters give energy as last minus first and power as each step's difference.
fn integrate(sensor: String, readings: &[(f64, Reading)]) -> Measurement {
    let duration_s = readings.last().map_or(0.0, |r| r.0) - readings.first().map_or(0.0, |r| r.0);
    let mut samples = Vec::new();
    let mut energy_j = 0.0;
    for pair in readings.windows(2) {
        let ((t0, r0), (t1, r1)) = (pair[0], pair[1]);
        let dt = t1 - t0;
        match (r0, r1) {
            (Reading::Watts(w0), Reading::Watts(w1)) => {
                energy_j += (w0 + w1) / 2.0 * dt;
            }
            (Reading::Joules(j0), Reading::Joules(j1)) => {
                energy_j += j1 - j0;
                if dt > 0.0 {
                    samples.push(((t0 + t1) / 2.0, (j1 - j0) / dt));
                }
            }
            _ => {}
        }
    }
    if readings.iter().all(|r| matches!(r.1, Reading::Watts(_))) {
        samples = readings
            .iter()
            .filter_map(|(t, r)| match r {
                Reading::Watts(w) => Some((*t, *w)),
                Reading::Joules(_) => None,
            })
            .collect();
    }
    Measurement {
        sensor,
        samples,
        energy_j,
        duration_s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::sysfs::{CardPower, Rapl};
    use std::fs;
    use std::path::Path;

    /// Writes through a temporary and a rename, as the kernel's sysfs files change: the sampling
    /// thread never sees a half-written file.
    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let tmp = p.with_extension("tmp");
        fs::write(&tmp, text).unwrap();
        fs::rename(tmp, p).unwrap();
    }

    #[test]
    fn watts_integrate_by_trapezoid_and_counters_by_difference() {
        let w = integrate(
            "w".into(),
            &[
                (0.0, Reading::Watts(10.0)),
                (0.5, Reading::Watts(20.0)),
                (1.5, Reading::Watts(20.0)),
            ],
        );
        // 0.5 s at a mean of 15 W plus 1 s at 20 W.
        assert!((w.energy_j - 27.5).abs() < 1e-12);
        assert_eq!(w.samples, vec![(0.0, 10.0), (0.5, 20.0), (1.5, 20.0)]);
        assert!((w.mean_w() - 27.5 / 1.5).abs() < 1e-12);
        let j = integrate(
            "j".into(),
            &[
                (0.0, Reading::Joules(0.0)),
                (1.0, Reading::Joules(30.0)),
                (2.0, Reading::Joules(50.0)),
            ],
        );
        assert_eq!(j.energy_j, 50.0);
        assert_eq!(j.samples, vec![(0.5, 30.0), (1.5, 20.0)]);
    }

    #[test]
    fn the_thread_samples_a_rising_counter_at_its_rate() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().to_path_buf();
        write(&r, "class/powercap/intel-rapl:0/energy_uj", "0\n");
        write(
            &r,
            "class/powercap/intel-rapl:0/max_energy_range_uj",
            "262143328850\n",
        );
        let s = Sampler::start(Box::new(Rapl::open(&r).unwrap()), 50.0);
        // A fake package drawing 25 W: 250 mJ every 10 ms for 0.3 s.
        for step in 1..=30u64 {
            std::thread::sleep(Duration::from_millis(10));
            write(
                &r,
                "class/powercap/intel-rapl:0/energy_uj",
                &format!("{}\n", step * 250_000),
            );
        }
        let m = s.stop().unwrap();
        assert!((m.energy_j - 7.5).abs() < 1e-9, "{m:?}");
        // About 50 Hz over about 0.3 s (the machine may be busy: wide bounds).
        assert!((5..=40).contains(&m.samples.len()), "{}", m.samples.len());
        assert!(m.duration_s >= 0.3, "{}", m.duration_s);
    }

    #[test]
    fn a_sensor_that_disappears_mid_run_makes_the_measurement_unavailable() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().to_path_buf();
        let power = "bus/pci/devices/0000:01:00.1/hwmon/hwmon2/power1_input";
        write(&r, "bus/pci/devices/0000:01:00.1/vendor", "0x10ee\n");
        write(&r, power, "30000000\n");
        let s = Sampler::start(Box::new(CardPower::open(&r, 0).unwrap()), 100.0);
        std::thread::sleep(Duration::from_millis(50));
        fs::remove_file(r.join(power)).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let e = s.stop().unwrap_err();
        assert!(
            e.starts_with("hwmon power1_input of 0000:01:00.1 failed")
                && e.contains("power1_input"),
            "{e}"
        );
    }

    #[test]
    fn a_counter_that_wraps_mid_run_still_gives_the_energy_of_the_run() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().to_path_buf();
        let energy = "class/powercap/intel-rapl:0/energy_uj";
        write(
            &r,
            "class/powercap/intel-rapl:0/max_energy_range_uj",
            "1000000\n",
        );
        write(&r, energy, "900000\n");
        let s = Sampler::start(Box::new(Rapl::open(&r).unwrap()), 100.0);
        // 0.9 J -> 0.95 J, then past the 1 J range to 0.05 J and 0.25 J: 0.35 J in all.
        for e in ["950000", "50000", "250000"] {
            std::thread::sleep(Duration::from_millis(30));
            write(&r, energy, &format!("{e}\n"));
        }
        std::thread::sleep(Duration::from_millis(30));
        let m = s.stop().unwrap();
        assert!((m.energy_j - 0.35).abs() < 1e-9, "{m:?}");
        assert!(m.samples.iter().all(|&(_, w)| w >= 0.0), "{m:?}");
    }

    #[test]
    fn a_file_that_becomes_unreadable_mid_run_makes_the_measurement_unavailable() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().to_path_buf();
        // XMC rails: the 12 V current file starts holding text the driver never writes.
        let xmc = "bus/pci/devices/0000:02:00.1/xmc.u.4";
        write(&r, "bus/pci/devices/0000:02:00.1/vendor", "0x10ee\n");
        write(&r, &format!("{xmc}/xmc_12v_pex_vol"), "12000\n");
        write(&r, &format!("{xmc}/xmc_12v_pex_curr"), "2500\n");
        let s = Sampler::start(Box::new(CardPower::open(&r, 0).unwrap()), 100.0);
        std::thread::sleep(Duration::from_millis(40));
        write(&r, &format!("{xmc}/xmc_12v_pex_curr"), "N/A\n");
        std::thread::sleep(Duration::from_millis(40));
        let e = s.stop().unwrap_err();
        assert!(
            e.starts_with("XMC rails (1) of 0000:02:00.1 failed")
                && e.contains("xmc_12v_pex_curr: 'N/A' is not an integer"),
            "{e}"
        );
        // RAPL: the counter's file turns into something that cannot be read as a file.
        let energy = r.join("class/powercap/intel-rapl:0/energy_uj");
        write(
            &r,
            "class/powercap/intel-rapl:0/max_energy_range_uj",
            "100\n",
        );
        write(&r, "class/powercap/intel-rapl:0/energy_uj", "1\n");
        let s = Sampler::start(Box::new(Rapl::open(&r).unwrap()), 100.0);
        std::thread::sleep(Duration::from_millis(30));
        fs::remove_file(&energy).unwrap();
        fs::create_dir(&energy).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        let e = s.stop().unwrap_err();
        assert!(
            e.starts_with("RAPL, 1 package zone(s) failed")
                && e.contains("intel-rapl:0/energy_uj: "),
            "{e}"
        );
    }

    #[test]
    fn the_idle_baseline_is_the_mean_of_a_quiet_period() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().to_path_buf();
        write(&r, "bus/pci/devices/0000:01:00.1/vendor", "0x10ee\n");
        write(
            &r,
            "bus/pci/devices/0000:01:00.1/hwmon/hwmon2/power1_input",
            "24500000\n",
        );
        let card = CardPower::open(&r, 0).unwrap();
        let m = Sampler::idle(Box::new(card), 100.0, Duration::from_millis(100)).unwrap();
        assert!((m.mean_w() - 24.5).abs() < 1e-9, "{m:?}");
        assert!(m.samples.iter().all(|&(_, w)| w == 24.5));
    }
}
