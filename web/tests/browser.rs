//! The web crate's tests, run in headless Chromium by `cargo xtask test` (wasm-bindgen-test-runner):
//! the reducer's behaviour, and what the components show a user for a given manifest.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::components::{App, AppProps};
use web::state::{utf16_offset, Action, State, SAMPLE};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const BROKEN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: \"\"\n";

#[wasm_bindgen_test]
fn the_sample_checks_without_errors() {
    let state = State::default();
    assert!(
        !state.checked.has_errors(),
        "{:?}",
        state.checked.diagnostics
    );
    assert_eq!(state.checked.workloads.len(), 1);
}

#[wasm_bindgen_test]
fn editing_reruns_the_check() {
    let state = Rc::new(State::default()).reduce(Action::Edit(BROKEN.to_string()));
    let lines: Vec<String> = state
        .checked
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("8:") && l.contains("spec.containers[0].image")),
        "{lines:?}"
    );
}

#[wasm_bindgen_test]
fn jumping_twice_to_the_same_place_makes_two_requests() {
    let state = Rc::new(State::new(BROKEN));
    let first = state.reduce(Action::JumpTo {
        line: 8,
        column: 12,
    });
    let second = first.clone().reduce(Action::JumpTo {
        line: 8,
        column: 12,
    });
    let (a, b) = (first.jump.unwrap(), second.jump.unwrap());
    assert_eq!(a.offset_utf16, b.offset_utf16);
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
fn offsets_count_utf16_units() {
    let text = "a: 1\nb: \"é😀x\"\n";
    assert_eq!(utf16_offset(text, 1, 1), 0);
    assert_eq!(utf16_offset(text, 2, 1), 5);
    // "é" is one unit, "😀" two: column 7 ("x") is 5 + 6 + 1.
    assert_eq!(utf16_offset(text, 2, 7), 5 + 7);
    assert_eq!(utf16_offset(text, 9, 1), text.encode_utf16().count() as u32);
    assert_eq!(utf16_offset(text, 1, 99), 4);
}

/// Mounts the app on a fresh element and waits for Yew's asynchronous render.
async fn mount(initial: &str) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            initial: Some(initial.to_string().into()),
        },
    )
    .render();
    settle().await;
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn the_sample_shows_no_problems_and_one_pod() {
    let root = mount(SAMPLE).await;
    assert_eq!(texts(&root, ".problems .summary"), ["No problems"]);
    let row = texts(&root, ".workload-table tbody td");
    assert_eq!(row, ["Pod", "shop", "shop", "1", "1", "1"]);
}

#[wasm_bindgen_test]
async fn problems_read_line_col_severity_path_message_and_move_the_caret() {
    let root = mount(BROKEN).await;
    let problems = texts(&root, ".problem button");
    assert!(
        problems.contains(&"8:5 error spec.containers[0].image: Required value".to_string()),
        "{problems:?}"
    );

    let button: HtmlElement = root
        .query_selector(".problem button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    settle().await;
    let area: HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let caret = area.selection_start().unwrap().unwrap();
    let line = area.value()[..caret as usize].matches('\n').count() + 1;
    assert_eq!(line, 8);
}

#[wasm_bindgen_test]
async fn typing_updates_the_problems() {
    let root = mount(BROKEN).await;
    let area: HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    area.set_value(&BROKEN.replace("image: \"\"", "image: nginx"));
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
    settle().await;
    assert_eq!(texts(&root, ".problems .summary"), ["No problems"]);
}
