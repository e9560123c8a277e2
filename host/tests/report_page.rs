//! The `mmfree bench --report DIR` page as a person sees it: real runs on `ref`, `iss` and `sim`
//! of a tiny model go into one folder, headless Chromium (Debian `chromium`, installed by
//! `scripts/setup-system test`) opens the page and takes a screenshot, and the test checks that
//! every SVG parses and has plot content, and that the screenshot decodes, is not blank and shows
//! the basis colours of the bars. The `ref` run samples a fake RAPL tree (a counter that a thread
//! advances) so that the power chart has a trace on any machine.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs one bench into the report folder.
fn bench(model: &str, device: &str, report: &Path, more: &[&str], env: &[(&str, &str)]) {
    let mut args = vec![
        "bench",
        "--model",
        model,
        "--device",
        device,
        "--stream-mib",
        "4",
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend(more);
    let out = Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(&args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{device}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A RAPL counter advancing 20 mJ every 2 ms (at most 10 W) while `run` runs.
fn with_fake_rapl(run: impl FnOnce(&str)) {
    let root = tempfile::tempdir().unwrap();
    let zone = root.path().join("class/powercap/intel-rapl:0");
    std::fs::create_dir_all(&zone).unwrap();
    std::fs::write(zone.join("max_energy_range_uj"), "262143328850\n").unwrap();
    std::fs::write(zone.join("energy_uj"), "0\n").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut e = 0u64;
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(2));
            e += 20_000;
            let tmp = zone.join("energy_uj.tmp");
            std::fs::write(&tmp, format!("{e}\n")).unwrap();
            std::fs::rename(tmp, zone.join("energy_uj")).unwrap();
        }
    });
    run(root.path().to_str().unwrap());
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
}

/// The inline SVG documents of a page.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").expect("every <svg> is closed") + start + 6;
            &html[start..end]
        })
        .collect()
}

/// Headless Chromium's screenshot of `page`, decoded: width, height, RGBA pixels.
fn screenshot(page: &Path, png: &Path) -> (u32, u32, Vec<u8>) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs (scripts/setup-system test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        c => panic!("unexpected screenshot colour type {c:?}"),
    };
    (info.width, info.height, rgba)
}

/// Pixels within 6 of `rgb` in every channel.
fn pixels_near(rgba: &[u8], rgb: [u8; 3]) -> usize {
    rgba.chunks(4)
        .filter(|p| (0..3).all(|c| p[c].abs_diff(rgb[c]) <= 6))
        .count()
}

#[test]
fn the_report_page_renders_its_plots_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("tiny.mmf");
    let model = model.to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(["random", "--shape", "tiny", "--seed", "7", "--out", model])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = dir.path().join("report");
    with_fake_rapl(|root| {
        let power = ["--tokens", "3000", "--idle-s", "0.2", "--power-hz", "50"];
        bench(
            model,
            "ref",
            &report,
            &power,
            &[("MMFREE_SYSFS_ROOT", root)],
        );
    });
    bench(model, "iss", &report, &["--tokens", "4"], &[]);
    let sim = ["--tokens", "2", "--prompt-tokens", "2"];
    bench(model, "sim", &report, &sim, &[]);

    let lines = std::fs::read_to_string(report.join("results.jsonl")).unwrap();
    let devices: Vec<String> = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["device"].to_string())
        .collect();
    assert_eq!(devices, ["\"ref\"", "\"iss\"", "\"sim\""]);

    let page = report.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let charts = svgs(&html);
    assert_eq!(charts.len(), 4, "throughput, tokens/J, roofline, power");
    for (i, svg) in charts.iter().enumerate() {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG {i}: {e}"));
        let count = |names: &[&str]| {
            doc.descendants()
                .filter(|n| names.contains(&n.tag_name().name()))
                .count()
        };
        assert!(
            count(&["rect", "circle", "polyline", "path", "line"]) >= 5,
            "SVG {i}"
        );
        assert!(count(&["text"]) >= 5, "SVG {i} has no axis labels");
    }
    for run in ["#1 ref tiny", "#2 iss/tiny tiny", "#3 sim/tiny tiny"] {
        assert!(html.contains(run), "{run}");
    }

    let png = dir.path().join("report.png");
    let (w, h, rgba) = screenshot(&page, &png);
    assert_eq!((w, h), (1280, 2000));
    let white = pixels_near(&rgba, [255, 255, 255]);
    let colours: HashSet<&[u8]> = rgba.chunks(4).collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(
        white < rgba.len() / 4 * 97 / 100,
        "almost blank: {white} white pixels"
    );
    // The bars of each basis, drawn by the SVGs, are on the screen (the table's basis badges
    // are darker shades, so these pixels are the charts').
    for (basis, rgb) in [
        ("measured", [31, 119, 180]),
        ("projected", [255, 127, 14]),
        ("estimate", [44, 160, 44]),
    ] {
        let n = pixels_near(&rgba, rgb);
        assert!(n > 200, "{basis}: {n} pixels");
    }
    if let Some(keep) = std::env::var_os("MMFREE_REPORT_PNG") {
        std::fs::copy(&png, keep).unwrap();
    }
}
