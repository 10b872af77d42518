//! Hyper-parameters from `key=value` strings, as given on the command line
//! (`--param window=24`).
//!
//! A model documents its parameters as a slice of [`ParamSpec`]; its builder reads them from a
//! [`Params`] with [`Params::get`] (the given value or the spec's default) and ends with
//! [`Params::finish`], which rejects keys that no spec read (a typo such as `windw=3`).
//!
//! ```
//! use forecast_core::params::{ParamSpec, Params};
//! const WINDOW: ParamSpec = ParamSpec { name: "window", default: "12", help: "points averaged" };
//! let mut p = Params::parse("moving-average", ["window=24"]).unwrap();
//! let w: usize = p.get(&WINDOW).unwrap();
//! assert_eq!(w, 24);
//! p.finish(&[WINDOW]).unwrap();
//!
//! let mut p = Params::parse("moving-average", ["windw=3"]).unwrap();
//! let w: usize = p.get(&WINDOW).unwrap(); // the default
//! assert_eq!(w, 12);
//! let err = p.finish(&[WINDOW]).unwrap_err().to_string();
//! assert!(err.contains("windw") && err.contains("window"));
//! ```

use std::collections::BTreeMap;
use std::fmt::Display;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::forecaster::Forecaster;

/// The documentation of one hyper-parameter: its name, default (as text) and a one-line help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// The key users write (`window`, `season`, `alpha`).
    pub name: &'static str,
    /// The default value as it would be written on the command line. May be a description
    /// such as `auto` when the builder computes the default itself.
    pub default: &'static str,
    /// One line saying what the parameter does.
    pub help: &'static str,
}

/// A set of `key=value` hyper-parameters for one model, tracking which keys were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    model: String,
    values: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    value: String,
    used: bool,
}

impl Params {
    /// An empty parameter set for `model` (the name is used in error messages).
    pub fn new(model: &str) -> Self {
        Params {
            model: model.to_string(),
            values: BTreeMap::new(),
        }
    }

    /// Parses `key=value` pairs. Keys and values are trimmed; a later pair overrides an
    /// earlier one with the same key.
    ///
    /// Errors: [`Error::InvalidParameter`] naming the pair when it has no `=` or an empty key.
    pub fn parse(model: &str, pairs: impl IntoIterator<Item = impl AsRef<str>>) -> Result<Self> {
        let mut p = Params::new(model);
        for pair in pairs {
            let pair = pair.as_ref();
            match pair.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => p.set(k.trim(), v.trim()),
                _ => {
                    return Err(Error::invalid_param(
                        pair,
                        format!("`{pair}` is not of the form key=value"),
                    ));
                }
            }
        }
        Ok(p)
    }

    /// The model these parameters are for.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Sets (or overrides) `key` to `value`.
    pub fn set(&mut self, key: &str, value: impl Display) {
        self.values.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                used: false,
            },
        );
    }

    /// True when `key` was given explicitly (reading it does not count as use).
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The raw text of `key` if given, marking it used.
    pub fn get_raw(&mut self, key: &str) -> Option<&str> {
        self.values.get_mut(key).map(|e| {
            e.used = true;
            e.value.as_str()
        })
    }

    /// The value of `spec.name` parsed as `T`: the given value, else the spec's default.
    /// Marks the key used.
    ///
    /// Errors: [`Error::InvalidParameter`] naming the key and the value that failed to parse.
    pub fn get<T: FromStr>(&mut self, spec: &ParamSpec) -> Result<T>
    where
        T::Err: Display,
    {
        let text = self.get_raw(spec.name).unwrap_or(spec.default).to_string();
        text.parse::<T>().map_err(|e| {
            Error::invalid_param(
                spec.name,
                format!(
                    "`{text}` is not valid for {} ({e}): {}",
                    self.model, spec.help
                ),
            )
        })
    }

    /// Like [`Params::get`] but `None` when the key was not given (for defaults computed by
    /// the builder, e.g. a season length detected from the data).
    pub fn get_opt<T: FromStr>(&mut self, spec: &ParamSpec) -> Result<Option<T>>
    where
        T::Err: Display,
    {
        if self.contains(spec.name) {
            self.get(spec).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Checks that every given key was read by the builder.
    ///
    /// Errors: [`Error::UnknownParameter`] for the first unused key, listing the keys of
    /// `specs` (or `none` when the model has no parameters).
    pub fn finish(self, specs: &[ParamSpec]) -> Result<()> {
        let unused = self
            .values
            .iter()
            .find(|(k, e)| !e.used || !specs.iter().any(|s| s.name == k.as_str()));
        match unused {
            None => Ok(()),
            Some((k, _)) => {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                Err(Error::UnknownParameter {
                    model: self.model.clone(),
                    name: k.clone(),
                    known: if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    },
                })
            }
        }
    }
}

/// What a model builder may need to know about the data besides its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildContext {
    /// Season length in steps chosen by the caller (`--season`, or detected from the
    /// series); `None` when unknown.
    pub season: Option<usize>,
    /// The series step in seconds.
    pub step: i64,
}

impl Default for BuildContext {
    fn default() -> Self {
        BuildContext {
            season: None,
            step: 60,
        }
    }
}

/// Builds an unfitted model from its parameters; see [`ModelSpec`].
pub type BuildFn = fn(&mut Params, &BuildContext) -> Result<Box<dyn Forecaster>>;

/// A registrable model: its name, a one-line description, its documented parameters and a
/// builder. Model crates export their specs (e.g. `forecast_stats::model_specs()`) and the
/// `forecast-zoo` facade registers them; the builder reads every parameter with
/// [`Params::get`], and the registry calls [`Params::finish`] afterwards.
///
/// ```
/// use forecast_core::params::{BuildContext, ModelSpec, ParamSpec, Params};
/// use forecast_core::baselines::MovingAverage;
/// const WINDOW: ParamSpec = ParamSpec { name: "window", default: "12", help: "points averaged" };
/// const MA: ModelSpec = ModelSpec {
///     name: "moving-average",
///     description: "mean of the last `window` values",
///     params: &[WINDOW],
///     build: |p, _ctx| Ok(Box::new(MovingAverage::new(p.get(&WINDOW)?)?)),
/// };
/// let mut p = Params::parse("moving-average", ["window=3"]).unwrap();
/// let model = (MA.build)(&mut p, &BuildContext::default()).unwrap();
/// assert_eq!(model.name(), "moving-average");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ModelSpec {
    /// Registry name (what `--model` takes).
    pub name: &'static str,
    /// One line shown by `forecast-zoo models`.
    pub description: &'static str,
    /// The documented hyper-parameters.
    pub params: &'static [ParamSpec],
    /// The builder.
    pub build: BuildFn,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALPHA: ParamSpec = ParamSpec {
        name: "alpha",
        default: "0.5",
        help: "smoothing",
    };
    const N: ParamSpec = ParamSpec {
        name: "n",
        default: "3",
        help: "count",
    };

    #[test]
    fn parse_get_and_defaults() {
        let mut p = Params::parse("m", ["alpha = 0.25", "n=7", "n=8"]).unwrap();
        assert_eq!(p.get::<f64>(&ALPHA).unwrap(), 0.25);
        assert_eq!(p.get::<usize>(&N).unwrap(), 8);
        p.finish(&[ALPHA, N]).unwrap();
        let mut p = Params::new("m");
        assert_eq!(p.get::<f64>(&ALPHA).unwrap(), 0.5);
        assert_eq!(p.get_opt::<usize>(&N).unwrap(), None);
        p.set("n", 4);
        assert_eq!(p.get_opt::<usize>(&N).unwrap(), Some(4));
        p.finish(&[ALPHA, N]).unwrap();
    }

    #[test]
    fn bad_pairs_and_values_are_named() {
        let e = Params::parse("m", ["alpha"]).unwrap_err();
        assert!(
            e.to_string()
                .contains("`alpha` is not of the form key=value")
        );
        assert!(Params::parse("m", ["=3"]).is_err());
        let mut p = Params::parse("m", ["n=three"]).unwrap();
        let e = p.get::<usize>(&N).unwrap_err();
        assert!(matches!(&e, Error::InvalidParameter { name, reason }
            if name == "n" && reason.contains("three")));
    }

    #[test]
    fn unknown_and_unused_keys() {
        let mut p = Params::parse("m", ["alpah=1"]).unwrap();
        p.get::<f64>(&ALPHA).unwrap();
        let e = p.finish(&[ALPHA, N]).unwrap_err();
        assert_eq!(
            e,
            Error::UnknownParameter {
                model: "m".into(),
                name: "alpah".into(),
                known: "alpha, n".into()
            }
        );
        // Given but never read by the builder: also rejected.
        let p = Params::parse("m", ["n=1"]).unwrap();
        assert!(matches!(
            p.finish(&[N]),
            Err(Error::UnknownParameter { .. })
        ));
        let p = Params::parse("naive", ["x=1"]).unwrap();
        assert!(
            p.finish(&[])
                .unwrap_err()
                .to_string()
                .contains("known parameters: none")
        );
    }
}
