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
