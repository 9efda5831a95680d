//! Entry point of the staff app: mounts [`kjr_staff::App`] into `/staff/index.html`.

fn main() {
    // Readable panics in development builds; release builds abort on panic and skip the hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    kjr_staff::start();
}
