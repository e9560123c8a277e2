//! The report page: one self-contained HTML file (inline style and SVG, no script, nothing
//! fetched) with the charts of [`super::plots`] and a table of every figure of every run with its
//! basis and the machine it ran on.

use std::fmt::Write;

use serde_json::Value;

use super::plots;
use crate::figures::format_value;

/// The figures of the table, in order: key and row heading.
const FIGURES: [(&str, &str); 15] = [
    ("tokens_per_s", "decode tokens/s"),
    ("aggregate_tokens_per_s", "aggregate tokens/s (batch)"),
    ("prefill_tokens_per_s", "prefill tokens/s"),
    ("cycles_per_token", "cycles per token"),
    ("projected_tokens_per_s", "projected tokens/s"),
    (
        "projected_aggregate_tokens_per_s",
        "projected aggregate tokens/s",
    ),
    ("clock_mhz", "clock (MHz)"),
    ("weight_bytes_per_token", "weight bytes per token"),
    ("roofline_tokens_per_s", "roofline tokens/s"),
    ("fraction_of_roofline", "fraction of roofline"),
    ("energy_j_per_token", "energy (J/token)"),
    ("tokens_per_j", "tokens/J"),
    ("power_w", "power (W)"),
    ("idle_power_w", "idle power (W)"),
    ("stream_copy_gb_per_s", "host stream copy (GB/s)"),
];

const STYLE: &str = "body{font-family:sans-serif;margin:24px;color:#222;max-width:1240px}\
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 6px}\
p.note{color:#555;margin:4px 0}figure{margin:8px 0}svg{max-width:100%;height:auto}\
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12px}\
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}\
th{background:#f2f2f2}td.k,th.k{text-align:left}\
.b{display:inline-block;border-radius:3px;padding:0 4px;margin-left:4px;color:#fff;font-size:11px}\
.measured{background:#185f91}.projected{background:#c9600a}.estimate{background:#23801f}\
.counted{background:#76529a}.na{color:#888;font-size:11px;text-align:left;max-width:220px}";

/// A chart of the runs: its SVG, or `None` when it has nothing to show.
type Chart = fn(&[Value]) -> anyhow::Result<Option<String>>;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page of `runs`.
pub fn render(runs: &[Value]) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        h,
        "<title>mmfree bench report</title><style>{STYLE}</style></head><body>"
    );
    h.push_str("<h1>mmfree bench report</h1>");
    let _ = write!(
        h,
        "<p class=\"note\">{} run(s) from <code>results.jsonl</code>. Bases: \
         <span class=\"b measured\">measured</span> in the run, \
         <span class=\"b counted\">counted</span> by the device, \
         <span class=\"b projected\">projected</span> from counted cycles at the configuration's clock, \
         <span class=\"b estimate\">estimate</span> from a model of what is not counted. \
         The software models run on the host CPU; <code>iss</code> and <code>sim</code> simulate the \
         accelerator, so their measured rate is the simulator's and their card figures are projected \
         or estimated.</p>",
        runs.len()
    );
    let charts: [(&str, Chart, &str); 4] = [
        ("Throughput", plots::throughput, "no run has a rate"),
        (
            "Energy efficiency",
            plots::efficiency,
            "no run has a tokens/J figure (see the table for why)",
        ),
        (
            "Roofline",
            plots::roofline,
            "no run has weight bytes and a rate",
        ),
        (
            "Power over time",
            plots::power,
            "no run has a sampled power trace: the software models are measured with RAPL \
             and a card with its hwmon sensor, where the machine exposes them (the table says why not)",
        ),
    ];
    for (title, chart, none) in charts {
        let _ = write!(h, "<h2>{title}</h2>");
        match chart(runs) {
            Ok(Some(svg)) => {
                let _ = write!(h, "<figure>{svg}</figure>");
            }
            Ok(None) => {
                let _ = write!(h, "<p class=\"note\">{}</p>", esc(none));
            }
            Err(e) => {
                let _ = write!(h, "<p class=\"note\">{}</p>", esc(&format!("{e:#}")));
            }
        }
    }
    h.push_str("<h2>Every figure</h2>");
    h.push_str(&table(runs));
    h.push_str("</body></html>\n");
    h
}

/// One column per run: what ran where, then every figure with its basis.
fn table(runs: &[Value]) -> String {
    let mut t = String::from("<div class=\"scroll\"><table><tr><th class=\"k\">run</th>");
    for (i, r) in runs.iter().enumerate() {
        let _ = write!(t, "<th>{}</th>", esc(&plots::label(i, r)));
    }
    t.push_str("</tr>");
    let text = |r: &Value, path: &[&str]| -> String {
        let v = path.iter().fold(r, |v, k| &v[*k]);
        match v {
            Value::String(s) => s.clone(),
            Value::Null => "-".into(),
            v => v.to_string(),
        }
    };
    let rows: [(&str, &[&str]); 8] = [
        ("device", &["device"]),
        ("hardware configuration", &["hw"]),
        ("model", &["model"]),
        ("tokens (batch)", &["tokens"]),
        ("date (UTC)", &["machine", "date"]),
        ("CPU", &["machine", "cpu"]),
        ("host", &["machine", "hostname"]),
        ("kernel", &["machine", "kernel"]),
    ];
    for (name, path) in rows {
        let _ = write!(t, "<tr><td class=\"k\">{name}</td>");
        for r in runs {
            let mut s = text(r, path);
            if name.starts_with("tokens") {
                s = format!("{s} ({})", text(r, &["batch"]));
            }
            let _ = write!(t, "<td class=\"k\">{}</td>", esc(&s));
        }
        t.push_str("</tr>");
    }
    for (key, name) in FIGURES {
        let _ = write!(t, "<tr><td class=\"k\">{name}</td>");
        for r in runs {
            t.push_str(&cell(&r[key]));
        }
        t.push_str("</tr>");
    }
    t.push_str("</table></div>");
    t
}

/// A figure's cell: its value and basis, or why it is not available.
fn cell(f: &Value) -> String {
    let basis = f["basis"].as_str().unwrap_or("");
    let detail = f["detail"].as_str().unwrap_or("");
    match f["value"].as_f64() {
        Some(v) => format!(
            "<td title=\"{}\">{}<span class=\"b {}\">{}</span></td>",
            esc(detail),
            format_value(v),
            esc(basis),
            esc(basis)
        ),
        None if basis.is_empty() => "<td class=\"na\">-</td>".into(),
        None => format!("<td class=\"na\">{}</td>", esc(basis)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_page_holds_every_figure_and_escapes_text() {
        let runs = [json!({
            "device": "ref", "model": "a<b>.mmf", "shape_name": "tiny", "tokens": 4, "batch": 1,
            "tokens_per_s": {"value": 52.5, "basis": "measured", "detail": "median"},
            "weight_bytes_per_token": {"value": 40960.0, "basis": "counted"},
            "energy_j_per_token": {"value": null, "basis": "not available: no RAPL"},
            "machine": {"cpu": "CPU X", "hostname": "h", "kernel": "6.1", "date": "2026-12-08T00:00:00Z"},
        })];
        let html = render(&runs);
        assert!(html.contains("a&lt;b&gt;.mmf") && !html.contains("a<b>"));
        assert!(html.contains("52.5000<span class=\"b measured\">measured</span>"));
        assert!(html.contains("<td class=\"na\">not available: no RAPL</td>"));
        assert!(html.contains("CPU X") && html.contains("2026-12-08T00:00:00Z"));
        assert_eq!(
            html.matches("<svg").count(),
            2,
            "throughput and roofline only"
        );
        // Self-contained: nothing to load or run.
        for fetch in ["<script", "<link", "src=", "url("] {
            assert!(!html.contains(fetch), "{fetch}");
        }
    }
}
