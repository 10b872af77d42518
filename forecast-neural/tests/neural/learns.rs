//! Each model learns: on a noisy seasonal series it beats SeasonalNaive's MASE in a
//! rolling-origin backtest (fitted once, forecasting from 10 origins).

use crate::common;

use forecast_core::backtest::{BacktestConfig, backtest};
use forecast_core::baselines::SeasonalNaive;
use forecast_neural::NeuralConfig;

#[test]
fn every_model_beats_seasonal_naive_on_a_seasonal_series() {
    let s = common::seasonal(900, 0.6, 7);
    let bt = BacktestConfig {
        horizons: vec![12],
        test_size: Some(120),
        stride: Some(12),
        refit_every: 100,
        season: 24,
        levels: vec![],
        ..BacktestConfig::default()
    };
    let naive = backtest(&SeasonalNaive::new(24).unwrap(), &s, &bt).unwrap();
    let naive_mase = naive.horizons[0].pooled.mase;
    let cfg = NeuralConfig {
        window: 48,
        horizon: 12,
        hidden: 16,
        epochs: 12,
        batch_size: 32,
        learning_rate: 0.01,
        stride: 2,
        quiet: true,
        ..NeuralConfig::default()
    };
    let mut report = Vec::new();
    for m in common::all_models(&cfg) {
        let r = backtest(m.as_ref(), &s, &bt).unwrap();
        let mase = r.horizons[0].pooled.mase;
        report.push(format!("{} {mase:.3}", m.name()));
        assert!(
            mase < naive_mase,
            "{}: MASE {mase:.3} does not beat seasonal naive {naive_mase:.3}",
            m.name()
        );
    }
    eprintln!("seasonal naive {naive_mase:.3}; {}", report.join(", "));
}
