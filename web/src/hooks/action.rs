//! Callbacks for the panels: each dispatches one kind of action, and is made once for the page's life,
//! so a panel's props compare equal from one render to the next and the panel redraws only when what
//! it shows changed.

use crate::state::{Action, State};
use yew::prelude::*;

/// A callback that dispatches `action(input)`.
#[hook]
pub fn use_action<IN: 'static>(
    dispatcher: &UseReducerDispatcher<State>,
    action: fn(IN) -> Action,
) -> Callback<IN> {
    use_callback(dispatcher.clone(), move |input, d| {
        d.dispatch(action(input))
    })
}
