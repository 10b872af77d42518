//! The four [`Forecaster`]s: [`LstmForecaster`], [`GruForecaster`], [`CnnForecaster`] and
//! [`AutoencoderForecaster`]. They differ only in their network; fitting trains it with burn
//! ([`crate::train`]), forecasting runs the fast path ([`crate::fast`]).

use forecast_core::{Forecast, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

use crate::burn_forward::BurnForward;
use crate::config::NeuralConfig;
use crate::fast::{FastAutoencoder, FastCnn, FastGru, FastLstm};
use crate::model::{Fitted, Stored, forecast_fast};
use crate::net::{AutoencoderNet, CnnNet, GruNet, LstmNet};
use crate::train::train;

// serde's `try_from`/`into` take a type as a string, where macro variables are not expanded.
type StoredLstm = Stored<FastLstm>;
type StoredGru = Stored<FastGru>;
type StoredCnn = Stored<FastCnn>;
type StoredAutoencoder = Stored<FastAutoencoder>;

macro_rules! neural_forecaster {
    ($(#[$doc:meta])* $ty:ident, $net:ty, $fast:ty, $stored:literal, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(try_from = $stored, into = $stored)]
        pub struct $ty {
            config: NeuralConfig,
            fitted: Option<Fitted<$fast>>,
        }

        impl $ty {
            /// An unfitted model; the config is validated here.
            ///
            /// Errors: [`forecast_core::Error::InvalidParameter`] naming the bad field.
            pub fn new(config: NeuralConfig) -> Result<Self> {
                config.validate()?;
                Ok($ty { config, fitted: None })
            }

            /// The hyper-parameters.
            pub fn config(&self) -> &NeuralConfig {
                &self.config
            }

            /// The fitted state (scaler, weights, training report), if fitted.
            pub fn fitted(&self) -> Option<&Fitted<$fast>> {
                self.fitted.as_ref()
            }

            /// burn's own forward over the fitted weights (for comparison with the fast
            /// path); `None` before fitting. Building it costs a few milliseconds.
            pub fn burn_forward(&self) -> Option<BurnForward> {
                self.fitted.as_ref().map(|f| BurnForward::new::<$net>(&f.net))
            }
        }

        impl TryFrom<Stored<$fast>> for $ty {
            type Error = forecast_core::Error;
            fn try_from(s: Stored<$fast>) -> Result<Self> {
                s.check($name)?;
                Ok($ty { config: s.config, fitted: s.fitted })
            }
        }

        impl From<$ty> for Stored<$fast> {
            fn from(m: $ty) -> Self {
                Stored { config: m.config, fitted: m.fitted }
            }
        }

        #[typetag::serde(name = $name)]
        impl Forecaster for $ty {
            fn name(&self) -> &str {
                $name
            }

            fn fit(&mut self, train_series: &Series) -> Result<()> {
                self.fitted = None;
                let (scaler, net, report) = train::<$net>($name, &self.config, train_series)?;
                self.fitted = Some(Fitted { scaler, step: train_series.step(), net, report });
                Ok(())
            }

            fn is_fitted(&self) -> bool {
                self.fitted.is_some()
            }

            fn forecast_into(
                &self,
                context: &Series,
                horizon: usize,
                levels: &[f64],
                out: &mut Forecast,
            ) -> Result<()> {
                forecast_fast($name, self.fitted.as_ref(), context, horizon, levels, out)
            }

            fn min_train_len(&self) -> usize {
                self.config.min_train_len()
            }

            fn supports_intervals(&self) -> bool {
                false
            }
        }
    };
}

neural_forecaster!(
    /// LSTM encoder over the last `window` points, last hidden state to a linear head that
    /// predicts `horizon` steps at once (registry name `lstm`).
    ///
    /// ```no_run
    /// use forecast_core::{Forecaster, Series};
    /// use forecast_neural::{LstmForecaster, NeuralConfig};
    /// let y: Vec<f64> = (0..600).map(|t| (t as f64 * 0.26).sin()).collect();
    /// let s = Series::new(0, 60, y).unwrap();
    /// let cfg = NeuralConfig { window: 48, horizon: 6, hidden: 16, epochs: 5, ..Default::default() };
    /// let mut m = LstmForecaster::new(cfg).unwrap();
    /// m.fit(&s).unwrap();
    /// let f = m.forecast(&s, 12, &[]).unwrap(); // 12 > 6: the second half is recursive
    /// assert_eq!(f.point.len(), 12);
    /// ```
    LstmForecaster,
    LstmNet,
    FastLstm,
    "StoredLstm",
    "lstm"
);

neural_forecaster!(
    /// GRU encoder over the last `window` points, last hidden state to a linear head that
    /// predicts `horizon` steps at once (registry name `gru`).
    GruForecaster,
    GruNet,
    FastGru,
    "StoredGru",
    "gru"
);

neural_forecaster!(
    /// Causal dilated convolutions (TCN-style) over the last `window` points, the top block's
    /// last time step to a linear head (registry name `cnn`).
    CnnForecaster,
    CnnNet,
    FastCnn,
    "StoredCnn",
    "cnn"
);

neural_forecaster!(
    /// Dense autoencoder: the window is compressed to a small latent vector, a decoder
    /// reconstructs the window and a head predicts `horizon` steps from the latent
    /// (registry name `autoencoder`). See
    /// [`AutoencoderForecaster::anomaly_scores`] for the anomaly use.
    AutoencoderForecaster,
    AutoencoderNet,
    FastAutoencoder,
    "StoredAutoencoder",
    "autoencoder"
);
