//! Nothing but a home for `tests/wasm_bench.rs`: the engine's benchmark workload measured in
//! WebAssembly, in headless Chromium, so `cargo xtask bench` can report the wasm/native ratio. Kept out
//! of the engine so that the engine never depends on a web crate, even for tests.
