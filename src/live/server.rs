//! The HTTP side of `serve`: `/metrics` (Prometheus text format), `/healthz`, `/readyz`,
//! on `tiny_http` with a few worker threads.
//!
//! Exposed per target: `forecast_zoo_predicted{target,horizon_seconds}`,
//! `forecast_zoo_recommended_replicas{target}`, `forecast_zoo_model_error{target,metric}`,
//! `forecast_zoo_last_success_timestamp_seconds{target}` (0 before the first success),
//! `forecast_zoo_fallback{target}` (1 while falling back) with
//! `forecast_zoo_fallback_reason{target,reason}`, `forecast_zoo_last_observation{target}`,
//! `forecast_zoo_errors_total{target,kind}`, `forecast_zoo_fits_total{target}`,
//! `forecast_zoo_ticks_total{target}`, `forecast_zoo_history_points{target}`,
//! `forecast_zoo_forecast_duration_seconds{target}`; then `forecast_zoo_build_info` and the
//! process metrics.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::{Header, Method, Response, Server};

use super::error::{LiveError, Result};
use super::metrics::{CONTENT_TYPE, Exposition, MetricType};
use super::process::{self, unix_now};
use super::target::TargetStatus;

/// Failure kinds always exposed by `forecast_zoo_errors_total` (0 until they happen).
const ERROR_KINDS: &[&str] = &[
    "unreachable",
    "api",
    "answer",
    "empty",
    "config",
    "fit",
    "model",
    "panic",
];

/// What the server reads: the targets' published status.
#[derive(Debug)]
pub struct AppState {
    /// One status per target, written by its worker.
    pub targets: Vec<Arc<Mutex<TargetStatus>>>,
    /// Per target, how many seconds without a tick make `/healthz` fail.
    pub heartbeat_limits: Vec<f64>,
    /// Unix time the server started (fallback for `process_start_time_seconds`).
    pub started: f64,
}

impl AppState {
    fn snapshot(&self) -> Vec<TargetStatus> {
        self.targets
            .iter()
            .map(|t| {
                t.lock()
                    .map(|s| s.clone())
                    .unwrap_or_else(|p| p.into_inner().clone())
            })
            .collect()
    }
}

/// A per-target metric family: name, help, type and the value read from a target's status.
type PerTargetFamily = (
    &'static str,
    &'static str,
    MetricType,
    fn(&TargetStatus) -> f64,
);
/// Renders `/metrics`.
pub fn render_metrics(state: &AppState) -> String {
    let targets = state.snapshot();
    let mut e = Exposition::with_capacity(2048 + 1024 * targets.len());
    let g = MetricType::Gauge;
    let c = MetricType::Counter;
    let name_of = |t: &TargetStatus| t.name.clone();

    e.family(
        "forecast_zoo_predicted",
        "Forecast of the target's query, horizon_seconds after its newest point.",
        g,
    );
    for t in &targets {
        for (h, v) in &t.predicted {
            e.sample(
                "forecast_zoo_predicted",
                &[("target", &t.name), ("horizon_seconds", &h.to_string())],
                *v,
            );
        }
    }
    e.family(
        "forecast_zoo_recommended_replicas",
        "Replicas recommended by the planner (or the HPA-equivalent fallback).",
        g,
    );
    for t in &targets {
        if let Some(n) = t.recommended {
            e.sample(
                "forecast_zoo_recommended_replicas",
                &[("target", &t.name)],
                f64::from(n),
            );
        }
    }
    e.family(
        "forecast_zoo_model_error",
        "Recent error of the forecasts against later observations (mape in percent).",
        g,
    );
    for t in &targets {
        for (m, v) in &t.model_error {
            e.sample(
                "forecast_zoo_model_error",
                &[("target", &t.name), ("metric", m.as_str())],
                *v,
            );
        }
    }
    e.family(
        "forecast_zoo_last_success_timestamp_seconds",
        "Unix time of the last forecast-based recommendation (0 before the first).",
        g,
    );
    for t in &targets {
        e.sample(
            "forecast_zoo_last_success_timestamp_seconds",
            &[("target", &t.name)],
            t.last_success.unwrap_or(0.0),
        );
    }
    e.family(
        "forecast_zoo_fallback",
        "1 while the recommendation is the reactive HPA-equivalent fallback.",
        g,
    );
    for t in &targets {
        let v = if t.fallback.is_some() || t.ticks == 0 {
            1.0
        } else {
            0.0
        };
        e.sample("forecast_zoo_fallback", &[("target", &name_of(t))], v);
    }
    if targets.iter().any(|t| t.fallback.is_some()) {
        e.family(
            "forecast_zoo_fallback_reason",
            "Why the target falls back (one series while it does).",
            g,
        );
        for t in &targets {
            if let Some(r) = t.fallback {
                e.sample(
                    "forecast_zoo_fallback_reason",
                    &[("target", &t.name), ("reason", r.as_str())],
                    1.0,
                );
            }
        }
    }
    e.family(
        "forecast_zoo_last_observation",
        "Newest value of the target's query.",
        g,
    );
    for t in &targets {
        if let Some((_, v)) = t.last_observation {
            e.sample("forecast_zoo_last_observation", &[("target", &t.name)], v);
        }
    }
    e.family(
        "forecast_zoo_errors_total",
        "Failures by kind (unreachable, api, answer, empty, config, fit, model, panic).",
        c,
    );
    for t in &targets {
        for kind in ERROR_KINDS {
            let n = t
                .errors
                .iter()
                .find(|(k, _)| k == kind)
                .map_or(0, |(_, n)| *n);
            e.sample(
                "forecast_zoo_errors_total",
                &[("target", &t.name), ("kind", kind)],
                n as f64,
            );
        }
    }
    let per_target: [PerTargetFamily; 4] = [
        ("forecast_zoo_fits_total", "Model fits completed.", c, |t| {
            t.fits as f64
        }),
        ("forecast_zoo_ticks_total", "Forecast cycles run.", c, |t| {
            t.ticks as f64
        }),
        (
            "forecast_zoo_history_points",
            "Points held in the target's history.",
            g,
            |t| t.history_len as f64,
        ),
        (
            "forecast_zoo_forecast_duration_seconds",
            "Duration of the last forecast call.",
            g,
            |t| t.forecast_seconds,
        ),
    ];
    for (name, help, kind, f) in per_target {
        e.family(name, help, kind);
        for t in &targets {
            e.sample(name, &[("target", &t.name)], f(t));
        }
    }
    e.family("forecast_zoo_build_info", "forecast-zoo version.", g);
    e.sample(
        "forecast_zoo_build_info",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1.0,
    );
    process::expose(&mut e, &process::read(state.started));
    e.into_string()
}

/// `/healthz`: 200 unless a target's worker stopped ticking.
pub fn health(state: &AppState) -> (u16, String) {
    let now = unix_now();
    let stuck: Vec<String> = state
        .snapshot()
        .iter()
        .zip(&state.heartbeat_limits)
        .filter(|(t, limit)| t.ticks > 0 && now - t.heartbeat > **limit)
        .map(|(t, _)| t.name.clone())
        .collect();
    if stuck.is_empty() {
        (200, "ok\n".into())
    } else {
        (503, format!("stuck targets: {}\n", stuck.join(", ")))
    }
}

/// `/readyz`: 200 once every target has published a recommendation.
pub fn ready(state: &AppState) -> (u16, String) {
    let targets = state.snapshot();
    let mut body = String::new();
    for t in &targets {
        let what = match (t.recommended, t.fallback) {
            (None, _) => "starting".to_string(),
            (Some(n), None) => format!("{n} replicas (forecast)"),
            (Some(n), Some(r)) => format!("{n} replicas (fallback: {})", r.as_str()),
        };
        body.push_str(&format!("{}: {what}\n", t.name));
    }
    let code = if targets.iter().all(|t| t.recommended.is_some()) {
        200
    } else {
        503
    };
    (code, body)
}

/// The running HTTP server.
pub struct HttpServer {
    server: Arc<Server>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpServer")
            .field("addr", &self.addr)
            .field("threads", &self.threads.len())
            .finish()
    }
}

fn header(k: &str, v: &str) -> Option<Header> {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).ok()
}

fn handle(req: tiny_http::Request, state: &AppState) {
    let path = req.url().split('?').next().unwrap_or("").to_string();
    let (code, body, ctype): (u16, String, &str) = match (req.method(), path.as_str()) {
        (Method::Get | Method::Head, "/metrics") => (200, render_metrics(state), CONTENT_TYPE),
        (Method::Get | Method::Head, "/healthz") => {
            let (c, b) = health(state);
            (c, b, "text/plain; charset=utf-8")
        }
        (Method::Get | Method::Head, "/readyz") => {
            let (c, b) = ready(state);
            (c, b, "text/plain; charset=utf-8")
        }
        (Method::Get | Method::Head, "/") => (
            200,
            "forecast-zoo serve: /metrics /healthz /readyz\n".to_string(),
            "text/plain; charset=utf-8",
        ),
        (Method::Get | Method::Head, _) => (404, "not found\n".into(), "text/plain; charset=utf-8"),
        _ => (
            405,
            "method not allowed\n".into(),
            "text/plain; charset=utf-8",
        ),
    };
    let mut resp = Response::from_string(body).with_status_code(code);
    if let Some(h) = header("Content-Type", ctype) {
        resp = resp.with_header(h);
    }
    let _ = req.respond(resp);
}

impl HttpServer {
    /// Binds `listen` (`host:port`; port 0 picks a free one) and serves with `threads`
    /// worker threads. Errors: [`LiveError::Io`] when the address cannot be bound.
    pub fn start(listen: &str, state: Arc<AppState>, threads: usize) -> Result<Self> {
        let server = Server::http(listen).map_err(|e| LiveError::Io {
            what: format!("listening on {listen}"),
            message: e.to_string(),
        })?;
        let addr = server.server_addr().to_ip().ok_or_else(|| LiveError::Io {
            what: format!("listening on {listen}"),
            message: "not an IP address".into(),
        })?;
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for i in 0..threads.max(1) {
            let (server, state, stop) =
                (Arc::clone(&server), Arc::clone(&state), Arc::clone(&stop));
            let h = std::thread::Builder::new()
                .name(format!("http-{i}"))
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match server.recv() {
                            Ok(req) => handle(req, &state),
                            Err(_) => break,
                        }
                    }
                })
                .map_err(|e| LiveError::Io {
                    what: "starting an HTTP thread".into(),
                    message: e.to_string(),
                })?;
            handles.push(h);
        }
        Ok(HttpServer {
            server,
            addr,
            stop,
            threads: handles,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests and joins the worker threads.
    pub fn shutdown(self) {
        self.stop.store(true, Ordering::Relaxed);
        for _ in &self.threads {
            self.server.unblock();
        }
        for h in self.threads {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::model_error::ErrorMetric;
    use crate::live::target::FallbackReason;

    fn state() -> AppState {
        let a = TargetStatus {
            name: "api".into(),
            predicted: vec![(15, 120.5), (30, 130.0)],
            recommended: Some(3),
            model_error: vec![(ErrorMetric::Mae, 2.5), (ErrorMetric::Mape, 4.0)],
            last_success: Some(1_700_000_000.0),
            ticks: 5,
            heartbeat: unix_now(),
            errors: vec![("unreachable", 2)],
            ..TargetStatus::default()
        };
        let b = TargetStatus {
            name: "we\"ird\\name".into(),
            recommended: Some(1),
            fallback: Some(FallbackReason::Prometheus),
            ticks: 1,
            heartbeat: unix_now() - 1000.0,
            ..TargetStatus::default()
        };
        AppState {
            targets: vec![Arc::new(Mutex::new(a)), Arc::new(Mutex::new(b))],
            heartbeat_limits: vec![60.0, 60.0],
            started: unix_now(),
        }
    }

    #[test]
    fn exposition_of_targets() {
        let text = render_metrics(&state());
        for line in [
            "forecast_zoo_predicted{target=\"api\",horizon_seconds=\"15\"} 120.5",
            "forecast_zoo_recommended_replicas{target=\"api\"} 3",
            "forecast_zoo_model_error{target=\"api\",metric=\"mape\"} 4",
            "forecast_zoo_last_success_timestamp_seconds{target=\"api\"} 1700000000",
            "forecast_zoo_fallback{target=\"api\"} 0",
            "forecast_zoo_fallback{target=\"we\\\"ird\\\\name\"} 1",
            "forecast_zoo_fallback_reason{target=\"we\\\"ird\\\\name\",reason=\"prometheus\"} 1",
            "forecast_zoo_errors_total{target=\"api\",kind=\"unreachable\"} 2",
            "forecast_zoo_errors_total{target=\"api\",kind=\"panic\"} 0",
            "# TYPE process_cpu_seconds_total counter",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing `{line}` in\n{text}"
            );
        }
        // Every family's HELP/TYPE appears once, before its samples.
        let mut seen = std::collections::HashSet::new();
        for l in text.lines().filter(|l| l.starts_with("# TYPE ")) {
            assert!(seen.insert(l.split(' ').nth(2).unwrap().to_string()), "{l}");
        }
    }

    #[test]
    fn health_and_readiness() {
        let s = state();
        let (code, body) = health(&s);
        assert_eq!(code, 503);
        assert!(body.contains("ird"), "{body}");
        let (code, body) = ready(&s);
        assert_eq!(code, 200);
        assert!(body.contains("api: 3 replicas (forecast)"), "{body}");
        s.targets[1].lock().unwrap().recommended = None;
        assert_eq!(ready(&s).0, 503);
    }
}
