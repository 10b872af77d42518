//! The zoo configuration file: which models to run, their hyper-parameters and the ensemble
//! settings, as YAML (see `examples/zoo.yaml`).
//!
//! ```yaml
//! models:
//!   - name: seasonal-naive
//!   - name: moving-average
//!     params:
//!       window: 24
//! ensemble:                      # optional: adds the model `ensemble`
//!   members: [seasonal-naive, moving-average]   # default: every model above
//!   weighting: inverse-mae       # inverse-mae | inverse-mse | softmax | stacking
//!   temperature: 0.5             # softmax only
//!   validation-points: 288       # default: max(2·validation-horizon, n/5)
//!   validation-horizon: 12
//!   dynamic:                     # re-weight on the latest points (window: 0 = static)
//!     window: 12
//!     top-k: 2
//! ```
//!
//! [`Zoo::from_config`] / [`str::parse`] read and check a file: unknown keys, values of the
//! wrong type, unknown models, parameters a model does not have and invalid values are
//! [`Error::Parse`] errors naming the line and the key. A zoo builds its models through the
//! facade [`Registry`] ([`Zoo::params`] gives each model's registry parameters, the ensemble's
//! members and their parameters included), and [`Zoo::to_config`] writes it back.
//!
//! ```
//! use forecast_zoo::zoo::Zoo;
//! let zoo: Zoo = "models:\n  - name: naive\n  - name: drift\nensemble: {}\n".parse().unwrap();
//! assert_eq!(zoo.model_names(), ["naive", "drift", "ensemble"]);
//! let err = "models:\n  - name: naive\n    parms: {}\n".parse::<Zoo>().unwrap_err();
//! assert!(err.to_string().contains("line 3"), "{err}");
//! let again: Zoo = zoo.to_config().parse().unwrap();
//! assert_eq!(again, zoo);
//! ```

mod lines;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use forecast_core::params::{BuildContext, Params};
use forecast_core::{Error, Forecaster, Result, Series};
use serde::{Deserialize, Serialize};

use crate::registry::Registry;

/// A hyper-parameter value as written in the file (a YAML scalar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Any other text (`add`, `1,1,1`, `auto`).
    Text(String),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(x) => write!(f, "{x}"),
            ParamValue::Text(s) => f.write_str(s),
        }
    }
}

/// One model of the zoo: a registry name and its parameters (`forecast-zoo models` lists both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// Registry name.
    pub name: String,
    /// Hyper-parameters by key; missing keys take the registry defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, ParamValue>,
}

/// Dynamic selection settings of the ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DynamicEntry {
    /// Latest points on which members are re-scored (0 = static weights).
    pub window: usize,
    /// Keep only the best `top-k` members (absent = all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<usize>,
}

/// Ensemble settings (every field optional: absent fields take the registry defaults, see
/// `forecast-zoo models`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnsembleEntry {
    /// Member models, each listed under `models` (absent = all of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    /// `inverse-mae`, `inverse-mse`, `softmax` or `stacking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighting: Option<String>,
    /// Softmax temperature (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Training points held out to score members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_points: Option<usize>,
    /// Horizon at which members are scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_horizon: Option<usize>,
    /// Dynamic selection (absent = the registry default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic: Option<DynamicEntry>,
    /// Fit and forecast members in parallel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<bool>,
}

/// A zoo configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zoo {
    /// The models, in order.
    pub models: Vec<ModelEntry>,
    /// The ensemble over (some of) them, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<EnsembleEntry>,
}

/// The name of the ensemble model a zoo adds when it has an `ensemble` section.
pub const ENSEMBLE: &str = "ensemble";

impl FromStr for Zoo {
    type Err = Error;

    /// Parses and checks a configuration (see the module docs for the errors).
    fn from_str(text: &str) -> Result<Zoo> {
        let zoo: Zoo = serde_yaml_ng::from_str(text).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line());
            Error::Parse {
                line,
                column: None,
                message: format!("zoo config: {e}"),
            }
        })?;
        zoo.check(text)?;
        Ok(zoo)
    }
}

impl Zoo {
    /// Reads and checks the configuration file at `path`.
    pub fn from_config(path: impl AsRef<Path>) -> Result<Zoo> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        text.parse()
    }

    /// The configuration as YAML (parses back to an equal [`Zoo`]).
    pub fn to_config(&self) -> String {
        let body = serde_yaml_ng::to_string(self).unwrap_or_default();
        format!("# forecast-zoo configuration (written by Zoo::to_config)\n{body}")
    }

    /// The model names the zoo runs: its models, then `ensemble` when configured.
    pub fn model_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.models.iter().map(|m| m.name.clone()).collect();
        if self.ensemble.is_some() {
            names.push(ENSEMBLE.to_string());
        }
        names
    }

    fn entry(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The registry parameters of model `name` (for `ensemble`: its settings, members and the
    /// members' parameters); empty for a name the zoo does not hold.
    pub fn params(&self, name: &str) -> Params {
        let mut p = Params::new(name);
        if name == ENSEMBLE
            && let Some(e) = &self.ensemble
        {
            let members = self.members();
            p.set("members", members.join(","));
            let member_params: Vec<String> = members
                .iter()
                .filter_map(|m| self.entry(m))
                .flat_map(|m| {
                    m.params
                        .iter()
                        .map(move |(k, v)| format!("{}:{k}={v}", m.name))
                })
                .collect();
            if !member_params.is_empty() {
                p.set("member-params", member_params.join(";"));
            }
            if let Some(w) = &e.weighting {
                p.set("weighting", w);
            }
            if let Some(t) = e.temperature {
                p.set("temperature", t);
            }
            if let Some(v) = e.validation_points {
                p.set("validation-points", v);
            }
            if let Some(h) = e.validation_horizon {
                p.set("validation-horizon", h);
            }
            if let Some(d) = &e.dynamic {
                p.set("dynamic-window", d.window);
                if let Some(k) = d.top_k {
                    p.set("top-k", k);
                }
            }
            if let Some(par) = e.parallel {
                p.set("parallel", par);
            }
            return p;
        }
        if let Some(m) = self.entry(name) {
            for (k, v) in &m.params {
                p.set(k, v);
            }
        }
        p
    }

    /// The ensemble's member names (all models when `members` is absent).
    pub fn members(&self) -> Vec<String> {
        match self.ensemble.as_ref().and_then(|e| e.members.clone()) {
            Some(m) => m,
            None => self
                .models
                .iter()
                .map(|m| m.name.clone())
                .filter(|n| n != ENSEMBLE)
                .collect(),
        }
    }

    /// Builds the unfitted model `name` of the zoo through `registry`.
    pub fn build(
        &self,
        registry: &Registry,
        name: &str,
        ctx: &BuildContext,
    ) -> Result<Box<dyn Forecaster>> {
        registry.build(name, self.params(name), ctx)
    }

    /// Builds and fits every model of the zoo on `train` (season `season` for seasonal models).
    pub fn fit(&self, registry: &Registry, train: &Series, season: usize) -> Result<FittedZoo> {
        let ctx = BuildContext {
            season: Some(season),
            step: train.step(),
        };
        let mut models = Vec::new();
        for name in self.model_names() {
            let mut m = self.build(registry, &name, &ctx)?;
            m.fit(train)?;
            models.push((name, m));
        }
        Ok(FittedZoo {
            zoo: self.clone(),
            models,
        })
    }

    /// Checks names, parameters and ensemble settings against the builtin registry; `text` is
    /// the source, used to find line numbers.
    fn check(&self, text: &str) -> Result<()> {
        let registry = Registry::builtin();
        let ctx = BuildContext {
            season: Some(24),
            step: 60,
        };
        if self.models.is_empty() {
            return Err(lines::error(
                text,
                lines::key_line(text, 0, "models"),
                "models",
                "the zoo lists no models",
            ));
        }
        for (i, m) in self.models.iter().enumerate() {
            let at = lines::model_line(text, &m.name, i);
            if self.models[..i].iter().any(|o| o.name == m.name) {
                return Err(lines::error(
                    text,
                    at,
                    "name",
                    format!(
                        "model `{}` is listed twice; a zoo holds each model once",
                        m.name
                    ),
                ));
            }
            if m.name == ENSEMBLE {
                return Err(lines::error(
                    text,
                    at,
                    "name",
                    "configure the ensemble in the `ensemble` section, not under `models`",
                ));
            }
            if let Err(e) = registry.get(&m.name) {
                return Err(lines::error(text, at, "name", e.to_string()));
            }
            if let Err(e) = self.build(&registry, &m.name, &ctx) {
                return Err(lines::param_error(text, at, e));
            }
        }
        if let Some(e) = &self.ensemble {
            let at = lines::key_line(text, 0, "ensemble");
            if let Some(members) = &e.members {
                let mline = lines::key_line(text, at, "members");
                if members.is_empty() {
                    return Err(lines::error(
                        text,
                        mline,
                        "members",
                        "the member list is empty",
                    ));
                }
                for m in members {
                    if self.entry(m).is_none() {
                        return Err(lines::error(
                            text,
                            mline,
                            "members",
                            format!(
                                "`{m}` is not one of the zoo's models ({})",
                                self.models
                                    .iter()
                                    .map(|m| m.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
            if let Err(err) = self.build(&registry, ENSEMBLE, &ctx) {
                return Err(lines::param_error(text, at, err));
            }
        }
        Ok(())
    }
}

/// A zoo whose models are fitted.
#[derive(Debug, Clone)]
pub struct FittedZoo {
    zoo: Zoo,
    models: Vec<(String, Box<dyn Forecaster>)>,
}

impl FittedZoo {
    /// The configuration the models were built from.
    pub fn zoo(&self) -> &Zoo {
        &self.zoo
    }

    /// The fitted models with their names, in [`Zoo::model_names`] order.
    pub fn models(&self) -> &[(String, Box<dyn Forecaster>)] {
        &self.models
    }

    /// The fitted model `name`.
    pub fn get(&self, name: &str) -> Option<&dyn Forecaster> {
        self.models
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_ref())
    }

    /// The configuration that rebuilds these models (YAML, see [`Zoo::to_config`]).
    pub fn to_config(&self) -> String {
        self.zoo.to_config()
    }
}
