use leptos::prelude::*;

/// The always-present line with the numbers to call for help right now.
#[component]
pub fn HelpLine() -> impl IntoView {
    view! {
        <footer class="help-line">
            <p>
                "Direct hulp nodig? Bel "
                <a href="tel:112">"112"</a>
                " bij gevaar, "
                <a href="tel:08002000">"Veilig Thuis 0800-2000"</a>
                " of "
                <a href="tel:08000432">"De Kindertelefoon 0800-0432"</a>
                ". Gratis."
            </p>
        </footer>
    }
}
