//! The lint, off the typing path: a lint runs every workload more than once (and each fix again to
//! verify it), so it waits until typing pauses, runs for the check on screen and dispatches
//! `Linted`. A newer check cancels the wait; a result for an older one is ignored by the reducer.

use crate::by_id::ById;
use crate::state::{Action, Lint, State};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// How long after the last change the lint runs.
const LINT_DELAY_MS: u32 = 400;

/// Lints `state`'s check once it has been on screen for [`LINT_DELAY_MS`].
#[hook]
pub fn use_lint(state: &State, dispatcher: UseReducerDispatcher<State>) {
    let checked = state.checked.clone();
    let source = state.source.clone();
    let kube = state.kube();
    let done = state.lint.is_some();
    use_effect_with(ById::new(&checked), move |_| {
        let timer = (!done).then(|| {
            Timeout::new(LINT_DELAY_MS, move || {
                let findings = lifecycle::lint::lint_checked(&source, &checked, &kube);
                dispatcher.dispatch(Action::Linted(Rc::new(Lint { checked, findings })));
            })
        });
        move || drop(timer)
    });
}
