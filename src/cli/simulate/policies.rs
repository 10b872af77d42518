//! `--policies` of `simulate`: parsing policy specs such as `hpa`, `predictive:arima` or
//! `hybrid-max:all` into boxed [`ScalingPolicy`] values built from the model registry.
//!
//! Kinds: `hpa`, `hpa-behavior`, `keda`, `reactive`, `statuscale` (no model), and
//! `predictive`, `predictive-upper`, `hybrid-max`, `hybrid-blend`, `hybrid-override`,
//! `hybrid-fallback`, `hybrid-guard` (with `:<model>`; `:all` expands to every registered
//! model).

use forecast_autoscale::guard::{GuardConfig, GuardedHybrid};
use forecast_autoscale::hpa::{Behavior, HpaConfig, HpaPolicy};
use forecast_autoscale::hybrid::{FallbackConfig, HybridPolicy, HybridStrategy};
use forecast_autoscale::keda::{KedaConfig, KedaPolicy};
use forecast_autoscale::planner::{PlanMode, Planner, PlannerConfig};
use forecast_autoscale::predictive::PredictivePolicy;
use forecast_autoscale::reactive::{ReactiveConfig, ReactivePolicy};
use forecast_autoscale::statuscale::{StatuScaleConfig, StatuScalePolicy};
use forecast_autoscale::{AutoscaleError, ScalingPolicy};
use forecast_core::Forecaster;
use forecast_core::params::{BuildContext, Params};
use forecast_zoo::Registry;

use crate::cli::common::{CliError, CliResult, input_err};

/// Kinds that take no model.
const PLAIN: [&str; 5] = ["hpa", "hpa-behavior", "keda", "reactive", "statuscale"];
/// Kinds that take `:<model>`.
const WITH_MODEL: [&str; 7] = [
    "predictive",
    "predictive-upper",
    "hybrid-max",
    "hybrid-blend",
    "hybrid-override",
    "hybrid-fallback",
    "hybrid-guard",
];

/// Interval level used by `predictive-upper` and `hybrid-guard` (percent).
const UPPER_LEVEL: f64 = 95.0;

/// What every policy of one run shares.
#[derive(Debug, Clone)]
pub struct PolicySettings {
    /// Load one replica serves (trace units).
    pub capacity: f64,
    /// Fewest replicas.
    pub min: u32,
    /// Most replicas.
    pub max: u32,
    /// Target utilisation (HPA CPU target, reactive and planner `u_tgt`), in (0, 1].
    pub target: f64,
    /// Planner headroom fraction.
    pub headroom: f64,
    /// Provisioning lead time in seconds (start-up delay plus metric lag).
    pub lead_time: i64,
    /// Decision period in seconds (the sync period).
    pub decision_period: i64,
    /// Most points of context handed to a model at each decision.
    pub context: usize,
    /// `--param key=value` pairs (given to every model that declares the key).
    pub params: Vec<String>,
}

/// One parsed `--policies` entry (after `:all` expansion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySpec {
    /// The kind (e.g. `hybrid-max`).
    pub kind: String,
    /// The model name for the kinds that take one.
    pub model: Option<String>,
}

impl PolicySpec {
    /// The spec as written (`kind` or `kind:model`).
    pub fn label(&self) -> String {
        match &self.model {
            Some(m) => format!("{}:{m}", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// Parses and expands `--policies` against `registry`: unknown kinds, missing or unknown
/// models are input errors; `kind:all` becomes one entry per registered model.
pub fn parse_specs(list: &[String], registry: &Registry) -> CliResult<Vec<PolicySpec>> {
    let mut out: Vec<PolicySpec> = Vec::new();
    for raw in list {
        let item = raw.trim();
        if item.is_empty() {
            continue;
        }
        let (kind, model) = match item.split_once(':') {
            Some((k, m)) => (k.trim(), Some(m.trim())),
            None => (item, None),
        };
        let known = || {
            format!(
                "known policies: {}, {}",
                PLAIN.join(", "),
                WITH_MODEL.map(|k| format!("{k}:<model|all>")).join(", ")
            )
        };
        if PLAIN.contains(&kind) {
            if model.is_some() {
                return Err(input_err(format!(
                    "policy `{item}`: {kind} takes no model; {}",
                    known()
                )));
            }
            out.push(PolicySpec {
                kind: kind.into(),
                model: None,
            });
        } else if WITH_MODEL.contains(&kind) {
            match model {
                None | Some("") => {
                    return Err(input_err(format!(
                        "policy `{item}` needs a model, e.g. {kind}:naive or {kind}:all"
                    )));
                }
                Some("all") => out.extend(registry.names().into_iter().map(|m| PolicySpec {
                    kind: kind.into(),
                    model: Some(m.into()),
                })),
                Some(m) => {
                    registry.get(m)?;
                    out.push(PolicySpec {
                        kind: kind.into(),
                        model: Some(m.into()),
                    });
                }
            }
        } else {
            return Err(input_err(format!("unknown policy `{item}`; {}", known())));
        }
    }
    if out.is_empty() {
        return Err(input_err("--policies names no policy"));
    }
    let mut seen: Vec<String> = Vec::new();
    out.retain(|s| {
        let l = s.label();
        let fresh = !seen.contains(&l);
        seen.push(l);
        fresh
    });
    Ok(out)
}

fn autoscale(e: AutoscaleError) -> CliError {
    CliError::from(forecast_core::Error::from(e))
}

/// Checks the shared settings (typed input errors for capacity ≤ 0, min > max, ...).
pub fn check_settings(s: &PolicySettings) -> CliResult {
    if !(s.capacity.is_finite() && s.capacity > 0.0) {
        return Err(input_err(format!(
            "invalid value for parameter `capacity`: must be a finite number > 0, got {}",
            s.capacity
        )));
    }
    if s.min == 0 {
        return Err(input_err(
            "invalid value for parameter `min`: must be at least 1 replica",
        ));
    }
    if s.min > s.max {
        return Err(input_err(format!(
            "invalid value for parameter `min`: --min ({}) is greater than --max ({})",
            s.min, s.max
        )));
    }
    if !(s.target.is_finite() && s.target > 0.0 && s.target <= 1.0) {
        return Err(input_err(format!(
            "invalid value for parameter `target`: must lie in (0, 1], got {}",
            s.target
        )));
    }
    if s.context == 0 {
        return Err(input_err(
            "invalid value for parameter `context`: must be at least 1 point",
        ));
    }
    planner_config(s, PlanMode::Point).map(|_| ())
}

fn planner_config(s: &PolicySettings, mode: PlanMode) -> CliResult<PlannerConfig> {
    let mut pc = PlannerConfig::new(s.capacity, s.min, s.max).map_err(autoscale)?;
    pc.target_utilization = s.target;
    pc.headroom = s.headroom;
    pc.lead_time = s.lead_time;
    pc.decision_period = s.decision_period;
    pc.mode = mode;
    pc.validate().map_err(autoscale)?;
    Ok(pc)
}

fn reactive(s: &PolicySettings) -> CliResult<ReactivePolicy> {
    let mut rc = ReactiveConfig::new(s.capacity, s.min, s.max).map_err(autoscale)?;
    // Keep 0 < u_down < u_tgt <= u_up <= 1 whatever --target is.
    let down = (0.5f64).min(s.target * 0.7);
    rc.thresholds = forecast_autoscale::reactive::Thresholds::Linear {
        up: s.target.max(0.8),
        target: s.target,
        down,
    };
    ReactivePolicy::new(rc).map_err(autoscale)
}

fn hpa_config(s: &PolicySettings) -> CliResult<HpaConfig> {
    let pct = (s.target * 100.0).round().max(1.0) as u32;
    let cfg = HpaConfig::new(s.min, s.max)
        .map_err(autoscale)?
        .with_cpu_target(pct);
    cfg.validate().map_err(autoscale)?;
    Ok(cfg)
}

fn predictive(
    model: Box<dyn Forecaster>,
    s: &PolicySettings,
    mode: PlanMode,
) -> CliResult<PredictivePolicy> {
    let planner = Planner::new(planner_config(s, mode)?).map_err(autoscale)?;
    Ok(PredictivePolicy::new(model, planner).with_max_context(s.context))
}

/// The forecast horizon (steps of `step` s) the planner needs: lead time plus one period.
fn horizon_steps(s: &PolicySettings, step: i64) -> usize {
    ((s.lead_time + s.decision_period) / step.max(1) + 2) as usize
}

/// Builds one policy. `ctx` carries the trace's season and step; the model (if any) is
/// built unfitted from the registry: it is fitted by the replay on the history before the
/// replay window, then forecasts from past data only.
pub fn build(
    spec: &PolicySpec,
    s: &PolicySettings,
    registry: &Registry,
    ctx: &BuildContext,
) -> CliResult<Box<dyn ScalingPolicy>> {
    let model = |levels: &[f64]| -> CliResult<Box<dyn Forecaster>> {
        let name = spec.model.as_deref().unwrap_or_default();
        let params = model_params(registry, name, &s.params)?;
        Ok(registry.build_with_levels(name, params, ctx, levels, horizon_steps(s, ctx.step))?)
    };
    let upper = PlanMode::Upper { level: UPPER_LEVEL };
    let hybrid = |strategy: HybridStrategy| -> CliResult<HybridPolicy> {
        HybridPolicy::new(
            predictive(model(&[])?, s, PlanMode::Point)?,
            reactive(s)?,
            strategy,
        )
        .map_err(autoscale)
    };
    let policy: Box<dyn ScalingPolicy> = match spec.kind.as_str() {
        "hpa" => Box::new(HpaPolicy::new(hpa_config(s)?).map_err(autoscale)?),
        "hpa-behavior" => Box::new(
            HpaPolicy::new(hpa_config(s)?.with_behavior(Some(Behavior::default())))
                .map_err(autoscale)?
                .named("hpa-behavior"),
        ),
        "keda" => {
            let mut kc = KedaConfig::new(s.capacity * s.target, s.max).map_err(autoscale)?;
            kc.min_replica_count = s.min;
            Box::new(KedaPolicy::new(kc).map_err(autoscale)?)
        }
        "reactive" => Box::new(reactive(s)?),
        "statuscale" => Box::new(
            StatuScalePolicy::new(StatuScaleConfig::new(s.min, s.max).map_err(autoscale)?)
                .map_err(autoscale)?,
        ),
        "predictive" => Box::new(predictive(model(&[])?, s, PlanMode::Point)?),
        "predictive-upper" => {
            let p = predictive(model(&[UPPER_LEVEL])?, s, upper)?;
            let name = format!("predictive-upper:{}", p.model().name());
            Box::new(p.named(name))
        }
        "hybrid-max" => Box::new(hybrid(HybridStrategy::MaxSafety)?),
        "hybrid-blend" => Box::new(hybrid(HybridStrategy::WeightedBlend { w: 0.5 })?),
        "hybrid-override" => Box::new(hybrid(HybridStrategy::ReactiveOverride { d: 2 })?),
        "hybrid-fallback" => {
            let h = hybrid(HybridStrategy::MaxSafety)?
                .with_fallback(
                    FallbackConfig {
                        max_error: 0.5,
                        min_matches: 5,
                    },
                    HpaPolicy::new(hpa_config(s)?).map_err(autoscale)?,
                )
                .map_err(autoscale)?;
            let name = h.name().replacen("hybrid-max", "hybrid-fallback", 1);
            Box::new(h.named(name))
        }
        "hybrid-guard" => {
            let g = GuardConfig::new(s.capacity, s.min, s.max).map_err(autoscale)?;
            let g = GuardConfig {
                lead_time: s.lead_time,
                decision_period: s.decision_period,
                ..g
            };
            Box::new(
                GuardedHybrid::new(model(&[])?, g)
                    .map_err(autoscale)?
                    .with_max_context(s.context),
            )
        }
        other => return Err(input_err(format!("unknown policy kind `{other}`"))),
    };
    Ok(policy)
}

/// The `--param` pairs that `model` declares (an unknown key for every selected model is
/// reported by [`check_params`]).
fn model_params(registry: &Registry, model: &str, pairs: &[String]) -> CliResult<Params> {
    let spec = registry.get(model)?;
    let mine = pairs.iter().filter(|p| {
        let key = p.split_once('=').map_or("", |(k, _)| k.trim());
        spec.params.iter().any(|s| s.name == key)
    });
    Ok(Params::parse(model, mine)?)
}

/// Checks `--param` pairs: well-formed, and each key declared by at least one selected model.
pub fn check_params(specs: &[PolicySpec], registry: &Registry, pairs: &[String]) -> CliResult {
    Params::parse("simulate", pairs)?;
    let models: Vec<&str> = specs.iter().filter_map(|s| s.model.as_deref()).collect();
    for pair in pairs {
        let key = pair.split_once('=').map_or("", |(k, _)| k.trim());
        let mut known: Vec<&str> = Vec::new();
        for m in &models {
            for p in registry.get(m)?.params {
                if !known.contains(&p.name) {
                    known.push(p.name);
                }
            }
        }
        if !known.contains(&key) {
            return Err(forecast_core::Error::UnknownParameter {
                model: if models.is_empty() {
                    "the selected policies".into()
                } else {
                    models.join(", ")
                },
                name: key.to_string(),
                known: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            }
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> PolicySettings {
        PolicySettings {
            capacity: 50.0,
            min: 1,
            max: 20,
            target: 0.7,
            headroom: 0.1,
            lead_time: 60,
            decision_period: 15,
            context: 480,
            params: vec![],
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_expands_and_rejects() {
        let reg = Registry::builtin();
        let specs = parse_specs(&strings(&["hpa", "predictive:all", "hpa"]), &reg).unwrap();
        assert_eq!(specs.len(), 1 + reg.names().len());
        assert_eq!(specs[1].label(), "predictive:naive");
        for bad in [
            "nope",
            "hpa:naive",
            "predictive",
            "predictive:",
            "hybrid-max:x9",
        ] {
            assert!(parse_specs(&strings(&[bad]), &reg).is_err(), "{bad}");
        }
        assert!(parse_specs(&strings(&[" "]), &reg).is_err());
    }

    #[test]
    fn builds_every_kind_within_bounds() {
        let reg = Registry::builtin();
        let ctx = BuildContext {
            season: Some(4),
            step: 15,
        };
        let all: Vec<String> = PLAIN
            .iter()
            .map(|k| k.to_string())
            .chain(WITH_MODEL.iter().map(|k| format!("{k}:moving-average")))
            .collect();
        let specs = parse_specs(&all, &reg).unwrap();
        for sp in &specs {
            let p = build(sp, &settings(), &reg, &ctx).unwrap();
            assert_eq!(p.bounds().min, 1);
            assert_eq!(p.bounds().max, 20);
        }
        let mut s = settings();
        s.capacity = 0.0;
        assert!(check_settings(&s).is_err());
        let mut s = settings();
        s.min = 5;
        s.max = 2;
        assert!(check_settings(&s).is_err());
        assert!(check_params(&specs, &reg, &strings(&["window=4"])).is_ok());
        assert!(check_params(&specs, &reg, &strings(&["bogus=1"])).is_err());
    }

    use forecast_autoscale::{ReplayConfig, simulate};
    use forecast_core::Series;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// Any policy list and settings: parsing and building give Ok or a typed error (never
        /// a panic), and every built policy keeps its replicas within [min, max] on any trace.
        #[test]
        fn any_policy_spec_and_settings(
            kinds in proptest::collection::vec(0usize..12, 1..4),
            model in 0usize..4,
            capacity in -10.0f64..500.0,
            min in 0u32..5,
            extra in 0u32..30,
            inverted in proptest::bool::weighted(0.1),
            target in -0.2f64..1.3,
            headroom in -0.2f64..1.5,
            startup in 0i64..200,
            sync_idx in 0usize..3,
            values in proptest::collection::vec(0.0f64..3000.0, 60..140),
        ) {
            let reg = Registry::builtin();
            let names = ["naive", "drift", "moving-average", "seasonal-naive"];
            let list: Vec<String> = kinds
                .iter()
                .map(|&k| {
                    if k < PLAIN.len() {
                        PLAIN[k].to_string()
                    } else {
                        format!("{}:{}", WITH_MODEL[k - PLAIN.len()], names[model])
                    }
                })
                .collect();
            let max = if inverted { min.saturating_sub(1) } else { min + extra };
            let sync = [5, 15, 30][sync_idx];
            let s = PolicySettings {
                capacity,
                min,
                max,
                target,
                headroom,
                lead_time: startup,
                decision_period: sync,
                context: 50,
                params: vec![],
            };
            let specs = parse_specs(&list, &reg).unwrap();
            let valid = capacity > 0.0 && min >= 1 && min <= max && (1e-6..=1.0).contains(&target)
                && (0.0..=10.0).contains(&headroom);
            prop_assert_eq!(check_settings(&s).is_ok(), valid, "{:?}", s);
            if valid {
                let ctx = BuildContext { season: Some(4), step: 15 };
                let trace = Series::new(0, 15, values).unwrap();
                let mut cfg = ReplayConfig::new(capacity).unwrap();
                cfg.startup_delay = startup;
                cfg.sync_period = sync;
                cfg.history_points = 30;
                cfg.record_timeline = true;
                for sp in &specs {
                    let mut p = build(sp, &s, &reg, &ctx).unwrap();
                    let r = simulate(&trace, p.as_mut(), &cfg);
                    prop_assert!(r.is_ok(), "{}: {:?}", sp.label(), r.err());
                    let tl = r.unwrap().timeline.unwrap();
                    prop_assert!(
                        tl.allocated.iter().all(|&a| a >= min && a <= max),
                        "{} left [{min}, {max}]", sp.label()
                    );
                }
            }
        }
    }
}
