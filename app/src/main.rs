//! The browser entry point: report panics to the console and on the page, then start the shell.

fn main() {
    // A panic stops the app (the wasm aborts): say so on the page instead of freezing silently.
    std::panic::set_hook(Box::new(|info| app::report_panic(&info.to_string())));
    app::shell::start();
}
