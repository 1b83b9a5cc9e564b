//! Engine benchmarks (issue 6): parse+decode, validate, and simulate, separately, on pods of 3, 10, 100
//! and 1,000 containers with probes, a sidecar and crash-looping containers. Run with
//! `cargo bench -p lifecycle --bench engine`; `cargo xtask bench` runs it and reports simulated events
//! (trace steps) per second from the `events_per_second` line this prints first.

use lifecycle::sim::{simulate, Scenario};

#[path = "workload.rs"]
mod workload;
use std::fmt::Write;
use std::time::Instant;
use workload::pod;

fn main() {
    events_per_second();
    hostile_inputs();
    divan::main();
}

/// Inputs of about 256 KB built to be slow (issue 7: none may take over 100 ms end to end, check plus
/// simulating the first valid workload). Prints one `hostile` line per case.
fn hostile_inputs() {
    const BYTES: usize = 256 * 1024;
    let mut cases: Vec<(&str, String)> = Vec::new();
    // Aliases: each level repeats the previous one ten times, up to the node budget.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        let _ = writeln!(
            bomb,
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
        );
    }
    cases.push(("alias bomb", bomb));
    cases.push((
        "deep nesting",
        format!("{}x{}", "[".repeat(BYTES / 2), "]".repeat(BYTES / 2)),
    ));
    cases.push((
        "deep block nesting",
        (0..700)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect(),
    ));
    let mut many_docs = String::new();
    while many_docs.len() < BYTES {
        many_docs.push_str("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: nginx}]\n");
    }
    cases.push(("many documents", many_docs));
    let mut wide = pod(10);
    while wide.len() < BYTES {
        let i = wide.len();
        let _ = write!(wide, "  - name: c{i}\n    image: nginx:1.27\n    readinessProbe: {{httpGet: {{path: /, port: 80}}, periodSeconds: 1}}\n");
    }
    cases.push(("many containers, 1 s probes", wide));
    cases.push((
        "one long scalar",
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: \"{}\"}}\n",
            "x".repeat(BYTES)
        ),
    ));
    cases.push(("long shell loop", format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: a\n    image: busybox\n    command: [sh, -c, '{}']\n",
        "while true; do touch /tmp/a; rm /tmp/a; done; ".repeat(BYTES / 60)
    )));
    let mut errors =
        String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n");
    while errors.len() < BYTES {
        errors.push_str("  - name: Bad_Name\n    restartPolicy: Never\n    livenessProbe: {successThreshold: 3}\n");
    }
    cases.push(("thousands of errors", errors));
    for (name, text) in &cases {
        let start = Instant::now();
        let checked = lifecycle::check(text);
        let steps = checked
            .workloads
            .iter()
            .find(|w| w.errors == 0)
            .map_or(0, |w| simulate(w, &Scenario::default()).steps.len());
        println!(
            "hostile case=\"{name}\" bytes={} ms={:.1} diagnostics={} steps={steps}",
            text.len(),
            start.elapsed().as_secs_f64() * 1000.0,
            checked.diagnostics.len()
        );
    }
}

const SIZES: [usize; 4] = [3, 10, 100, 1000];

fn scenario() -> Scenario {
    Scenario {
        until_s: 300,
        ..Scenario::default()
    }
}

/// Prints simulated events (trace steps) per second for each size: the throughput target is ≥1 M/s.
fn events_per_second() {
    for n in SIZES {
        let text = pod(n);
        let checked = lifecycle::check(&text);
        let w = &checked.workloads[0];
        let runs = if n >= 1000 { 3 } else { 20 };
        let start = Instant::now();
        let (mut steps, mut events) = (0usize, 0u64);
        for _ in 0..runs {
            let trace = simulate(w, &scenario());
            steps += trace.steps.len();
            events += trace.events_handled;
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "events_per_second containers={n} events_per_run={} steps_per_run={} ms_per_run={:.2} events_per_second={:.0} steps_per_second={:.0}",
            events / runs as u64,
            steps / runs,
            secs * 1000.0 / runs as f64,
            events as f64 / secs,
            steps as f64 / secs
        );
    }
}

#[divan::bench(args = SIZES)]
fn parse_and_decode(bencher: divan::Bencher, n: usize) {
    let text = pod(n);
    bencher.bench(|| lifecycle::check(divan::black_box(&text)));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn simulate_300s(bencher: divan::Bencher, n: usize) {
    let text = pod(n);
    let checked = lifecycle::check(&text);
    let w = checked.workloads[0].clone();
    bencher.bench(|| simulate(divan::black_box(&w), &scenario()));
}
