//! The two `serve` experiments of the live-Prometheus issue, against a real Prometheus
//! (Debian's `prometheus` package, as in the integration tests):
//!
//! 1. **`/metrics` latency under load**: one target forecasting every second; 200 requests
//!    one after another, then 200 more from 8 concurrent clients; median, p90, p99 and max.
//! 2. **Prometheus down for 30 s**: kill it, watch `forecast_zoo_fallback` go to 1, restart
//!    it on the same port and data after 30 s, watch the gauge return to 0; the process
//!    must stay up with no panic in its log.
//!
//! ```text
//! cargo build --release --bin forecast-zoo
//! cargo run --release --example serve_experiment -- [--model NAME] [--down-seconds 30]
//! ```

#[path = "../tests/support/prom.rs"]
#[allow(dead_code)]
mod prom;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use prom::{Prometheus, free_port, temp_dir, wait_for};

/// The `forecast-zoo` binary beside this example (`target/<profile>/forecast-zoo`).
fn zoo_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let profile_dir = exe
        .parent()
        .and_then(|examples| examples.parent())
        .expect("target/<profile>/examples");
    let bin = profile_dir.join("forecast-zoo");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --release --bin forecast-zoo` first",
        bin.display()
    );
    bin
}

/// One HTTP/1.1 GET on a fresh connection: status line and body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let code = buf.split(' ').nth(1)?.parse().ok()?;
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((code, body))
}

/// `name{target="api"}` from `/metrics`.
fn gauge(port: u16, name: &str) -> Option<f64> {
    let (_, text) = get(port, "/metrics")?;
    text.lines()
        .filter(|l| l.starts_with(name) && l.contains("target=\"api\""))
        .find_map(|l| l.rsplit_once(' ')?.1.parse().ok())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i]
}

fn report(label: &str, mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    let median = percentile(&ms, 0.5);
    println!(
        "{label}: n={} median {median:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms.len(),
        percentile(&ms, 0.9),
        percentile(&ms, 0.99),
        ms[ms.len() - 1]
    );
    median
}

/// Times `n` `/metrics` requests on fresh connections, `pause` apart (so the load spans
/// several forecast ticks).
fn timed_requests(port: u16, n: usize, pause: Duration) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            let (code, body) = get(port, "/metrics").expect("/metrics answers");
            assert!(code == 200 && body.contains("forecast_zoo_recommended_replicas"));
            let ms = t.elapsed().as_secs_f64() * 1e3;
            std::thread::sleep(pause);
            ms
        })
        .collect()
}

struct Serve {
    child: Child,
    log: PathBuf,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str, default: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let model = opt("--model", "holt-winters");
    let down: u64 = opt("--down-seconds", "30")
        .parse()
        .expect("--down-seconds N");

    let port = free_port();
    let mut prometheus = Prometheus::start(&[("serve", format!("127.0.0.1:{port}"))], false);
    prometheus.wait_samples(4);
    let dir = temp_dir("serve-experiment");
    let log = dir.join("serve.log");
    // The query varies a little (Prometheus' own CPU rate), so every model can fit it.
    let child = Command::new(zoo_binary())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--prometheus", &prometheus.url(), "--name", "api"])
        .args([
            "--query",
            "sum(rate(process_cpu_seconds_total{job=\"prom-a\"}[5s])) * 1000 + 100",
        ])
        .args(["--model", &model, "--capacity", "50", "--min", "1"])
        .args(["--max", "20", "--interval", "1s", "--step", "1s"])
        .args(["--history", "600", "--horizon", "10", "--lead-time", "2s"])
        .args(["--max-backoff", "2s", "--stale-after", "10s"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .expect("cannot start forecast-zoo serve");
    let mut serve = Serve { child, log };
    let log_text = |s: &Serve| std::fs::read_to_string(&s.log).unwrap_or_default();

    let ready = wait_for(Duration::from_secs(60), || {
        (gauge(port, "forecast_zoo_fallback")? == 0.0).then_some(())
    });
    assert!(
        ready.is_some(),
        "serve never left fallback; log:\n{}",
        log_text(&serve)
    );
    let ticks = |p| gauge(p, "forecast_zoo_ticks_total").unwrap_or(0.0);
    let ticks0 = ticks(port);
    println!("serve: model {model}, 1 s interval, horizon 10; forecasting (ticks {ticks0})");

    // 1. Latency under load.
    let _ = timed_requests(port, 20, Duration::ZERO); // warm-up
    let started = Instant::now();
    let seq = report(
        "/metrics, 200 sequential requests over 5 s",
        timed_requests(port, 200, Duration::from_millis(25)),
    );
    let par: Vec<f64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|_| s.spawn(move || timed_requests(port, 25, Duration::from_millis(200))))
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let par = report(
        "/metrics, 200 requests from 8 concurrent clients over 5 s",
        par,
    );
    let during = started.elapsed().as_secs_f64();
    println!(
        "forecast ticks during the load: {} in {during:.1} s",
        ticks(port) - ticks0
    );

    // 2. Prometheus down.
    let t0 = Instant::now();
    prometheus.stop();
    let to_one = wait_for(Duration::from_secs(down), || {
        (gauge(port, "forecast_zoo_fallback")? == 1.0).then(|| t0.elapsed().as_secs_f64())
    });
    let remaining = Duration::from_secs(down).saturating_sub(t0.elapsed());
    std::thread::sleep(remaining);
    let during_outage = gauge(port, "forecast_zoo_fallback");
    let replicas = gauge(port, "forecast_zoo_recommended_replicas");
    let t1 = Instant::now();
    prometheus.restart();
    let to_zero = wait_for(Duration::from_secs(60), || {
        (gauge(port, "forecast_zoo_fallback")? == 0.0).then(|| t1.elapsed().as_secs_f64())
    });
    let alive = matches!(serve.child.try_wait(), Ok(None));
    let text = log_text(&serve);
    let panicked = text.contains("panicked");
    println!(
        "Prometheus killed for {down} s: fallback 1 after {to_one:?} s, still {during_outage:?} at {down} s \
         (recommended replicas {replicas:?}); restarted: fallback 0 after {to_zero:?} s; \
         serve alive: {alive}; panic in log: {panicked}"
    );
    let ok = seq < 5.0 && par < 5.0 && to_one.is_some() && to_zero.is_some() && alive && !panicked;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    let _ = std::fs::remove_dir_all(&dir);
    if !ok {
        eprintln!("serve log:\n{text}");
        std::process::exit(1);
    }
}
