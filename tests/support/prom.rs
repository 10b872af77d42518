//! A real Prometheus for the integration tests: started on a free loopback port with a
//! temporary data directory and a 1 s scrape configuration, stopped by `Drop` (also when
//! a test panics).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The prometheus binary: `/usr/bin/prometheus`, else the first on `PATH`. Panics with the
/// fix when it is missing.
pub fn binary(name: &str) -> PathBuf {
    let system = Path::new("/usr/bin").join(name);
    if system.is_file() {
        return system;
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "`{name}` not found in /usr/bin or on PATH: these tests need a real Prometheus. \
         Install Debian's `prometheus` package (it provides prometheus and promtool): run \
         `make prereqs` (scripts/prereqs.sh) or `sudo apt-get install -y prometheus`."
    );
}

/// A free loopback TCP port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

/// A unique temporary directory, removed by the owner's `Drop`.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "forecast-zoo-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Polls `f` every 100 ms until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A running Prometheus.
pub struct Prometheus {
    child: Option<Child>,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Temporary directory (config, data, log).
    pub dir: PathBuf,
    web_config: bool,
}

impl Prometheus {
    /// Starts Prometheus scraping itself (jobs `prom-a` and `prom-b`, so `up` has two
    /// series) and the extra `(job, host:port)` targets every second. With `basic_auth`, the
    /// API requires user `forecast` with password [`PASSWORD`].
    pub fn start(extra: &[(&str, String)], basic_auth: bool) -> Prometheus {
        let port = free_port();
        let dir = temp_dir("prometheus");
        let auth = if basic_auth {
            format!("    basic_auth: {{username: forecast, password: {PASSWORD}}}\n")
        } else {
            String::new()
        };
        let mut cfg = String::from(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n",
        );
        for job in ["prom-a", "prom-b"] {
            cfg.push_str(&format!(
                "  - job_name: {job}\n{auth}    static_configs: [{{targets: ['127.0.0.1:{port}']}}]\n"
            ));
        }
        for (job, addr) in extra {
            cfg.push_str(&format!(
                "  - job_name: {job}\n    static_configs: [{{targets: ['{addr}']}}]\n"
            ));
        }
        std::fs::write(dir.join("prometheus.yml"), cfg).unwrap();
        if basic_auth {
            std::fs::write(
                dir.join("web.yml"),
                format!("basic_auth_users:\n  forecast: {PASSWORD_BCRYPT}\n"),
            )
            .unwrap();
        }
        let mut p = Prometheus {
            child: None,
            port,
            dir,
            web_config: basic_auth,
        };
        p.spawn();
        p
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("prometheus.log"))
            .unwrap();
        let mut cmd = Command::new(binary("prometheus"));
        cmd.arg(format!(
            "--config.file={}",
            self.dir.join("prometheus.yml").display()
        ))
        .arg(format!(
            "--storage.tsdb.path={}",
            self.dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{}", self.port))
        .arg("--log.level=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log));
        if self.web_config {
            cmd.arg(format!(
                "--web.config.file={}",
                self.dir.join("web.yml").display()
            ));
        }
        self.child = Some(cmd.spawn().expect("cannot start prometheus"));
        let ready = wait_for(Duration::from_secs(20), || {
            let url = format!("http://127.0.0.1:{}/-/ready", self.port);
            let mut req = ureq::get(&url);
            if self.web_config {
                req = req.header("Authorization", basic_header());
            }
            req.call().ok().filter(|r| r.status() == 200).map(|_| ())
        });
        assert!(
            ready.is_some(),
            "prometheus did not become ready; log:\n{}",
            std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
        );
    }

    /// Base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the server (like a crash), keeping its data.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same port with the same data.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// An instant query; the `data.result` array.
    pub fn query(&self, promql: &str) -> Vec<serde_json::Value> {
        let url = format!("{}/api/v1/query", self.url());
        let mut req = ureq::post(&url);
        if self.web_config {
            req = req.header("Authorization", basic_header());
        }
        let Ok(mut resp) = req.send_form([("query", promql)]) else {
            return Vec::new();
        };
        let v: serde_json::Value = resp
            .body_mut()
            .read_to_string()
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
        v["data"]["result"].as_array().cloned().unwrap_or_default()
    }

    /// A range query, unchunked, straight from the API.
    pub fn query_range(&self, promql: &str, start: i64, end: i64, step: i64) -> serde_json::Value {
        let url = format!("{}/api/v1/query_range", self.url());
        let mut req = ureq::post(&url);
        if self.web_config {
            req = req.header("Authorization", basic_header());
        }
        let (s, e, st) = (start.to_string(), end.to_string(), step.to_string());
        let text = req
            .send_form([("query", promql), ("start", &s), ("end", &e), ("step", &st)])
            .expect("query_range")
            .body_mut()
            .read_to_string()
            .expect("query_range answer");
        serde_json::from_str(&text).expect("query_range JSON")
    }

    /// Waits until `up{job="prom-a"}` has at least `n` samples.
    pub fn wait_samples(&self, n: usize) {
        let q = "count_over_time(up{job=\"prom-a\"}[5m])";
        let ok = wait_for(Duration::from_secs(30), || {
            let r = self.query(q);
            let v: f64 = r.first()?["value"][1].as_str()?.parse().ok()?;
            (v >= n as f64).then_some(())
        });
        assert!(
            ok.is_some(),
            "prometheus did not scrape {n} samples in 30 s"
        );
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The basic-auth password of the test Prometheus.
pub const PASSWORD: &str = "fz-test-password";
/// bcrypt (cost 4) of [`PASSWORD`], made with Python's `crypt.crypt(…, METHOD_BLOWFISH)`.
const PASSWORD_BCRYPT: &str = "$2b$04$uJctmLe9ONfQL9rc9ZQZOenKS02w5img9e.qWVOX2UcHOgB7weieq";

fn basic_header() -> String {
    format!(
        "Basic {}",
        forecast_zoo::live::auth::base64(format!("forecast:{PASSWORD}").as_bytes())
    )
}
