//! The engine's throughput benchmark (same workload as `crates/lifecycle/benches/engine.rs`) in
//! WebAssembly. Run by `cargo xtask bench` as
//! `cargo test -p wasm-bench --release --target wasm32-unknown-unknown -- --nocapture`; each
//! `wasm_events_per_second` line pairs with the native `events_per_second` line of the same size.
#![cfg(target_arch = "wasm32")]

use lifecycle::sim::{simulate, Scenario};
use wasm_bindgen_test::*;

#[path = "../../lifecycle/benches/workload.rs"]
mod workload;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_events_per_second() {
    // One untimed run first: the browser compiles and tiers up the wasm on first use, which would
    // otherwise be charged to the smallest pod.
    let warm = lifecycle::check(&workload::pod(10));
    let _ = simulate(&warm.workloads[0], &Scenario::default());
    for n in [3usize, 10, 100, 1000] {
        let text = workload::pod(n);
        let checked = lifecycle::check(&text);
        let w = &checked.workloads[0];
        let scenario = Scenario {
            until_s: 300,
            ..Scenario::default()
        };
        let runs = if n >= 1000 { 3 } else { 20 };
        let start = js_sys::Date::now();
        let mut events = 0u64;
        for _ in 0..runs {
            events += simulate(w, &scenario).events_handled;
        }
        let secs = (js_sys::Date::now() - start) / 1000.0;
        console_log!(
            "wasm_events_per_second containers={n} ms_per_run={:.2} events_per_second={:.0}",
            secs * 1000.0 / runs as f64,
            events as f64 / secs
        );
        assert!(events > 0);
    }
}
