//! The browser entry point: report a panic on the page, then mount the app.

fn main() {
    // A panic stops the app (the wasm aborts): say so on the page instead of freezing silently.
    std::panic::set_hook(Box::new(|info| app::report_panic(&info.to_string())));
    leptos::mount::mount_to_body(app::App);
}
