//! Same data and seed give bit-identical weights and forecasts; another seed does not.

use crate::common;

use forecast_core::Forecaster;

#[test]
fn same_seed_same_forecasts_bit_for_bit() {
    let s = common::seasonal(300, 0.3, 3);
    let cfg = forecast_neural::NeuralConfig {
        dropout: 0.1,
        ..common::tiny(24, 6)
    };
    for (a, b) in common::all_models(&cfg)
        .into_iter()
        .zip(common::all_models(&cfg))
    {
        let (mut a, mut b) = (a, b);
        a.fit(&s).unwrap();
        b.fit(&s).unwrap();
        let fa = a.forecast(&s, 15, &[]).unwrap();
        let fb = b.forecast(&s, 15, &[]).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fa.point), bits(&fb.point), "{}", a.name());
        assert_eq!(
            forecast_core::model_to_json(a.as_ref()).unwrap(),
            forecast_core::model_to_json(b.as_ref()).unwrap(),
            "{} weights differ",
            a.name()
        );
    }
}

#[test]
fn parallel_fits_are_reproducible_and_seeds_matter() {
    let s = common::seasonal(300, 0.3, 4);
    let cfg = common::tiny(24, 6);
    let serial = {
        let mut m = forecast_neural::GruForecaster::new(cfg.clone()).unwrap();
        m.fit(&s).unwrap();
        m.forecast(&s, 6, &[]).unwrap()
    };
    // Fits on several threads at once (as in a backtest) draw from their own RNGs.
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let (s, cfg) = (s.clone(), cfg.clone());
            std::thread::spawn(move || {
                let mut m = forecast_neural::GruForecaster::new(cfg).unwrap();
                m.fit(&s).unwrap();
                m.forecast(&s, 6, &[]).unwrap()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), serial);
    }
    let mut other =
        forecast_neural::GruForecaster::new(forecast_neural::NeuralConfig { seed: 7, ..cfg })
            .unwrap();
    other.fit(&s).unwrap();
    assert_ne!(other.forecast(&s, 6, &[]).unwrap(), serial);
}
