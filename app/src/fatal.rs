//! What happens after a panic: the app cannot run on, so the message goes to the console and
//! onto the page without Leptos.

/// What a panic hook does: the message to the console (for developers) and on the page (for
/// the visitor), since the app cannot run on after it.
pub fn report_panic(message: &str) {
    web_sys::console::error_1(&message.into());
    show_fatal_error(message);
}

/// Shows `message` in an error card at the top of the page, without Leptos: for a panic, after
/// which the app can no longer run.
pub fn show_fatal_error(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), Ok(card)) = (document.body(), document.create_element("section")) else {
        return;
    };
    card.set_class_name("card error-card fatal");
    let _ = card.set_attribute("role", "alert");
    let heading = document.create_element("h2").ok();
    let text = document.create_element("p").ok();
    let detail = document.create_element("p").ok();
    if let (Some(heading), Some(text), Some(detail)) = (heading, text, detail) {
        heading.set_text_content(Some("Something went wrong"));
        text.set_text_content(Some(
            "The app hit an internal error and stopped. Reload the page to start again.",
        ));
        detail.set_class_name("error-detail");
        detail.set_text_content(Some(message));
        for child in [heading, text, detail] {
            let _ = card.append_child(&child);
        }
    }
    let _ = body.insert_before(&card, body.first_child().as_ref());
}
