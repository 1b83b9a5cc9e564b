//! Engine benchmarks (issue 6): parse+decode, validate, and simulate, separately, on pods of 3, 10, 100
//! and 1,000 containers with probes, a sidecar and crash-looping containers. Run with
//! `cargo bench -p lifecycle --bench engine`; `cargo xtask bench` runs it and reports simulated events
//! (trace steps) per second from the `events_per_second` line this prints first.

use lifecycle::sim::{simulate, Scenario};
use std::fmt::Write;
use std::time::Instant;

fn main() {
    events_per_second();
    divan::main();
}

/// A pod with `n` app containers: three init containers, a sidecar gated by a startup probe, app
/// containers with readiness and liveness probes, every tenth one crash-looping.
pub fn pod(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: bench}\nspec:\n  initContainers:\n",
    );
    for i in 0..3 {
        let _ = write!(
            s,
            "  - name: init-{i}\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 1']\n"
        );
    }
    s.push_str("  - name: proxy\n    image: envoyproxy/envoy:v1.30\n    restartPolicy: Always\n    startupProbe:\n      httpGet: {path: /ready, port: 9901}\n      periodSeconds: 1\n");
    s.push_str("  containers:\n");
    for i in 0..n {
        let _ = write!(
            s,
            "  - name: app-{i}\n    image: nginx:1.27\n    readinessProbe:\n      httpGet: {{path: /, port: 80}}\n      periodSeconds: 5\n    livenessProbe:\n      tcpSocket: {{port: 80}}\n      periodSeconds: 10\n"
        );
        if i % 10 == 0 {
            s.push_str("    command: [sh, -c, 'sleep 20; exit 1']\n");
        }
    }
    s
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
