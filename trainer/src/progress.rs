//! Progress bars that stay out of logs: hidden unless stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `len` steps, or a hidden one when stderr is not a terminal or `quiet` is set.
pub fn bar(len: u64, label: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>18} {bar:30} {pos}/{len} fits {elapsed}")
            .expect("a valid template"),
    );
    bar.set_prefix(label.to_owned());
    bar
}
