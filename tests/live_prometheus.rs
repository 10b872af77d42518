//! `fetch` and `serve` against a real Prometheus (Debian's `prometheus` package; `make test`
//! installs it through scripts/prereqs.sh). Each test starts its own Prometheus on a free
//! loopback port with a temporary data directory and a 1 s scrape interval; `Drop` guards
//! stop Prometheus and `serve` even when a test fails.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use forecast_core::io::{LabeledSeries, read_bytes, read_path};
use forecast_zoo::autoscale::hpa::{Tolerance, ValueTarget, value_metric_replicas};
use support::prom::{PASSWORD, Prometheus, free_port, temp_dir, wait_for};
use support::serve::{Serve, promtool_check, run};

fn secs_now() -> i64 {
    forecast_zoo::live::process::unix_now() as i64
}

/// The series of a query_range JSON answer, keyed by `job`.
fn by_job(series: Vec<LabeledSeries>) -> BTreeMap<String, LabeledSeries> {
    series
        .into_iter()
        .map(|s| (s.labels.get("job").cloned().unwrap_or_default(), s))
        .collect()
}

#[test]
fn fetch_chunks_keeps_series_apart_and_matches_the_api() {
    let prom = Prometheus::start(&[], true);
    // 1 s scrapes; the 13-point range below should hold at least 4 of them even when the
    // newest sample lies past the whole-second `end`.
    prom.wait_samples(7);
    let dir = temp_dir("fetch");
    let pw = dir.join("password");
    std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();
    let end = secs_now();
    let start = end - 12;
    let (s, e) = (start.to_string(), end.to_string());
    let (s, e) = (s.as_str(), e.as_str());
    let csv = dir.join("up.csv");
    let json = dir.join("up.json");
    let url = prom.url();
    let url = url.as_str();
    for out in [&csv, &json] {
        let o = run(
            &[
                "fetch",
                "--prometheus",
                url,
                "--query",
                "up{job=~\"prom-.*\"}",
                "--start",
                s,
                "--end",
                e,
                "--step",
                "1s",
                // 13 points per series in requests of at most 4: four chunks.
                "--max-points-per-request",
                "4",
                "--basic-auth-user",
                "forecast",
                "--basic-auth-password-file",
                pw.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
            ],
            &[],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // The same range in one request, straight from the API.
    let direct = prom.query_range("up{job=~\"prom-.*\"}", start, end, 1);
    let direct = serde_json::to_vec(&direct).unwrap();
    let (_, direct) = read_bytes(&direct, "direct.json").unwrap();
    let direct = by_job(direct);
    assert_eq!(direct.len(), 2, "two scrape jobs, two `up` series");
    assert!(direct["prom-a"].raw.len() >= 4);
    for file in [&csv, &json] {
        let (_, got) = read_path(file).unwrap();
        let got = by_job(got);
        assert_eq!(got, direct, "{}", file.display());
    }

    // Without credentials Prometheus refuses: exit code 2 with its answer.
    let o = run(
        &[
            "fetch",
            "--prometheus",
            url,
            "--query",
            "up",
            "--start",
            s,
            "--end",
            e,
            "--step",
            "1s",
        ],
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("401"));
    // A bearer token from an unset variable is named in the error.
    let o = run(
        &[
            "fetch",
            "--prometheus",
            url,
            "--query",
            "up",
            "--start",
            s,
            "--step",
            "1s",
            "--bearer-token-env",
            "FZ_TEST_TOKEN_UNSET",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("FZ_TEST_TOKEN_UNSET"));
    let auth = [
        "--basic-auth-user",
        "forecast",
        "--basic-auth-password-file",
        pw.to_str().unwrap(),
    ];
    // A query error: Prometheus' message, exit code 2.
    let mut args: Vec<&str> = vec![
        "fetch",
        "--prometheus",
        url,
        "--query",
        "sum(up",
        "--start",
        s,
        "--step",
        "1s",
    ];
    args.extend(auth);
    let o = run(&args, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad_data") && err.contains("parse error"),
        "{err}"
    );
    // An empty result.
    args[4] = "no_such_metric_for_forecast_zoo";
    let o = run(&args, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("returned no series"), "{err}");
    // Unreachable: exit code 1.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let o = run(
        &[
            "fetch",
            "--prometheus",
            dead.as_str(),
            "--query",
            "up",
            "--start",
            s,
            "--step",
            "1s",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot reach Prometheus"));
    let _ = std::fs::remove_dir_all(dir);
}

/// `serve` flags for one target on the self-scrape of `prom`.
fn serve_args(prom: &Prometheus) -> Vec<String> {
    let url = prom.url();
    [
        "--prometheus",
        url.as_str(),
        "--name",
        "api",
        "--query",
        "sum(scrape_samples_scraped{job=\"prom-a\"})",
        "--model",
        "moving-average",
        "--param",
        "window=3",
        "--capacity",
        "1000",
        "--min",
        "1",
        "--max",
        "10",
        "--interval",
        "1s",
        "--step",
        "1s",
        "--history",
        "300",
        "--horizon",
        "5",
        "--lead-time",
        "2s",
        "--max-backoff",
        "1s",
        "--stale-after",
        "10s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn serve_publishes_valid_metrics_that_prometheus_scrapes() {
    let port = free_port();
    let prom = Prometheus::start(&[("serve", format!("127.0.0.1:{port}"))], false);
    prom.wait_samples(4);
    let args = serve_args(&prom);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut serve = Serve::start(port, &args);
    let t = [("target", "api")];
    serve.wait_sample("forecast_zoo_fallback", &t, Duration::from_secs(20), |v| {
        v == 0.0
    });
    // Forecasts until one has been compared with the observation it predicted.
    serve.wait_sample(
        "forecast_zoo_ticks_total",
        &t,
        Duration::from_secs(10),
        |v| v >= 4.0,
    );
    serve.wait_sample(
        "forecast_zoo_model_error",
        &[("target", "api"), ("metric", "mae")],
        Duration::from_secs(20),
        |v| v >= 0.0,
    );
    let text = serve.metrics().unwrap();
    promtool_check(&text).unwrap_or_else(|e| panic!("promtool: {e}\n{text}"));
    let get = |name: &str, labels: &[(&str, &str)]| {
        support::serve::sample(&text, name, labels)
            .unwrap_or_else(|| panic!("no {name}{labels:?} in\n{text}"))
    };
    let predicted: Vec<f64> = (1..=5)
        .map(|h| {
            get(
                "forecast_zoo_predicted",
                &[("target", "api"), ("horizon_seconds", &h.to_string())],
            )
        })
        .collect();
    // A moving average forecasts the same value at every horizon; the planner provisions
    // ceil(y·(1 + 0.1)/(0.7·1000)) replicas for it.
    assert!(
        predicted
            .iter()
            .all(|&p| (p - predicted[0]).abs() < 1e-9 && p > 0.0),
        "{predicted:?}"
    );
    let expected = ((predicted[0] * 1.1 / 700.0).ceil() as u32).clamp(1, 10);
    assert_eq!(
        get("forecast_zoo_recommended_replicas", &t),
        f64::from(expected)
    );
    assert!(
        get(
            "forecast_zoo_model_error",
            &[("target", "api"), ("metric", "mae")]
        ) >= 0.0
    );
    let last = get("forecast_zoo_last_success_timestamp_seconds", &t);
    assert!((last - secs_now() as f64).abs() < 10.0, "{last}");
    assert!(get("process_resident_memory_bytes", &[]) > 1e5);
    assert!(get("process_start_time_seconds", &[]) > 1.6e9);
    assert!(get("process_cpu_seconds_total", &[]) >= 0.0);
    assert_eq!(serve.get("/healthz").unwrap().0, 200);
    let (code, body) = serve.get("/readyz").unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("(forecast)"), "{body}");
    assert_eq!(serve.get("/nope").unwrap().0, 404);

    // Prometheus scrapes serve: the recommendation is queryable there (what KEDA reads).
    let scraped = wait_for(Duration::from_secs(10), || {
        let r = prom.query("forecast_zoo_recommended_replicas{target=\"api\"}");
        r.first()?["value"][1].as_str()?.parse::<f64>().ok()
    });
    assert!(
        scraped.is_some_and(|v| (1.0..=10.0).contains(&v)),
        "{scraped:?}"
    );
    assert!(serve.alive());
    assert!(
        !serve.log_text().contains("panicked"),
        "{}",
        serve.log_text()
    );
}

#[test]
fn prometheus_stopped_mid_run_falls_back_and_recovers() {
    let mut prom = Prometheus::start(&[], false);
    prom.wait_samples(4);
    let port = free_port();
    let args = serve_args(&prom);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut serve = Serve::start(port, &args);
    let t = [("target", "api")];
    serve.wait_sample("forecast_zoo_fallback", &t, Duration::from_secs(20), |v| {
        v == 0.0
    });
    let before = serve
        .sample("forecast_zoo_recommended_replicas", &t)
        .unwrap() as u32;

    prom.stop();
    serve.wait_sample("forecast_zoo_fallback", &t, Duration::from_secs(10), |v| {
        v == 1.0
    });
    assert_eq!(
        serve.sample(
            "forecast_zoo_fallback_reason",
            &[("target", "api"), ("reason", "prometheus")]
        ),
        Some(1.0)
    );
    // The fallback is the HPA's answer for the newest observation (external metric,
    // AverageValue target u·C = 700), starting from the count recommended before.
    let text = serve.metrics().unwrap();
    let obs = support::serve::sample(&text, "forecast_zoo_last_observation", &t).unwrap();
    let rec = support::serve::sample(&text, "forecast_zoo_recommended_replicas", &t).unwrap();
    let hpa = value_metric_replicas(
        before,
        before,
        before,
        obs,
        ValueTarget::AverageValue(700.0),
        Tolerance::default(),
    )
    .unwrap()
    .clamp(1, 10);
    assert_eq!(rec, f64::from(hpa), "{text}");
    std::thread::sleep(Duration::from_secs(3));
    assert!(serve.alive(), "serve exited while Prometheus was down");
    assert_eq!(serve.get("/healthz").unwrap().0, 200);
    assert!(
        serve
            .sample(
                "forecast_zoo_errors_total",
                &[("target", "api"), ("kind", "unreachable")]
            )
            .unwrap()
            >= 2.0
    );

    prom.restart();
    serve.wait_sample("forecast_zoo_fallback", &t, Duration::from_secs(20), |v| {
        v == 0.0
    });
    assert!(serve.alive());
    assert!(
        !serve.log_text().contains("panicked"),
        "{}",
        serve.log_text()
    );
}

#[test]
fn query_errors_and_empty_results_fall_back_while_serve_stays_up() {
    let prom = Prometheus::start(&[], false);
    prom.wait_samples(3);
    let dir = temp_dir("serve-config");
    let cfg = dir.join("serve.yaml");
    std::fs::write(
        &cfg,
        format!(
            "prometheus:\n  url: {}\n  timeout: 5s\n\
             defaults:\n  model: naive\n  step: 1s\n  interval: 1s\n  history: 60\n  horizon: 3\n  \
             capacity: 10\n  max_backoff: 1s\n  lead_time: 1s\n\
             targets:\n\
             \x20 - name: good\n    query: sum(up)\n\
             \x20 - name: bad\n    query: sum(up\n\
             \x20 - name: empty\n    query: no_such_metric_for_forecast_zoo\n",
            prom.url()
        ),
    )
    .unwrap();
    let port = free_port();
    let mut serve = Serve::start(port, &["--config", cfg.to_str().unwrap()]);
    let ready = wait_for(Duration::from_secs(20), || {
        serve.get("/readyz").filter(|(c, _)| *c == 200)
    });
    assert!(
        ready.is_some(),
        "not ready: {:?}\n{}",
        serve.get("/readyz"),
        serve.log_text()
    );
    serve.wait_sample(
        "forecast_zoo_fallback",
        &[("target", "good")],
        Duration::from_secs(10),
        |v| v == 0.0,
    );
    let text = serve.metrics().unwrap();
    promtool_check(&text).unwrap_or_else(|e| panic!("promtool: {e}\n{text}"));
    let get = |name: &str, labels: &[(&str, &str)]| support::serve::sample(&text, name, labels);
    assert_eq!(
        get("forecast_zoo_fallback", &[("target", "bad")]),
        Some(1.0)
    );
    assert_eq!(
        get(
            "forecast_zoo_fallback_reason",
            &[("target", "bad"), ("reason", "prometheus")]
        ),
        Some(1.0)
    );
    assert!(
        get(
            "forecast_zoo_errors_total",
            &[("target", "bad"), ("kind", "api")]
        )
        .unwrap()
            >= 1.0
    );
    assert_eq!(
        get("forecast_zoo_fallback", &[("target", "empty")]),
        Some(1.0)
    );
    assert_eq!(
        get(
            "forecast_zoo_fallback_reason",
            &[("target", "empty"), ("reason", "empty")]
        ),
        Some(1.0)
    );
    assert!(
        get(
            "forecast_zoo_errors_total",
            &[("target", "empty"), ("kind", "empty")]
        )
        .unwrap()
            >= 1.0
    );
    // Nothing was ever observed: hold the minimum.
    assert_eq!(
        get("forecast_zoo_recommended_replicas", &[("target", "empty")]),
        Some(1.0)
    );
    // sum(up) = 2 (two self-scrape jobs) with capacity 10: one replica by forecast.
    assert_eq!(
        get("forecast_zoo_recommended_replicas", &[("target", "good")]),
        Some(1.0)
    );
    assert!(serve.alive());
    assert!(
        serve.log_text().contains("parse error"),
        "{}",
        serve.log_text()
    );

    // A broken configuration is refused at start with its line.
    std::fs::write(
        &cfg,
        "prometheus:\n  url: http://x\ntargets:\n  - name: a\n    qurey: up\n",
    )
    .unwrap();
    let o = run(&["serve", "--config", cfg.to_str().unwrap()], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("serve.yaml:5:") && err.contains("qurey"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
