//! `serve.yaml`: the Prometheus connection, the listen address and any number of targets,
//! with `defaults` shared by every target. Unknown keys are errors; every error names the
//! file and, where the YAML parser or the target's `name:` line tells, the line and column.
//!
//! ```yaml
//! listen: 0.0.0.0:9184
//! prometheus:
//!   url: https://prometheus.monitoring:9090
//!   bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
//!   ca_file: /etc/forecast-zoo/ca.pem        # besides the system roots
//!   timeout: 10s
//! defaults:
//!   model: holt-winters
//!   step: 30s          # query resolution
//!   interval: 15s      # forecast every 15 s
//!   history: 2d        # a duration, or a number of points
//!   horizon: 10m       # published horizon: a duration, or a number of steps
//! targets:
//!   - name: checkout
//!     query: sum(rate(http_requests_total{service="checkout"}[1m]))
//!     capacity: 50     # requests/s one pod serves at the SLO
//!     min_replicas: 2
//!     max_replicas: 40
//!     params: {season: auto}
//!     max_error: {metric: mape, max: 40}
//! ```
//!
//! Target keys (all optional in `defaults`): `name`, `query`, `model`, `params` (a map or a
//! list of `key=value`), `season` (`auto`, steps, or a duration), `step`, `interval`,
//! `history`, `horizon`, `refit_every`, `stale_after`, `max_backoff`, `error_window`,
//! `max_error` (`{metric: mae|rmse|mape, max, min_samples}`), and the planner's
//! `capacity`, `target_utilization`, `headroom`, `lead_time`, `decision_period`,
//! `min_replicas`, `max_replicas`, `upper_level` (plan for the upper bound of this interval
//! level instead of the point forecast), `max_step_up`, `max_step_down`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use forecast_autoscale::planner::{PlanMode, PlannerConfig};
use serde::Deserialize;

use super::auth::{Auth, Secret};
use super::client::{ClientConfig, DEFAULT_MAX_POINTS};
use super::duration::{de_opt_duration, parse_duration};
use super::error::{LiveError, Result};
use super::model_error::ErrorBound;
use super::target::{SeasonSpec, TargetConfig};
use crate::registry::Registry;

/// Default listen address of `serve`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9184";

/// Everything `serve` runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeConfig {
    /// `host:port` of the HTTP server.
    pub listen: String,
    /// The Prometheus connection.
    pub client: ClientConfig,
    /// The targets.
    pub targets: Vec<TargetConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    prometheus: PromSection,
    #[serde(default)]
    defaults: TargetSpec,
    targets: Vec<TargetSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromSection {
    url: String,
    bearer_token_env: Option<String>,
    bearer_token_file: Option<PathBuf>,
    basic_auth: Option<BasicAuthSection>,
    ca_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    timeout: Option<i64>,
    max_points: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicAuthSection {
    username: String,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
}

/// A count, or a duration converted with the step.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum CountOrDuration {
    Count(usize),
    Duration(String),
}

/// `season: auto | <steps> | <duration>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum SeasonValue {
    Steps(usize),
    Text(String),
}

/// `params: {k: v}` or `params: [k=v, …]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ParamsValue {
    Map(BTreeMap<String, serde_yaml_ng::Value>),
    List(Vec<String>),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    name: Option<String>,
    query: Option<String>,
    model: Option<String>,
    params: Option<ParamsValue>,
    season: Option<SeasonValue>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    step: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    interval: Option<i64>,
    history: Option<CountOrDuration>,
    horizon: Option<CountOrDuration>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    refit_every: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    stale_after: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    max_backoff: Option<i64>,
    error_window: Option<usize>,
    max_error: Option<ErrorBound>,
    capacity: Option<f64>,
    target_utilization: Option<f64>,
    headroom: Option<f64>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    lead_time: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_duration")]
    decision_period: Option<i64>,
    min_replicas: Option<u32>,
    max_replicas: Option<u32>,
    upper_level: Option<f64>,
    max_step_up: Option<u32>,
    max_step_down: Option<u32>,
}

macro_rules! merge {
    ($t:expr, $d:expr, $($f:ident),*) => { $( if $t.$f.is_none() { $t.$f = $d.$f.clone(); } )* };
}

/// Reads and checks a `serve.yaml` file (see the [module docs](self)).
pub fn load_config(path: &Path, registry: &Registry) -> Result<ServeConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| LiveError::Config {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message: format!("cannot read: {e}"),
    })?;
    parse_config(&text, path, registry)
}

/// Parses and checks `serve.yaml` text; `path` names the file in errors.
pub fn parse_config(text: &str, path: &Path, registry: &Registry) -> Result<ServeConfig> {
    let err = |line: Option<usize>, column: Option<usize>, message: String| LiveError::Config {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let file: FileConfig = serde_yaml_ng::from_str(text).map_err(|e| {
        let loc = e.location();
        let mut msg = e.to_string();
        if let Some(i) = msg.rfind(" at line ") {
            msg.truncate(i);
        }
        err(
            loc.as_ref().map(|l| l.line()),
            loc.as_ref().map(|l| l.column()),
            msg,
        )
    })?;
    let prom_line = line_of(text, |l| l.trim_start().starts_with("prometheus:"));
    let client =
        client_config(&file.prometheus).map_err(|e| err(prom_line, None, e.to_string()))?;
    if file.targets.is_empty() {
        return Err(err(
            line_of(text, |l| l.trim_start().starts_with("targets:")),
            None,
            "`targets` is empty; give at least one target".into(),
        ));
    }
    let mut targets = Vec::with_capacity(file.targets.len());
    for (i, mut t) in file.targets.into_iter().enumerate() {
        let d = &file.defaults;
        merge!(
            t,
            d,
            query,
            model,
            params,
            season,
            step,
            interval,
            history,
            horizon,
            refit_every,
            stale_after,
            max_backoff,
            error_window,
            max_error,
            capacity,
            target_utilization,
            headroom,
            lead_time,
            decision_period,
            min_replicas,
            max_replicas,
            upper_level,
            max_step_up,
            max_step_down
        );
        let line = t.name.as_deref().and_then(|n| name_line(text, n));
        let label = t.name.clone().unwrap_or_else(|| format!("targets[{i}]"));
        let cfg = target_config(t, registry)
            .map_err(|m| err(line, None, format!("target `{label}`: {m}")))?;
        if targets.iter().any(|o: &TargetConfig| o.name == cfg.name) {
            return Err(err(
                line,
                None,
                format!("target name `{}` is used twice", cfg.name),
            ));
        }
        targets.push(cfg);
    }
    Ok(ServeConfig {
        listen: file.listen.unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
        client,
        targets,
    })
}

fn line_of(text: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines().position(pred).map(|i| i + 1)
}

/// The line of `name: <name>` (plain or quoted, possibly after `- `).
fn name_line(text: &str, name: &str) -> Option<usize> {
    line_of(text, |l| {
        let l = l.trim_start();
        let l = l.strip_prefix('-').map_or(l, str::trim_start);
        l.strip_prefix("name:").is_some_and(|v| {
            let v = v.split(" #").next().unwrap_or("").trim();
            v == name || v.trim_matches(|c| c == '"' || c == '\'') == name
        })
    })
}

fn client_config(p: &PromSection) -> Result<ClientConfig> {
    let mut c = ClientConfig::new(p.url.clone());
    let bearer = Secret::from_options(
        "bearer_token_env/bearer_token_file",
        p.bearer_token_env.clone(),
        p.bearer_token_file.clone(),
    )?;
    c.auth = match (bearer, &p.basic_auth) {
        (Some(_), Some(_)) => {
            return Err(LiveError::invalid(
                "prometheus",
                "give either a bearer token or basic_auth, not both",
            ));
        }
        (Some(s), None) => Auth::Bearer(s),
        (None, Some(b)) => Auth::Basic {
            username: b.username.clone(),
            password: Secret::from_options(
                "basic_auth.password_env/password_file",
                b.password_env.clone(),
                b.password_file.clone(),
            )?
            .ok_or_else(|| {
                LiveError::invalid(
                    "basic_auth",
                    "needs password_env or password_file (passwords are never written in the file)",
                )
            })?,
        },
        (None, None) => Auth::None,
    };
    c.ca_file = p.ca_file.clone();
    if let Some(t) = p.timeout {
        c.timeout = Duration::from_secs(t as u64);
    }
    c.max_points = p.max_points.unwrap_or(DEFAULT_MAX_POINTS);
    Ok(c)
}

fn yaml_scalar(v: &serde_yaml_ng::Value) -> std::result::Result<String, String> {
    use serde_yaml_ng::Value;
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err("parameter values must be strings, numbers or booleans".into()),
    }
}

fn steps(what: &str, v: &CountOrDuration, step: i64) -> std::result::Result<usize, String> {
    match v {
        CountOrDuration::Count(n) => Ok(*n),
        CountOrDuration::Duration(s) => {
            let secs = parse_duration(s).map_err(|e| format!("{what}: {e}"))?;
            if secs % step != 0 {
                return Err(format!(
                    "{what}: {s} is not a whole number of {step} s steps"
                ));
            }
            Ok((secs / step) as usize)
        }
    }
}

fn target_config(t: TargetSpec, registry: &Registry) -> std::result::Result<TargetConfig, String> {
    let name = t.name.ok_or("`name` is missing")?;
    let query = t.query.ok_or("`query` is missing")?;
    let model = t.model.ok_or("`model` is missing")?;
    let capacity = t
        .capacity
        .ok_or("`capacity` (load one replica serves) is missing")?;
    let mut planner = PlannerConfig::new(
        capacity,
        t.min_replicas.unwrap_or(1),
        t.max_replicas.unwrap_or(10),
    )
    .map_err(|e| e.to_string())?;
    if let Some(u) = t.target_utilization {
        planner.target_utilization = u;
    }
    if let Some(h) = t.headroom {
        planner.headroom = h;
    }
    if let Some(l) = t.lead_time {
        planner.lead_time = l;
    }
    if let Some(p) = t.decision_period {
        planner.decision_period = p;
    }
    if let Some(level) = t.upper_level {
        planner.mode = PlanMode::Upper { level };
    }
    planner.max_step_up = t.max_step_up;
    planner.max_step_down = t.max_step_down;
    let mut cfg = TargetConfig::new(name, query, model, planner);
    if let Some(s) = t.step {
        cfg.step = s;
    }
    let interval = t.interval.unwrap_or(cfg.step);
    cfg.interval = Duration::from_secs(interval as u64);
    cfg.params = match t.params {
        None => Vec::new(),
        Some(ParamsValue::List(l)) => l,
        Some(ParamsValue::Map(m)) => m
            .iter()
            .map(|(k, v)| yaml_scalar(v).map(|v| format!("{k}={v}")))
            .collect::<std::result::Result<_, _>>()?,
    };
    cfg.season = match t.season {
        None => SeasonSpec::Auto,
        Some(SeasonValue::Steps(0)) => return Err("season must be at least 1".into()),
        Some(SeasonValue::Steps(n)) => SeasonSpec::Steps(n),
        Some(SeasonValue::Text(s)) if s.trim().eq_ignore_ascii_case("auto") => SeasonSpec::Auto,
        Some(SeasonValue::Text(s)) => {
            SeasonSpec::Seconds(parse_duration(&s).map_err(|e| format!("season: {e}"))?)
        }
    };
    if let Some(h) = &t.history {
        cfg.history = steps("history", h, cfg.step)?;
    }
    if let Some(h) = &t.horizon {
        cfg.horizon = steps("horizon", h, cfg.step)?;
    }
    let step = cfg.step;
    cfg.stale_after = t.stale_after.unwrap_or((5 * step).max(3 * interval));
    if let Some(r) = t.refit_every {
        cfg.refit_every = r;
    }
    if let Some(b) = t.max_backoff {
        cfg.max_backoff = b;
    }
    if let Some(w) = t.error_window {
        cfg.error_window = w;
    }
    cfg.max_error = t.max_error;
    cfg.validate(registry).map_err(|e| e.to_string())?;
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ServeConfig> {
        parse_config(text, Path::new("serve.yaml"), &Registry::builtin())
    }

    const GOOD: &str = "\
listen: 0.0.0.0:9999
prometheus:
  url: http://prom:9090
  bearer_token_file: /var/run/token
  timeout: 5s
defaults:
  model: moving-average
  step: 30s
  capacity: 100
targets:
  - name: a
    query: sum(rate(x[1m]))
    params: {window: 4}
    history: 1h
    horizon: 5m
    max_error: {metric: mape, max: 40}
  - name: \"b\"
    query: up
    model: seasonal-naive
    params: [season=2]
    interval: 10s
    capacity: 5
    upper_level: 80
    min_replicas: 2
    max_replicas: 7
";

    #[test]
    fn parses_targets_with_defaults() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.listen, "0.0.0.0:9999");
        assert_eq!(c.client.timeout, Duration::from_secs(5));
        assert!(matches!(c.client.auth, Auth::Bearer(Secret::File(_))));
        let a = &c.targets[0];
        assert_eq!((a.step, a.history, a.horizon), (30, 120, 10));
        assert_eq!(a.params, vec!["window=4"]);
        assert_eq!(a.interval, Duration::from_secs(30));
        assert_eq!(a.stale_after, 150);
        assert_eq!(a.planner.capacity, 100.0);
        let b = &c.targets[1];
        assert_eq!(b.model, "seasonal-naive");
        assert_eq!(b.planner.capacity, 5.0);
        assert_eq!(b.planner.mode, PlanMode::Upper { level: 80.0 });
        assert_eq!((b.planner.bounds.min, b.planner.bounds.max), (2, 7));
        assert_eq!(b.interval, Duration::from_secs(10));
    }

    fn err_at(text: &str) -> (Option<usize>, Option<usize>, String) {
        match parse(text).unwrap_err() {
            LiveError::Config {
                line,
                column,
                message,
                ..
            } => (line, column, message),
            e => panic!("not a config error: {e}"),
        }
    }

    #[test]
    fn errors_name_lines() {
        // An unknown key, reported by the parser with line and column.
        let bad = GOOD.replace("    history: 1h", "    histroy: 1h");
        let (line, col, msg) = err_at(&bad);
        assert_eq!(line, Some(14), "{msg}");
        assert!(col.is_some());
        assert!(msg.contains("histroy"), "{msg}");
        // A malformed duration.
        // (durations are checked after parsing, so it is located at its target's name line)
        let (line, _, msg) = err_at(&GOOD.replace("interval: 10s", "interval: 10 seconds"));
        assert_eq!(line, Some(17), "{msg}");
        assert!(msg.contains("not a duration"), "{msg}");
        // Semantic errors are located at the target's name line.
        let (line, _, msg) = err_at(&GOOD.replace("capacity: 5\n", "capacity: -5\n"));
        assert_eq!(line, Some(17), "{msg}");
        assert!(
            msg.contains("target `b`") && msg.contains("capacity"),
            "{msg}"
        );
        let (line, _, msg) = err_at(&GOOD.replace("model: seasonal-naive", "model: no-such"));
        assert_eq!(line, Some(17));
        assert!(msg.contains("no-such"), "{msg}");
        let (line, _, msg) = err_at(&GOOD.replace("params: {window: 4}", "params: {windw: 4}"));
        assert_eq!(line, Some(11));
        assert!(msg.contains("windw"), "{msg}");
        // Missing keys, YAML syntax, empty target list, auth conflicts.
        let (_, _, msg) = err_at(&GOOD.replace("    query: up\n", ""));
        assert!(msg.contains("`query` is missing"), "{msg}");
        let (line, _, _) = err_at("prometheus: {url: http://p}\ntargets: [\n");
        assert!(line.is_some());
        let (line, _, msg) = err_at("prometheus: {url: http://p}\ntargets: []\n");
        assert_eq!(line, Some(2));
        assert!(msg.contains("empty"));
        let (line, _, msg) = err_at(
            "prometheus:\n  url: http://p\n  bearer_token_env: T\n  bearer_token_file: /t\ntargets: []\n",
        );
        assert_eq!(line, Some(1));
        assert!(msg.contains("not both"), "{msg}");
        let (_, _, msg) =
            err_at("prometheus:\n  url: http://p\n  basic_auth: {username: u}\ntargets: []\n");
        assert!(msg.contains("password_env"), "{msg}");
        let (_, _, msg) = err_at(
            "prometheus:\n  url: http://p\n  basic_auth: {username: u, password: hunter2}\ntargets: []\n",
        );
        assert!(msg.contains("unknown field `password`"), "{msg}");
        let e = parse(&GOOD.replace("name: \"b\"", "name: a"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("used twice"), "{e}");
        assert!(e.starts_with("serve.yaml:"), "{e}");
    }

    #[test]
    fn deploy_example_parses() {
        let text = include_str!("../../deploy/serve-config.yaml");
        let c = parse(text).unwrap();
        assert!(!c.targets.is_empty());
    }
}
