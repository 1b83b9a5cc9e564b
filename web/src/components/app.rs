//! The whole screen: holds the reducer, shares it through a context, and lays out the header, the editor
//! and the two lists beside it.

use super::{Editor, Problems, Workloads};
use crate::state::State;
use yew::prelude::*;

/// The shared state as components receive it from the context.
pub type StateHandle = UseReducerHandle<State>;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The text the editor opens with; the built-in sample when `None`.
    #[prop_or_default]
    pub initial: Option<AttrValue>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || initial.map_or_else(State::default, |text| State::new(&text)));
    html! {
        <ContextProvider<StateHandle> context={state}>
            <header class="top">
                <h1>{ "Podstep" }</h1>
                <p class="tagline">{ "What the kubelet does with your pod, step by step." }</p>
            </header>
            <main class="panes">
                <Editor />
                <div class="side">
                    <Problems />
                    <Workloads />
                </div>
            </main>
        </ContextProvider<StateHandle>>
    }
}
