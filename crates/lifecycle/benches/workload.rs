//! The benchmark workload, shared by the native benchmarks (`engine.rs`) and the same measurements in
//! WebAssembly (`crates/wasm-bench`), so that their ratio compares like with like.

use std::fmt::Write;

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
