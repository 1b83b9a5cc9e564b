//! The two appearance switches in the toolbar: large text (for a projector) and the theme (light, dark
//! or the system's). What they switch is [`crate::hooks::use_appearance`]'s.

use crate::session::Theme;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppearanceProps {
    /// `None`: the system's.
    pub theme: Option<Theme>,
    pub large_text: bool,
    pub on_toggle_theme: Callback<()>,
    pub on_toggle_text: Callback<()>,
}

#[component]
pub fn AppearanceSwitches(props: &AppearanceProps) -> Html {
    let theme_label = match props.theme {
        Some(Theme::Dark) => "Dark theme",
        Some(Theme::Light) => "Light theme",
        None => "System theme",
    };
    html! {
        <>
            <button type="button" class="text-size" onclick={props.on_toggle_text.reform(|_: MouseEvent| ())}
                aria-pressed={props.large_text.to_string()} title="Large text, for a projector">
                { if props.large_text { "A− Normal text" } else { "A+ Large text" } }
            </button>
            <button type="button" class="theme" onclick={props.on_toggle_theme.reform(|_: MouseEvent| ())}
                aria-label={format!("{theme_label}: switch")} title="Switch between light and dark">
                { match props.theme { Some(Theme::Dark) => "☾ Dark", Some(Theme::Light) => "☀ Light", None => "◐ Auto" } }
            </button>
        </>
    }
}
