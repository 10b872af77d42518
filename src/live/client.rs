//! A blocking Prometheus HTTP API client for `query_range`, with the range split into
//! chunks below Prometheus' limit of 11,000 points per series, series kept apart by their
//! label sets, [`Auth`] from an environment variable or a file, and TLS verified against
//! the system's roots (plus an optional custom CA file).
//!
//! ```
//! use forecast_zoo::live::client::chunk_ranges;
//! // 25 points at 60 s steps, at most 10 per request: three requests on the same grid.
//! assert_eq!(
//!     chunk_ranges(0, 1440, 60, 10).unwrap(),
//!     vec![(0, 540), (600, 1140), (1200, 1440)]
//! );
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use forecast_core::RawSeries;
use forecast_core::io::{LabeledSeries, read_bytes, series_name};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, parse_pem};

use super::auth::Auth;
use super::error::{LiveError, Result};

/// Prometheus refuses a range query whose result would exceed this many points per series.
pub const PROMETHEUS_MAX_POINTS: usize = 11_000;

/// Default points per series per request (below [`PROMETHEUS_MAX_POINTS`]).
pub const DEFAULT_MAX_POINTS: usize = 10_000;

/// Largest answer body accepted (bytes).
const MAX_BODY: u64 = 1 << 30;

/// Where the system's CA bundle usually lives (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine).
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// How to reach Prometheus.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Base URL, e.g. `http://127.0.0.1:9090` or `https://host/prometheus` (no credentials).
    pub url: String,
    /// Credentials.
    pub auth: Auth,
    /// A PEM file of extra CA certificates trusted besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Timeout of one HTTP request (connect, send, receive).
    pub timeout: Duration,
    /// Most points per series in one request, at most [`PROMETHEUS_MAX_POINTS`].
    pub max_points: usize,
}

impl ClientConfig {
    /// Defaults for `url`: no auth, system roots, 30 s timeout, 10,000 points per request.
    pub fn new(url: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            auth: Auth::None,
            ca_file: None,
            timeout: Duration::from_secs(30),
            max_points: DEFAULT_MAX_POINTS,
        }
    }
}

/// Splits `[start, end]` at `step` seconds into request ranges of at most `max_points`
/// points each, on the grid `start + k·step` (both ends inclusive, as Prometheus counts).
///
/// Errors: [`LiveError::Invalid`] for `step <= 0`, `end < start`, or `max_points` outside
/// `1..=11000`.
pub fn chunk_ranges(start: i64, end: i64, step: i64, max_points: usize) -> Result<Vec<(i64, i64)>> {
    if step <= 0 {
        return Err(LiveError::invalid(
            "step",
            format!("must be > 0 seconds, got {step}"),
        ));
    }
    if end < start {
        return Err(LiveError::invalid(
            "end",
            format!("the end {end} is before the start {start}"),
        ));
    }
    if max_points == 0 || max_points > PROMETHEUS_MAX_POINTS {
        return Err(LiveError::invalid(
            "max_points",
            format!("must be between 1 and {PROMETHEUS_MAX_POINTS}, got {max_points}"),
        ));
    }
    let span = step.saturating_mul(max_points as i64);
    let mut out = Vec::new();
    let mut s = start;
    while s <= end {
        let e = s.saturating_add(span - step).min(end);
        out.push((s, e));
        match s.checked_add(span) {
            Some(n) => s = n,
            None => break,
        }
    }
    Ok(out)
}

/// Something that answers range queries: [`PromClient`], or a fake in tests.
pub trait RangeSource: Send + Sync {
    /// The series of `query` evaluated at `start, start+step, …, end` (UTC seconds).
    /// Errors: transport, API and answer errors; [`LiveError::Empty`] for no series.
    fn query_range(
        &self,
        query: &str,
        start: i64,
        end: i64,
        step: i64,
    ) -> Result<Vec<LabeledSeries>>;
}

/// The Prometheus client.
#[derive(Debug)]
pub struct PromClient {
    cfg: ClientConfig,
    endpoint: String,
    agent: ureq::Agent,
}

impl PromClient {
    /// Builds a client. Errors: [`LiveError::Invalid`] for a URL that is not http(s) or
    /// embeds credentials, an unreadable or empty CA file, a bad `max_points`.
    pub fn new(cfg: ClientConfig) -> Result<Self> {
        let url = cfg.url.trim().trim_end_matches('/').to_string();
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .ok_or_else(|| {
                LiveError::invalid(
                    "prometheus",
                    format!("`{url}` must start with http:// or https://"),
                )
            })?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.contains('@') {
            return Err(LiveError::invalid(
                "prometheus",
                "the URL must not hold credentials (they would show in `ps` and logs); \
                 use the bearer-token or basic-auth password options (environment variable or file)",
            ));
        }
        if authority.is_empty() {
            return Err(LiveError::invalid(
                "prometheus",
                format!("`{url}` has no host"),
            ));
        }
        chunk_ranges(0, 0, 1, cfg.max_points)?;
        let roots = root_certs(cfg.ca_file.as_deref())?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(cfg.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("forecast-zoo/", env!("CARGO_PKG_VERSION")))
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build()
            .into();
        Ok(PromClient {
            endpoint: format!("{url}/api/v1/query_range"),
            cfg,
            agent,
        })
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.cfg
    }

    /// One `query_range` request (no chunking). Series with no samples are dropped; an
    /// answer without series gives an empty vector.
    pub fn query_range_once(
        &self,
        query: &str,
        start: i64,
        end: i64,
        step: i64,
    ) -> Result<Vec<LabeledSeries>> {
        let mut req = self.agent.post(&self.endpoint);
        if let Some(h) = self.cfg.auth.header()? {
            req = req.header("Authorization", h);
        }
        let form = [
            ("query", query.to_string()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("step", step.to_string()),
        ];
        let mut resp = req
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| LiveError::Unreachable {
                url: self.endpoint.clone(),
                message: e.to_string(),
            })?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| LiveError::Unreachable {
                url: self.endpoint.clone(),
                message: format!("reading the answer: {e}"),
            })?;
        if status != 200 {
            return Err(api_error(status, &body));
        }
        match read_bytes(&body, "query_range answer") {
            Ok((_, series)) => Ok(series.into_iter().filter(|s| !s.raw.is_empty()).collect()),
            Err(forecast_core::Error::Empty { .. }) => Ok(Vec::new()),
            Err(e) => Err(LiveError::Answer(e)),
        }
    }
}

impl RangeSource for PromClient {
    /// Chunked: one request per [`chunk_ranges`] piece, series merged by label set (in order
    /// of first appearance).
    fn query_range(
        &self,
        query: &str,
        start: i64,
        end: i64,
        step: i64,
    ) -> Result<Vec<LabeledSeries>> {
        let mut merged: Vec<LabeledSeries> = Vec::new();
        let mut index: BTreeMap<BTreeMap<String, String>, usize> = BTreeMap::new();
        for (s, e) in chunk_ranges(start, end, step, self.cfg.max_points)? {
            for part in self.query_range_once(query, s, e, step)? {
                merge_into(&mut merged, &mut index, part);
            }
        }
        if merged.is_empty() {
            return Err(LiveError::Empty {
                query: query.to_string(),
                start,
                end,
            });
        }
        Ok(merged)
    }
}

/// Appends `part` to the series with the same labels in `merged` (or adds it).
pub fn merge_into(
    merged: &mut Vec<LabeledSeries>,
    index: &mut BTreeMap<BTreeMap<String, String>, usize>,
    part: LabeledSeries,
) {
    match index.get(&part.labels) {
        Some(&i) => {
            let raw: &mut RawSeries = &mut merged[i].raw;
            raw.timestamps.extend_from_slice(&part.raw.timestamps);
            raw.values.extend_from_slice(&part.raw.values);
        }
        None => {
            index.insert(part.labels.clone(), merged.len());
            merged.push(LabeledSeries {
                name: series_name(&part.labels),
                ..part
            });
        }
    }
}

/// Prometheus' error answer `{"status":"error","errorType":…,"error":…}`, or the start of
/// any other body.
fn api_error(status: u16, body: &[u8]) -> LiveError {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |k: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let message = field("error").unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let t = text.trim();
        let cut: String = t.chars().take(200).collect();
        if cut.is_empty() {
            "(empty body)".into()
        } else {
            cut
        }
    });
    LiveError::Api {
        status,
        error_type: field("errorType").unwrap_or_else(|| "http".into()),
        message,
    }
}

/// The system's CA bundle (`SSL_CERT_FILE`, else the usual distribution paths) plus the
/// certificates of `ca_file`; Mozilla's bundled roots when no system bundle exists and no
/// CA file is given.
fn root_certs(ca_file: Option<&Path>) -> Result<RootCerts> {
    let mut certs: Vec<Certificate<'static>> = Vec::new();
    let env_bundle = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let system = env_bundle
        .into_iter()
        .chain(SYSTEM_BUNDLES.iter().map(PathBuf::from))
        .find(|p| p.is_file());
    if let Some(p) = &system
        && let Ok(pem) = std::fs::read(p)
    {
        certs.extend(pem_certs(&pem));
    }
    if let Some(ca) = ca_file {
        let pem = std::fs::read(ca).map_err(|e| {
            LiveError::invalid("ca-file", format!("cannot read {}: {e}", ca.display()))
        })?;
        let extra: Vec<_> = pem_certs(&pem).collect();
        if extra.is_empty() {
            return Err(LiveError::invalid(
                "ca-file",
                format!("{} holds no PEM certificate", ca.display()),
            ));
        }
        certs.extend(extra);
    }
    if certs.is_empty() {
        return Ok(RootCerts::WebPki);
    }
    Ok(RootCerts::new_with_certs(&certs))
}

fn pem_certs(pem: &[u8]) -> impl Iterator<Item = Certificate<'static>> + '_ {
    parse_pem(pem).filter_map(|item| match item {
        Ok(PemItem::Certificate(c)) => Some(c),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_grid_once_and_respect_the_limit() {
        for &(start, end, step, max) in &[
            (0i64, 0i64, 15i64, 1usize),
            (0, 14, 15, 5),
            (100, 100 + 15 * 10_999, 15, 10_000),
            (1_700_000_000, 1_700_086_400, 1, 10_000),
            (7, 1000, 7, 3),
        ] {
            let chunks = chunk_ranges(start, end, step, max).unwrap();
            let mut grid = Vec::new();
            for &(s, e) in &chunks {
                assert!(e >= s && (s - start) % step == 0);
                let n = ((e - s) / step + 1) as usize;
                assert!(n <= max && n <= PROMETHEUS_MAX_POINTS, "{n} points");
                grid.extend((0..n as i64).map(|k| s + k * step));
            }
            let expected: Vec<i64> = (0..=(end - start) / step)
                .map(|k| start + k * step)
                .collect();
            assert_eq!(grid, expected);
        }
        // One day at 1 s: 86,401 points -> 9 requests of at most 10,000.
        assert_eq!(chunk_ranges(0, 86_400, 1, 10_000).unwrap().len(), 9);
        assert!(chunk_ranges(0, 10, 0, 10).is_err());
        assert!(chunk_ranges(10, 0, 1, 10).is_err());
        assert!(chunk_ranges(0, 10, 1, 11_001).is_err());
        assert!(chunk_ranges(0, 10, 1, 0).is_err());
    }

    #[test]
    fn merge_keeps_series_apart_by_labels() {
        let mk = |job: &str, ts: Vec<i64>| {
            let mut labels = BTreeMap::new();
            labels.insert("__name__".to_string(), "up".to_string());
            labels.insert("job".to_string(), job.to_string());
            let n = ts.len();
            LabeledSeries {
                name: String::new(),
                labels,
                raw: RawSeries::new(ts, vec![1.0; n]),
            }
        };
        let mut merged = Vec::new();
        let mut index = BTreeMap::new();
        merge_into(&mut merged, &mut index, mk("a", vec![0, 1]));
        merge_into(&mut merged, &mut index, mk("b", vec![0, 1]));
        merge_into(&mut merged, &mut index, mk("a", vec![2, 3]));
        merge_into(&mut merged, &mut index, mk("b", vec![3]));
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].name, "up{job=\"a\"}");
        assert_eq!(merged[0].raw.timestamps, vec![0, 1, 2, 3]);
        assert_eq!(merged[1].raw.timestamps, vec![0, 1, 3]);
    }

    #[test]
    fn api_errors_carry_prometheus_message() {
        let body = br#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}"#;
        let e = api_error(400, body);
        assert!(e.is_input_error());
        let s = e.to_string();
        assert!(
            s.contains("400") && s.contains("bad_data") && s.contains("unclosed"),
            "{s}"
        );
        let e = api_error(503, b"Service Unavailable");
        assert!(!e.is_input_error());
        assert!(e.to_string().contains("Service Unavailable"));
    }

    #[test]
    fn rejects_bad_urls_and_ca_files() {
        assert!(PromClient::new(ClientConfig::new("ftp://x")).is_err());
        let e = PromClient::new(ClientConfig::new("http://u:p@host:9090")).unwrap_err();
        assert!(e.to_string().contains("credentials"));
        let mut cfg = ClientConfig::new("https://prometheus.example:9090/");
        let dir = std::env::temp_dir().join(format!("fz-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), "not a certificate").unwrap();
        cfg.ca_file = Some(dir.join("ca.pem"));
        let e = PromClient::new(cfg.clone()).unwrap_err();
        assert!(e.to_string().contains("no PEM certificate"), "{e}");
        cfg.ca_file = None;
        let c = PromClient::new(cfg).unwrap();
        assert_eq!(
            c.endpoint,
            "https://prometheus.example:9090/api/v1/query_range"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
