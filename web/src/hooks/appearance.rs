//! The page's appearance: the theme (the query's, else the saved override, else the system's) and
//! large text for projectors, applied to `<html>` and switched by their buttons.

use crate::session::{self, Page, Theme};
use yew::prelude::*;

/// What [`use_appearance`] gives `App`: the current look and its two switches.
pub struct Appearance {
    /// `None`: follow the system.
    pub theme: Option<Theme>,
    pub large_text: bool,
    /// To the theme the system does not use, then the other one, then back to following the system.
    /// The choice is saved in the full playground.
    pub toggle_theme: Callback<()>,
    /// Large text is never saved (a workshop laptop should not keep it for the next person).
    pub toggle_text: Callback<()>,
}

#[hook]
pub fn use_appearance(page: Page) -> Appearance {
    let theme = use_state_eq(|| {
        page.theme.or_else(|| {
            page.autosaves()
                .then(|| session::load(session::THEME_KEY))
                .flatten()
                .and_then(|t| Theme::parse(&t))
        })
    });
    let large_text = use_state_eq(|| page.large_text);
    // One effect for both: applying an unchanged one again changes nothing.
    use_effect_with((*theme, *large_text), move |(theme, large)| {
        if page.persist {
            session::apply_theme(*theme);
            session::apply_large_text(*large);
        }
    });
    let toggle_theme = {
        let set = theme.setter();
        use_callback(*theme, move |(), theme| {
            let next = next_theme(*theme, session::system_dark());
            if page.autosaves() {
                match next {
                    Some(t) => session::save(session::THEME_KEY, t.as_str()),
                    None => session::forget(session::THEME_KEY),
                }
            }
            set.set(next);
        })
    };
    let toggle_text = {
        let set = large_text.setter();
        use_callback(*large_text, move |(), large| set.set(!large))
    };
    Appearance {
        theme: *theme,
        large_text: *large_text,
        toggle_theme,
        toggle_text,
    }
}

/// The theme after `theme` when the system is dark or not.
fn next_theme(theme: Option<Theme>, system_dark: bool) -> Option<Theme> {
    let (system, other) = if system_dark {
        (Theme::Dark, Theme::Light)
    } else {
        (Theme::Light, Theme::Dark)
    };
    match theme {
        None => Some(other),
        Some(t) if t == other => Some(system),
        Some(_) => None,
    }
}
