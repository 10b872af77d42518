//! The `forecast-zoo` binary under test: `fetch` runs, and a `serve` process killed by
//! `Drop`.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use super::prom::{temp_dir, wait_for};

/// The binary built by cargo for this test.
pub fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_forecast-zoo")
}

/// Runs `forecast-zoo <args>` to completion.
pub fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(exe());
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("cannot run forecast-zoo")
}

/// A `forecast-zoo serve` child process.
pub struct Serve {
    child: Child,
    /// Its listen port.
    pub port: u16,
    /// Its stderr log file.
    pub log: PathBuf,
    dir: PathBuf,
}

impl Serve {
    /// Starts `forecast-zoo serve --listen 127.0.0.1:<port> <args>`.
    pub fn start(port: u16, args: &[&str]) -> Serve {
        let dir = temp_dir("serve");
        let log = dir.join("serve.log");
        let child = Command::new(exe())
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
            .spawn()
            .expect("cannot start forecast-zoo serve");
        Serve {
            child,
            port,
            log,
            dir,
        }
    }

    /// `GET path`: status and body (`None` when the server does not answer).
    pub fn get(&self, path: &str) -> Option<(u16, String)> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        let mut r = agent.get(&url).call().ok()?;
        let code = r.status().as_u16();
        Some((code, r.body_mut().read_to_string().ok()?))
    }

    /// The `/metrics` text.
    pub fn metrics(&self) -> Option<String> {
        self.get("/metrics")
            .filter(|(c, _)| *c == 200)
            .map(|(_, b)| b)
    }

    /// The value of the sample `name{labels…}` in `/metrics` (labels matched as a subset).
    pub fn sample(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        sample(&self.metrics()?, name, labels)
    }

    /// Waits until `sample(name, labels)` satisfies `pred`; returns the value.
    pub fn wait_sample(
        &self,
        name: &str,
        labels: &[(&str, &str)],
        timeout: Duration,
        pred: impl Fn(f64) -> bool,
    ) -> f64 {
        wait_for(timeout, || self.sample(name, labels).filter(|v| pred(*v))).unwrap_or_else(|| {
            panic!(
                "{name}{labels:?} did not reach the expected value in {timeout:?}; now {:?}\nmetrics:\n{}\nlog:\n{}",
                self.sample(name, labels),
                self.metrics().unwrap_or_default(),
                self.log_text()
            )
        })
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The stderr log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The value of `name{labels…}` in exposition `text` (labels matched as a subset).
pub fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let (series, value) = l.rsplit_once(' ')?;
        let (n, rest) = match series.split_once('{') {
            Some((n, rest)) => (n, rest),
            None => (series, ""),
        };
        if n != name {
            return None;
        }
        labels
            .iter()
            .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")))
            .then(|| value.parse().ok())?
    })
}

/// Runs `promtool check metrics` on `text`; returns its combined output on failure.
pub fn promtool_check(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new(super::prom::binary("promtool"))
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run promtool");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
