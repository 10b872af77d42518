//! Every class of bad input gives exit code 2 and one line on stderr naming the problem.

use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("fz-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// 30 regular points at 60 s steps, as `timestamp,value` rows with epoch seconds.
fn good_csv() -> String {
    let mut s = String::from("timestamp,value\n");
    for i in 0..30 {
        s += &format!("{},{}\n", 1_700_000_040 + 60 * i, 10 + (i * 7) % 5);
    }
    s
}

/// Runs the binary; asserts exit code 2 and a single `error: ` line containing `needle`.
fn fails_with(args: &[&str], needle: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: stderr {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: expected one line, got {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].to_lowercase().contains(&needle.to_lowercase()),
        "{args:?}: `{needle}` not in {stderr}"
    );
}

fn backtest(path: &Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["--quiet", "backtest", "--input", path.to_str().unwrap()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(["--models", "naive", "--horizon", "2"].map(String::from));
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn run_bt(path: &Path, extra: &[&str], needle: &str) {
    let args = backtest(path, extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    fails_with(&refs, needle);
}

#[test]
fn unsorted_and_duplicate_timestamps() {
    let p = file("unsorted.csv", b"timestamp,value\n120,1\n60,2\n180,3\n");
    run_bt(&p, &[], "not sorted");
    let p = file("dup.csv", b"timestamp,value\n60,1\n60,2\n120,3\n");
    run_bt(&p, &[], "duplicate timestamp 60");
}

#[test]
fn gaps_nan_inf_and_irregular_steps_under_fill_error() {
    let mut csv = good_csv();
    csv = csv.replacen(",12\n", ",NaN\n", 1);
    let p = file("nan.csv", csv.as_bytes());
    run_bt(&p, &["--fill", "error"], "non-finite value NaN");
    let csv = good_csv().replacen(",12\n", ",+Inf\n", 1);
    let p = file("inf.csv", csv.as_bytes());
    run_bt(&p, &["--fill", "error"], "non-finite value inf");
    // A missing row: a gap of one step.
    let csv: String = good_csv()
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let p = file("gap.csv", csv.as_bytes());
    run_bt(&p, &["--fill", "error"], "gap in series");
    // Off-grid timestamp: irregular step.
    let csv = good_csv().replacen("1700000280,", "1700000290,", 1);
    let p = file("irregular.csv", csv.as_bytes());
    run_bt(&p, &["--fill", "error"], "irregular step");
}

#[test]
fn too_short_series() {
    let p = file("short.csv", b"timestamp,value\n60,1\n120,2\n180,3\n");
    run_bt(&p, &[], "too short");
}

#[test]
fn malformed_non_numeric_binary_and_empty_files() {
    let p = file("ragged.csv", b"timestamp,value\n60,1\n120\n180,3,4,5\n");
    run_bt(&p, &[], "line");
    let p = file("text.csv", b"timestamp,value\n60,1\n120,abc\n180,3\n");
    run_bt(&p, &[], "abc");
    let garbage: Vec<u8> = (0..400u32).map(|i| (i * 97 % 251) as u8).collect();
    let p = file("garbage.bin", &garbage);
    run_bt(&p, &[], "garbage.bin");
    let p = file("empty.csv", b"");
    run_bt(&p, &[], "empty");
    let p = dir().join("does-not-exist.csv");
    run_bt(&p, &[], "does-not-exist.csv");
}

#[test]
fn horizon_zero_unknown_model_and_parameter() {
    let p = file("good.csv", good_csv().as_bytes());
    let ps = p.to_str().unwrap();
    fails_with(
        &[
            "backtest",
            "--input",
            ps,
            "--models",
            "naive",
            "--horizon",
            "0",
        ],
        "horizon must be at least 1",
    );
    fails_with(
        &[
            "forecast",
            "--input",
            ps,
            "--model",
            "naive",
            "--horizon",
            "0",
        ],
        "horizon must be at least 1",
    );
    fails_with(
        &[
            "backtest",
            "--input",
            ps,
            "--models",
            "naive,prophet9",
            "--horizon",
            "1",
        ],
        "unknown model `prophet9`",
    );
    fails_with(
        &[
            "forecast",
            "--input",
            ps,
            "--model",
            "moving-average",
            "--horizon",
            "1",
            "--param",
            "windw=3",
        ],
        "unknown parameter `windw`",
    );
    fails_with(
        &[
            "backtest",
            "--input",
            ps,
            "--models",
            "naive",
            "--horizon",
            "1",
            "--param",
            "alpha=3",
        ],
        "unknown parameter `alpha`",
    );
    fails_with(
        &[
            "forecast",
            "--input",
            ps,
            "--model",
            "moving-average",
            "--horizon",
            "1",
            "--param",
            "window=abc",
        ],
        "window",
    );
    fails_with(
        &[
            "forecast",
            "--input",
            ps,
            "--model",
            "naive",
            "--horizon",
            "1",
            "--level",
            "120",
        ],
        "invalid interval level 120",
    );
    fails_with(
        &[
            "forecast",
            "--input",
            ps,
            "--model",
            "naive",
            "--horizon",
            "1",
            "--series",
            "up{job=\"x\"}",
        ],
        "no series matches",
    );
}

#[test]
fn clap_usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(["backtest", "--horizon", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(["generate", "--scenario", "huge"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("huge"));
}
