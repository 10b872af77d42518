//! `forecast-zoo models`: the registry with parameters and defaults.

use crate::cli::common::CliResult;
use forecast_zoo::Registry;

/// Options of `models` (none).
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `models`.
pub fn run(_a: Args) -> CliResult {
    let reg = Registry::builtin();
    let width = reg.specs().iter().map(|s| s.name.len()).max().unwrap_or(0);
    for spec in reg.specs() {
        println!("{:width$}  {}", spec.name, spec.description);
        for p in spec.params {
            println!(
                "{:width$}    --param {}=<value>  (default {}): {}",
                "", p.name, p.default, p.help
            );
        }
    }
    println!(
        "\n`--models all` runs every model above; `--config FILE` (see examples/zoo.yaml) picks models, parameters and the ensemble from a YAML file."
    );
    Ok(())
}
