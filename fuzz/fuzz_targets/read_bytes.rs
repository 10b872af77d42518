//! Fuzz target: no input makes the forecast-core reader panic.
//!
//! Feeds the bytes to `io::read_bytes` (layout detection, CSV, Grafana and query_range JSON
//! readers), regularizes whatever series come out under every fill policy, and runs the
//! scalar parsers and the selector parser on the text.
#![no_main]

use forecast_core::Fill;
use forecast_core::io::{self, Selector};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((_, series)) = io::read_bytes(data, "fuzz.csv") {
        for s in series {
            for fill in [Fill::Linear, Fill::Previous, Fill::Error] {
                let _ = s.clone().regularize(fill);
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = io::parse_timestamp(text);
        let _ = io::parse_value(text);
        if let Ok(sel) = Selector::parse(text) {
            let _ = sel.to_string();
        }
    }
});
