//! Pieces every staff page uses: feedback in a live region, focus, titles and labels.

use kjr_domain::staff::StaffRef;
use kjr_domain::{AgeBand, AskerKind, Lang};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// The result of an action, for the person and for screen readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// It worked.
    Done(String),
    /// It did not; what to do.
    Failed(String),
}

/// A live region that is always in the page (so screen readers notice when its text
/// changes) and shows the latest feedback.
#[component]
pub fn FeedbackLine(feedback: RwSignal<Option<Feedback>>) -> impl IntoView {
    view! {
        <p
            class="feedback"
            class:done=move || matches!(feedback.get(), Some(Feedback::Done(_)))
            class:failed=move || matches!(feedback.get(), Some(Feedback::Failed(_)))
            role="status"
        >
            {move || match feedback.get() {
                Some(Feedback::Done(text) | Feedback::Failed(text)) => text,
                None => String::new(),
            }}
        </p>
    }
}

/// Moves focus to the first element matching `selector` once the current render is done.
pub fn focus_after_render(selector: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// After a navigation: the page's title, and focus on its heading so screen readers announce
/// the new page.
pub fn page_opened(title: &str) {
    document().set_title(&format!("{title} – Jeugdstem vragen"));
    focus_after_render("main h1");
}

/// "Jongere, 12–17 jaar": who asks and how old the child is.
pub fn asker_and_age(asker: AskerKind, age: AgeBand) -> String {
    format!("{}, {}", asker.label(Lang::Nl), age.label(Lang::Nl))
}

/// A staff member's name, or "niemand".
pub fn name_or_nobody(who: Option<&StaffRef>) -> String {
    who.map_or_else(|| "niemand".to_owned(), |w| w.name.clone())
}

/// A closed set the person picks from: its wire value and its Dutch text.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order forms show them.
    fn all() -> &'static [Self];
    /// The value in a form control.
    fn wire(self) -> &'static str;
    /// A value from a form control.
    fn parse(raw: &str) -> Option<Self>;
    /// What the person reads.
    fn text(self) -> &'static str;
}

macro_rules! choice {
    ($($ty:ty => |$v:ident| $text:expr;)*) => {$(
        impl Choice for $ty {
            fn all() -> &'static [Self] {
                <$ty>::ALL
            }
            fn wire(self) -> &'static str {
                self.as_str()
            }
            fn parse(raw: &str) -> Option<Self> {
                <$ty>::from_wire(raw)
            }
            fn text(self) -> &'static str {
                let $v = self;
                $text
            }
        }
    )*};
}

choice! {
    kjr_domain::staff::CaseStatus => |s| s.label();
    kjr_domain::staff::AttemptChannel => |c| c.label();
    kjr_domain::staff::AttemptResult => |r| r.label();
    kjr_domain::staff::CloseReason => |r| r.label();
    kjr_domain::staff::VeiligThuisStep => |s| s.label();
    kjr_domain::staff::Queue => |q| urgency_label(q);
    AskerKind => |a| a.label(Lang::Nl);
    AgeBand => |a| a.label(Lang::Nl);
    kjr_domain::Topic => |t| t.label(Lang::Nl);
}

/// The queue a request waits in, as the team says it.
pub fn urgency_label(queue: kjr_domain::staff::Queue) -> &'static str {
    match queue {
        kjr_domain::staff::Queue::Urgent => "Spoed",
        kjr_domain::staff::Queue::Normal => "Normaal",
    }
}

/// A `<select>` of `options` for `value`; `none` is the text of the empty choice (without
/// it the select always has a value).
#[component]
pub fn ChoiceSelect<T>(
    /// The control's id (its label points at it).
    id: &'static str,
    /// The label.
    label: &'static str,
    /// What may be chosen.
    options: Vec<T>,
    /// The choice.
    value: RwSignal<Option<T>>,
    /// The text of "no choice".
    #[prop(optional)]
    none: Option<&'static str>,
) -> impl IntoView
where
    T: Choice,
{
    // The markup is built once for every type (it is most of the code).
    select_field(
        id,
        label,
        options.into_iter().map(|o| (o.wire(), o.text())).collect(),
        none,
        Signal::derive(move || value.get().map_or("", T::wire)),
        Box::new(move |raw: String| value.set(T::parse(&raw))),
    )
}

/// The `<select>` of [`ChoiceSelect`], by wire value.
fn select_field(
    id: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    none: Option<&'static str>,
    current: Signal<&'static str>,
    on_change: Box<dyn Fn(String)>,
) -> AnyView {
    view! {
        <p class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on_change(event_target_value(&ev))>
                {none
                    .map(|none| {
                        view! {
                            <option value="" prop:selected=move || current.get().is_empty()>
                                {none}
                            </option>
                        }
                    })}
                {options
                    .into_iter()
                    .map(|(wire, text)| {
                        view! {
                            <option value=wire prop:selected=move || current.get() == wire>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </p>
    }
    .into_any()
}

/// The server's clock for "time left", ticking in the browser between answers.
#[derive(Clone, Copy)]
pub struct Clock {
    /// Server seconds minus browser seconds.
    skew: RwSignal<i64>,
    /// Browser seconds at the last tick.
    tick: RwSignal<i64>,
}

fn browser_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

impl Clock {
    /// A clock that ticks every 30 seconds while the current component lives.
    pub fn new() -> Self {
        let clock = Self {
            skew: RwSignal::new(0),
            tick: RwSignal::new(browser_seconds()),
        };
        if let Ok(handle) = set_interval_with_handle(
            move || clock.tick.set(browser_seconds()),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || handle.clear());
        }
        clock
    }

    /// Sets the clock to the server's `now` from an answer.
    pub fn sync(self, server_now: kjr_domain::Timestamp) {
        let browser = browser_seconds();
        self.skew.set(server_now.0 - browser);
        self.tick.set(browser);
    }

    /// The server's time now (tracked).
    pub fn now(self) -> kjr_domain::Timestamp {
        kjr_domain::Timestamp(self.tick.get() + self.skew.get())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// A submission: runs its task with the input, one at a time, and says while it runs. (A
/// smaller stand-in for Leptos' `Action`, whose machinery cost the bundle several KB.)
pub struct Submit<I: 'static> {
    run: StoredValue<Task<I>, LocalStorage>,
    pending: RwSignal<bool>,
}

type Task<I> = std::rc::Rc<dyn Fn(&I) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>;

impl<I> Clone for Submit<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I> Copy for Submit<I> {}

impl<I> Submit<I> {
    /// A submission that runs `task`.
    pub fn new<F, Fut>(task: F) -> Self
    where
        F: Fn(&I) -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let task: Task<I> = std::rc::Rc::new(move |input: &I| Box::pin(task(input)));
        Self {
            run: StoredValue::new_local(task),
            pending: RwSignal::new(false),
        }
    }

    /// Whether it is running (tracked).
    pub fn pending(self) -> RwSignal<bool> {
        self.pending
    }

    /// Runs the task with `input`, unless it is running already (a double press sends once).
    pub fn dispatch(self, input: I) {
        if self.pending.get_untracked() {
            return;
        }
        let Some(task) = self.run.try_get_value() else {
            return;
        };
        self.pending.set(true);
        let running = task(&input);
        leptos::task::spawn_local(async move {
            running.await;
            self.pending.try_set(false);
        });
    }
}
