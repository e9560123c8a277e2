//! What a benchmark report says about the machine it ran on (DESIGN.md section 5: every figure
//! names its machine): the CPU's name and the load average, since other work may share the cores.
//! Both come from Linux's `/proc`; elsewhere they are `None` and reported as unknown.

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
}
