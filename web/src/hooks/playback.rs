//! Playback: while the stepper plays, a timer dispatches `Tick`. The wait before the next step is the
//! simulated time between the two steps divided by the speed, at least 0.3 s (so simultaneous steps can
//! be read) and at most 4 s (so long back-offs do not stall a demo), both divided by the speed too.

use crate::state::{Action, State};
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Milliseconds to wait before moving from a step at `t` to the next at `next_t`, at `speed`.
pub fn play_delay_ms(t: f64, next_t: f64, speed: u32) -> u32 {
    let real_ms = ((next_t - t).max(0.0) * 1000.0).clamp(300.0, 4000.0);
    (real_ms / f64::from(speed.max(1))).max(16.0) as u32
}

/// Runs the playback timer for `state`: one timeout at a time, replaced whenever the cursor, the
/// speed or playing changes, and dropped when playback stops.
#[hook]
pub fn use_playback(state: &State, dispatcher: UseReducerDispatcher<State>) {
    let times = state.run.as_ref().map(|r| {
        let t = |i: usize| r.trace.steps.get(i).map_or(0.0, |s| s.t.as_secs_f64());
        (t(state.step), t(state.step + 1))
    });
    use_effect_with(
        (state.playing, state.step, state.speed, times.is_some()),
        move |(playing, _, speed, _)| {
            let timer = match (playing, times) {
                (true, Some((t, next_t))) => {
                    Some(Timeout::new(play_delay_ms(t, next_t, *speed), move || {
                        dispatcher.dispatch(Action::Tick)
                    }))
                }
                _ => None,
            };
            move || drop(timer)
        },
    );
}
