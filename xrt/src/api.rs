//! A safe API over the shim (shim/shim.h): a [`Device`] opened by index loads an xclbin and
//! allocates [`Bo`]s in a memory group; a [`Kernel`] of the loaded xclbin gives each argument's
//! memory group and [`Run`]s that set arguments, start and wait. Every handle closes on drop, and
//! buffers, kernels and runs keep their device (or kernel) alive, so the device closes last: XRT
//! crashes the process at exit when a device was left open.

use std::ffi::{CStr, CString, c_char, c_int};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use crate::env;
use crate::error::{Error, Result};
use crate::ffi;

/// A zeroed error buffer for one shim call.
pub(crate) fn empty_err() -> ffi::mmfree_xrt_err {
    ffi::mmfree_xrt_err {
        text: [0; ffi::MMFREE_XRT_ERR_BYTES as usize],
    }
}

fn message(err: &ffi::mmfree_xrt_err) -> String {
    // SAFETY: the shim always NUL-terminates (snprintf) and the buffer starts zeroed.
    let text = unsafe { CStr::from_ptr(err.text.as_ptr()) };
    text.to_string_lossy().into_owned()
}

/// Runs one status-returning shim call on card `index`.
fn call(index: u32, f: impl FnOnce(*mut ffi::mmfree_xrt_err) -> c_int) -> Result<()> {
    let mut err = empty_err();
    match f(&mut err) {
        0 => Ok(()),
        _ => Err(Error::Call {
            index,
            what: message(&err),
        }),
    }
}

/// Runs one handle-returning shim call on card `index`.
fn handle(
    index: u32,
    f: impl FnOnce(*mut ffi::mmfree_xrt_err) -> *mut std::ffi::c_void,
) -> Result<*mut std::ffi::c_void> {
    let mut err = empty_err();
    let h = f(&mut err);
    if h.is_null() {
        return Err(Error::Call {
            index,
            what: message(&err),
        });
    }
    Ok(h)
}

/// An xclbin's UUID, as XRT reports it after loading.
pub type Uuid = [u8; 16];

struct DeviceHandle {
    raw: ffi::xrtDeviceHandle,
    index: u32,
}

impl Drop for DeviceHandle {
    fn drop(&mut self) {
        // SAFETY: `raw` came from xrtDeviceOpen and is closed exactly once, here.
        let _ = call(self.index, |e| unsafe {
            ffi::mmfree_xrt_device_close(self.raw, e)
        });
    }
}

/// An opened card (or, under `XCL_EMULATION_MODE=hw_emu`, an emulated one).
pub struct Device {
    inner: Rc<DeviceHandle>,
}

impl Device {
    /// Opens card `index`; no card there is [`Error::NoCard`].
    pub fn open(index: u32) -> Result<Device> {
        env::ready()?;
        // SAFETY: the shim catches every exception; the error buffer outlives the call.
        let raw =
            handle(index, |e| unsafe { ffi::mmfree_xrt_device_open(index, e) }).map_err(|e| {
                let why = match (card_count(), e) {
                    (Ok(n), _) => format!("XRT enumerates {n} card(s)"),
                    (Err(_), Error::Call { what, .. }) => what,
                    (Err(_), other) => other.to_string(),
                };
                Error::NoCard { index, why }
            })?;
        Ok(Device {
            inner: Rc::new(DeviceHandle { raw, index }),
        })
    }

    /// The index it was opened with.
    pub fn index(&self) -> u32 {
        self.inner.index
    }

    /// Loads (programs) an xclbin file; returns its UUID.
    pub fn load_xclbin(&self, path: &Path) -> Result<Uuid> {
        let c = path_cstring(path)?;
        let mut uuid: Uuid = [0; 16];
        // SAFETY: `c` and `uuid` (16 bytes, xuid_t) outlive the call.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_device_load_xclbin(self.inner.raw, c.as_ptr(), uuid.as_mut_ptr(), e)
        })
        .map_err(|e| match e {
            Error::Call { what, .. } => Error::Xclbin {
                path: path.display().to_string(),
                why: what,
            },
            other => other,
        })?;
        Ok(uuid)
    }

    /// Allocates `bytes` of device memory in memory group `group` (the bank of a kernel argument,
    /// [`Kernel::arg_group`]).
    pub fn alloc(&self, bytes: usize, group: u32) -> Result<Bo> {
        // SAFETY: the device handle is open while `self` lives.
        let raw = handle(self.index(), |e| unsafe {
            ffi::mmfree_xrt_bo_alloc(self.inner.raw, bytes, group, e)
        })?;
        Ok(Bo {
            raw,
            bytes,
            device: self.inner.clone(),
        })
    }

    /// Opens kernel `name` of the loaded xclbin `uuid`.
    pub fn kernel(&self, uuid: &Uuid, name: &str) -> Result<Kernel> {
        let c = CString::new(name).map_err(|_| Error::Call {
            index: self.index(),
            what: format!("kernel name {name:?} holds a NUL byte"),
        })?;
        // SAFETY: `uuid` (16 bytes) and `c` outlive the call; the device is open.
        let raw = handle(self.index(), |e| unsafe {
            ffi::mmfree_xrt_kernel_open(self.inner.raw, uuid.as_ptr(), c.as_ptr(), e)
        })?;
        Ok(Kernel {
            inner: Rc::new(KernelHandle {
                raw,
                device: self.inner.clone(),
            }),
        })
    }
}

fn path_cstring(path: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes()).map_err(|_| Error::Xclbin {
        path: path.display().to_string(),
        why: "the path holds a NUL byte".into(),
    })
}

/// A buffer object: device memory with its host-side copy.
pub struct Bo {
    raw: ffi::xrtBufferHandle,
    bytes: usize,
    device: Rc<DeviceHandle>,
}

impl Drop for Bo {
    fn drop(&mut self) {
        // SAFETY: `raw` came from xrtBOAlloc and is freed exactly once, before its device closes.
        let _ = call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_bo_free(self.raw, e)
        });
    }
}

impl Bo {
    /// Bytes allocated.
    pub fn len(&self) -> usize {
        self.bytes
    }

    /// Whether the buffer has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    fn check(&self, offset: usize, len: usize) -> Result<()> {
        match offset.checked_add(len) {
            Some(end) if end <= self.bytes => Ok(()),
            _ => Err(Error::Call {
                index: self.device.index,
                what: format!(
                    "buffer access of {len} bytes at offset {offset} is outside its {} bytes",
                    self.bytes
                ),
            }),
        }
    }

    /// Copies `src` into the host side at `offset` (then [`Bo::sync_to_device`]).
    pub fn write(&self, offset: usize, src: &[u8]) -> Result<()> {
        self.check(offset, src.len())?;
        // SAFETY: `src` is valid for `src.len()` bytes, inside the buffer (checked).
        call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_bo_write(self.raw, src.as_ptr().cast(), src.len(), offset, e)
        })
    }

    /// Copies the host side at `offset` into `dst` (after [`Bo::sync_from_device`]).
    pub fn read(&self, offset: usize, dst: &mut [u8]) -> Result<()> {
        self.check(offset, dst.len())?;
        // SAFETY: `dst` is valid for `dst.len()` bytes, inside the buffer (checked).
        call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_bo_read(self.raw, dst.as_mut_ptr().cast(), dst.len(), offset, e)
        })
    }

    fn sync(&self, dir: ffi::xclBOSyncDirection, offset: usize, len: usize) -> Result<()> {
        self.check(offset, len)?;
        // SAFETY: the range is inside the buffer (checked); the handle is live.
        call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_bo_sync(self.raw, dir, len, offset, e)
        })
    }

    /// Moves `len` bytes at `offset` from the host side to device memory.
    pub fn sync_to_device(&self, offset: usize, len: usize) -> Result<()> {
        self.sync(
            ffi::xclBOSyncDirection::XCL_BO_SYNC_BO_TO_DEVICE,
            offset,
            len,
        )
    }

    /// Moves `len` bytes at `offset` from device memory to the host side.
    pub fn sync_from_device(&self, offset: usize, len: usize) -> Result<()> {
        self.sync(
            ffi::xclBOSyncDirection::XCL_BO_SYNC_BO_FROM_DEVICE,
            offset,
            len,
        )
    }

    /// The device address the kernel sees.
    pub fn address(&self) -> Result<u64> {
        let mut a = 0u64;
        // SAFETY: `a` outlives the call; the handle is live.
        call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_bo_address(self.raw, &mut a, e)
        })?;
        Ok(a)
    }
}

struct KernelHandle {
    raw: ffi::xrtKernelHandle,
    device: Rc<DeviceHandle>,
}

impl Drop for KernelHandle {
    fn drop(&mut self) {
        // SAFETY: `raw` came from xrtPLKernelOpen and is closed exactly once.
        let _ = call(self.device.index, |e| unsafe {
            ffi::mmfree_xrt_kernel_close(self.raw, e)
        });
    }
}

/// A kernel of the loaded xclbin.
pub struct Kernel {
    inner: Rc<KernelHandle>,
}

impl Kernel {
    /// The memory group argument `arg` connects to (`xrtKernelArgGroupId`).
    pub fn arg_group(&self, arg: usize) -> Result<u32> {
        let mut g: c_int = -1;
        let argno = c_int::try_from(arg).unwrap_or(c_int::MAX);
        // SAFETY: `g` outlives the call; the kernel handle is live.
        call(self.inner.device.index, |e| unsafe {
            ffi::mmfree_xrt_kernel_arg_group(self.inner.raw, argno, &mut g, e)
        })?;
        Ok(g as u32)
    }

    /// A run of the kernel, whose arguments are then set.
    pub fn run(&self) -> Result<Run> {
        // SAFETY: the kernel handle is live.
        let raw = handle(self.inner.device.index, |e| unsafe {
            ffi::mmfree_xrt_run_open(self.inner.raw, e)
        })?;
        Ok(Run {
            raw,
            kernel: self.inner.clone(),
        })
    }
}

/// Where a run stands (`ert_cmd_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Not started, queued, submitted or running.
    Pending(u32),
    /// Finished.
    Completed,
    /// Error, abort, timeout, no response or a soft-kernel failure (the XRT state number).
    Failed(u32),
}

impl RunState {
    fn from_ert(state: c_int) -> RunState {
        use ffi::ert_cmd_state as s;
        match state as u32 {
            s::ERT_CMD_STATE_COMPLETED => RunState::Completed,
            s::ERT_CMD_STATE_NEW
            | s::ERT_CMD_STATE_QUEUED
            | s::ERT_CMD_STATE_RUNNING
            | s::ERT_CMD_STATE_SUBMITTED => RunState::Pending(state as u32),
            other => RunState::Failed(other),
        }
    }
}

/// One kernel run: arguments, start, wait; restartable once completed.
pub struct Run {
    raw: ffi::xrtRunHandle,
    kernel: Rc<KernelHandle>,
}

impl Drop for Run {
    fn drop(&mut self) {
        // SAFETY: `raw` came from xrtRunOpen and is closed exactly once, before its kernel.
        let _ = call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_close(self.raw, e)
        });
    }
}

impl Run {
    fn index(&self) -> u32 {
        self.kernel.device.index
    }

    /// Sets pointer argument `arg` to `bo`.
    pub fn set_bo(&self, arg: usize, bo: &Bo) -> Result<()> {
        let argno = c_int::try_from(arg).unwrap_or(c_int::MAX);
        // SAFETY: both handles are live.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_set_bo(self.raw, argno, bo.raw, e)
        })
    }

    /// Sets 32-bit scalar argument `arg`.
    pub fn set_u32(&self, arg: usize, value: u32) -> Result<()> {
        let argno = c_int::try_from(arg).unwrap_or(c_int::MAX);
        // SAFETY: the handle is live.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_set_u32(self.raw, argno, value, e)
        })
    }

    /// Starts the kernel.
    pub fn start(&self) -> Result<()> {
        // SAFETY: the handle is live.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_start(self.raw, e)
        })
    }

    /// Waits up to `timeout` (at least a millisecond) and returns the state reached.
    pub fn wait(&self, timeout: Duration) -> Result<RunState> {
        let ms = u32::try_from(timeout.as_millis())
            .unwrap_or(u32::MAX)
            .max(1);
        let mut state: c_int = 0;
        // SAFETY: `state` outlives the call; the handle is live.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_wait(self.raw, ms, &mut state, e)
        })?;
        Ok(RunState::from_ert(state))
    }

    /// The state now, without waiting.
    pub fn state(&self) -> Result<RunState> {
        let mut state: c_int = 0;
        // SAFETY: `state` outlives the call; the handle is live.
        call(self.index(), |e| unsafe {
            ffi::mmfree_xrt_run_state(self.raw, &mut state, e)
        })?;
        Ok(RunState::from_ert(state))
    }
}

/// Cards the XRT driver enumerates (emulated devices are not counted).
fn card_count() -> Result<u32> {
    env::ready()?;
    let mut n = 0u32;
    // SAFETY: `n` outlives the call.
    call(0, |e| unsafe { ffi::mmfree_xrt_count(&mut n, e) }).map_err(|e| match e {
        Error::Call { what, .. } => Error::NoRuntime { why: what },
        other => other,
    })?;
    Ok(n)
}

/// One card as XRT describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardInfo {
    /// The index of `xrt:INDEX`.
    pub index: u32,
    /// The card's name (e.g. `xilinx_u280_gen3x16_xdma_base_1`).
    pub name: String,
    /// PCI address (bus:device.function).
    pub bdf: String,
    /// The shell (platform) it runs.
    pub shell: String,
}

/// What XRT finds on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The cards found.
    pub cards: Vec<CardInfo>,
    /// Why none, when none: no runtime, no driver or no card, and what to check.
    pub reason: Option<String>,
}

fn text_field(buf: &[c_char]) -> String {
    // SAFETY: the shim NUL-terminates within the buffer, which starts zeroed.
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn card_info(index: u32) -> Result<CardInfo> {
    let (mut name, mut bdf, mut shell) =
        ([0 as c_char; 256], [0 as c_char; 64], [0 as c_char; 256]);
    // SAFETY: each buffer is passed with its length and outlives the call.
    call(index, |e| unsafe {
        ffi::mmfree_xrt_card_info(
            index,
            name.as_mut_ptr(),
            name.len(),
            bdf.as_mut_ptr(),
            bdf.len(),
            shell.as_mut_ptr(),
            shell.len(),
            e,
        )
    })?;
    Ok(CardInfo {
        index,
        name: text_field(&name),
        bdf: text_field(&bdf),
        shell: text_field(&shell),
    })
}

/// Every card XRT enumerates, or why there is none.
pub fn probe() -> Probe {
    let none = |reason: String| Probe {
        cards: Vec::new(),
        reason: Some(reason),
    };
    let n = match card_count() {
        Ok(n) => n,
        Err(e) => return none(e.to_string()),
    };
    if n == 0 {
        let emu = std::env::var("XCL_EMULATION_MODE")
            .map(|m| format!("; XCL_EMULATION_MODE={m} emulates a device at xrt:0, not listed"))
            .unwrap_or_default();
        return none(format!(
            "XRT {} runtime loaded but its driver enumerates no card{emu}: {}",
            "2.13",
            crate::error::NO_CARD_HINT
        ));
    }
    let mut cards = Vec::new();
    for i in 0..n {
        match card_info(i) {
            Ok(c) => cards.push(c),
            Err(e) => return none(format!("card {i} enumerated but not readable: {e}")),
        }
    }
    Probe {
        cards,
        reason: None,
    }
}
