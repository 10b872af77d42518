//! Plots of forecasts against actuals (PNG or SVG, by the file extension), with the
//! prediction intervals drawn as shaded bands.
//!
//! Text uses the DejaVu Sans font bundled in `assets/` (registered at first use), so plots
//! render the same on machines without system fonts.
//!
//! ```no_run
//! use forecast_zoo::core::{Forecaster, Series, baselines::Naive};
//! let y = Series::new(0, 60, (0..100).map(|t| (t as f64 / 10.0).sin()).collect()).unwrap();
//! let mut m = Naive::new();
//! m.fit(&y).unwrap();
//! let f = m.forecast(&y, 12, &[80.0, 95.0]).unwrap();
//! forecast_zoo::plot::plot_forecast("naive.png".as_ref(), "naive", &y, &f).unwrap();
//! ```

use std::path::Path;
use std::sync::Once;

use forecast_core::error::{Error, Result};
use forecast_core::{Forecast, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

fn register_font() {
    REGISTER.call_once(|| {
        // The bundled font is valid; if registration failed, text would be missing, and
        // drawing reports that as an error.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Image size in pixels.
const SIZE: (u32, u32) = (1000, 500);

/// Writes a plot of `actuals` (black) and `forecast` (blue line, intervals as blue bands,
/// wider levels lighter) to `path`: SVG when the extension is `svg`, PNG otherwise.
///
/// `actuals` may extend past the forecast start (to show what really happened).
///
/// Errors: [`Error::Io`] naming the path when the file cannot be written,
/// [`Error::Empty`] for an empty forecast and empty actuals.
pub fn plot_forecast(
    path: &Path,
    title: &str,
    actuals: &Series,
    forecast: &Forecast,
) -> Result<()> {
    if actuals.is_empty() && forecast.point.is_empty() {
        return Err(Error::Empty {
            what: "plot".into(),
        });
    }
    register_font();
    let svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let res = if svg {
        let root = SVGBackend::new(path, SIZE).into_drawing_area();
        draw(&root, title, actuals, forecast)
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    } else {
        let root = BitMapBackend::new(path, SIZE).into_drawing_area();
        draw(&root, title, actuals, forecast)
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    };
    res.map_err(|message| Error::Io {
        path: path.display().to_string(),
        message,
    })
}

/// `MM-DD HH:MM` (UTC) of a timestamp.
fn short_time(ts: &i64) -> String {
    let s = forecast_core::time::format_rfc3339(*ts);
    if s.len() >= 16 {
        format!("{} {}", &s[5..10], &s[11..16])
    } else {
        s
    }
}

fn bounds(actuals: &Series, forecast: &Forecast) -> ((i64, i64), (f64, f64)) {
    let mut ts: Vec<i64> = actuals.timestamps().collect();
    ts.extend(&forecast.timestamps);
    let (t0, t1) = (
        ts.iter().copied().min().unwrap_or(0),
        ts.iter().copied().max().unwrap_or(1),
    );
    let values = actuals.values().iter().chain(&forecast.point).chain(
        forecast
            .intervals
            .iter()
            .flat_map(|i| i.lower.iter().chain(&i.upper)),
    );
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    ((t0, t1.max(t0 + 1)), (lo - pad, hi + pad))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    actuals: &Series,
    forecast: &Forecast,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let ((t0, t1), (lo, hi)) = bounds(actuals, forecast);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(t0..t1, lo..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&short_time)
        .x_desc("time (UTC)")
        .label_style(("sans-serif", 14))
        .max_light_lines(2)
        .light_line_style(RGBColor(238, 238, 238))
        .draw()
        .map_err(err)?;

    // Widest band first so narrower ones are drawn over it, darker.
    let mut intervals: Vec<_> = forecast.intervals.iter().collect();
    intervals.sort_by(|a, b| b.level.total_cmp(&a.level));
    let n = intervals.len().max(1) as f64;
    for (i, iv) in intervals.iter().enumerate() {
        let alpha = 0.15 + 0.2 * (i as f64 + 1.0) / n;
        let color = RGBColor(31, 119, 180).mix(alpha);
        let mut poly: Vec<(i64, f64)> = forecast
            .timestamps
            .iter()
            .copied()
            .zip(iv.upper.iter().copied())
            .collect();
        poly.extend(
            forecast
                .timestamps
                .iter()
                .copied()
                .zip(iv.lower.iter().copied())
                .rev(),
        );
        chart
            .draw_series(std::iter::once(Polygon::new(poly, color.filled())))
            .map_err(err)?
            .label(format!("{}% interval", iv.level))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled()));
    }
    chart
        .draw_series(LineSeries::new(actuals.iter(), BLACK.stroke_width(1)))
        .map_err(err)?
        .label("actual")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], BLACK));
    let blue = RGBColor(31, 119, 180);
    chart
        .draw_series(LineSeries::new(
            forecast
                .timestamps
                .iter()
                .copied()
                .zip(forecast.point.iter().copied()),
            blue.stroke_width(2),
        ))
        .map_err(err)?
        .label("forecast")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], blue.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use forecast_core::Forecaster;
    use forecast_core::baselines::Naive;

    #[test]
    fn writes_png_and_svg() {
        let y = Series::new(
            1_704_067_200,
            60,
            (0..120)
                .map(|t| 100.0 + (t as f64 / 9.0).sin() * 10.0)
                .collect(),
        )
        .unwrap();
        let mut m = Naive::new();
        m.fit(&y.head(100)).unwrap();
        let f = m.forecast(&y.head(100), 20, &[80.0, 95.0]).unwrap();
        let dir = std::env::temp_dir().join(format!("fz-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["p.png", "p.svg"] {
            let p = dir.join(name);
            plot_forecast(&p, "naive", &y, &f).unwrap();
            let bytes = std::fs::read(&p).unwrap();
            assert!(bytes.len() > 1000, "{name}: {} bytes", bytes.len());
        }
        assert!(
            std::fs::read(dir.join("p.png"))
                .unwrap()
                .starts_with(b"\x89PNG")
        );
        let svg = std::fs::read_to_string(dir.join("p.svg")).unwrap();
        assert!(svg.contains("<svg") && svg.contains("forecast"));
        let bad = dir.join("missing-dir").join("x.png");
        assert!(matches!(
            plot_forecast(&bad, "t", &y, &f),
            Err(Error::Io { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// One policy's supplied capacity over a replay (ready replicas × per-replica capacity, in
/// the trace's units), for [`plot_replay`].
#[derive(Debug, Clone, Copy)]
pub struct ReplayCurve<'a> {
    /// Policy name (the panel's title).
    pub name: &'a str,
    /// Supplied capacity per step, aligned with the demand.
    pub supplied: &'a [f64],
}

/// Writes a grid of panels, one per policy, each with the demand (black) and the policy's
/// supplied capacity (blue, step curve) over the replay window; steps where demand exceeds
/// supply are shaded red. SVG when `path` ends in `.svg`, PNG otherwise.
///
/// Errors: [`Error::Empty`] when there is no step or no curve, [`Error::InvalidParameter`]
/// when a curve's length differs from the demand's, [`Error::Io`] naming the path when the
/// file cannot be written.
pub fn plot_replay(
    path: &Path,
    title: &str,
    timestamps: &[i64],
    demand: &[f64],
    curves: &[ReplayCurve<'_>],
) -> Result<()> {
    if timestamps.is_empty() || curves.is_empty() {
        return Err(Error::Empty {
            what: "replay plot".into(),
        });
    }
    if demand.len() != timestamps.len() {
        return Err(Error::invalid_param(
            "demand",
            format!(
                "{} demand values for {} timestamps",
                demand.len(),
                timestamps.len()
            ),
        ));
    }
    if let Some(c) = curves.iter().find(|c| c.supplied.len() != timestamps.len()) {
        return Err(Error::invalid_param(
            "supplied",
            format!(
                "policy {}: {} supply values for {} timestamps",
                c.name,
                c.supplied.len(),
                timestamps.len()
            ),
        ));
    }
    register_font();
    let cols = if curves.len() > 1 { 2 } else { 1 };
    let rows = curves.len().div_ceil(cols);
    let size = (1200, (60 + 230 * rows as u32).min(8000));
    let svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let res = if svg {
        let root = SVGBackend::new(path, size).into_drawing_area();
        draw_replay(&root, title, timestamps, demand, curves, (rows, cols))
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    } else {
        let root = BitMapBackend::new(path, size).into_drawing_area();
        draw_replay(&root, title, timestamps, demand, curves, (rows, cols))
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    };
    res.map_err(|message| Error::Io {
        path: path.display().to_string(),
        message,
    })
}

fn draw_replay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    ts: &[i64],
    demand: &[f64],
    curves: &[ReplayCurve<'_>],
    (rows, cols): (usize, usize),
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let root = root.titled(title, ("sans-serif", 22)).map_err(err)?;
    let step = if ts.len() >= 2 { ts[1] - ts[0] } else { 1 };
    let (t0, t1) = (ts[0], ts[ts.len() - 1] + step);
    let finite = |v: &&f64| v.is_finite();
    let hi = demand
        .iter()
        .chain(curves.iter().flat_map(|c| c.supplied.iter()))
        .filter(finite)
        .fold(0.0f64, |m, &v| m.max(v));
    let hi = if hi > 0.0 { hi * 1.08 } else { 1.0 };
    let blue = RGBColor(31, 119, 180);
    let red = RGBColor(214, 39, 40);
    let step_line = |v: &[f64]| -> Vec<(i64, f64)> {
        let mut pts = Vec::with_capacity(2 * v.len());
        for (i, &y) in v.iter().enumerate() {
            pts.push((ts[i], y));
            pts.push((ts[i] + step, y));
        }
        pts
    };
    let panels = root.split_evenly((rows, cols));
    for (panel, c) in panels.iter().zip(curves) {
        let mut chart = ChartBuilder::on(panel)
            .caption(c.name, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(t0..t1, 0.0..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&short_time)
            .label_style(("sans-serif", 12))
            .max_light_lines(1)
            .light_line_style(RGBColor(238, 238, 238))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                ts.iter()
                    .zip(demand.iter().zip(c.supplied))
                    .filter(|(_, (d, s))| d > s)
                    .map(|(&t, (&d, &s))| {
                        Rectangle::new([(t, s), (t + step, d)], red.mix(0.35).filled())
                    }),
            )
            .map_err(err)?
            .label("unserved")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 18, y + 5)], red.mix(0.35).filled())
            });
        chart
            .draw_series(LineSeries::new(step_line(demand), BLACK.stroke_width(1)))
            .map_err(err)?
            .label("demand")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], BLACK));
        chart
            .draw_series(LineSeries::new(step_line(c.supplied), blue.stroke_width(2)))
            .map_err(err)?
            .label("supplied")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], blue.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(("sans-serif", 11))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod replay_plot_tests {
    use super::*;

    #[test]
    fn writes_replay_panels_and_rejects_bad_input() {
        let ts: Vec<i64> = (0..40).map(|k| 1_704_067_200 + 15 * k).collect();
        let demand: Vec<f64> = (0..40).map(|k| 100.0 + 5.0 * k as f64).collect();
        let a: Vec<f64> = demand.iter().map(|d| (d / 50.0).floor() * 50.0).collect();
        let b: Vec<f64> = demand
            .iter()
            .map(|d| (d / 50.0).ceil() * 50.0 + 50.0)
            .collect();
        let curves = [
            ReplayCurve {
                name: "hpa",
                supplied: &a,
            },
            ReplayCurve {
                name: "reactive",
                supplied: &b,
            },
            ReplayCurve {
                name: "predictive:naive",
                supplied: &b,
            },
        ];
        let dir = std::env::temp_dir().join(format!("fz-replay-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let png = dir.join("r.png");
        plot_replay(&png, "replay", &ts, &demand, &curves).unwrap();
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
        let svg = dir.join("r.svg");
        plot_replay(&svg, "replay", &ts, &demand, &curves).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains("predictive:naive") && text.contains("supplied"));
        assert!(matches!(
            plot_replay(&png, "t", &ts, &demand, &[]),
            Err(Error::Empty { .. })
        ));
        let short = ReplayCurve {
            name: "x",
            supplied: &a[..3],
        };
        assert!(matches!(
            plot_replay(&png, "t", &ts, &demand, &[short]),
            Err(Error::InvalidParameter { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
