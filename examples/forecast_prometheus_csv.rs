//! Load a Prometheus/Grafana export, fit a model, forecast with 80 % and 95 % intervals,
//! print the forecast and plot it (PNG and SVG).
//!
//! ```text
//! cargo run --release --example forecast_prometheus_csv -- FILE [MODEL] [HORIZON]
//! cargo run --release --example forecast_prometheus_csv -- datasets/medium_7d_5min.csv seasonal-naive 24
//! ```
//!
//! The first series of FILE is used; gaps are filled linearly. MODEL defaults to
//! `seasonal-naive` (season detected from the data), HORIZON to 12 steps. Plots go to
//! `out/forecast.png` and `out/forecast.svg`.

use std::path::Path;

use forecast_zoo::Registry;
use forecast_zoo::core::params::{BuildContext, Params};
use forecast_zoo::core::season::detect_season_for;
use forecast_zoo::core::time::format_rfc3339;
use forecast_zoo::core::{Fill, io};
use forecast_zoo::plot::plot_forecast;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: forecast_prometheus_csv FILE [MODEL] [HORIZON]");
        std::process::exit(2);
    };
    let model_name = args.get(1).map_or("seasonal-naive", String::as_str);
    let horizon: usize = args.get(2).map_or(Ok(12), |h| h.parse())?;

    let series = io::load_series(Path::new(file), None, Fill::Linear)?;
    let s = series.first().ok_or("no series in the file")?;
    eprintln!(
        "{}: {} points every {} s; {}",
        s.name,
        s.series.len(),
        s.series.step(),
        s.fill
    );

    let season = detect_season_for(&s.series).unwrap_or(1);
    let ctx = BuildContext {
        season: Some(season),
        step: s.series.step(),
    };
    let levels = [80.0, 95.0];
    let mut model = Registry::builtin().build_with_levels(
        model_name,
        Params::new(model_name),
        &ctx,
        &levels,
        horizon,
    )?;
    model.fit(&s.series)?;
    let f = model.forecast(&s.series, horizon, &levels)?;

    println!("timestamp             point      80% interval           95% interval");
    for h in 0..f.horizon() {
        let (i80, i95) = (&f.intervals[0], &f.intervals[1]);
        println!(
            "{}  {:9.3}  [{:9.3}, {:9.3}]  [{:9.3}, {:9.3}]",
            format_rfc3339(f.timestamps[h]),
            f.point[h],
            i80.lower[h],
            i80.upper[h],
            i95.lower[h],
            i95.upper[h]
        );
    }
    std::fs::create_dir_all("out")?;
    let history = s.series.tail(8 * horizon.max(season.min(4 * horizon)));
    let title = format!("{} — {} (season {season})", s.name, model.name());
    for path in ["out/forecast.png", "out/forecast.svg"] {
        plot_forecast(Path::new(path), &title, &history, &f)?;
        eprintln!("wrote {path}");
    }
    Ok(())
}
