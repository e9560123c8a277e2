//! What a benchmark report says about the machine it ran on (DESIGN.md section 5: every figure
//! names its machine): the CPU's name and the load average, since other work may share the cores.
//! Both come from Linux's `/proc`; elsewhere they are `None` and reported as unknown. A report
//! page also names the kernel, the host and the date of each run ([`describe`]).

use serde_json::{Value, json};

/// The CPU's model name (`/proc/cpuinfo`), if the system says.
pub fn cpu_name() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, name)| name.trim().to_string())
}

/// The 1, 5 and 15-minute load averages (`/proc/loadavg`), if the system says.
pub fn load_average() -> Option<[f64; 3]> {
    parse_loadavg(&std::fs::read_to_string("/proc/loadavg").ok()?)
}

/// The first three fields of a `/proc/loadavg` line.
fn parse_loadavg(line: &str) -> Option<[f64; 3]> {
    let mut fields = line.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

/// The kernel release (`/proc/sys/kernel/osrelease`), if the system says.
pub fn kernel() -> Option<String> {
    proc_line("/proc/sys/kernel/osrelease")
}

/// The host name (`/proc/sys/kernel/hostname`), if the system says.
pub fn hostname() -> Option<String> {
    proc_line("/proc/sys/kernel/hostname")
}

fn proc_line(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The machine and the moment of a run, as a report records them.
pub fn describe() -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    json!({
        "cpu": cpu_name(),
        "kernel": kernel(),
        "hostname": hostname(),
        "date": utc_date(now),
        "unix_time": now,
    })
}

/// Seconds since 1970 as an ISO 8601 UTC time, `2026-12-07T23:25:41Z`, the form a report's
/// readers and tools sort and parse.
pub fn utc_date(unix_s: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix_s);
    humantime::format_rfc3339_seconds(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadavg_lines_parse_and_bad_ones_do_not() {
        assert_eq!(
            parse_loadavg("3.00 2.21 1.50 2/345 6789\n"),
            Some([3.0, 2.21, 1.5])
        );
        assert_eq!(parse_loadavg("3.00 x 1.50"), None);
        assert_eq!(parse_loadavg(""), None);
    }

    #[test]
    fn dates_are_utc_calendar_times() {
        assert_eq!(utc_date(0), "1970-01-01T00:00:00Z");
        // `date -u -d @951827696`: the leap day of a year divisible by 400.
        assert_eq!(utc_date(951_827_696), "2000-02-29T12:34:56Z");
        assert_eq!(utc_date(1_798_761_599), "2026-12-31T23:59:59Z");
    }
}
