//! Signing in: e-mail, password and the authenticator code, or the identity provider when the
//! server offers one.

use kjr_domain::ApiProblem;
use kjr_domain::staff::{SignIn, StaffMe};
use leptos::prelude::*;

use crate::api::{self, SignInOptions};
use crate::components::{Submit, focus_after_render, page_opened};
use crate::filter::encode;
use crate::session::{Auth, Session, current_path};

/// The sign-in screen, at whatever address the person opened (they return there).
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = Session::use_context();
    page_opened("Inloggen");
    let expired = matches!(
        session.auth.get_untracked(),
        Auth::SignedOut { expired: true }
    );
    let options = session.load::<SignInOptions>(|| api::SIGN_IN_OPTIONS.into());
    // Without an answer, offer the local form: the server says no if it has none.
    let local = move || options.get().and_then(Result::ok).is_none_or(|o| o.local);
    let oidc = move || {
        options
            .get()
            .and_then(Result::ok)
            .and_then(|o| o.oidc)
            .map(|oidc| {
                let back = session
                    .return_to
                    .get_untracked()
                    .unwrap_or_else(current_path);
                let back = if back.starts_with("/staff") {
                    back
                } else {
                    "/staff".into()
                };
                let href = format!("{}?return_to={}", api::SIGN_IN_OIDC, encode(&back));
                // A full-page navigation to the API (rel=external: not the router's).
                view! {
                    <p>
                        <a class="button" href=href rel="external">
                            {oidc.label}
                        </a>
                    </p>
                }
            })
    };
    view! {
        <header class="topbar">
            <p class="brand">"Jeugdstem · vragen"</p>
        </header>
        <main id="main" class="page sign-in" tabindex="-1">
            <h1 tabindex="-1">"Inloggen"</h1>
            <p class="intro">"Voor vertrouwenspersonen en coördinatoren van Jeugdstem."</p>
            {expired
                .then(|| {
                    view! {
                        <p class="notice">
                            "Je bent niet meer ingelogd. Log opnieuw in; daarna ga je terug naar waar je was."
                        </p>
                    }
                })}
            {provider_refusal()
                .map(|m| view! { <p class="feedback failed" role="alert">{m}</p> })}
            {oidc}
            <Show when=local>
                <LocalSignIn/>
            </Show>
        </main>
    }
}

/// What the identity provider's sign-in came back with (`?sign_in_error=…`), in words.
fn provider_refusal() -> Option<&'static str> {
    let query = window().location().search().ok()?;
    if query.contains("sign_in_error=no_access") {
        Some("Je account hoort nog niet bij een team. Vraag een coördinator om je toe te voegen.")
    } else if query.contains("sign_in_error=") {
        Some("Inloggen via je organisatie is niet gelukt. Probeer het opnieuw.")
    } else {
        None
    }
}

/// What is wrong with the typed sign-in, before asking the server.
fn check(email: &str, password: &str, code: &str) -> Option<&'static str> {
    if email.trim().is_empty() {
        Some("Vul je e-mailadres in.")
    } else if password.is_empty() {
        Some("Vul je wachtwoord in.")
    } else if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        Some("Vul de 6 cijfers in die je authenticator-app nu laat zien.")
    } else {
        None
    }
}

/// The form for a local account.
#[component]
fn LocalSignIn() -> impl IntoView {
    let session = Session::use_context();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let show_error = move |message: String| {
        error.set(Some(message));
        focus_after_render("#sign-in-error");
    };
    let submit = Submit::new(move |body: &SignIn| {
        let body = body.clone();
        async move {
            match session.post::<StaffMe>(api::SESSION, &body).await {
                Ok(me) => session.auth.set(Auth::SignedIn(Box::new(me))),
                Err(e) => {
                    code.set(String::new());
                    let message = match e.problem() {
                        Some(ApiProblem::SignInLocked {
                            retry_after_seconds,
                        }) => format!(
                            "Te vaak geprobeerd. Je kunt over {} minuten opnieuw inloggen.",
                            retry_after_seconds.div_ceil(60).max(1)
                        ),
                        _ => e.message(),
                    };
                    show_error(message);
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code_typed: String = code.get_untracked().split_whitespace().collect();
        if let Some(problem) = check(
            &email.get_untracked(),
            &password.get_untracked(),
            &code_typed,
        ) {
            show_error(problem.to_owned());
            return;
        }
        error.set(None);
        submit.dispatch(SignIn {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            code: code_typed,
        });
    };
    view! {
        <form class="stack" on:submit=on_submit novalidate>
            <div
                id="sign-in-error"
                class="feedback"
                class:failed=move || error.get().is_some()
                role="alert"
                tabindex="-1"
            >
                {move || error.get()}
            </div>
            <p class="field">
                <label for="email">"E-mailadres"</label>
                <input
                    id="email"
                    type="email"
                    autocomplete="username"
                    prop:value=email
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
            </p>
            <p class="field">
                <label for="password">"Wachtwoord"</label>
                <input
                    id="password"
                    type="password"
                    autocomplete="current-password"
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </p>
            <p class="field">
                <label for="code">"6-cijferige code uit je authenticator-app"</label>
                <input
                    id="code"
                    class="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength="7"
                    prop:value=code
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </p>
            <p>
                <button type="submit" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { "Bezig met inloggen…" } else { "Inloggen" }}
                </button>
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn the_code_must_be_six_digits() {
        assert_eq!(check("a@b.nl", "pw", "123456"), None);
        assert!(check("a@b.nl", "pw", "12345").is_some());
        assert!(check("a@b.nl", "pw", "12345a").is_some());
        assert!(check("", "pw", "123456").is_some());
        assert!(check("a@b.nl", "", "123456").is_some());
    }
}
