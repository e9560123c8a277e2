//! A Verilated model driven from Rust (DESIGN.md section 3, rung 2): build or fetch the cached
//! library, then set inputs, tick the clock and read outputs by port, one call at a time or a whole
//! batch of cycles in one call when per-call overhead matters.

use std::ffi::{CString, c_char, c_void};
use std::path::PathBuf;

use libloading::Library;

use crate::batch::Batch;
use crate::builder::{self, BuildInfo, Request};
use crate::error::{Error, Result};
use crate::ports::{Direction, PortInfo, parse_ports};
use crate::shim::{self, words_for};

/// How to build and run a model.
#[derive(Clone, Debug)]
pub struct Options {
    /// Write a VCD waveform of every signal to this file (the model is then built with `--trace`).
    pub trace: Option<PathBuf>,
    /// Name of the clock input that [`Verilated::tick`] toggles.
    pub clock: String,
    /// Extra `verilator` flags (part of the cache key).
    pub flags: Vec<String>,
    /// Cache directory; `None` means `$MMFREE_SIM_CACHE`, else `mmfree-sim` in the cargo target dir.
    pub cache_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            trace: None,
            clock: "clock".into(),
            flags: Vec::new(),
            cache_dir: None,
        }
    }
}

/// A handle on one port: its index in the shim, width and direction, checked once by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    pub(crate) index: u32,
    pub(crate) width: u32,
    pub(crate) input: bool,
    pub(crate) signed: bool,
}

impl Port {
    /// Width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }
    /// 32-bit words that hold the port's value.
    pub fn words(&self) -> usize {
        words_for(self.width)
    }
}

type NewFn = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type FreeFn = unsafe extern "C" fn(*mut c_void);
type SetWordsFn = unsafe extern "C" fn(*mut c_void, u32, *const u32);
type GetWordsFn = unsafe extern "C" fn(*mut c_void, u32, *mut u32);
type Set64Fn = unsafe extern "C" fn(*mut c_void, u32, u64);
type Get64Fn = unsafe extern "C" fn(*mut c_void, u32) -> u64;
type StepFn = unsafe extern "C" fn(*mut c_void);
type RunFn =
    unsafe extern "C" fn(*mut c_void, u64, u32, *const u32, *const u32, u32, *const u32, *mut u32);

/// The shim's entry points, copied out of the library (valid while `_lib` is loaded).
struct Api {
    free: FreeFn,
    set: SetWordsFn,
    get: GetWordsFn,
    set64: Set64Fn,
    get64: Get64Fn,
    eval: StepFn,
    tick: StepFn,
    run: RunFn,
}

/// A running Verilated model of one top module.
pub struct Verilated {
    top: String,
    ports: Vec<PortInfo>,
    has_clock: bool,
    clock: String,
    info: BuildInfo,
    handle: *mut c_void,
    api: Api,
    _lib: Library,
}

impl Verilated {
    /// Builds (or loads from the cache) `top` of `verilog` and creates a model in its initial state.
    pub fn build(verilog: &str, top: &str, options: &Options) -> Result<Verilated> {
        let ports = parse_ports(verilog, top)?;
        let clock = ports.iter().position(|p| {
            p.name == options.clock && p.direction == Direction::Input && p.width == 1
        });
        let trace = options.trace.is_some();
        let cache_dir = builder::cache_dir(
            options.cache_dir.clone(),
            std::env::var_os("MMFREE_SIM_CACHE"),
            std::env::current_exe().ok(),
        );
        let request = Request {
            verilog,
            top,
            shim: shim::generate(top, &ports, clock, trace),
            trace,
            flags: &options.flags,
            cache_dir,
        };
        let info = builder::build(&request)?;
        let (lib, api, new) = load(&info.library)?;
        let trace_path = match &options.trace {
            Some(p) => {
                Some(
                    CString::new(p.to_string_lossy().as_bytes()).map_err(|_| Error::Io {
                        path: p.clone(),
                        source: std::io::Error::other("path holds a NUL byte"),
                    })?,
                )
            }
            None => None,
        };
        // SAFETY: `new` is the shim's constructor; the path outlives the call.
        let handle = unsafe { new(trace_path.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())) };
        Ok(Verilated {
            top: top.into(),
            ports,
            has_clock: clock.is_some(),
            clock: options.clock.clone(),
            info,
            handle,
            api,
            _lib: lib,
        })
    }

    /// The port called `name`.
    pub fn port(&self, name: &str) -> Result<Port> {
        let (index, p) = self
            .ports
            .iter()
            .enumerate()
            .find(|(_, p)| p.name == name)
            .ok_or_else(|| Error::UnknownPort {
                top: self.top.clone(),
                name: name.into(),
                known: self
                    .ports
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        Ok(Port {
            index: index as u32,
            width: p.width,
            input: p.direction == Direction::Input,
            signed: p.signed,
        })
    }

    /// The top module's name.
    pub fn top(&self) -> &str {
        &self.top
    }

    /// Every port of the top module, in header order.
    pub fn ports(&self) -> &[PortInfo] {
        &self.ports
    }

    /// How the library was obtained (path, cache hit, build seconds).
    pub fn build_info(&self) -> &BuildInfo {
        &self.info
    }

    /// Sets an input of up to 64 bits to the unsigned value `value`.
    pub fn set(&mut self, port: Port, value: u64) -> Result<()> {
        self.check_input(port)?;
        check_fits(self.name(port), port.width, value)?;
        // SAFETY: the handle is live and the index names an input of at most 64 bits.
        unsafe { (self.api.set64)(self.handle, port.index, value) };
        Ok(())
    }

    /// Sets an input of up to 64 bits to the two's-complement value `value`.
    pub fn set_signed(&mut self, port: Port, value: i64) -> Result<()> {
        self.set(port, to_unsigned(self.name(port), port.width, value)?)
    }

    /// Sets an input of any width from little-endian 32-bit words (exactly [`Port::words`] of them).
    pub fn set_words(&mut self, port: Port, words: &[u32]) -> Result<()> {
        self.check_input(port)?;
        check_words(self.name(port), port.width, words)?;
        // SAFETY: `words` holds exactly the port's word count; the shim only reads it.
        unsafe { (self.api.set)(self.handle, port.index, words.as_ptr()) };
        Ok(())
    }

    /// Reads a port of up to 64 bits as an unsigned value.
    pub fn get(&self, port: Port) -> Result<u64> {
        if port.width > 64 {
            return Err(Error::Width {
                port: self.name(port).into(),
                width: port.width,
                value: "a u64 read".into(),
            });
        }
        // SAFETY: the handle is live and the port is at most 64 bits wide.
        Ok(unsafe { (self.api.get64)(self.handle, port.index) })
    }

    /// Reads a port of up to 64 bits, sign-extended from its width.
    pub fn get_signed(&self, port: Port) -> Result<i64> {
        Ok(sign_extend(self.get(port)?, port.width))
    }

    /// Reads a port of any width as little-endian 32-bit words.
    pub fn get_words(&self, port: Port) -> Vec<u32> {
        let mut words = vec![0u32; port.words()];
        // SAFETY: the buffer holds the port's word count.
        unsafe { (self.api.get)(self.handle, port.index, words.as_mut_ptr()) };
        words
    }

    /// Reads a port of any width into `words` (exactly [`Port::words`] of them), without
    /// allocating: the per-cycle read of a wide bus in a long run.
    pub fn get_words_into(&self, port: Port, words: &mut [u32]) -> Result<()> {
        if words.len() != port.words() {
            return Err(Error::Width {
                port: self.name(port).into(),
                width: port.width,
                value: format!("a read into {} words", words.len()),
            });
        }
        // SAFETY: the buffer holds the port's word count.
        unsafe { (self.api.get)(self.handle, port.index, words.as_mut_ptr()) };
        Ok(())
    }

    /// Settles combinational logic after inputs changed, without a clock edge.
    pub fn eval(&mut self) {
        // SAFETY: the handle is live.
        unsafe { (self.api.eval)(self.handle) }
    }

    /// One clock cycle: settle the inputs, rising edge, falling edge. Outputs then show the state
    /// after the rising edge.
    pub fn tick(&mut self) -> Result<()> {
        if !self.has_clock {
            return Err(Error::NoClock {
                top: self.top.clone(),
                clock: self.clock.clone(),
            });
        }
        // SAFETY: the handle is live.
        unsafe { (self.api.tick)(self.handle) };
        Ok(())
    }

    /// Runs every cycle of `batch` in one call: apply that cycle's inputs, tick, record the outputs.
    pub fn run(&mut self, batch: &mut Batch) -> Result<()> {
        self.tick_check()?;
        let cycles = batch.cycles() as u64;
        let (ins, outs, in_words, out_words) = batch.parts();
        // SAFETY: the buffers hold `cycles` rows of the ports' words; the indices are valid ports of
        // this model with the directions the batch checked on creation.
        unsafe {
            (self.api.run)(
                self.handle,
                cycles,
                ins.len() as u32,
                ins.as_ptr(),
                in_words.as_ptr(),
                outs.len() as u32,
                outs.as_ptr(),
                out_words.as_mut_ptr(),
            )
        };
        Ok(())
    }

    fn tick_check(&self) -> Result<()> {
        if self.has_clock {
            Ok(())
        } else {
            Err(Error::NoClock {
                top: self.top.clone(),
                clock: self.clock.clone(),
            })
        }
    }

    fn name(&self, port: Port) -> &str {
        &self.ports[port.index as usize].name
    }

    fn check_input(&self, port: Port) -> Result<()> {
        if port.input {
            Ok(())
        } else {
            Err(Error::Direction {
                port: self.name(port).into(),
                actual: "output",
                wanted: "input",
            })
        }
    }
}

impl Drop for Verilated {
    fn drop(&mut self) {
        // SAFETY: the handle came from the shim's constructor and is freed once, before the library.
        unsafe { (self.api.free)(self.handle) }
    }
}

/// Checks an unsigned value fits a port of `width` bits (at most 64).
pub(crate) fn check_fits(port: &str, width: u32, value: u64) -> Result<()> {
    if width > 64 || (width < 64 && value >> width != 0) {
        return Err(Error::Width {
            port: port.into(),
            width,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Two's-complement encoding of `value` in `width` bits (at most 64), if it fits.
pub(crate) fn to_unsigned(port: &str, width: u32, value: i64) -> Result<u64> {
    let fits = width == 64
        || (1..64).contains(&width)
            && (-(1i64 << (width - 1))..(1i64 << (width - 1))).contains(&value);
    if !fits {
        return Err(Error::Width {
            port: port.into(),
            width,
            value: value.to_string(),
        });
    }
    Ok(if width == 64 {
        value as u64
    } else {
        value as u64 & ((1u64 << width) - 1)
    })
}

/// Checks a word slice has the length of a `width`-bit port and no bits above the width.
pub(crate) fn check_words(port: &str, width: u32, words: &[u32]) -> Result<()> {
    let n = words_for(width);
    let spare = n as u32 * 32 - width;
    let top_ok = spare == 0 || words.last().is_some_and(|w| w >> (32 - spare) == 0);
    if words.len() != n || !top_ok {
        let value = format!(
            "{} words ending in {:#x}",
            words.len(),
            words.last().copied().unwrap_or(0)
        );
        return Err(Error::Width {
            port: port.into(),
            width,
            value,
        });
    }
    Ok(())
}

/// Sign-extends the low `width` bits of `raw`.
pub(crate) fn sign_extend(raw: u64, width: u32) -> i64 {
    let shift = 64 - width;
    ((raw << shift) as i64) >> shift
}

/// Opens the library and resolves every shim entry point.
fn load(path: &std::path::Path) -> Result<(Library, Api, NewFn)> {
    let err = |e: libloading::Error| Error::Load {
        file: path.into(),
        detail: e.to_string(),
    };
    // SAFETY: the library was built by this crate from generated code; loading runs only the
    // static constructors of the Verilator runtime.
    let lib = unsafe { Library::new(path) }.map_err(err)?;
    // SAFETY: each symbol is declared by the shim with exactly these signatures.
    unsafe {
        let api = Api {
            free: *lib.get::<FreeFn>(b"mmfree_sim_free\0").map_err(err)?,
            set: *lib.get::<SetWordsFn>(b"mmfree_sim_set\0").map_err(err)?,
            get: *lib.get::<GetWordsFn>(b"mmfree_sim_get\0").map_err(err)?,
            set64: *lib.get::<Set64Fn>(b"mmfree_sim_set64\0").map_err(err)?,
            get64: *lib.get::<Get64Fn>(b"mmfree_sim_get64\0").map_err(err)?,
            eval: *lib.get::<StepFn>(b"mmfree_sim_eval\0").map_err(err)?,
            tick: *lib.get::<StepFn>(b"mmfree_sim_tick\0").map_err(err)?,
            run: *lib.get::<RunFn>(b"mmfree_sim_run\0").map_err(err)?,
        };
        let new = *lib.get::<NewFn>(b"mmfree_sim_new\0").map_err(err)?;
        Ok((lib, api, new))
    }
}
