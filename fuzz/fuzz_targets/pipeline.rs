//! Any text through the whole pipeline: every valid workload is simulated twice, and the two traces must
//! be identical, with step times that never go back and a final phase that never changes once terminal.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lifecycle::sim::{simulate, Scenario};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let checked = lifecycle::check(&text);
    let scenario = Scenario { until_s: 300, ..Scenario::default() };
    for w in checked.workloads.iter().filter(|w| w.errors == 0).take(2) {
        let a = simulate(w, &scenario);
        let b = simulate(w, &scenario);
        assert_eq!(a, b, "the same input gave two traces");
        common::check_trace(&a, scenario.until_s);
    }
});

#[path = "common.rs"]
mod common;
