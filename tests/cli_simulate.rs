//! `forecast-zoo simulate`: the comparison table, CSV columns, the plot, the timeline, the
//! scenario protocol, no future data reaching the policies, and bad input (exit code 2).

use std::path::PathBuf;
use std::process::{Command, Output};

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fz-sim-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn exec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = exec(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A 15 s trace of `n` points: a slow wave around 300 RPS with a step to 700 RPS from
/// point `jump` on.
fn trace_csv(n: usize, jump: usize) -> String {
    let mut s = String::from("timestamp,value\n");
    for i in 0..n {
        let base = 300.0 + 60.0 * (i as f64 / 25.0).sin();
        let v = if i >= jump { base + 400.0 } else { base };
        s += &format!("{},{v:.3}\n", 1_704_067_200 + 15 * i as i64);
    }
    s
}

fn write(d: &std::path::Path, name: &str, text: &str) -> String {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const REQUIRED: [&str; 12] = [
    "policy",
    "slo_violation_share",
    "unserved",
    "over_provisioning",
    "pod_minutes",
    "scale_ups",
    "scale_downs",
    "accuracy_u",
    "accuracy_o",
    "timeshare_u",
    "timeshare_o",
    "instability",
];

#[test]
fn table_csv_plot_and_timeline() {
    let d = dir("table");
    let input = write(&d, "trace.csv", &trace_csv(240, 180));
    let csv = d.join("out.csv");
    let png = d.join("out.png");
    let tl = d.join("tl.csv");
    let stdout = ok(&[
        "--quiet",
        "simulate",
        "--input",
        &input,
        "--capacity",
        "50",
        "--policies",
        "hpa,reactive,statuscale,predictive:naive,hybrid-max:drift,hybrid-guard:naive,keda",
        "--startup",
        "60s",
        "--min",
        "1",
        "--max",
        "30",
        "--output",
        csv.to_str().unwrap(),
        "--plot",
        png.to_str().unwrap(),
        "--timeline",
        tl.to_str().unwrap(),
    ]);
    // Header plus a rule plus one row per policy.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 7, "{stdout}");
    assert!(lines[0].starts_with("policy") && lines[0].contains("SLO viol %"));
    for p in [
        "hpa",
        "reactive",
        "statuscale",
        "predictive:naive",
        "hybrid-max:drift",
        "hybrid-guard:naive",
        "keda",
    ] {
        assert!(
            lines.iter().any(|l| l.split_whitespace().next() == Some(p)),
            "{p} missing in {stdout}"
        );
    }

    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(&header[..REQUIRED.len()], &REQUIRED);
    assert_eq!(rows.len(), 8);
    // The 120 replayed steps of 15 s: pod-minutes = Σ allocated · 15/60, read back from the
    // timeline; violation share within [0, 1]; the jump to 700 RPS makes every policy
    // violate for at least the 60 s start-up (4 steps of 120).
    let timeline = std::fs::read_to_string(&tl).unwrap();
    for row in &rows[1..] {
        let f: Vec<&str> = row.split(',').collect();
        let share: f64 = f[1].parse().unwrap();
        let pod_minutes: f64 = f[4].parse().unwrap();
        assert!((4.0 / 120.0 - 1e-12..=1.0).contains(&share), "{row}");
        let pm: f64 = timeline
            .lines()
            .skip(1)
            .filter(|l| l.split(',').next() == Some(f[0]))
            .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap() * 0.25)
            .sum();
        assert!((pm - pod_minutes).abs() < 1e-9, "{row}: {pm}");
        let steps = timeline
            .lines()
            .filter(|l| l.split(',').next() == Some(f[0]))
            .count();
        assert_eq!(steps, 120);
    }
    assert!(
        std::fs::read(&png).unwrap().starts_with(b"\x89PNG"),
        "not a PNG"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// Two traces equal up to point `k` and different after: every decision before the change
/// is visible must be the same (no policy, fitted model included, sees future data).
#[test]
fn policies_see_no_future_data() {
    let d = dir("noleak");
    let a = trace_csv(400, 1000);
    let b = trace_csv(400, 300);
    let pa = write(&d, "a.csv", &a);
    let pb = write(&d, "b.csv", &b);
    let mut timelines = Vec::new();
    for (p, name) in [(&pa, "a.tl"), (&pb, "b.tl")] {
        let tl = d.join(name);
        ok(&[
            "--quiet",
            "simulate",
            "--input",
            p,
            "--capacity",
            "50",
            "--policies",
            "hpa,reactive,predictive:naive,predictive:holt-winters,predictive:lightgbm,predictive:gru,hybrid-max:naive,hybrid-guard:drift",
            "--max",
            "40",
            "--history",
            "200",
            "--timeline",
            tl.to_str().unwrap(),
        ]);
        timelines.push(std::fs::read_to_string(&tl).unwrap());
    }
    let change_ts = 1_704_067_200 + 15 * 300;
    let before = |t: &str| -> Vec<String> {
        t.lines()
            .skip(1)
            .filter(|l| l.split(',').nth(1).unwrap().parse::<i64>().unwrap() < change_ts)
            .map(String::from)
            .collect()
    };
    let (x, y) = (before(&timelines[0]), before(&timelines[1]));
    assert!(x.len() > 100 * 6, "{}", x.len());
    assert_eq!(x, y);
    // ... while after the change the runs differ.
    assert_ne!(timelines[0], timelines[1]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn scenario_protocol_reports_mean_and_sd() {
    let d = dir("scenario");
    let csv = d.join("proto.csv");
    let stdout = ok(&[
        "--quiet",
        "simulate",
        "--scenario",
        "low,high",
        "--iterations",
        "3",
        "--seed",
        "5",
        "--history",
        "1h",
        "--capacity",
        "50",
        "--policies",
        "hpa,hybrid-max:naive",
        "--output",
        csv.to_str().unwrap(),
    ]);
    assert!(
        stdout.contains("scenario low: 3 iterations (seeds 5..=7)"),
        "{stdout}"
    );
    assert!(stdout.contains("scenario high"), "{stdout}");
    assert!(stdout.contains(" ± "), "{stdout}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 1 + 2 * 2);
    let header: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(&header[..REQUIRED.len()], &REQUIRED);
    let sc = header.iter().position(|h| *h == "scenario").unwrap();
    let runs = header.iter().position(|h| *h == "runs").unwrap();
    let sd = header.iter().position(|h| *h == "pod_minutes_sd").unwrap();
    for row in &rows[1..] {
        let f: Vec<&str> = row.split(',').collect();
        assert!(["low", "high"].contains(&f[sc]));
        assert_eq!(f[runs], "3");
        assert!(f[sd].parse::<f64>().unwrap() >= 0.0);
    }
    // Deterministic: the same command gives the same CSV.
    let csv2 = d.join("proto2.csv");
    ok(&[
        "--quiet",
        "simulate",
        "--scenario",
        "low,high",
        "--iterations",
        "3",
        "--seed",
        "5",
        "--history",
        "1h",
        "--capacity",
        "50",
        "--policies",
        "hpa,hybrid-max:naive",
        "--output",
        csv2.to_str().unwrap(),
    ]);
    assert_eq!(text, std::fs::read_to_string(&csv2).unwrap());
    std::fs::remove_dir_all(&d).unwrap();
}

/// Asserts exit code 2 and one `error:` line containing `needle`.
fn fails_with(args: &[&str], needle: &str) {
    let out = exec(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].to_lowercase().contains(&needle.to_lowercase()),
        "{args:?}: `{needle}` not in {stderr}"
    );
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let d = dir("bad");
    let good = write(&d, "good.csv", &trace_csv(80, 1000));
    let sim = |input: &str, extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["--quiet", "simulate", "--input", input]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let check = |args: Vec<String>, needle: &str| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_with(&refs, needle);
    };
    check(sim(&good, &["--capacity", "0"]), "capacity");
    check(sim(&good, &["--capacity", "-5"]), "capacity");
    check(
        sim(&good, &["--capacity", "50", "--min", "5", "--max", "2"]),
        "greater than --max",
    );
    let empty = write(&d, "empty.csv", "timestamp,value\n");
    check(sim(&empty, &["--capacity", "50"]), "empty");
    // Row 40's value replaced by NaN.
    let nan: String = trace_csv(80, 1000)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 41 {
                format!("{},NaN\n", 1_704_067_200 + 15 * 40)
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let p = write(&d, "nan.csv", &nan);
    check(sim(&p, &["--capacity", "50"]), "non-finite");
    let neg = trace_csv(80, 1000).replacen(
        &format!("{},", 1_704_067_200 + 15 * 10),
        &format!("{},-", 1_704_067_200 + 15 * 10),
        1,
    );
    let p = write(&d, "neg.csv", &neg);
    check(sim(&p, &["--capacity", "50"]), "demand");
    check(
        sim(&good, &["--capacity", "50", "--policies", "hpa,magic"]),
        "unknown policy `magic`",
    );
    check(
        sim(
            &good,
            &["--capacity", "50", "--policies", "predictive:arima9"],
        ),
        "arima9",
    );
    check(
        sim(&good, &["--capacity", "50", "--policies", "predictive"]),
        "needs a model",
    );
    check(
        sim(&good, &["--capacity", "50", "--startup", "soon"]),
        "startup",
    );
    check(
        sim(&good, &["--capacity", "50", "--history", "100%"]),
        "history",
    );
    check(
        sim(
            &good,
            &[
                "--capacity",
                "50",
                "--policies",
                "predictive:naive",
                "--param",
                "bogus=1",
            ],
        ),
        "bogus",
    );
    fails_with(
        &[
            "--quiet",
            "simulate",
            "--scenario",
            "extreme",
            "--capacity",
            "50",
        ],
        "scenario",
    );
    fails_with(
        &[
            "--quiet",
            "simulate",
            "--scenario",
            "low",
            "--iterations",
            "0",
            "--capacity",
            "50",
        ],
        "iterations",
    );
    // A model that needs more history than there is: a typed too-short error.
    check(
        sim(
            &good,
            &[
                "--capacity",
                "50",
                "--policies",
                "predictive:seasonal-naive",
                "--season",
                "60",
                "--history",
                "20",
            ],
        ),
        "seasonal-naive",
    );
    std::fs::remove_dir_all(&d).unwrap();
}
