//! The training progress bar: epoch and losses on stderr, hidden when `quiet` is set (in
//! the config, or process-wide with [`set_quiet`], which the CLI's `--quiet` calls) or
//! stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Hides every training progress bar of this process (`true`), whatever the models'
/// `quiet` setting; the CLI calls it for `--quiet`.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A bar of `epochs` steps labelled `name`, or a hidden one.
pub(crate) fn epoch_bar(name: &str, epochs: usize, quiet: bool) -> ProgressBar {
    if quiet || QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] epoch {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(epochs as u64).with_style(style);
    bar.set_prefix(name.to_string());
    bar
}
