//! The `forecast-zoo` command line: `generate`, `forecast`, `backtest`, `models`, `demo`.
//!
//! Exit codes: 0 on success, 2 on a usage or input error (one line `error: …` on stderr),
//! 1 on an internal or model failure.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
