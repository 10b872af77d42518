//! Metric values against the reference files (statsforecast forecasts scored by the reference
//! script and cross-checked with utilsforecast), copied into `tests/fixtures/metrics/`.
//! Tolerance: 1e-9 relative (absolute below 1).

use forecast_core::metrics::{self, Metrics, Scales};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/metrics");

fn close(got: f64, want: f64, what: &str) {
    let tol = 1e-9 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want}");
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn insample() -> Vec<f64> {
    let text = std::fs::read_to_string(format!("{DIR}/a_synthetic_hourly.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().trim().parse().unwrap())
        .collect()
}

fn check_file(name: &str) {
    let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
    let d: Value = serde_json::from_str(&text).unwrap();
    let inputs = &d["inputs"];
    let (y, f) = (floats(&inputs["actual"]), floats(&inputs["forecast"]));
    let (lo, hi) = (floats(&inputs["lower_80"]), floats(&inputs["upper_80"]));
    let m = d["seasonal_period_for_scaling"].as_u64().unwrap() as usize;
    assert_eq!(m, 24);
    let x = insample();
    assert_eq!(x.len(), 504);
    let r = &d["metrics"];
    let want = |k: &str| r[k].as_f64().unwrap();

    // Free functions.
    close(metrics::mae(&y, &f), want("mae"), "mae");
    close(metrics::mse(&y, &f), want("mse"), "mse");
    close(metrics::rmse(&y, &f), want("rmse"), "rmse");
    close(metrics::mape(&y, &f), want("mape"), "mape");
    close(metrics::smape(&y, &f), want("smape"), "smape");
    let s = metrics::seasonal_naive_scale(&x, m);
    let s2 = metrics::seasonal_naive_scale_sq(&x, m);
    close(s, want("mase_scale"), "mase_scale");
    close(s2, want("rmsse_scale"), "rmsse_scale");
    close(metrics::mase(&y, &f, s), want("mase"), "mase");
    close(metrics::rmsse(&y, &f, s2), want("rmsse"), "rmsse");
    close(
        metrics::coverage(&y, &lo, &hi),
        want("coverage_80"),
        "coverage_80",
    );
    let p10 = metrics::pinball(&y, &lo, 0.1);
    let p90 = metrics::pinball(&y, &hi, 0.9);
    close(p10, want("pinball_q10"), "pinball_q10");
    close(p90, want("pinball_q90"), "pinball_q90");
    close(
        (p10 + p90) / 2.0,
        want("pinball_mean_q10_q90"),
        "pinball mean",
    );

    // The Metrics struct gives the same numbers.
    let all =
        Metrics::from_slices(&y, &f, Scales::seasonal_naive(&x, m), &[(80.0, &lo, &hi)]).unwrap();
    assert_eq!(all.n, 24);
    close(all.mae, want("mae"), "Metrics.mae");
    close(all.rmse, want("rmse"), "Metrics.rmse");
    close(all.mape, want("mape"), "Metrics.mape");
    close(all.smape, want("smape"), "Metrics.smape");
    close(all.mase, want("mase"), "Metrics.mase");
    close(all.rmsse, want("rmsse"), "Metrics.rmsse");
    let iv = all.interval(80.0).unwrap();
    close(iv.coverage, want("coverage_80"), "Metrics.coverage");
    close(
        iv.pinball_lower,
        want("pinball_q10"),
        "Metrics.pinball_lower",
    );
    close(
        iv.pinball_upper,
        want("pinball_q90"),
        "Metrics.pinball_upper",
    );
    // bias = mean(f - y) = -mean(error) with the file's error = y - f.
    let per = &d["per_step"];
    let err = floats(&per["error"]);
    close(all.bias, -err.iter().sum::<f64>() / 24.0, "bias");

    // Per-step values of the file.
    let abs = floats(&per["abs_error"]);
    let q10 = floats(&per["pinball_q10"]);
    let q90 = floats(&per["pinball_q90"]);
    let cov: Vec<bool> = per["covered_80"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_bool().unwrap())
        .collect();
    for t in 0..24 {
        close(y[t] - f[t], err[t], "per-step error");
        close(
            metrics::mae(&y[t..=t], &f[t..=t]),
            abs[t],
            "per-step abs error",
        );
        close(
            metrics::pinball(&y[t..=t], &lo[t..=t], 0.1),
            q10[t],
            "per-step q10",
        );
        close(
            metrics::pinball(&y[t..=t], &hi[t..=t], 0.9),
            q90[t],
            "per-step q90",
        );
        let c = metrics::coverage(&y[t..=t], &lo[t..=t], &hi[t..=t]);
        assert_eq!(c == 1.0, cov[t], "covered at step {t}");
    }

    // The utilsforecast cross-check agrees too.
    let cc = &d["cross_check"]["values"];
    close(all.mse, cc["mse"].as_f64().unwrap(), "utilsforecast mse");
    close(
        all.smape,
        cc["smape"].as_f64().unwrap(),
        "utilsforecast smape",
    );
}

#[test]
fn autoets_forecast_metrics_match_reference() {
    check_file("a_synthetic_hourly__autoets_vs_actual.json");
}

#[test]
fn holt_winters_forecast_metrics_match_reference() {
    check_file("a_synthetic_hourly__hw_add_add_vs_actual.json");
}

#[test]
fn winkler_by_hand() {
    // 95 %: alpha = 0.05, 2/alpha = 40. y = [1, 5, 9], [lo, hi] = [2, 8]:
    // (6 + 40·1) + 6 + (6 + 40·1) = 98 -> 98/3.
    let w = metrics::winkler(&[1.0, 5.0, 9.0], &[2.0; 3], &[8.0; 3], 95.0);
    close(w, 98.0 / 3.0, "winkler");
}
