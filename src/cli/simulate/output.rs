//! Output of `simulate`: the comparison table, the metrics CSV (per policy, or mean ± sd per
//! scenario and policy) and the per-step timeline CSV.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use forecast_autoscale::{PolicySummary, ReplayReport};
use forecast_core::Error;

use crate::cli::common::{CliResult, create, finish};

/// The metrics shown in the table: (CSV name, header, scale, decimals).
const SHOWN: [(&str, &str, f64, usize); 11] = [
    ("slo_violation_share", "SLO viol %", 100.0, 2),
    ("unserved", "unserved", 1.0, 0),
    ("over_provisioning", "over rep·s", 1.0, 0),
    ("pod_minutes", "pod-min", 1.0, 1),
    ("scale_ups", "ups", 1.0, 1),
    ("scale_downs", "downs", 1.0, 1),
    ("accuracy_u", "θ_U %", 1.0, 2),
    ("accuracy_o", "θ_O %", 1.0, 2),
    ("timeshare_u", "τ_U %", 1.0, 1),
    ("timeshare_o", "τ_O %", 1.0, 1),
    ("instability", "υ %", 1.0, 1),
];

fn index_of(name: &str) -> usize {
    ReplayReport::METRIC_NAMES
        .iter()
        .position(|n| *n == name)
        .unwrap_or(0)
}

fn render(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|j| {
            rows.iter()
                .map(|r| r[j].chars().count())
                .chain([header[j].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        for (j, c) in cells.iter().enumerate() {
            let pad = widths[j] - c.chars().count();
            if j == 0 {
                let _ = write!(out, "{c}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{c}", " ".repeat(pad));
            }
        }
        out.push('\n');
    };
    line(&mut out, header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &rule);
    for r in rows {
        line(&mut out, r);
    }
    out
}

fn header() -> Vec<String> {
    std::iter::once("policy".to_string())
        .chain(SHOWN.iter().map(|s| s.1.to_string()))
        .collect()
}

/// The comparison table of one replay: one row per policy.
pub fn table(reports: &[ReplayReport]) -> String {
    let rows: Vec<Vec<String>> =
        reports
            .iter()
            .map(|r| {
                let v = r.metric_values();
                std::iter::once(r.policy.clone())
                    .chain(SHOWN.iter().map(|&(name, _, scale, dec)| {
                        format!("{:.*}", dec, v[index_of(name)] * scale)
                    }))
                    .collect()
            })
            .collect();
    render(&header(), &rows)
}

/// The table of a protocol: one row per policy with `mean ± sd` over its runs.
pub fn summary_table(summaries: &[PolicySummary]) -> String {
    let rows: Vec<Vec<String>> = summaries
        .iter()
        .map(|s| {
            std::iter::once(s.policy.clone())
                .chain(SHOWN.iter().map(|&(name, _, scale, dec)| {
                    let m = &s.metrics[index_of(name)];
                    format!("{:.*} ± {:.*}", dec, m.mean * scale, dec, m.sd * scale)
                }))
                .collect()
        })
        .collect();
    render(&header(), &rows)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> crate::cli::common::CliError + '_ {
    move |e| Error::io(path, &e).into()
}

/// Writes one row per report: [`ReplayReport::csv_header`] (`policy,slo_violation_share,…`).
pub fn write_reports(path: &Path, reports: &[ReplayReport]) -> CliResult {
    let mut w = create(path)?;
    writeln!(w, "{}", ReplayReport::csv_header()).map_err(io(path))?;
    for r in reports {
        writeln!(w, "{}", r.csv_row()).map_err(io(path))?;
    }
    finish(w, path)
}

/// Writes one row per (scenario, policy): `policy`, the metric means in
/// [`ReplayReport::METRIC_NAMES`] order, then `scenario,runs` and `<metric>_sd` columns.
pub fn write_summaries(path: &Path, groups: &[(String, Vec<PolicySummary>)]) -> CliResult {
    let mut w = create(path)?;
    let mut h = ReplayReport::csv_header();
    h.push_str(",scenario,runs");
    for n in ReplayReport::METRIC_NAMES {
        let _ = write!(h, ",{n}_sd");
    }
    writeln!(w, "{h}").map_err(io(path))?;
    for (scenario, summaries) in groups {
        for s in summaries {
            let mut row = s.policy.clone();
            for m in &s.metrics {
                let _ = write!(row, ",{}", m.mean);
            }
            let _ = write!(row, ",{scenario},{}", s.runs);
            for m in &s.metrics {
                let _ = write!(row, ",{}", m.sd);
            }
            writeln!(w, "{row}").map_err(io(path))?;
        }
    }
    finish(w, path)
}

/// Writes the per-step curves: `policy,timestamp,load,required,ready,allocated`.
pub fn write_timelines(path: &Path, reports: &[ReplayReport]) -> CliResult {
    let mut w = create(path)?;
    writeln!(w, "policy,timestamp,load,required,ready,allocated").map_err(io(path))?;
    for r in reports {
        let Some(tl) = &r.timeline else { continue };
        for i in 0..tl.timestamps.len() {
            writeln!(
                w,
                "{},{},{},{},{},{}",
                r.policy,
                tl.timestamps[i],
                tl.load[i],
                tl.required[i],
                tl.ready[i],
                tl.allocated[i]
            )
            .map_err(io(path))?;
        }
    }
    finish(w, path)
}
