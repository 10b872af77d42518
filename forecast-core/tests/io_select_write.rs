//! Series selection by name and label matchers, and the forecast/series writers.

use forecast_core::io::{self, LabeledSeries, Selector};
use forecast_core::{Error, Forecast, Series};

const QUERY: &str = r#"{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"__name__":"up","instance":"a:9090","job":"api"},"values":[[1700000000,"1"],[1700000015,"1"]]},
 {"metric":{"__name__":"up","instance":"b:9090","job":"api"},"values":[[1700000000,"0"],[1700000015,"1"]]},
 {"metric":{"__name__":"up","instance":"c:9100","job":"node"},"values":[[1700000000,"1"],[1700000015,"1"]]},
 {"metric":{"instance":"a:9090"},"values":[[1700000000,"3"],[1700000015,"4"]]}]}}"#;

fn series() -> Vec<LabeledSeries> {
    io::read_bytes(QUERY.as_bytes(), "q.json").unwrap().1
}

fn names(sel: &str) -> Vec<String> {
    let sel = Selector::parse(sel).unwrap();
    io::select(series(), Some(&sel))
        .map(|v| v.into_iter().map(|s| s.name).collect())
        .unwrap_or_default()
}

#[test]
fn selectors_by_name_and_matchers() {
    let a = r#"up{instance="a:9090",job="api"}"#;
    let b = r#"up{instance="b:9090",job="api"}"#;
    let c = r#"up{instance="c:9100",job="node"}"#;
    let d = r#"{instance="a:9090"}"#;
    assert_eq!(names("up"), vec![a, b, c]);
    assert_eq!(names(a), vec![a]);
    assert_eq!(names(d), vec![a, d]);
    assert_eq!(names(r#"instance="a:9090""#), vec![a, d]);
    assert_eq!(names(r#"{job="api",instance=~"a.*"}"#), vec![a]);
    assert_eq!(names(r#"up{job!="api"}"#), vec![c]);
    assert_eq!(names(r#"instance!~".*:9090""#), vec![c]);
    // Regexes are anchored, as in Prometheus.
    assert_eq!(names(r#"instance=~"9090""#), Vec::<String>::new());
    // A missing label matches like the empty string.
    assert_eq!(names(r#"job="""#), vec![d]);
    assert_eq!(names(r#"{__name__="up", job='node'}"#), vec![c]);
    assert_eq!(io::select(series(), None).unwrap().len(), 4);
}

#[test]
fn no_match_names_available_series() {
    let sel = Selector::parse(r#"instance="z:1""#).unwrap();
    match io::select(series(), Some(&sel)) {
        Err(Error::SeriesNotFound {
            selector,
            available,
        }) => {
            assert_eq!(selector, r#"instance="z:1""#);
            assert!(
                available.contains(r#"up{instance="c:9100",job="node"}"#),
                "{available}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(io::select(vec![], None), Err(Error::Empty { .. })));
}

#[test]
fn invalid_selectors() {
    for bad in [
        "",
        "  ",
        r#"{job="a""#,
        r#"instance=~"(""#,
        "job=api",
        r#"up{job=="a"}"#,
    ] {
        assert!(
            matches!(Selector::parse(bad), Err(Error::InvalidParameter { .. })),
            "{bad}"
        );
    }
}

fn forecast() -> Forecast {
    let mut f = Forecast::default();
    f.reset(1_704_067_200, 300, 2, &[80.0, 97.5]).unwrap();
    f.point.copy_from_slice(&[1.5, -2.0]);
    f.intervals[0].lower.copy_from_slice(&[1.0, -3.0]);
    f.intervals[0].upper.copy_from_slice(&[2.0, -1.0]);
    f.intervals[1].lower.copy_from_slice(&[0.25, -4.0]);
    f.intervals[1].upper.copy_from_slice(&[2.75, 1e20]);
    f
}

#[test]
fn forecasts_csv_columns_and_quoting() {
    let f = forecast();
    let mut g = Forecast::default();
    g.reset(1_704_067_200, 300, 1, &[]).unwrap();
    g.point[0] = 7.0;
    let mut out = Vec::new();
    io::write_forecasts_csv(
        &mut out,
        &[(r#"up{instance="a",job="x"}"#, &f), ("b.csv", &g)],
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "series,timestamp,point,lower_80,upper_80,lower_97.5,upper_97.5\n\
         \"up{instance=\"\"a\"\",job=\"\"x\"\"}\",2024-01-01T00:00:00Z,1.5,1,2,0.25,2.75\n\
         \"up{instance=\"\"a\"\",job=\"\"x\"\"}\",2024-01-01T00:05:00Z,-2,-3,-1,-4,1e20\n\
         b.csv,2024-01-01T00:00:00Z,7,,,,\n"
    );
}

#[test]
fn forecasts_json_round_trips() {
    let f = forecast();
    let mut out = Vec::new();
    io::write_forecasts_json(&mut out, &[("cpu.csv", &f)]).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v[0]["series"], "cpu.csv");
    let back: Forecast = serde_json::from_value(v[0]["forecast"].clone()).unwrap();
    assert_eq!(back, f);
}

#[test]
fn series_csv_reads_back() {
    let s = Series::new(1_704_067_200, 60, vec![1.0, 0.1 + 0.2, -3.5e-9, 1e300]).unwrap();
    let mut out = Vec::new();
    io::write_series_csv(&mut out, &s).unwrap();
    let (layout, read) = io::read_bytes(&out, "s.csv").unwrap();
    assert_eq!(layout, io::Layout::Simple);
    let (back, report) = read[0]
        .raw
        .regularize(Some(60), forecast_core::Fill::Error)
        .unwrap();
    assert_eq!(back, s);
    assert_eq!(report.filled(), 0);
}
