//! The training progress bar: epoch and losses on stderr, hidden when `quiet` is set or
//! stderr is not a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `epochs` steps labelled `name`, or a hidden one.
pub(crate) fn epoch_bar(name: &str, epochs: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] epoch {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(epochs as u64).with_style(style);
    bar.set_prefix(name.to_string());
    bar
}
