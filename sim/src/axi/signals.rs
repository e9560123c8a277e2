//! The wires of one AXI4 port at one clock edge (AMBA AXI4 section A2), as plain values, so that
//! the memory model and its protocol checks run without a simulator and the Verilator binding
//! only copies pins in and out.

/// An AR or AW request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// `AxADDR`.
    pub addr: u64,
    /// `AxLEN`: beats minus one.
    pub len: u8,
    /// `AxSIZE`: log2 of the bytes per beat.
    pub size: u8,
    /// `AxBURST` (INCR = 1).
    pub burst: u8,
}

impl Request {
    /// Beats in the burst.
    pub fn beats(&self) -> u64 {
        self.len as u64 + 1
    }
}

/// What the master drives: every valid, ready and payload of the five channels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MasterSignals {
    /// `ARVALID`.
    pub ar_valid: bool,
    /// The AR payload.
    pub ar: Request,
    /// `RREADY`.
    pub r_ready: bool,
    /// `AWVALID`.
    pub aw_valid: bool,
    /// The AW payload.
    pub aw: Request,
    /// `WVALID`.
    pub w_valid: bool,
    /// `WDATA`, little-endian bytes (one beat).
    pub w_data: Vec<u8>,
    /// `WSTRB`, bit `i` for byte `i`.
    pub w_strb: u128,
    /// `WLAST`.
    pub w_last: bool,
    /// `BREADY`.
    pub b_ready: bool,
}

/// What the memory drives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlaveSignals {
    /// `ARREADY`.
    pub ar_ready: bool,
    /// `RVALID`.
    pub r_valid: bool,
    /// `RDATA`, little-endian bytes (one beat).
    pub r_data: Vec<u8>,
    /// `RRESP`.
    pub r_resp: u8,
    /// `RLAST`.
    pub r_last: bool,
    /// `AWREADY`.
    pub aw_ready: bool,
    /// `WREADY`.
    pub w_ready: bool,
    /// `BVALID`.
    pub b_valid: bool,
    /// `BRESP`.
    pub b_resp: u8,
}

/// `xRESP` code of a successful transfer.
pub const OKAY: u8 = 0;
/// `xRESP` code of a slave error.
pub const SLVERR: u8 = 2;
/// `AxBURST` code of an incrementing burst.
pub const INCR: u8 = 1;

/// The name of a response code, for messages.
pub fn resp_name(resp: u8) -> &'static str {
    match resp {
        0 => "OKAY",
        1 => "EXOKAY",
        2 => "SLVERR",
        _ => "DECERR",
    }
}
