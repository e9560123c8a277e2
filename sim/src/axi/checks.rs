//! The master-side AXI4 rules the memory model enforces (AMBA AXI4 sections A3.2.1, A3.4.1):
//! a VALID stays up until its READY, the payload does not change while it waits, every burst is
//! a full-width INCR burst inside one 4 KB page and inside the memory, and WLAST marks exactly
//! the last beat. Each check returns the broken rule as one sentence.

use crate::axi::signals::{INCR, MasterSignals, Request, SlaveSignals};

/// Bytes no burst may cross.
const BOUNDARY: u64 = 4096;

/// The hold rules between the previous edge (`prev`, `prev_slave`) and this one (`now`).
pub(crate) fn holds(
    prev: &MasterSignals,
    prev_slave: &SlaveSignals,
    now: &MasterSignals,
) -> Option<String> {
    if prev.ar_valid
        && !prev_slave.ar_ready
        && let Some(rule) = request_held("AR", &prev.ar, now.ar_valid, &now.ar)
    {
        return Some(rule);
    }
    if prev.aw_valid
        && !prev_slave.aw_ready
        && let Some(rule) = request_held("AW", &prev.aw, now.aw_valid, &now.aw)
    {
        return Some(rule);
    }
    if prev.w_valid && !prev_slave.w_ready {
        if !now.w_valid {
            return Some("WVALID fell before WREADY".into());
        }
        let changed = [
            ("WDATA", prev.w_data != now.w_data),
            ("WSTRB", prev.w_strb != now.w_strb),
            ("WLAST", prev.w_last != now.w_last),
        ];
        if let Some((name, _)) = changed.iter().find(|(_, c)| *c) {
            return Some(format!("{name} changed while WVALID waited for WREADY"));
        }
    }
    None
}

/// A request that waited must still be offered, unchanged.
fn request_held(ch: &str, before: &Request, valid: bool, now: &Request) -> Option<String> {
    if !valid {
        return Some(format!("{ch}VALID fell before {ch}READY"));
    }
    let changed = [
        ("ADDR", before.addr != now.addr),
        ("LEN", before.len != now.len),
        ("SIZE", before.size != now.size),
        ("BURST", before.burst != now.burst),
    ];
    changed
        .iter()
        .find(|(_, c)| *c)
        .map(|(field, _)| format!("{ch}{field} changed while {ch}VALID waited for {ch}READY"))
}

/// An accepted AR or AW request: full-width INCR beats, aligned, in one 4 KB page, in memory.
pub(crate) fn request(
    ch: &str,
    req: &Request,
    beat_bytes: usize,
    base: u64,
    size: usize,
) -> Option<String> {
    let beat = beat_bytes as u64;
    let bytes = req.beats() * beat;
    if req.burst != INCR {
        return Some(format!(
            "{ch}BURST = {}: only INCR bursts are expected",
            req.burst
        ));
    }
    if 1u64.checked_shl(req.size as u32) != Some(beat) {
        return Some(format!(
            "{ch}SIZE = {}: beats must use the full {beat}-byte width",
            req.size
        ));
    }
    if !req.addr.is_multiple_of(beat) {
        return Some(format!(
            "{ch}ADDR {:#x} is not aligned to the {beat}-byte beat",
            req.addr
        ));
    }
    if req.addr % BOUNDARY + bytes > BOUNDARY {
        return Some(format!(
            "{ch} burst of {} beats at {:#x} crosses a 4 KB boundary",
            req.beats(),
            req.addr
        ));
    }
    let end = base + size as u64;
    if req.addr < base || req.addr.saturating_add(bytes) > end {
        return Some(format!(
            "{ch} burst of {} beats at {:#x} leaves the memory [{base:#x}, {end:#x})",
            req.beats(),
            req.addr
        ));
    }
    None
}

/// WLAST on beat `beat` (0-based) of a `beats`-beat burst.
pub(crate) fn w_last(beat: u64, beats: u64, w_last: bool) -> Option<String> {
    let last = beat + 1 == beats;
    match (last, w_last) {
        (true, false) => Some(format!(
            "WLAST missing on beat {beats} of a {beats}-beat burst"
        )),
        (false, true) => Some(format!(
            "WLAST on beat {} of a {beats}-beat burst",
            beat + 1
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(addr: u64, len: u8) -> Request {
        Request {
            addr,
            len,
            size: 6,
            burst: INCR,
        }
    }

    #[test]
    fn requests() {
        assert_eq!(request("AR", &req(0x1000, 63), 64, 0, 1 << 20), None);
        let e = |r: Request| request("AR", &r, 64, 0x1000, 1 << 20).unwrap_or_default();
        assert_eq!(
            e(req(0x1fc0, 1)),
            "AR burst of 2 beats at 0x1fc0 crosses a 4 KB boundary"
        );
        assert_eq!(
            e(req(0x1010, 0)),
            "ARADDR 0x1010 is not aligned to the 64-byte beat"
        );
        assert_eq!(
            e(Request {
                size: 5,
                ..req(0x1000, 0)
            }),
            "ARSIZE = 5: beats must use the full 64-byte width"
        );
        assert_eq!(
            e(Request {
                burst: 2,
                ..req(0x1000, 0)
            }),
            "ARBURST = 2: only INCR bursts are expected"
        );
        assert_eq!(
            e(req(0x0, 0)),
            "AR burst of 1 beats at 0x0 leaves the memory [0x1000, 0x101000)"
        );
        assert_eq!(
            e(req(0x100_0fc0, 0)),
            "AR burst of 1 beats at 0x1000fc0 leaves the memory [0x1000, 0x101000)"
        );
    }

    #[test]
    fn hold_rules() {
        let waiting = MasterSignals {
            ar_valid: true,
            ar: req(0x40, 3),
            w_valid: true,
            w_data: vec![1, 2],
            ..Default::default()
        };
        let stalled = SlaveSignals::default();
        assert_eq!(holds(&waiting, &stalled, &waiting), None);
        let dropped = MasterSignals {
            ar_valid: false,
            ..waiting.clone()
        };
        assert_eq!(
            holds(&waiting, &stalled, &dropped).unwrap_or_default(),
            "ARVALID fell before ARREADY"
        );
        let moved = MasterSignals {
            ar: req(0x80, 3),
            ..waiting.clone()
        };
        assert_eq!(
            holds(&waiting, &stalled, &moved).unwrap_or_default(),
            "ARADDR changed while ARVALID waited for ARREADY"
        );
        let new_data = MasterSignals {
            w_data: vec![1, 3],
            ..waiting.clone()
        };
        assert_eq!(
            holds(&waiting, &stalled, &new_data).unwrap_or_default(),
            "WDATA changed while WVALID waited for WREADY"
        );
        // After a handshake anything may change.
        let taken = SlaveSignals {
            ar_ready: true,
            w_ready: true,
            ..Default::default()
        };
        assert_eq!(holds(&waiting, &taken, &MasterSignals::default()), None);
    }

    #[test]
    fn wlast() {
        assert_eq!(w_last(3, 4, true), None);
        assert_eq!(w_last(1, 4, false), None);
        assert_eq!(
            w_last(3, 4, false).unwrap_or_default(),
            "WLAST missing on beat 4 of a 4-beat burst"
        );
        assert_eq!(
            w_last(1, 4, true).unwrap_or_default(),
            "WLAST on beat 2 of a 4-beat burst"
        );
    }
}
