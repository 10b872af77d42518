//! Fixture tests for `forecast_core::io`: one per input layout (values, timestamps and labels
//! checked exactly), one per class of bad input (the right `Error` variant), and folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use forecast_core::io::{self, LabeledSeries, Layout, Selector};
use forecast_core::{Error, Fill};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/io")
        .join(name)
}

fn read(name: &str) -> (Layout, Vec<LabeledSeries>) {
    io::read_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_err(name: &str) -> Error {
    match io::read_path(&fixture(name)) {
        Ok((layout, s)) => panic!(
            "{name}: expected an error, read {layout} with {} series",
            s.len()
        ),
        Err(e) => e,
    }
}

fn load_err(name: &str, fill: Fill) -> Error {
    io::load_series(&fixture(name), None, fill).expect_err(name)
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Values compared bit for bit, NaN equal to NaN.
fn assert_values(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            a == e || (a.is_nan() && e.is_nan()),
            "{actual:?} vs {expected:?}"
        );
    }
}

const T0: i64 = 1_700_000_000; // 2023-11-14T22:13:20Z

#[test]
fn simple_with_header_rfc3339() {
    let (layout, s) = read("simple_header.csv");
    assert_eq!(layout, Layout::Simple);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].name, "simple_header.csv");
    assert!(s[0].labels.is_empty());
    let t = 1_396_448_700; // 2014-04-02T14:25:00Z
    assert_eq!(
        s[0].raw.timestamps,
        vec![t, t + 300, t + 600, t + 1200, t + 1500, t + 1800]
    );
    assert_values(
        &s[0].raw.values,
        &[0.068, 0.102, 0.066, 0.1, f64::NAN, 0.134],
    );
    // One absent step (14:40) and one NaN, filled linearly.
    let n = io::load_series(&fixture("simple_header.csv"), None, Fill::Linear).unwrap();
    assert_eq!(n[0].series.step(), 300);
    assert_eq!(n[0].series.start(), t);
    let v = n[0].series.values();
    assert_eq!(v.len(), 7);
    assert!((v[3] - 0.083).abs() < 1e-12);
    assert!((v[5] - 0.117).abs() < 1e-12);
    assert_eq!((n[0].fill.absent, n[0].fill.non_finite), (1, 1));
    assert_eq!(n[0].fill.first_filled, Some(t + 900));
}

#[test]
fn simple_without_header_epoch_seconds() {
    let (layout, s) = read("simple_noheader.csv");
    assert_eq!(layout, Layout::Simple);
    assert_eq!(s[0].name, "simple_noheader.csv");
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 60, T0 + 120, T0 + 180]);
    assert_values(&s[0].raw.values, &[12.5, 13.0, f64::NAN, 14.25]);
}

#[test]
fn simple_ds_y_naive_utc() {
    let (layout, s) = read("simple_ds_y.csv");
    assert_eq!(layout, Layout::Simple);
    let t = 1_704_067_200;
    assert_eq!(s[0].raw.timestamps, vec![t, t + 3600, t + 7200]);
    assert_values(&s[0].raw.values, &[100.0, 120.5, 98.0]);
}

#[test]
fn grafana_single_series_formatted_with_units() {
    let (layout, s) = read("grafana_single_formatted.csv");
    assert_eq!(layout, Layout::Simple);
    assert_eq!(s[0].name, "grafana_single_formatted.csv");
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 15, T0 + 30]);
    assert_values(&s[0].raw.values, &[0.25, 0.5, 1250.0]);
}

#[test]
fn long_layout_one_series_per_label_set() {
    let (layout, s) = read("long.csv");
    assert_eq!(layout, Layout::Long);
    let names: Vec<_> = s.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            r#"up{instance="a:9090",job="prometheus"}"#,
            r#"up{instance="b:9090",job="prometheus"}"#,
            r#"node_load1{instance="a:9100"}"#,
        ]
    );
    assert_eq!(
        s[0].labels,
        labels(&[
            ("__name__", "up"),
            ("instance", "a:9090"),
            ("job", "prometheus")
        ])
    );
    // The +01:00 offset of the third row is converted to UTC.
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 15]);
    assert_values(&s[0].raw.values, &[1.0, 1.0]);
    assert_values(&s[1].raw.values, &[0.0, 1.0]);
    assert_eq!(
        s[2].labels,
        labels(&[("__name__", "node_load1"), ("instance", "a:9100")])
    );
    assert_values(&s[2].raw.values, &[0.42, 0.40]);
}

#[test]
fn legacy_grafana_series_time_value() {
    let (layout, s) = read("grafana_legacy.csv");
    assert_eq!(layout, Layout::GrafanaLegacy);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].name, r#"up{instance="a:9090",job="prometheus"}"#);
    assert_eq!(
        s[0].labels,
        labels(&[
            ("__name__", "up"),
            ("instance", "a:9090"),
            ("job", "prometheus")
        ])
    );
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 15, T0 + 30]);
    assert_values(&s[0].raw.values, &[1.0, f64::NAN, 1.0]);
    assert_eq!(s[1].name, "A-series");
    assert!(s[1].labels.is_empty());
    assert_values(&s[1].raw.values, &[0.5, 0.75]);
}

#[test]
fn wide_grafana_bom_sep_crlf_epoch_ms() {
    let (layout, s) = read("grafana_wide.csv");
    assert_eq!(layout, Layout::Wide);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].name, r#"up{instance="a:9090",job="prometheus"}"#);
    assert_eq!(s[1].name, r#"up{instance="b:9090",job="prometheus"}"#);
    assert_eq!(
        s[1].labels,
        labels(&[
            ("__name__", "up"),
            ("instance", "b:9090"),
            ("job", "prometheus")
        ])
    );
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 15, T0 + 30, T0 + 45]);
    assert_values(&s[0].raw.values, &[1.0, 1.0, 0.0, 1.0]);
    // The empty cell is an absent sample, filled by regularize.
    assert_eq!(s[1].raw.timestamps, vec![T0, T0 + 30, T0 + 45]);
    let n = io::load_series(&fixture("grafana_wide.csv"), None, Fill::Previous).unwrap();
    assert_eq!(n[1].series.values(), &[1.0, 1.0, 1.0, 1.0]);
    assert_eq!(n[1].fill.absent, 1);
}

#[test]
fn wide_semicolon_formatted_units() {
    let (layout, s) = read("grafana_wide_semicolon.csv");
    assert_eq!(layout, Layout::Wide);
    assert_eq!(
        s[0].name,
        r#"container_memory_working_set_bytes{pod="web-1"}"#
    );
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 60]);
    assert_values(
        &s[0].raw.values,
        &[512.0 * 1_048_576.0, 520.0 * 1_048_576.0],
    );
    assert_eq!(s[1].raw.timestamps, vec![T0, T0 + 60, T0 + 120]);
    assert_values(
        &s[1].raw.values,
        &[1_073_741_824.0, 1.5 * 1_073_741_824.0, 1_073_741_824.0],
    );
}

#[test]
fn wide_tab_separated_aliases() {
    let (layout, s) = read("grafana_wide_tab.tsv");
    assert_eq!(layout, Layout::Wide);
    assert_eq!(s[0].name, "A-series");
    assert_eq!(s[1].name, "B-series");
    assert!(s[0].labels.is_empty());
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 300, T0 + 600]);
    assert_values(&s[0].raw.values, &[45.0, 47.5, 46.0]);
    assert_eq!(s[1].raw.timestamps, vec![T0, T0 + 600]);
}

#[test]
fn query_range_json_matrix() {
    let (layout, s) = read("query_range.json");
    assert_eq!(layout, Layout::QueryRangeJson);
    assert_eq!(s[0].name, r#"up{instance="a:9090",job="prometheus"}"#);
    assert_eq!(s[0].raw.timestamps, vec![T0, T0 + 15, T0 + 45, T0 + 60]);
    assert_values(&s[0].raw.values, &[1.0, 1.0, 0.0, 1.0]);
    assert_eq!(s[1].name, r#"{instance="b:9090",job="prometheus"}"#);
    assert_eq!(
        s[1].labels,
        labels(&[("instance", "b:9090"), ("job", "prometheus")])
    );
    // Fractional seconds round to the nearest second (halves away from zero).
    assert_eq!(s[1].raw.timestamps, vec![T0 + 1, T0 + 16, T0 + 31, T0 + 46]);
    assert_values(&s[1].raw.values, &[0.5, f64::NAN, f64::INFINITY, 0.25]);
    // The absent step (T0+30) and the NaN/+Inf are filled linearly.
    let n = io::load_series(&fixture("query_range.json"), None, Fill::Linear).unwrap();
    assert_eq!(n[0].series.values(), &[1.0, 1.0, 0.5, 0.0, 1.0]);
    assert_eq!(n[0].fill.absent, 1);
    let v = n[1].series.values();
    let expected = [0.5, 0.5 - 0.25 / 3.0, 0.5 - 0.5 / 3.0, 0.25];
    assert!(
        v.iter().zip(expected).all(|(a, e)| (a - e).abs() < 1e-12),
        "{v:?}"
    );
    assert_eq!(n[1].fill.non_finite, 2);
}

#[test]
fn query_vector_and_api_error() {
    let (layout, s) = read("query_vector.json");
    assert_eq!(layout, Layout::QueryRangeJson);
    assert_eq!(s[0].name, r#"up{job="api"}"#);
    assert_eq!(s[0].raw.timestamps, vec![T0]);
    match read_err("query_error.json") {
        Error::Format(m) => {
            assert!(
                m.contains("bad_data") && m.contains("unexpected end of input"),
                "{m}"
            )
        }
        e => panic!("wrong variant: {e:?}"),
    }
}

#[test]
fn unsorted_and_duplicate_timestamps() {
    assert_eq!(
        load_err("bad/unsorted.csv", Fill::Linear),
        Error::Unsorted {
            row: 2,
            timestamp: T0 + 60,
            previous: T0 + 120
        }
    );
    assert_eq!(
        load_err("bad/duplicate.csv", Fill::Linear),
        Error::DuplicateTimestamp {
            row: 2,
            timestamp: T0 + 60
        }
    );
}

#[test]
fn gaps_and_nan_under_fill_error() {
    assert!(matches!(
        load_err("bad/nan.csv", Fill::Error),
        Error::NonFinite { row: 1, timestamp, .. } if timestamp == T0 + 60
    ));
    assert_eq!(
        load_err("bad/gap.csv", Fill::Error),
        Error::Gap {
            row: 1,
            timestamp: T0 + 120,
            missing: 2
        }
    );
    // The same files load under the default policy.
    let n = io::load_series(&fixture("bad/nan.csv"), None, Fill::Linear).unwrap();
    assert_eq!(n[0].series.values(), &[1.0, 2.0, 3.0]);
}

#[test]
fn irregular_steps() {
    assert_eq!(
        load_err("bad/irregular.csv", Fill::Linear),
        Error::IrregularStep {
            row: 3,
            timestamp: T0 + 150,
            expected: 60,
            actual: 30
        }
    );
}

#[test]
fn malformed_csv_names_line_and_column() {
    assert!(matches!(
        read_err("bad/malformed.csv"),
        Error::Parse { line: 3, .. }
    ));
    assert!(matches!(
        read_err("bad/wrong_width.csv"),
        Error::Parse {
            line: 3,
            column: None,
            ..
        }
    ));
    match read_err("bad/nonnumeric.csv") {
        Error::Parse {
            line: 3,
            column: Some(c),
            message,
        } => {
            assert_eq!(c, "value");
            assert!(message.contains("high"), "{message}");
        }
        e => panic!("wrong variant: {e:?}"),
    }
    match read_err("bad/bad_time.csv") {
        Error::Parse {
            line: 3,
            column: Some(c),
            message,
        } => {
            assert_eq!(c, "timestamp");
            assert!(message.contains("yesterday"), "{message}");
        }
        e => panic!("wrong variant: {e:?}"),
    }
    assert!(matches!(
        read_err("bad/no_time_column.csv"),
        Error::Format(_)
    ));
}

#[test]
fn bad_json() {
    assert!(matches!(
        read_err("bad/bad_json.json"),
        Error::Parse { line: 2, .. }
    ));
    match read_err("bad/bad_json_value.json") {
        Error::Format(m) => assert!(
            m.contains("result[0].values[1]") && m.contains("fast"),
            "{m}"
        ),
        e => panic!("wrong variant: {e:?}"),
    }
}

#[test]
fn binary_garbage_and_empty_files() {
    assert!(matches!(read_err("bad/garbage.bin"), Error::Format(_)));
    assert!(matches!(read_err("bad/empty.csv"), Error::Empty { .. }));
    assert!(matches!(
        read_err("bad/header_only.csv"),
        Error::Empty { .. }
    ));
    assert!(matches!(
        io::read_bytes(b"\xff\xd8\xff\xe0 not text", "x.jpg"),
        Err(Error::Format(_))
    ));
    assert!(matches!(
        io::read_path(&fixture("does_not_exist.csv")),
        Err(Error::Io { .. })
    ));
}

#[test]
fn folder_reads_csv_and_json_sorted_skipping_manifest_and_readme() {
    let n = io::load_series(&fixture("folder"), None, Fill::Linear).unwrap();
    let names: Vec<_> = n.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["a.csv", r#"up{instance="a:9090"}"#]);
    assert_eq!(n[0].series.values(), &[1.0, 2.0, 3.0]);
    assert_eq!(n[1].series.values(), &[1.0, 0.0, 0.5, 1.0]);
    let sel = Selector::parse("a").unwrap();
    let n = io::load_series(&fixture("folder"), Some(&sel), Fill::Linear).unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].name, "a.csv");
    assert!(matches!(
        io::load_series(&fixture("bad"), None, Fill::Linear),
        Err(Error::Parse { .. } | Error::Format(_) | Error::Empty { .. })
    ));
}
