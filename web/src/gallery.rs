//! The gallery: worked examples that teach how the kubelet runs a pod, one manifest each.
//!
//! Every example is a file `web/gallery/NN-id.yaml` (NN orders them) that opens with `# ` header lines:
//! `# title: …`, `# explanation: …` (several lines are joined with spaces), optional `# at: SECONDS ACTION`
//! lines (actions spelled as `podstep run --at` takes them). The file is the one source: the title,
//! explanation and actions are read from its header, and `crates/lifecycle/tests/gallery.rs` simulates
//! every example and asserts the lesson it claims. Pure Rust: no web crates.
//!
//! There is no horizon field: every example runs to the default horizon (600 s), as the tests do, so no
//! header carries `# until:`.

/// One worked example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name without `NN-` and `.yaml`: stable, usable in URLs.
    pub id: &'static str,
    /// The file as it is, header comments included (the header is valid YAML comments).
    pub manifest: &'static str,
}

impl Example {
    /// The header's `key: value` lines with this key, in order.
    fn header(&self, key: &'static str) -> impl Iterator<Item = &'static str> {
        let manifest: &'static str = self.manifest;
        manifest
            .lines()
            .map_while(|l| l.strip_prefix("# "))
            .filter_map(move |l| {
                let (k, v) = l.split_once(':')?;
                (k == key).then(|| v.trim())
            })
    }
    pub fn title(&self) -> &'static str {
        self.header("title").next().unwrap_or(self.id)
    }
    /// Two to four sentences a workshop teacher would say: what to watch for, in the spec's words.
    pub fn explanation(&self) -> String {
        self.header("explanation").collect::<Vec<_>>().join(" ")
    }
    /// Timed scenario actions: (milliseconds after scheduling, the action as the CLI spells it).
    pub fn actions(&self) -> Vec<(u64, &'static str)> {
        self.header("at")
            .filter_map(|v| {
                let (t, action) = v.split_once(char::is_whitespace)?;
                let t: f64 = t.parse().ok()?;
                Some(((t * 1000.0).round() as u64, action.trim()))
            })
            .collect()
    }
}

/// Every example, in gallery order.
pub static EXAMPLES: &[Example] = &[
    Example {
        id: "init-chain",
        manifest: include_str!("../gallery/01-init-chain.yaml"),
    },
    Example {
        id: "logging-sidecar",
        manifest: include_str!("../gallery/02-logging-sidecar.yaml"),
    },
    Example {
        id: "job-classic-sidecar",
        manifest: include_str!("../gallery/03-job-classic-sidecar.yaml"),
    },
    Example {
        id: "job-native-sidecar",
        manifest: include_str!("../gallery/04-job-native-sidecar.yaml"),
    },
    Example {
        id: "sidecar-startup-probe",
        manifest: include_str!("../gallery/05-sidecar-startup-probe.yaml"),
    },
    Example {
        id: "init-crash-loop",
        manifest: include_str!("../gallery/06-init-crash-loop.yaml"),
    },
    Example {
        id: "liveness-restart",
        manifest: include_str!("../gallery/07-liveness-restart.yaml"),
    },
    Example {
        id: "pid1-sigterm",
        manifest: include_str!("../gallery/08-pid1-sigterm.yaml"),
    },
    Example {
        id: "delete-prestop-sidecars",
        manifest: include_str!("../gallery/09-delete-prestop-sidecars.yaml"),
    },
    Example {
        id: "proxy-before-app",
        manifest: include_str!("../gallery/10-proxy-before-app.yaml"),
    },
    Example {
        id: "effective-requests",
        manifest: include_str!("../gallery/11-effective-requests.yaml"),
    },
    Example {
        id: "mistakes",
        manifest: include_str!("../gallery/12-mistakes.yaml"),
    },
    Example {
        id: "image-pull-backoff",
        manifest: include_str!("../gallery/13-image-pull-backoff.yaml"),
    },
    Example {
        id: "readiness-flap",
        manifest: include_str!("../gallery/14-readiness-flap.yaml"),
    },
    Example {
        id: "cronjob-onfailure",
        manifest: include_str!("../gallery/15-cronjob-onfailure.yaml"),
    },
    Example {
        id: "shared-emptydir",
        manifest: include_str!("../gallery/16-shared-emptydir.yaml"),
    },
    Example {
        id: "wait-for-services",
        manifest: include_str!("../gallery/17-wait-for-services.yaml"),
    },
    Example {
        id: "classic-sidecar-before",
        manifest: include_str!("../gallery/18-classic-sidecar-before.yaml"),
    },
    Example {
        id: "classic-sidecar-after",
        manifest: include_str!("../gallery/19-classic-sidecar-after.yaml"),
    },
];

/// The example with this id, if any (ids are stable: links may name them).
pub fn by_id(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
