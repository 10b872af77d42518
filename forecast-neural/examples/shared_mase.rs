//! H = 12 backtest of the four neural models (and Naive / SeasonalNaive on the same origins)
//! on a folder of CSVs, close to the peers' protocol: test region = last 20 %, at most 100
//! origins, MASE scaled by the in-sample seasonal-naive error with season = points per day,
//! fit window = the last `max(2000, 3·season)` points before the test region. Unlike the peers
//! (5 refits), each neural model is fitted once per series, at the first origin, and then
//! forecasts from the updated context at every origin without refitting.
//!
//! ```text
//! cargo run --release -p forecast-neural --example shared_mase -- DIR_OR_FILE [MODELS]
//! ```

use std::path::Path;

use forecast_core::backtest::{BacktestConfig, backtest};
use forecast_core::baselines::{Naive, SeasonalNaive};
use forecast_core::{Fill, Forecaster, io};
use forecast_neural::{
    AutoencoderForecaster, CnnForecaster, GruForecaster, LstmForecaster, NeuralConfig,
};

fn model(name: &str, season: usize) -> Box<dyn Forecaster> {
    let cfg = NeuralConfig {
        quiet: true,
        ..NeuralConfig::default()
    };
    match name {
        "lstm" => Box::new(LstmForecaster::new(cfg).unwrap()),
        "gru" => Box::new(GruForecaster::new(cfg).unwrap()),
        "cnn" => Box::new(CnnForecaster::new(cfg).unwrap()),
        "autoencoder" => Box::new(AutoencoderForecaster::new(cfg).unwrap()),
        "naive" => Box::new(Naive::new()),
        "seasonal-naive" => Box::new(SeasonalNaive::new(season).unwrap()),
        other => panic!("unknown model {other}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first() else {
        eprintln!("usage: shared_mase DIR_OR_FILE [MODELS]");
        std::process::exit(2);
    };
    let models: Vec<String> = args
        .get(1)
        .map_or("naive,seasonal-naive,lstm,gru,cnn,autoencoder", |s| {
            s.as_str()
        })
        .split(',')
        .map(str::to_string)
        .collect();
    let series = io::load_series(Path::new(input), None, Fill::Linear)?;
    let mut sums = vec![(0.0, 0usize); models.len()];
    print!("{:70}", "series");
    for m in &models {
        print!(" {m:>14}");
    }
    println!();
    for s in &series {
        let y = &s.series;
        let season = (86_400 / y.step()).max(1) as usize;
        let cfg = BacktestConfig {
            horizons: vec![12],
            max_origins: Some(100),
            refit_every: usize::MAX,
            window: Some(2000.max(3 * season)),
            season,
            levels: vec![],
            ..BacktestConfig::default()
        };
        print!("{:70}", s.name);
        for (k, name) in models.iter().enumerate() {
            let t = std::time::Instant::now();
            match backtest(model(name, season).as_ref(), y, &cfg) {
                Ok(r) => {
                    let mase = r.horizons[0].pooled.mase;
                    sums[k].0 += mase;
                    sums[k].1 += 1;
                    print!(" {mase:>8.3} {:>4.0}s", t.elapsed().as_secs_f64());
                }
                Err(e) => print!(
                    " {:>14}",
                    format!("err: {e}").chars().take(14).collect::<String>()
                ),
            }
        }
        println!();
    }
    print!("{:70}", "mean MASE");
    for (sum, n) in &sums {
        print!(" {:>14.3}", sum / (*n).max(1) as f64);
    }
    println!();
    Ok(())
}
