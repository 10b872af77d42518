//! A backtest small enough to do by hand, the refit/context path, parallel == serial, the
//! report writers and the bad-input errors.

use std::sync::atomic::{AtomicUsize, Ordering};

use forecast_core::backtest::{self, BacktestConfig, BacktestResult, backtest, backtest_many};
use forecast_core::baselines::{Drift, MovingAverage, Naive, SeasonalNaive};
use forecast_core::{Error, Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

const Z80: f64 = 1.2815515655446004;

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

/// y_t = [1, 3, 2, 5][t % 4] + floor(t / 4), t = 0..29:
/// 1 3 2 5 | 2 4 3 6 | 3 5 4 7 | 4 6 5 8 | 5 7 6 9 | 6 8 7 10 | 7 9 8 11 | 8 10
fn hand_series() -> Series {
    let y: Vec<f64> = (0..30)
        .map(|t| [1.0, 3.0, 2.0, 5.0][t % 4] + (t / 4) as f64)
        .collect();
    Series::new(1_700_000_000, 60, y).unwrap()
}

#[test]
fn naive_by_hand() {
    // n = 30: test = floor(0.2·30) = 6, T0 = 24; Hmax = 3, stride = Hmax = 3;
    // origins o with o + 3 <= 30: 24, 27.
    let cfg = BacktestConfig {
        horizons: vec![1, 3],
        ..Default::default()
    }; // season 1
    let r = backtest(&Naive::new(), &hand_series(), &cfg).unwrap();
    assert_eq!(r.grid.t0, 24);
    assert_eq!(r.grid.stride, 3);
    assert_eq!(r.grid.origins, vec![24, 27]);
    assert_eq!(r.n_fits, 2);
    assert_eq!(r.model, "naive");
    // o = 24: last value y23 = 10, forecast [10, 10, 10], actuals y24..26 = [7, 9, 8], f − y = [3, 1, 2]
    // o = 27: last value y26 = 8,  forecast [8, 8, 8],   actuals y27..29 = [11, 8, 10], f − y = [−3, 0, −2]
    assert_eq!(r.forecasts[0].1.point, vec![10.0; 3]);
    assert_eq!(r.forecasts[1].1.point, vec![8.0; 3]);
    // MASE scale, season 1, on y[..24]: |diffs| = (2,1,3,3) five times then 2,1,3 -> 51/23;
    // squared: (4+1+9+9)·5 + 4+1+9 = 129 -> 129/23.
    close(r.scales.mase, 51.0 / 23.0, "scale");
    close(r.scales.rmsse_sq, 129.0 / 23.0, "scale_sq");

    // h = 1: errors [3, −3]: MAE 3, MSE 9, RMSE 3, bias 0, MASE 3/(51/23) = 69/51,
    // sMAPE = (200·3/(7+10) + 200·3/(11+8))/2 = 300/17 + 300/19, MAPE = (100·3/7 + 100·3/11)/2.
    let h1 = &r.horizons[0];
    assert_eq!((h1.horizon, h1.pooled.n, h1.per_step.len()), (1, 2, 1));
    close(h1.pooled.mae, 3.0, "h1 mae");
    close(h1.pooled.rmse, 3.0, "h1 rmse");
    close(h1.pooled.bias, 0.0, "h1 bias");
    close(h1.pooled.mase, 69.0 / 51.0, "h1 mase");
    close(h1.pooled.smape, 300.0 / 17.0 + 300.0 / 19.0, "h1 smape");
    close(h1.pooled.mape, 150.0 / 7.0 + 150.0 / 11.0, "h1 mape");
    assert_eq!(h1.per_step[0], h1.pooled);

    // h = 3: errors [3, 1, 2, −3, 0, −2]: MAE 11/6, MSE 27/6 = 4.5, bias 1/6,
    // MASE (11/6)/(51/23) = 253/306, RMSSE sqrt(4.5/(129/23)) = sqrt(103.5/129).
    let h3 = &r.horizons[1];
    assert_eq!((h3.horizon, h3.pooled.n, h3.per_step.len()), (3, 6, 3));
    close(h3.pooled.mae, 11.0 / 6.0, "h3 mae");
    close(h3.pooled.mse, 4.5, "h3 mse");
    close(h3.pooled.bias, 1.0 / 6.0, "h3 bias");
    close(h3.pooled.mase, 253.0 / 306.0, "h3 mase");
    close(h3.pooled.rmsse, (103.5f64 / 129.0).sqrt(), "h3 rmsse");
    // per step: step 1 [3, −3] -> 3; step 2 [1, 0] -> 0.5; step 3 [2, −2] -> 2.
    let per: Vec<f64> = h3.per_step.iter().map(|m| m.mae).collect();
    assert_eq!(per, vec![3.0, 0.5, 2.0]);
    assert_eq!(h3.per_step[0], h1.pooled);

    // Intervals: sigma of the fit at 24 = sqrt(129/23) (RMS of the 23 diffs), of the refit at 27
    // = sqrt((129 + 3² + 2² + 1²)/26) = sqrt(5.5). Step-1 80 % intervals: 10 ± 3.035 = [6.965, 13.035]
    // holds 7, 8 ± 3.006 = [4.994, 11.006] holds 11; every wider interval holds its actual too, so
    // coverage is 1 and the Winkler score is the mean width z80·(sigma_24 + sigma_27).
    let i80 = h1.pooled.interval(80.0).unwrap();
    assert_eq!(i80.coverage, 1.0);
    close(
        i80.winkler,
        Z80 * ((129.0f64 / 23.0).sqrt() + 5.5f64.sqrt()),
        "winkler 80",
    );
    assert_eq!(h3.pooled.interval(95.0).unwrap().coverage, 1.0);
}

#[test]
fn seasonal_naive_by_hand() {
    // Same grid. m = 4: o = 24 repeats y20..23 = [6, 8, 7, 10] -> [6, 8, 7] vs [7, 9, 8];
    // o = 27 repeats y23..26 = [10, 7, 9, 8] -> [10, 7, 9] vs [11, 8, 10]: every error f − y = −1.
    // Scale with season 4 on y[..24]: y_t − y_{t−4} = 1 for every t -> 1 (and 1 squared).
    let cfg = BacktestConfig {
        horizons: vec![1, 3],
        season: 4,
        ..Default::default()
    };
    let r = backtest(&SeasonalNaive::new(4).unwrap(), &hand_series(), &cfg).unwrap();
    assert_eq!(r.forecasts[0].1.point, vec![6.0, 8.0, 7.0]);
    assert_eq!(r.forecasts[1].1.point, vec![10.0, 7.0, 9.0]);
    for h in &r.horizons {
        let m = &h.pooled;
        assert_eq!(
            (m.mae, m.rmse, m.bias, m.mase, m.rmsse),
            (1.0, 1.0, -1.0, 1.0, 1.0)
        );
    }
    // sMAPE h = 1: 200·(1/13 + 1/21)/2.
    close(
        r.horizons[0].pooled.smape,
        100.0 / 13.0 + 100.0 / 21.0,
        "smape",
    );
}

#[test]
fn explicit_stride_test_size_and_cap() {
    let s = hand_series();
    // test_size 10 -> T0 = 20; stride 2; o + 3 <= 30 -> 20, 22, 24, 26.
    let cfg = BacktestConfig {
        horizons: vec![3],
        test_size: Some(10),
        stride: Some(2),
        ..Default::default()
    };
    assert_eq!(cfg.grid(30).unwrap().origins, vec![20, 22, 24, 26]);
    // max_origins 2: L = 30 − 20 − 3 + 1 = 8, stride max(3, ceil(8/2)) = 4 -> 20, 24.
    let cfg = BacktestConfig {
        horizons: vec![3],
        test_size: Some(10),
        max_origins: Some(2),
        ..Default::default()
    };
    let r = backtest(&Naive::new(), &s, &cfg).unwrap();
    assert_eq!((r.grid.stride, r.grid.origins.clone()), (4, vec![20, 24]));
}

static PROBE_FITS: AtomicUsize = AtomicUsize::new(0);

/// Test-only model that reports what it was fitted on and what context it saw:
/// point = [first training index, last training index, last context index] (timestamps are
/// the indices: start 0, step 1). Counts its fits in `PROBE_FITS`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Probe {
    train: Option<(i64, i64)>,
}

#[typetag::serde(name = "test-probe")]
impl Forecaster for Probe {
    fn name(&self) -> &str {
        "probe"
    }
    fn fit(&mut self, train: &Series) -> Result<()> {
        PROBE_FITS.fetch_add(1, Ordering::SeqCst);
        self.train = Some((train.start(), train.end().unwrap()));
        Ok(())
    }
    fn is_fitted(&self) -> bool {
        self.train.is_some()
    }
    fn supports_intervals(&self) -> bool {
        false
    }
    fn min_train_len(&self) -> usize {
        5
    }
    fn forecast_into(
        &self,
        context: &Series,
        horizon: usize,
        levels: &[f64],
        out: &mut Forecast,
    ) -> Result<()> {
        let (a, b) = self.train.ok_or(Error::NotFitted {
            model: "probe".into(),
        })?;
        if !levels.is_empty() {
            return Err(Error::invalid_param("levels", "probe has no intervals"));
        }
        out.reset(context.next_timestamp(), context.step(), horizon, levels)?;
        out.point[0] = a as f64;
        out.point[1] = b as f64;
        out.point[2] = context.end().unwrap() as f64;
        Ok(())
    }
}

#[test]
fn refit_every_uses_the_context_without_refitting() {
    let s = Series::new(0, 1, (0..60).map(|t| t as f64).collect()).unwrap();
    // T0 = 48, Hmax 3, origins 48, 51, 54, 57; refit every 3 -> segments [48, 51, 54], [57];
    // window 10 -> fits on [38, 48) and [47, 57).
    let cfg = BacktestConfig {
        horizons: vec![3],
        refit_every: 3,
        window: Some(10),
        ..Default::default()
    };
    PROBE_FITS.store(0, Ordering::SeqCst);
    let r = backtest(&Probe::default(), &s, &cfg).unwrap();
    assert_eq!(PROBE_FITS.load(Ordering::SeqCst), 2);
    assert_eq!(r.n_fits, 2);
    assert!(r.levels.is_empty());
    let seen: Vec<(usize, Vec<f64>)> = r
        .forecasts
        .iter()
        .map(|(o, f)| (*o, f.point.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (48, vec![38.0, 47.0, 47.0]),
            (51, vec![38.0, 47.0, 50.0]),
            (54, vec![38.0, 47.0, 53.0]),
            (57, vec![47.0, 56.0, 56.0]),
        ]
    );
    // A model without intervals: pooled rows have no interval metrics, CSV cells stay empty.
    assert!(r.horizons[0].pooled.intervals.is_empty());
    let rows = backtest::rows("probe-series", &r);
    let mut csv = Vec::new();
    backtest::write_csv(&mut csv, &rows).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let line = csv.lines().nth(1).unwrap();
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!(&cells[..4], &["probe-series", "probe", "3", "all"]);
    assert_eq!((cells[8], cells[9]), ("", ""));

    // Expanding window, refit at every origin: four fits, each on [0, o).
    PROBE_FITS.store(0, Ordering::SeqCst);
    let cfg = BacktestConfig {
        horizons: vec![3],
        ..Default::default()
    };
    let r = backtest(&Probe::default(), &s, &cfg).unwrap();
    assert_eq!(PROBE_FITS.load(Ordering::SeqCst), 4);
    for (o, f) in &r.forecasts {
        assert_eq!(f.point, vec![0.0, (*o - 1) as f64, (*o - 1) as f64]);
    }
}

fn strip_timing(mut r: BacktestResult) -> BacktestResult {
    r.fit_seconds = 0.0;
    r.forecast_ms_per_call = 0.0;
    r
}

fn noisy(n: usize, seed: u64) -> Series {
    // A deterministic wiggly series (no RNG needed): daily-ish cycle plus a chaotic map.
    let mut x = 0.3 + seed as f64 * 0.01;
    let y = (0..n)
        .map(|t| {
            x = 3.9 * x * (1.0 - x);
            50.0 + 10.0 * (t as f64 * std::f64::consts::TAU / 48.0).sin() + 5.0 * x
        })
        .collect();
    Series::new(0, 1800, y).unwrap()
}

#[test]
fn parallel_equals_serial() {
    let models: Vec<Box<dyn Forecaster>> = vec![
        Box::new(Naive::new()),
        Box::new(SeasonalNaive::new(48).unwrap()),
        Box::new(Drift::new()),
        Box::new(MovingAverage::new(6).unwrap()),
    ];
    let series = vec![
        ("a".to_string(), noisy(1500, 1)),
        ("b".to_string(), noisy(900, 2)),
    ];
    let cfg = BacktestConfig {
        horizons: vec![1, 6, 12],
        refit_every: 4,
        window: Some(500),
        season: 48,
        ..Default::default()
    };
    let done = AtomicUsize::new(0);
    let on_done = |_: &str, _: &str| {
        done.fetch_add(1, Ordering::SeqCst);
    };
    let par = backtest_many(&models, &series, &cfg, &on_done);
    assert_eq!(done.load(Ordering::SeqCst), 8);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let ser = pool.install(|| backtest_many(&models, &series, &cfg, &|_, _| {}));
    assert_eq!(par.len(), 8);
    for ((sp, mp, rp), (ss, ms, rs)) in par.into_iter().zip(ser) {
        assert_eq!((&sp, &mp), (&ss, &ms));
        let (rp, rs) = (strip_timing(rp.unwrap()), strip_timing(rs.unwrap()));
        assert_eq!(rp, rs, "{sp}/{mp}");
        // and the single-pair entry point agrees too
        let model = models.iter().find(|m| m.name() == mp).unwrap();
        let one = backtest(
            model.as_ref(),
            &series.iter().find(|s| s.0 == sp).unwrap().1,
            &cfg,
        )
        .unwrap();
        assert_eq!(strip_timing(one), rp);
    }
    // series-major, model order
    let order: Vec<(String, String)> = backtest_many(&models, &series, &cfg, &|_, _| {})
        .into_iter()
        .map(|(s, m, _)| (s, m))
        .collect();
    assert_eq!(order[0], ("a".to_string(), "naive".to_string()));
    assert_eq!(order[1], ("a".to_string(), "seasonal-naive".to_string()));
    assert_eq!(order[4], ("b".to_string(), "naive".to_string()));
}

#[test]
fn report_rows_csv_and_json() {
    let cfg = BacktestConfig {
        horizons: vec![1, 3],
        levels: vec![80.0, 95.0, 50.0],
        ..Default::default()
    };
    let r = backtest(&Naive::new(), &hand_series(), &cfg).unwrap();
    let rows = backtest::rows("my,series", &r);
    // h1: all + 1 step; h3: all + 3 steps
    assert_eq!(rows.len(), 6);
    let steps: Vec<Option<usize>> = rows.iter().map(|r| r.step).collect();
    assert_eq!(steps, vec![None, Some(1), None, Some(1), Some(2), Some(3)]);
    let mut csv = Vec::new();
    backtest::write_csv(&mut csv, &rows).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(
        "series,model,horizon,step,mae,rmse,mase,smape,coverage_80,coverage_95,fit_seconds,forecast_ms_per_call,mse,mape,rmsse,bias,n_origins,stride,n,coverage_50,"
    ));
    assert!(header.contains("winkler_80") && header.contains("winkler_50"));
    let line = csv.lines().nth(3).unwrap(); // h3, all
    assert!(line.starts_with("\"my,series\",naive,3,all,"));
    let ncols = header.split(',').count();
    assert_eq!(ncols, 19 + 1 + 3 * 3);
    let mut json = Vec::new();
    backtest::write_json(&mut json, &rows).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v[0]["step"], "all");
    assert_eq!(v[1]["step"], 1);
    assert_eq!(v[2]["horizon"], 3);
    assert_eq!(v[2]["n_origins"], 2);
    assert_eq!(v[2]["intervals"][2]["level"], 50.0);
}

#[test]
fn bad_input_errors() {
    let s = hand_series();
    let cfg = BacktestConfig {
        horizons: vec![0],
        ..Default::default()
    };
    assert_eq!(
        backtest(&Naive::new(), &s, &cfg).unwrap_err(),
        Error::ZeroHorizon
    );
    // horizon 7 needs a test region of 7 points: n >= 35.
    let cfg = BacktestConfig {
        horizons: vec![7],
        ..Default::default()
    };
    match backtest(&Naive::new(), &s, &cfg).unwrap_err() {
        Error::TooShort { what, needed, got } => {
            assert!(what.starts_with("backtest"), "{what}");
            assert_eq!((needed, got), (35, 30));
        }
        e => panic!("{e}"),
    }
    // SeasonalNaive(24) needs 25 training points, the test region leaves 24.
    let cfg = BacktestConfig::default();
    match backtest(&SeasonalNaive::new(24).unwrap(), &s, &cfg).unwrap_err() {
        Error::TooShort { what, needed, got } => {
            assert!(
                what.starts_with("backtest") && what.contains("seasonal-naive"),
                "{what}"
            );
            assert_eq!((needed, got), (25, 24));
        }
        e => panic!("{e}"),
    }
    // a fit window smaller than the model needs
    let cfg = BacktestConfig {
        window: Some(1),
        ..Default::default()
    };
    assert!(matches!(
        backtest(&Naive::new(), &s, &cfg),
        Err(Error::TooShort { .. })
    ));
    // a MASE season that does not fit before the test region
    let cfg = BacktestConfig {
        season: 24,
        ..Default::default()
    };
    match backtest(&Naive::new(), &s, &cfg).unwrap_err() {
        Error::TooShort { what, .. } => assert!(what.contains("MASE"), "{what}"),
        e => panic!("{e}"),
    }
    // invalid level
    let cfg = BacktestConfig {
        levels: vec![100.0],
        ..Default::default()
    };
    assert!(matches!(
        backtest(&Naive::new(), &s, &cfg),
        Err(Error::InvalidLevel { .. })
    ));
}
