//! Podstep's engine: Kubernetes manifests in; located diagnostics and a deterministic kubelet trace out.
//!
//! The pipeline is parse → decode → validate → simulate. [`check`] runs the first three on any text a
//! person pastes and never panics: every problem becomes a [`Diagnostic`] with a line, a column and a
//! Kubernetes field path. The engine is sans-IO: no clock, no files, no randomness, so the same input
//! always gives the same output, natively and in WebAssembly alike.
//!
//! ```
//! let checked = lifecycle::check("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n");
//! assert_eq!(checked.diagnostics[0].to_string(), "6:5: error: spec.containers[0].image: Required value");
//! ```

pub mod decode;
pub mod diag;
pub mod features;
pub mod hidden;
pub mod kubelet_config;
pub mod limits;
pub mod lint;
mod manifest;
pub mod quantity;
pub mod quote;
pub mod resources;
pub mod schema;
pub mod server_fields;
pub mod sim;
pub mod spec;
pub mod tree;
pub mod validate;
pub mod world;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use spec::{PodSpec, Workload};
pub use tree::Pos;

/// What [`check`] found: every pod template in the input, and everything worth saying about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    pub workloads: Vec<Workload>,
    /// In reading order (line, column), errors first on the same spot.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parses, decodes and validates `source`, which may hold any number of `---` documents, as the
/// default Kubernetes version's API server would (see [`check_with`]).
pub fn check(source: &str) -> Checked {
    check_with(source, &features::Kube::default())
}

/// [`check`] against a chosen Kubernetes version and feature gates: fields of a disabled gate are
/// dropped on create, as the API server's `dropDisabledFields` does, with a warning naming the gate;
/// fields of a gate that does not exist yet are rejected by validation.
pub fn check_with(source: &str, kube: &features::Kube) -> Checked {
    // An input past a size limit is refused before any work per byte or line.
    let refused = |message: String| Checked {
        workloads: Vec::new(),
        diagnostics: vec![Diagnostic::new(
            Severity::Error,
            Pos::new(1, 1),
            "",
            message,
        )],
    };
    if source.len() > limits::MAX_INPUT_BYTES {
        return refused(format!(
            "input is {} bytes; Podstep reads at most {} bytes",
            source.len(),
            limits::MAX_INPUT_BYTES
        ));
    }
    let lines = source.bytes().filter(|b| *b == b'\n').count() + 1;
    if lines > limits::MAX_INPUT_LINES {
        return refused(format!(
            "input has {lines} lines; Podstep reads at most {} lines",
            limits::MAX_INPUT_LINES
        ));
    }
    let mut diagnostics = Vec::new();
    hidden::warn(source, &mut diagnostics);
    let (documents, yaml_error) = yaml::parse_documents(source);
    if let Some(e) = yaml_error {
        diagnostics.push(Diagnostic::new(
            Severity::Error,
            e.pos,
            "",
            format!("YAML syntax error: {}", e.message),
        ));
    }
    let manifest::Out { found, world, .. } =
        manifest::workloads(&documents, &mut diagnostics, kube.strict);
    let world = std::sync::Arc::new(world);
    let mut workloads = Vec::with_capacity(found.len());
    for mut f in found {
        f.workload.world = world.clone();
        let dropped = validate::drop_disabled_fields(&mut f.workload, &f.locs, kube);
        f.workload.errors += dropped
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        diagnostics.extend(dropped);
        let more = validate::validate(&f.workload, &f.locs, kube);
        f.workload.errors += more
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        diagnostics.extend(more);
        workloads.push(f.workload);
    }
    diag::sort(&mut diagnostics);
    Checked {
        workloads,
        diagnostics,
    }
}
