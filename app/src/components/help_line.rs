use leptos::prelude::*;

/// The always-present line with the numbers to call for help right now. `index.html` has the
/// same markup; keep the two alike.
#[component]
pub fn HelpLine() -> impl IntoView {
    view! {
        <footer class="help-line">
            <p>"Direct hulp nodig? Bel gratis:"</p>
            <ul>
                <li>
                    <a href="tel:112">"112 bij gevaar"</a>
                </li>
                <li>
                    <a href="tel:08002000">"Veilig Thuis 0800-2000"</a>
                </li>
                <li>
                    <a href="tel:08000432">"Kindertelefoon 0800-0432"</a>
                </li>
            </ul>
        </footer>
    }
}
