//! Process metrics from `/proc/self` (Linux), named as Prometheus' client libraries name
//! them: `process_cpu_seconds_total`, `process_resident_memory_bytes`,
//! `process_virtual_memory_bytes`, `process_start_time_seconds`, `process_open_fds`,
//! `process_max_fds`, `process_threads`. Elsewhere only the start time is known.

use std::time::{SystemTime, UNIX_EPOCH};

use super::metrics::{Exposition, MetricType};

/// Linux reports CPU times in `/proc` in USER_HZ ticks, 100 per second on every mainstream
/// architecture.
const USER_HZ: f64 = 100.0;

/// A snapshot of the process metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessStats {
    /// User plus system CPU time, seconds.
    pub cpu_seconds: Option<f64>,
    /// Resident set size (`VmRSS`), bytes.
    pub resident_bytes: Option<f64>,
    /// Virtual memory size (`VmSize`), bytes.
    pub virtual_bytes: Option<f64>,
    /// Start time, Unix seconds.
    pub start_time: f64,
    /// Open file descriptors.
    pub open_fds: Option<f64>,
    /// The soft limit on file descriptors.
    pub max_fds: Option<f64>,
    /// Threads.
    pub threads: Option<f64>,
}

/// Unix time now, in seconds.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Reads the process metrics; `fallback_start` (Unix seconds) is used when `/proc` does not
/// give the start time.
pub fn read(fallback_start: f64) -> ProcessStats {
    let mut s = ProcessStats {
        start_time: fallback_start,
        ..ProcessStats::default()
    };
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let kb = |key: &str| field(&status, key).map(|v| v * 1024.0);
        s.resident_bytes = kb("VmRSS:");
        s.virtual_bytes = kb("VmSize:");
        s.threads = field(&status, "Threads:");
    }
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat")
        && let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..])
    {
        // Fields after the command name, starting at field 3 (state).
        let f: Vec<&str> = after.split_whitespace().collect();
        let num = |i: usize| f.get(i - 3).and_then(|v| v.parse::<f64>().ok());
        if let (Some(u), Some(k)) = (num(14), num(15)) {
            s.cpu_seconds = Some((u + k) / USER_HZ);
        }
        if let (Some(start), Some(btime)) = (num(22), boot_time()) {
            s.start_time = btime + start / USER_HZ;
        }
    }
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        s.open_fds = Some(dir.count() as f64);
    }
    if let Ok(limits) = std::fs::read_to_string("/proc/self/limits") {
        s.max_fds = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse().ok());
    }
    s
}

fn field(text: &str, key: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l[key.len()..].split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

fn boot_time() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    field(&stat, "btime ")
}

/// Writes the families of `s` into `e`.
pub fn expose(e: &mut Exposition, s: &ProcessStats) {
    let mut one = |name: &str, help: &str, kind: MetricType, v: Option<f64>| {
        if let Some(v) = v {
            e.family(name, help, kind);
            e.sample(name, &[], v);
        }
    };
    one(
        "process_cpu_seconds_total",
        "Total user and system CPU time spent in seconds.",
        MetricType::Counter,
        s.cpu_seconds,
    );
    one(
        "process_resident_memory_bytes",
        "Resident memory size in bytes.",
        MetricType::Gauge,
        s.resident_bytes,
    );
    one(
        "process_virtual_memory_bytes",
        "Virtual memory size in bytes.",
        MetricType::Gauge,
        s.virtual_bytes,
    );
    one(
        "process_start_time_seconds",
        "Start time of the process since unix epoch in seconds.",
        MetricType::Gauge,
        Some(s.start_time),
    );
    one(
        "process_open_fds",
        "Number of open file descriptors.",
        MetricType::Gauge,
        s.open_fds,
    );
    one(
        "process_max_fds",
        "Maximum number of open file descriptors.",
        MetricType::Gauge,
        s.max_fds,
    );
    one(
        "process_threads",
        "Number of OS threads in the process.",
        MetricType::Gauge,
        s.threads,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let now = unix_now();
        let s = read(now);
        if cfg!(target_os = "linux") {
            assert!(s.resident_bytes.unwrap() > 100_000.0);
            assert!(s.cpu_seconds.unwrap() >= 0.0);
            assert!(s.threads.unwrap() >= 1.0);
            assert!(s.open_fds.unwrap() >= 1.0);
            // Started before now, and not before the machine booted a year ago.
            assert!(
                s.start_time <= now + 1.0 && s.start_time > now - 3.2e7,
                "{s:?}"
            );
        }
        let mut e = Exposition::new();
        expose(&mut e, &s);
        assert!(e.as_str().contains("process_start_time_seconds "));
    }
}
