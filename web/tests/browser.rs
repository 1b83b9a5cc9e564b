//! What needs a browser, in headless Chromium by `cargo xtask test` (wasm-bindgen-test-runner): the
//! components rendered, what a person sees for a given scenario and what clicking does; share links,
//! which the browser compresses and inflates; and the crash report. Pure logic is in `logic.rs`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::components::{App, AppProps};
use web::session::{choose, read_link, Draft, Page, Start};
use web::state::SAMPLE;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const BROKEN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: \"\"\n";

/// Mounts the app on a fresh element and waits for Yew's asynchronous render.
async fn mount(initial: &str) -> Element {
    mount_with(AppProps {
        initial: Some(initial.to_string().into()),
        ..AppProps::default()
    })
    .await
}

async fn mount_with(props: AppProps) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(40)).await;
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into();
    el.click();
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

async fn type_text(root: &Element, text: &str) {
    let area = textarea(root);
    area.set_value(text);
    area.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn the_sample_shows_no_problems_one_pod_and_a_timeline() {
    let root = mount(SAMPLE).await;
    assert_eq!(texts(&root, ".problems .summary"), ["No problems"]);
    let row = texts(&root, ".workload-table tbody td");
    assert_eq!(row, ["Pod", "shop", "shop", "1", "1", "1"]);
    assert_eq!(texts(&root, ".lane-name"), ["migrate", "proxy", "app"]);
    assert_eq!(
        texts(&root, ".group-title"),
        ["Init containers", "Sidecars", "App containers"]
    );
    assert_eq!(
        texts(&root, ".kubectl-row td"),
        ["shop", "0/2", "Init:0/2", "0", "0s"]
    );
    // Segments are labelled for screen readers.
    let labelled = root
        .query_selector(".lane .segment[aria-label^='running from']")
        .unwrap();
    assert!(labelled.is_some());
}

#[wasm_bindgen_test]
async fn problems_read_line_col_severity_path_message_and_move_the_caret() {
    let root = mount(BROKEN).await;
    let problems = texts(&root, ".problem button");
    assert!(
        problems.contains(&"8:5 error spec.containers[0].image: Required value".to_string()),
        "{problems:?}"
    );
    click(&root, ".problem button");
    settle().await;
    let area = textarea(&root);
    let caret = area.selection_start().unwrap().unwrap();
    let line = area.value()[..caret as usize].matches('\n').count() + 1;
    assert_eq!(line, 8);
    // The gutter marks line 8 and says why on hover.
    let marked = root.query_selector(".ln.marked").unwrap().unwrap();
    assert_eq!(marked.text_content().unwrap(), "8");
    assert!(marked
        .get_attribute("title")
        .unwrap()
        .contains("Required value"));
    // And the text on line 8 is underlined.
    assert!(!texts(&root, ".hl .sq-error").is_empty());
}

#[wasm_bindgen_test]
async fn typing_updates_the_problems_and_a_broken_edit_keeps_the_timeline_dimmed() {
    let root = mount(SAMPLE).await;
    type_text(&root, &SAMPLE.replace("image: nginx:1.27", "image:")).await;
    assert!(texts(&root, ".problems .summary")[0].contains("1 error"));
    let panel = root.query_selector(".timeline").unwrap().unwrap();
    assert!(panel.class_name().split(' ').any(|c| c == "stale"));
    assert_eq!(texts(&root, ".lane-name"), ["migrate", "proxy", "app"]);
    assert!(texts(&root, ".stale-banner")[0].contains("last version without errors"));
    type_text(&root, SAMPLE).await;
    let panel = root.query_selector(".timeline").unwrap().unwrap();
    assert!(!panel.class_name().split(' ').any(|c| c == "stale"));
    assert_eq!(texts(&root, ".problems .summary"), ["No problems"]);
}

#[wasm_bindgen_test]
async fn the_stepper_buttons_move_the_cursor_and_the_kubectl_row() {
    let root = mount(SAMPLE).await;
    click(&root, "button[aria-label^='Last step']");
    settle().await;
    assert_eq!(
        texts(&root, ".kubectl-row td"),
        ["shop", "2/2", "Running", "0", "10s"]
    );
    assert!(texts(&root, ".sentence")[0].starts_with("t=10 s"));
    click(&root, "button[aria-label^='First step']");
    settle().await;
    click(&root, "button[aria-label^='Next step']");
    settle().await;
    assert!(texts(&root, ".counter")[0].starts_with("Step 2 of"));
}

#[wasm_bindgen_test]
async fn clicking_a_marker_moves_the_cursor_to_its_step() {
    let crashing = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    behavior.podstep.dev/app: \"exit=1@2\"\nspec:\n  containers:\n  - name: app\n    image: busybox\n";
    let root = mount(crashing).await;
    let marker = root
        .query_selector(".timeline-svg .m-restart[data-step]")
        .unwrap()
        .expect("a restart marker");
    let step: usize = marker.get_attribute("data-step").unwrap().parse().unwrap();
    assert!(step > 0);
    // A click lands on the marker's shape and bubbles up to the timeline's one listener.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    marker
        .last_element_child()
        .unwrap()
        .dispatch_event(&click)
        .unwrap();
    settle().await;
    assert!(
        texts(&root, ".counter")[0].starts_with(&format!("Step {} of", step + 1)),
        "{:?}",
        texts(&root, ".counter")
    );
}

#[wasm_bindgen_test]
async fn removing_a_scenario_action_takes_it_out_of_the_run() {
    let root = mount_with(AppProps {
        shared: Some(share::Shared {
            manifest: SAMPLE.to_string(),
            actions: vec![(5_000, "kubelet-restart".into()), (9_000, "delete".into())],
            ..share::Shared::default()
        }),
        ..AppProps::default()
    })
    .await;
    assert_eq!(texts(&root, ".scenario-action").len(), 2);
    click(&root, ".scenario-action:first-child .remove");
    settle().await;
    let left = texts(&root, ".scenario-action");
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("t=9 s delete"), "{left:?}");
}

#[wasm_bindgen_test]
async fn share_links_are_compressed_by_the_browser_and_open_the_same() {
    let shared = share::Shared {
        manifest: SAMPLE.to_string(),
        actions: vec![(10_000, "delete grace=5".into())],
        step: 7,
        ..share::Shared::default()
    };
    let link = web::session::encode_link(&shared).await.unwrap();
    let stored = share::encode_stored(&shared).unwrap();
    // Read back, a link says which Podstep wrote it.
    let read = share::Shared {
        made_by: share::VERSION.into(),
        ..shared.clone()
    };
    assert!(link.starts_with("v2/"));
    assert_eq!(share::decode(&link), Ok(read.clone()));
    assert_eq!(share::decode(&stored), Ok(read.clone()));
    assert_eq!(web::session::decode_link(&link).await, Ok(read));
    // Compressed, not the stored fallback: the sample is repetitive YAML.
    assert!(
        link.len() * 3 < stored.len() * 2,
        "{} vs {}",
        link.len(),
        stored.len()
    );
}

#[wasm_bindgen_test]
async fn markup_in_names_images_and_annotations_is_shown_as_text() {
    let evil = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n    note: \"<img src=x onerror=alert(1)>\"\nspec:\n  containers:\n  - name: app\n    image: \"<script>alert(1)</script>\"\n";
    let root = mount(evil).await;
    assert!(root.query_selector("script, img").unwrap().is_none());
    assert!(root
        .text_content()
        .unwrap()
        .contains("<script>alert(1)</script>"));
}

#[wasm_bindgen_test]
async fn a_gallery_example_shows_its_explanation() {
    let example = &web::gallery::EXAMPLES[0];
    let root = mount_with(AppProps {
        shared: Some(web::components::example_shared(example)),
        ..AppProps::default()
    })
    .await;
    assert!(!texts(&root, ".lane-name").is_empty());
    // Explanations show for examples loaded from the gallery picker, not for a link to the same text.
    assert!(texts(&root, ".about").is_empty());
}

#[wasm_bindgen_test]
async fn the_crash_report_shows_the_message_as_text_with_a_reopen_link() {
    let reopen = web::panic::Reopen::Link("v1/abc".into());
    let report =
        web::panic::show_report("panicked at <b>here</b>", Some(&reopen)).expect("a report");
    assert_eq!(report.get_attribute("role").as_deref(), Some("alert"));
    let message = report.query_selector(".crash-message").unwrap().unwrap();
    assert_eq!(message.text_content().unwrap(), "panicked at <b>here</b>");
    assert!(report.query_selector("b").unwrap().is_none());
    let link = report.query_selector("a.crash-reopen").unwrap().unwrap();
    assert!(link.get_attribute("href").unwrap().ends_with("#v1/abc"));
    report.remove();
    // Too large for a link: the manifest is offered as a file, and the report says why.
    let too_large = web::panic::Reopen::File {
        manifest: "kind: Pod\n".into(),
        why: "its link would be 2000000 bytes long".into(),
    };
    let report = web::panic::show_report("boom", Some(&too_large)).expect("a report");
    let save = report.query_selector("a.crash-save").unwrap().unwrap();
    assert_eq!(
        save.get_attribute("download").as_deref(),
        Some("podstep-manifest.yaml")
    );
    assert!(save.get_attribute("href").unwrap().starts_with("blob:"));
    assert!(report
        .text_content()
        .unwrap()
        .contains("(no link: its link would be 2000000 bytes long)"));
    assert!(report.query_selector("a.crash-reopen").unwrap().is_none());
    report.remove();
}

/// Drafts go to IndexedDB and come back whole, however large (localStorage would refuse a few MiB).
#[wasm_bindgen_test]
async fn drafts_round_trip_through_indexeddb() {
    let big = share::Shared {
        manifest: "x".repeat(3 << 20),
        ..Default::default()
    };
    let text = share::draft(&big);
    web::session::save_draft(Draft::Previous, &text)
        .await
        .expect("saved");
    let back = web::session::load_draft(Draft::Previous)
        .await
        .expect("read");
    assert_eq!(back.as_deref().map(str::len), Some(text.len()));
    assert_eq!(
        share::read_draft(&back.unwrap()).map(|s| s.manifest.len()),
        Ok(3 << 20)
    );
    web::session::forget_draft(Draft::Previous).await;
    assert_eq!(web::session::load_draft(Draft::Previous).await, Ok(None));
}

/// Where the first state comes from, reading the link as the page does (the browser inflates it); the
/// autosave is a draft's text, the crash marker a fingerprint.
async fn start(
    fragment: &str,
    autosave: Option<&str>,
    crashed: Option<&str>,
    page: &Page,
) -> Start {
    let fragment = read_link(fragment).await;
    let autosave = autosave.map(|t| {
        (
            t.to_string(),
            share::read_draft(t).map_err(|e| e.to_string()),
        )
    });
    choose(fragment, autosave, crashed, page)
}

#[wasm_bindgen_test]
async fn a_shared_link_wins_over_autosave_and_a_bad_one_says_why() {
    let full = Page {
        persist: true,
        ..Page::default()
    };
    let a = share::Shared {
        manifest: "a".into(),
        ..Default::default()
    };
    let b = share::Shared {
        manifest: "b".into(),
        ..Default::default()
    };
    let link = share::encode(&a).unwrap();
    let saved = share::draft(&b);
    match start(&format!("#{link}"), Some(&saved), None, &full).await {
        Start::Link(s) => assert_eq!(s.manifest, "a"),
        other => panic!("{other:?}"),
    }
    match start("", Some(&saved), None, &full).await {
        Start::Autosave(s) => assert_eq!(s.manifest, "b"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        start("", Some(&saved), Some(&web::session::crash_fingerprint(&b)), &full).await,
        Start::Crashed(s) if s.manifest == "b"
    ));
    // At another step it is the same scenario: the autosave keeps the step of the last edit.
    let stepped = share::Shared {
        step: 4,
        ..b.clone()
    };
    assert!(matches!(
        start(
            "",
            Some(&saved),
            Some(&web::session::crash_fingerprint(&stepped)),
            &full
        )
        .await,
        Start::Crashed(_)
    ));
    // A crash in another scenario does not keep autosave closed.
    assert!(matches!(
        start(
            "",
            Some(&saved),
            Some(&web::session::crash_fingerprint(&a)),
            &full
        )
        .await,
        Start::Autosave(_)
    ));
    // An autosave that is not a draft is kept aside, with what it holds.
    match start("", Some("v1/not-a-draft"), None, &full).await {
        Start::UnreadableAutosave { message, text } => {
            assert_eq!(text, "v1/not-a-draft");
            assert!(message.contains("not to a scenario"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(start("", None, None, &full).await, Start::Default);
    // Embeds never read autosave.
    let embed = Page {
        embed: true,
        ..full
    };
    assert_eq!(start("", Some(&saved), None, &embed).await, Start::Default);
    // Malformed, truncated, unknown: a message.
    for bad in [
        "#v1/!!!",
        &format!("#{}", &link[..link.len() / 2]),
        "#v9/abc",
        "#%3Cscript%3E",
    ] {
        match start(bad, Some(&saved), None, &full).await {
            Start::BadLink(message) => assert!(!message.is_empty()),
            other => panic!("{bad}: {other:?}"),
        }
    }
    // A small link that inflates past the limit is refused, not inflated. (No writer of ours makes
    // one: the checksum is for a small JSON, and the inflater stops before it is compared.)
    let bomb = share::link(
        b"{}",
        &miniz_oxide::deflate::compress_to_vec(&vec![b' '; share::MAX_DECODED_BYTES + 1], 9),
    )
    .unwrap();
    match start(&format!("#{bomb}"), None, None, &full).await {
        Start::BadLink(message) => assert!(message.contains("larger than"), "{message}"),
        other => panic!("{other:?}"),
    }
}
