use leptos::prelude::*;
use leptos_router::components::A;

use crate::content;
use crate::set_title;

/// `/jonger-dan-12`, `/12-plus` and `/pleegouders`: one audience's rights, with a button to
/// the form (`/vraag?voor=<voor>`) after the intro and at the end.
#[component]
pub fn RightsPage(page: &'static content::RightsPage, voor: &'static str) -> impl IntoView {
    set_title(page.title);
    let form = format!("/vraag?voor={voor}");
    let cta = move |href: String| {
        view! {
            <p class="cta">
                <A href={href} {..} class="button">
                    {page.cta}
                </A>
            </p>
        }
    };
    view! {
        <h1 tabindex="-1">{page.title}</h1>
        <p>{page.intro}</p>
        {cta(form.clone())}
        {page
            .sections
            .iter()
            .map(|section| {
                view! {
                    <section>
                        <h2>{section.heading}</h2>
                        {section.paragraphs.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
                        {(!section.bullets.is_empty())
                            .then(|| {
                                view! {
                                    <ul>
                                        {section
                                            .bullets
                                            .iter()
                                            .map(|b| view! { <li>{*b}</li> })
                                            .collect_view()}
                                    </ul>
                                }
                            })}
                    </section>
                }
            })
            .collect_view()}
        {cta(form)}
    }
}
