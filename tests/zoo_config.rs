//! The zoo configuration file: parsing, the example config, round trip through
//! `Zoo::to_config` (same forecasts after reloading), errors with line numbers in the library
//! and on the command line (exit code 2), `--models all`, and the composite registry entries.

use std::path::PathBuf;
use std::process::Command;

use forecast_zoo::Registry;
use forecast_zoo::core::params::{BuildContext, Params};
use forecast_zoo::core::{Error, Series};
use forecast_zoo::zoo::Zoo;

fn series(n: usize) -> Series {
    let y: Vec<f64> = (0..n)
        .map(|t| {
            let t = t as f64;
            50.0 + 0.05 * t + 10.0 * (t * std::f64::consts::TAU / 24.0).sin() + ((t * 7.3).sin())
        })
        .collect();
    Series::new(1_700_000_000, 300, y).unwrap()
}

const CONFIG: &str = "\
models:
  - name: naive
  - name: seasonal-naive
    params:
      season: 24
  - name: moving-average
    params: {window: 6}
  - name: statuscale
    params:
      lambda: 25
ensemble:
  weighting: softmax
  temperature: 0.3
  validation-horizon: 6
  dynamic:
    window: 8
    top-k: 2
";

fn line_of(err: &Error) -> usize {
    match err {
        Error::Parse { line, .. } => *line,
        other => panic!("expected a located error, got {other}"),
    }
}

#[test]
fn parses_builds_and_round_trips_to_the_same_forecasts() {
    let zoo: Zoo = CONFIG.parse().unwrap();
    assert_eq!(
        zoo.model_names(),
        [
            "naive",
            "seasonal-naive",
            "moving-average",
            "statuscale",
            "ensemble"
        ]
    );
    let reg = Registry::builtin();
    let y = series(400);
    let fitted = zoo.fit(&reg, &y, 24).unwrap();
    let text = fitted.to_config();
    let again: Zoo = text.parse().unwrap();
    assert_eq!(again, zoo, "{text}");
    let refit = again.fit(&reg, &y, 24).unwrap();
    for ((n1, m1), (n2, m2)) in fitted.models().iter().zip(refit.models()) {
        assert_eq!(n1, n2);
        let f1 = m1.forecast(&y, 12, &[]).unwrap();
        let f2 = m2.forecast(&y, 12, &[]).unwrap();
        assert_eq!(f1, f2, "{n1}");
    }
    // The parameters reached the models: moving-average(6) is the mean of the last 6 values.
    let ma = fitted.get("moving-average").unwrap();
    let last6 = y.values()[394..].iter().sum::<f64>() / 6.0;
    assert!((ma.forecast(&y, 1, &[]).unwrap().point[0] - last6).abs() < 1e-12);
    // The ensemble's members carry their zoo parameters.
    let p = zoo.params("ensemble");
    let built = reg
        .build(
            "ensemble",
            p,
            &BuildContext {
                season: Some(24),
                step: 300,
            },
        )
        .unwrap();
    assert_eq!(built.name(), "ensemble");
}

#[test]
fn the_example_config_loads() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/zoo.yaml");
    let zoo = Zoo::from_config(&path).unwrap();
    assert!(zoo.model_names().contains(&"ensemble".to_string()));
    let again: Zoo = zoo.to_config().parse().unwrap();
    assert_eq!(again, zoo);
}

#[test]
fn bad_configs_name_the_key_and_line() {
    let cases: [(&str, usize, &str); 9] = [
        // unknown key in a model entry (serde)
        ("models:\n  - name: naive\n    parms: {}\n", 3, "parms"),
        // unknown top-level key
        (
            "models:\n  - name: naive\nensemble: {}\nextra: 1\n",
            4,
            "extra",
        ),
        // unknown model name
        ("models:\n  - name: naive\n  - name: arima9\n", 3, "arima9"),
        // invalid parameter value (own lookup of the key's line)
        (
            "models:\n  - name: naive\n  - name: moving-average\n    params:\n      window: 0\n",
            5,
            "window",
        ),
        // unknown parameter of a model
        (
            "models:\n  - name: drift\n  - name: naive\n    params:\n      window: 3\n",
            5,
            "window",
        ),
        // value of the wrong type (serde)
        (
            "models:\n  - name: naive\nensemble:\n  dynamic:\n    window: many\n",
            5,
            "window",
        ),
        // invalid ensemble value
        (
            "models:\n  - name: naive\nensemble:\n  weighting: softmax\n  temperature: -1\n",
            5,
            "temperature",
        ),
        (
            "models:\n  - name: naive\nensemble:\n  weighting: best\n",
            4,
            "weighting",
        ),
        // member that is not a zoo model
        (
            "models:\n  - name: naive\nensemble:\n  members: [naive, drift]\n",
            4,
            "drift",
        ),
    ];
    for (text, line, needle) in cases {
        let e = text.parse::<Zoo>().unwrap_err();
        let msg = e.to_string();
        assert_eq!(line_of(&e), line, "{text}\n{msg}");
        assert!(msg.contains(needle), "{text}\n{msg}");
        assert!(msg.contains(&format!("line {line}")), "{msg}");
    }
    // Duplicate model.
    let e = "models:\n  - name: naive\n  - name: naive\n"
        .parse::<Zoo>()
        .unwrap_err();
    assert_eq!(line_of(&e), 3);
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fz-zoo-config-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn csv(n: usize) -> String {
    let y = series(n);
    let mut s = String::from("timestamp,value\n");
    for (t, v) in y.iter() {
        s += &format!("{t},{v}\n");
    }
    s
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_forecast-zoo"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_bad_config_exits_2_with_the_line() {
    let data = tmp("y.csv", &csv(200));
    let bad = tmp(
        "bad.yaml",
        "models:\n  - name: naive\n  - name: moving-average\n    params:\n      window: 0\n",
    );
    for cmd in ["backtest", "forecast"] {
        let out = run(&[
            "--quiet",
            cmd,
            "--input",
            data.to_str().unwrap(),
            "--config",
            bad.to_str().unwrap(),
            "--horizon",
            "2",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(
            lines[0].contains("line 5") && lines[0].contains("window"),
            "{stderr}"
        );
    }
}

#[test]
fn cli_backtest_and_forecast_with_a_config() {
    let data = tmp("z.csv", &csv(300));
    let cfg = tmp(
        "zoo.yaml",
        "models:\n  - name: naive\n  - name: moving-average\n    params: {window: 4}\nensemble:\n  validation-horizon: 3\n",
    );
    let out = run(&[
        "--quiet",
        "backtest",
        "--input",
        data.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--horizons",
        "1,3",
        "--max-origins",
        "5",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for m in ["naive", "moving-average", "ensemble"] {
        assert!(stdout.contains(m), "{m} missing from\n{stdout}");
    }
    let out = run(&[
        "--quiet",
        "forecast",
        "--input",
        data.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--horizon",
        "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    // --model picks another model of the config; one outside it is an input error.
    let out = run(&[
        "--quiet",
        "forecast",
        "--input",
        data.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--horizon",
        "2",
        "--model",
        "drift",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn composite_models_are_registered_with_their_parameters() {
    let reg = Registry::builtin();
    let ctx = BuildContext {
        season: Some(24),
        step: 300,
    };
    let y = series(300);
    for name in ["ensemble", "statuscale", "hybrid"] {
        let mut m = reg.build(name, Params::new(name), &ctx).unwrap();
        m.fit(&y).unwrap();
        let f = m.forecast(&y, 12, &[]).unwrap();
        assert!(f.point.iter().all(|p| p.is_finite()), "{name}");
    }
    let p = Params::parse(
        "ensemble",
        [
            "members=naive,drift",
            "weighting=stacking",
            "dynamic-window=0",
        ],
    )
    .unwrap();
    let mut e = reg.build("ensemble", p, &ctx).unwrap();
    e.fit(&y).unwrap();
    let p = Params::parse("ensemble", ["members=naive,ensemble"]).unwrap();
    assert!(reg.build("ensemble", p, &ctx).is_err());
    let p = Params::parse("ensemble", ["weighting=best"]).unwrap();
    let err = reg.build("ensemble", p, &ctx).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidParameter { name, .. } if name == "weighting"),
        "{err}"
    );
    let p = Params::parse("statuscale", ["predictor=moving-average", "lambda=-1"]).unwrap();
    assert!(matches!(
        reg.build("statuscale", p, &ctx),
        Err(Error::InvalidParameter { .. })
    ));
    let p = Params::parse("hybrid", ["base=seasonal-naive", "residual=moving-average"]).unwrap();
    let mut h = reg.build("hybrid", p, &ctx).unwrap();
    h.fit(&y).unwrap();
    assert_eq!(h.name(), "hybrid(seasonal-naive+moving-average)");
    // `--models all` = every registered model, composites included.
    let all = reg.expand_models(&["all".into()]);
    assert!(all.contains(&"ensemble".to_string()) && all.contains(&"statuscale".to_string()));
}
