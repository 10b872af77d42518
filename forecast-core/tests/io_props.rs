//! Property tests for the reader: arbitrary input never panics, and a series written in the
//! simple layout reads back identically.

use forecast_core::io::{self, Selector};
use forecast_core::{Fill, Series};
use proptest::prelude::*;

/// Bytes that look a little like exports, so the fuzzing reaches past the first checks.
fn export_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("timestamp,value\n".to_string()),
        Just("\"Time\",\"{__name__=\"\"up\"\", instance=\"\"a\"\"}\"\r\n".to_string()),
        Just("\"Series\";\"Time\";\"Value\"\r\n".to_string()),
        Just("name,timestamp,value,instance\n".to_string()),
        Just("sep=;\n".to_string()),
        Just(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[".to_string()
        ),
        Just("{\"metric\":{\"a\":\"b\"},\"values\":[[1700000000,\"NaN\"]]}".to_string()),
        "[0-9]{1,19}(\\.[0-9]{0,3})?".prop_map(|s| s),
        "-?[0-9]{1,5}(\\.[0-9]+)?(e-?[0-9]{1,3})?(%|m|Ki|Mi|G|k)?".prop_map(|s| s),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:[0-5][0-9](Z|\\+01:00)?",
        prop::sample::select(vec![
            ",", ";", "\t", "\n", "\r\n", "\"", "{", "}", "=", "[", "]", ""
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = io::read_bytes(&bytes, "fuzz.csv");
    }

    #[test]
    fn export_like_input_never_panics(bytes in export_like()) {
        if let Ok((_, series)) = io::read_bytes(&bytes, "fuzz.csv") {
            for s in series {
                let _ = s.regularize(Fill::Linear);
            }
        }
    }

    #[test]
    fn scalar_parsers_never_panic(s in any::<String>()) {
        let _ = io::parse_timestamp(&s);
        let _ = io::parse_value(&s);
        if let Ok(sel) = Selector::parse(&s) {
            let (_, series) = io::read_bytes(b"1700000000,1\n1700000060,2\n", "x.csv").unwrap();
            let _ = sel.matches(&series[0]);
        }
    }

    #[test]
    fn simple_layout_round_trip(
        start in -2_000_000_000i64..4_000_000_000,
        step in 1i64..100_000,
        values in prop::collection::vec(
            prop_oneof![any::<f64>().prop_filter("finite", |v| v.is_finite()), -1e6f64..1e6],
            1..100,
        ),
    ) {
        let s = Series::new(start, step, values).unwrap();
        let mut out = Vec::new();
        io::write_series_csv(&mut out, &s).unwrap();
        let (layout, read) = io::read_bytes(&out, "s.csv").unwrap();
        prop_assert_eq!(layout, io::Layout::Simple);
        prop_assert_eq!(read.len(), 1);
        let expected: Vec<i64> = s.timestamps().collect();
        prop_assert_eq!(&read[0].raw.timestamps, &expected);
        let (back, _) = read[0].raw.regularize(Some(step), Fill::Error).unwrap();
        prop_assert_eq!(back, s);
    }
}
