//! The report page's charts, drawn with `plotters` into SVG text: throughput of each run (measured
//! and projected), tokens per joule, the roofline (weight bytes per token against tokens/s, with
//! the sustained bandwidth line of each Alveo card), and power over time of every measured run.
//! Every bar and point is coloured by its basis, so a projected figure never passes for a
//! measured one. A chart with nothing to show is `None`.

use anyhow::{Result, anyhow};
use mmfree_spec::hw::{CardMemory, U55C_HBM2, U250_DDR4, U280_HBM2};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::Value;

use crate::figures::format_value;

/// Width of every chart, in pixels.
const WIDTH: u32 = 1180;
/// Height of one run's row in the bar charts.
const ROW: u32 = 64;
const FONT: &str = "sans-serif";

/// The colour of a basis.
fn colour(basis: &str) -> RGBColor {
    match basis {
        "measured" => RGBColor(31, 119, 180),
        "projected" => RGBColor(255, 127, 14),
        "estimate" => RGBColor(44, 160, 44),
        _ => RGBColor(148, 103, 189),
    }
}

/// The line colour of the `i`-th series (power traces, cards).
fn series_colour(i: usize) -> RGBColor {
    const C: [RGBColor; 6] = [
        RGBColor(214, 39, 40),
        RGBColor(140, 86, 75),
        RGBColor(23, 190, 207),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
    ];
    C[i % C.len()]
}

/// How a run is named in the charts and the table: `#3 sim/tiny tiny`.
pub fn label(i: usize, run: &Value) -> String {
    let hw = run["hw"]
        .as_str()
        .map(|h| format!("/{h}"))
        .unwrap_or_default();
    format!(
        "#{} {}{hw} {}",
        i + 1,
        run["device"].as_str().unwrap_or("?"),
        run["shape_name"].as_str().unwrap_or("")
    )
}

/// A log axis's tick: `1`, `10`, `1k`, `100M`; other values as [`format_value`] writes them.
fn tick(v: &f64) -> String {
    let v = *v;
    for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")] {
        let m = v / scale;
        if m >= 1.0 && (m - m.round()).abs() < 1e-9 * m {
            return format!("{}{suffix}", m.round());
        }
    }
    format_value(v)
}

/// A figure's value, if it has a positive one.
fn positive(run: &Value, key: &str) -> Option<(f64, String)> {
    let v = run[key]["value"]
        .as_f64()
        .filter(|v| *v > 0.0 && v.is_finite())?;
    Some((v, run[key]["basis"].as_str().unwrap_or("").to_string()))
}

/// One bar of a bar chart.
struct Bar {
    value: f64,
    basis: String,
    what: &'static str,
}

/// A decade-aligned log range around `values`, with `right` extra decades for the labels.
fn decades(values: impl Iterator<Item = f64>, right: i32) -> Option<(f64, f64)> {
    let (lo, hi) = values.fold((f64::INFINITY, 0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (hi > 0.0).then(|| {
        let lo = 10f64.powi(lo.log10().floor() as i32);
        (
            lo,
            10f64.powi(hi.log10().ceil() as i32 + right).max(lo * 100.0),
        )
    })
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing a chart: {e}")
}

/// Draws `draw` on an SVG canvas of `height` pixels and returns the SVG text.
fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
) -> Result<String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(text)
}

/// Horizontal bars on a log axis, one row of bars per run, each bar labelled with its value,
/// what it is and its basis.
fn bar_chart(title: &str, unit: &str, rows: &[(String, Vec<Bar>)]) -> Result<Option<String>> {
    let Some((lo, hi)) = decades(rows.iter().flat_map(|r| r.1.iter().map(|b| b.value)), 2) else {
        return Ok(None);
    };
    let n = rows.len();
    let chart = svg(90 + ROW * n as u32, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(8)
            .build_cartesian_2d((lo..hi).log_scale(), 0f64..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(1)
            .y_label_formatter(&|_| String::new())
            .x_desc(unit)
            .x_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        let mut bases: Vec<&str> = Vec::new();
        for (i, (name, bars)) in rows.iter().enumerate() {
            let top = (n - i) as f64;
            chart
                .draw_series([Text::new(
                    name.clone(),
                    (lo, top - 0.04),
                    (FONT, 14).into_font().style(FontStyle::Bold),
                )])
                .map_err(err)?;
            let h = 0.7 / bars.len().max(1) as f64;
            for (j, b) in bars.iter().enumerate() {
                let y1 = top - 0.28 - h * j as f64;
                let y0 = y1 - h * 0.8;
                let c = colour(&b.basis);
                chart
                    .draw_series([Rectangle::new([(lo, y0), (b.value, y1)], c.filled())])
                    .map_err(err)?;
                let text = format!("{} {}, {}", format_value(b.value), b.what, b.basis);
                chart
                    .draw_series([Text::new(text, (b.value * 1.15, y1), (FONT, 12))])
                    .map_err(err)?;
                if !bases.contains(&b.basis.as_str()) {
                    bases.push(&b.basis);
                }
            }
        }
        legend(&mut chart, &bases)
    })?;
    Ok(Some(chart))
}

/// A legend of the bases shown.
fn legend<'a, 'b: 'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    bases: &[&str],
) -> Result<()>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    for b in bases {
        let c = colour(b);
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(b.to_string())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
    }
    series_labels(chart)
}

/// The box of series labels every chart puts in its upper right corner.
fn series_labels<'a, 'b: 'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
) -> Result<()>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT, 13))
        .draw()
        .map_err(err)
}

/// Tokens per second of each run: what was measured on this machine and what the accelerator
/// configuration projects.
pub fn throughput(runs: &[Value]) -> Result<Option<String>> {
    let rows: Vec<(String, Vec<Bar>)> = (runs.iter().enumerate())
        .map(|(i, r)| {
            // The accelerator devices' measured rate is the simulator's, on this host.
            let decode = match r["hw"] {
                Value::String(_) => "simulated decode on the host",
                _ => "decode",
            };
            let bars = [
                ("tokens_per_s", decode),
                ("aggregate_tokens_per_s", "decode, whole batch"),
                ("projected_tokens_per_s", "decode at the clock"),
                (
                    "projected_aggregate_tokens_per_s",
                    "whole batch at the clock",
                ),
                ("prefill_tokens_per_s", "prefill"),
            ]
            .iter()
            .filter_map(|&(k, what)| {
                positive(r, k).map(|(value, basis)| Bar { value, basis, what })
            })
            .collect();
            (label(i, r), bars)
        })
        .collect();
    bar_chart("Tokens per second", "tokens/s (log scale)", &rows)
}

/// Tokens per joule of each run that has a figure (measured or estimated).
pub fn efficiency(runs: &[Value]) -> Result<Option<String>> {
    let rows: Vec<(String, Vec<Bar>)> = (runs.iter().enumerate())
        .filter_map(|(i, r)| {
            let (value, basis) = positive(r, "tokens_per_j")?;
            let what = "tokens/J";
            Some((label(i, r), vec![Bar { value, basis, what }]))
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    bar_chart("Tokens per joule", "tokens/J (log scale)", &rows)
}

/// The cards whose bandwidth lines the roofline draws.
const CARDS: [CardMemory; 3] = [U280_HBM2, U55C_HBM2, U250_DDR4];

/// Each run at (weight bytes per token, tokens/s): the accelerator devices at their projected
/// rate, the software models at the measured one; and the line `bandwidth / bytes` of each card.
pub fn roofline(runs: &[Value]) -> Result<Option<String>> {
    let points: Vec<(usize, f64, f64, String)> = (runs.iter().enumerate())
        .filter_map(|(i, r)| {
            let (bytes, _) = positive(r, "weight_bytes_per_token")?;
            let (rate, basis) = positive(r, "projected_aggregate_tokens_per_s")
                .or_else(|| positive(r, "projected_tokens_per_s"))
                .or_else(|| positive(r, "tokens_per_s"))?;
            Some((i, bytes, rate, basis))
        })
        .collect();
    if points.is_empty() {
        return Ok(None);
    }
    let bw = |c: &CardMemory| c.sustained_bytes_per_s(c.channels);
    let (xlo, xhi) = decades(points.iter().map(|p| p.1), 1).expect("points are positive");
    let xlo = xlo / 10.0;
    let rates = points.iter().map(|p| p.2);
    let lines = CARDS.iter().flat_map(|c| [bw(c) / xlo, bw(c) / xhi]);
    let (ylo, yhi) = decades(rates.chain(lines), 0).expect("rates are positive");
    // A decade below the slowest run, so that no point sits on the axis.
    let ylo = ylo / 10.0;
    let chart = svg(620, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Roofline: weight bytes per token against tokens/s",
                (FONT, 20),
            )
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(80)
            .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..yhi).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("weight bytes per token (log scale)")
            .y_desc("tokens/s (log scale)")
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        for (k, c) in CARDS.iter().enumerate() {
            let b = bw(c);
            // The line y = b / x is straight on log-log axes: its two ends inside the plot.
            let (x0, x1) = (xlo.max(b / yhi), xhi.min(b / ylo));
            let style = series_colour(k).stroke_width(2);
            let name = format!("{} {}: {:.0} GB/s sustained", c.card, c.kind, b / 1e9);
            let ends = [(x0, b / x0), (x1, b / x1)];
            let series = if k == 1 {
                // The U55C's line lies on the U280's: dashed, so that both show.
                chart.draw_series(DashedLineSeries::new(ends, 10, 8, style))
            } else {
                chart.draw_series(LineSeries::new(ends, style))
            };
            series.map_err(err)?.label(name).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], series_colour(k).stroke_width(2))
            });
        }
        // Runs at the same point (the same configuration run twice, u280 and u55c) share a label.
        let mut labels: Vec<(f64, f64, String, Vec<String>)> = Vec::new();
        for (i, bytes, rate, basis) in &points {
            let same = |l: &&mut (f64, f64, String, Vec<String>)| {
                l.0 == *bytes && l.1 == *rate && l.2 == *basis
            };
            match labels.iter_mut().find(same) {
                Some(l) => l.3.push(format!("#{}", i + 1)),
                None => labels.push((*bytes, *rate, basis.clone(), vec![format!("#{}", i + 1)])),
            }
        }
        for (bytes, rate, basis, runs) in &labels {
            let c = colour(basis);
            chart
                .draw_series([Circle::new((*bytes, *rate), 6, c.filled())])
                .map_err(err)?;
            let text = format!("{} {basis}", runs.join(", "));
            chart
                .draw_series([Text::new(text, (*bytes * 1.12, *rate), (FONT, 13))])
                .map_err(err)?;
        }
        series_labels(&mut chart)
    })?;
    Ok(Some(chart))
}

/// Power over time of every run with a sampled trace.
pub fn power(runs: &[Value]) -> Result<Option<String>> {
    let traces: Vec<(String, Vec<(f64, f64)>)> = (runs.iter().enumerate())
        .filter_map(|(i, r)| {
            let samples = r["power_trace"]["samples"].as_array()?;
            let points: Vec<(f64, f64)> = (samples.iter())
                .filter_map(|s| Some((s[0].as_f64()?, s[1].as_f64()?)))
                .filter(|(t, w)| t.is_finite() && w.is_finite())
                .collect();
            let sensor = r["power_trace"]["sensor"].as_str().unwrap_or("");
            (!points.is_empty()).then(|| (format!("{} ({sensor})", label(i, r)), points))
        })
        .collect();
    if traces.is_empty() {
        return Ok(None);
    }
    let all = || traces.iter().flat_map(|t| t.1.iter());
    let t_max = all().map(|p| p.0).fold(0f64, f64::max).max(1e-3);
    let w_max = all().map(|p| p.1).fold(0f64, f64::max).max(1e-3);
    let chart = svg(480, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Power during the timed tokens (measured)", (FONT, 20))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..t_max * 1.05, 0f64..w_max * 1.25)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("seconds since the first timed token")
            .y_desc("watts")
            .draw()
            .map_err(err)?;
        for (k, (name, points)) in traces.iter().enumerate() {
            let c = series_colour(k);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), c.stroke_width(2)))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))
                .map_err(err)?;
        }
        series_labels(&mut chart)
    })?;
    Ok(Some(chart))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(device: &str, tps: f64, projected: Option<f64>) -> Value {
        json!({
            "device": device, "hw": if projected.is_some() { json!("u280") } else { Value::Null },
            "shape_name": "tiny",
            "tokens_per_s": {"value": tps, "basis": "measured"},
            "projected_tokens_per_s": match projected {
                Some(p) => json!({"value": p, "basis": "projected"}),
                None => json!({"value": null, "basis": "not available: cpu"}),
            },
            "weight_bytes_per_token": {"value": 40_000.0, "basis": "counted"},
            "tokens_per_j": {"value": 12.5, "basis": "estimate"},
        })
    }

    /// The SVG's elements by name.
    fn count(svg: &str, name: &str) -> usize {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.tag_name().name() == name)
            .count()
    }

    #[test]
    fn bars_points_and_lines_are_drawn_and_labelled() {
        let runs = [
            run("ref", 50.0, None),
            run("sim", 2.0, Some(4000.0)),
            run("iss", 3.0, Some(4000.0)),
        ];
        let t = throughput(&runs).unwrap().unwrap();
        // Three bars (ref measured; sim measured and projected), their labels, the legend's keys.
        assert!(count(&t, "rect") >= 3 + 2, "{t}");
        assert!(
            t.contains("#2 sim/u280 tiny") && t.contains("4000.0 decode at the clock, projected")
        );
        let e = efficiency(&runs).unwrap().unwrap();
        assert!(e.contains("12.5000 tokens/J, estimate"), "{e}");
        let r = roofline(&runs).unwrap().unwrap();
        // Two points: the two runs projected at the same rate share one, and its label.
        assert!(count(&r, "circle") >= 2, "{r}");
        assert!(
            r.contains("#2, #3 projected") && r.contains("#1 measured"),
            "{r}"
        );
        for card in [
            "U280 HBM2: 423 GB/s",
            "U55C HBM2: 423 GB/s",
            "U250 DDR4-2400: 69 GB/s",
        ] {
            assert!(r.contains(card), "{card}");
        }
        assert!(power(&runs).unwrap().is_none());
    }

    #[test]
    fn ticks_are_short() {
        let t: Vec<String> = [1.0, 10.0, 1e3, 2e6, 1e9, 0.01, 1.5]
            .iter()
            .map(tick)
            .collect();
        assert_eq!(t, ["1", "10", "1k", "2M", "1G", "0.0100", "1.5000"]);
    }

    #[test]
    fn a_power_trace_is_a_line() {
        let mut r = run("ref", 50.0, None);
        r["power_trace"] =
            json!({"sensor": "RAPL", "samples": [[0.05, 20.0], [0.15, 25.0], [0.25, 22.0]]});
        let p = power(&[r]).unwrap().unwrap();
        assert!(count(&p, "polyline") + count(&p, "path") >= 1, "{p}");
        assert!(count(&p, "circle") >= 3);
        assert!(p.contains("#1 ref tiny (RAPL)"));
    }
}
