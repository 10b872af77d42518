//! The subcommands on small inputs: outputs, columns and a backtest checked by hand.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fz-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn generate_is_deterministic_and_readable() {
    let d = dir("generate");
    let a = d.join("a.csv");
    let b = d.join("b.csv");
    for p in [&a, &b] {
        run(&[
            "generate",
            "--scenario",
            "low",
            "--days",
            "0.5",
            "--step",
            "120",
            "--seed",
            "7",
            "-o",
            p.to_str().unwrap(),
        ]);
    }
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text, std::fs::read_to_string(&b).unwrap());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 361);
    assert_eq!(lines[0], "timestamp,value");
    assert!(lines[1].starts_with("2024-01-01T00:00:00Z,"));
    assert!(lines[2].starts_with("2024-01-01T00:02:00Z,"));
}

#[test]
fn forecast_csv_json_and_saved_model() {
    let d = dir("forecast");
    let input = d.join("in.csv");
    // A gap (missing 00:03) and a NaN: filled linearly, reported on stderr.
    std::fs::write(
        &input,
        "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,2\n2024-01-01T00:02:00Z,3\n\
         2024-01-01T00:04:00Z,5\n2024-01-01T00:05:00Z,NaN\n2024-01-01T00:06:00Z,7\n",
    )
    .unwrap();
    let i = input.to_str().unwrap();
    let out = run(&[
        "forecast",
        "-i",
        i,
        "--model",
        "naive",
        "--horizon",
        "2",
        "--level",
        "80",
        "--level",
        "95",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("filled 2 point(s)"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "series,timestamp,point,lower_80,upper_80,lower_95,upper_95"
    );
    assert!(
        lines[1].starts_with("in.csv,2024-01-01T00:07:00Z,7,"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3);
    // --quiet silences the fill report.
    let out = run(&[
        "--quiet",
        "forecast",
        "-i",
        i,
        "--model",
        "drift",
        "--horizon",
        "1",
    ]);
    assert!(out.stderr.is_empty());
    // JSON output, saved model, and forecasting from the saved model.
    let json = d.join("f.json");
    let model = d.join("model.json");
    run(&[
        "forecast",
        "-i",
        i,
        "--model",
        "moving-average",
        "--param",
        "window=2",
        "--horizon",
        "3",
        "-o",
        json.to_str().unwrap(),
        "--save-model",
        model.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("\"point\"") && text.contains("6.5"), "{text}");
    let out = run(&[
        "forecast",
        "-i",
        i,
        "--load-model",
        model.to_str().unwrap(),
        "--horizon",
        "1",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().nth(1).unwrap().ends_with(",6.5"), "{stdout}");
    // A plot.
    let png = d.join("f.png");
    run(&[
        "forecast",
        "-i",
        i,
        "--model",
        "naive",
        "--horizon",
        "2",
        "--level",
        "90",
        "--plot",
        png.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

/// y = 1, 2, 4, 7, 11, 16, 22, 29, 37, 46 (first differences 1..9). n = 10, test region
/// floor(0.2·10) = 2 points, T0 = 8, H = 1: origins 8 and 9. Naive forecasts y[7] = 29 and
/// y[8] = 37, errors 8 and 9: MAE 8.5, RMSE √72.5. MASE scale (m = 1) = mean |Δy| over
/// y[..8] = (1+…+7)/7 = 4, so MASE = 2.125; sMAPE = (200/2)·(8/66 + 9/83).
#[test]
fn backtest_small_case_by_hand() {
    let d = dir("backtest");
    let input = d.join("y.csv");
    let ys = [1, 2, 4, 7, 11, 16, 22, 29, 37, 46];
    let mut csv = String::new();
    for (k, y) in ys.iter().enumerate() {
        csv += &format!("{},{y}\n", 1_704_067_200 + 3600 * k);
    }
    std::fs::write(&input, csv).unwrap();
    let out_csv = d.join("bt.csv");
    let out = run(&[
        "--quiet",
        "backtest",
        "-i",
        input.to_str().unwrap(),
        "--models",
        "naive,drift",
        "--horizon",
        "1",
        "--season",
        "1",
        "-o",
        out_csv.to_str().unwrap(),
    ]);
    let board = String::from_utf8(out.stdout).unwrap();
    assert!(
        board.contains("horizon 1") && board.contains("naive"),
        "{board}"
    );
    let text = std::fs::read_to_string(&out_csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for col in [
        "series",
        "model",
        "horizon",
        "step",
        "mae",
        "rmse",
        "mase",
        "smape",
        "coverage_80",
        "coverage_95",
        "fit_seconds",
        "forecast_ms_per_call",
    ] {
        assert!(header.contains(&col), "missing column {col}: {header:?}");
    }
    let col = |row: &[&str], name: &str| -> String {
        row[header.iter().position(|h| *h == name).unwrap()].to_string()
    };
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let naive = rows
        .iter()
        .find(|r| col(r, "model") == "naive" && col(r, "step") == "all")
        .unwrap();
    let num = |name: &str| col(naive, name).parse::<f64>().unwrap();
    assert!((num("mae") - 8.5).abs() < 1e-12);
    assert!((num("rmse") - 72.5f64.sqrt()).abs() < 1e-12);
    assert!((num("mase") - 2.125).abs() < 1e-12);
    assert!((num("smape") - 100.0 * (8.0 / 66.0 + 9.0 / 83.0)).abs() < 1e-9);
    assert_eq!(
        rows.iter().filter(|r| col(r, "model") == "drift").count(),
        2
    );
}

#[test]
fn backtest_folder_with_durations_and_json() {
    let d = dir("folder");
    for (name, seed) in [("a.csv", "1"), ("b.csv", "2")] {
        run(&[
            "generate",
            "--scenario",
            "medium",
            "--days",
            "1",
            "--step",
            "300",
            "--seed",
            seed,
            "-o",
            d.join(name).to_str().unwrap(),
        ]);
    }
    let json = d.join("r.json");
    let out = run(&[
        "--quiet",
        "backtest",
        "-i",
        d.to_str().unwrap(),
        "--models",
        "naive,seasonal-naive,moving-average",
        "--horizons",
        "1,12",
        "--season",
        "1h",
        "--max-origins",
        "5",
        "--level",
        "90",
        "-o",
        json.to_str().unwrap(),
    ]);
    let board = String::from_utf8(out.stdout).unwrap();
    assert!(
        board.contains("horizon 12 (2 series") && board.contains("cov90"),
        "{board}"
    );
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // 2 series × 3 models × (1 + 1 pooled rows + 1 + 12 step rows).
    assert_eq!(rows.as_array().unwrap().len(), 2 * 3 * 15);
}

#[test]
fn models_and_demo() {
    let out = run(&["models"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for m in [
        "naive",
        "seasonal-naive",
        "drift",
        "moving-average",
        "window=<value>  (default 12)",
    ] {
        assert!(text.contains(m), "{text}");
    }
    let d = dir("demo");
    // A subset keeps the test short; `make demo` runs every registered model.
    let out = run(&[
        "--quiet",
        "demo",
        "--output-dir",
        d.to_str().unwrap(),
        "--models",
        "naive,seasonal-naive,holt-winters,arima",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("rank") && text.contains("best model") && text.contains("4 models"),
        "{text}"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args([
            "demo",
            "--output-dir",
            d.to_str().unwrap(),
            "--models",
            "nope",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown model `nope`"));
    assert!(
        std::fs::read(d.join("demo.png"))
            .unwrap()
            .starts_with(b"\x89PNG")
    );
    assert!(
        std::fs::metadata(d.join("demo_backtest.csv"))
            .unwrap()
            .len()
            > 100
    );
}
