//! Entry point of the wasm app: mounts [`kjr_app::App`] into the form page.

fn main() {
    // Readable panics in development builds; release builds abort on panic and skip the hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    kjr_app::start();
}
