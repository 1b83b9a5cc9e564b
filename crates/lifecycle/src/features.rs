//! The Kubernetes feature gates that touch the pod lifecycle, per minor version, as data: each gate's
//! stage and default from the versioned specs in `pkg/features/kube_features.go` of
//! `kubernetes/kubernetes` (`defaultVersionedKubernetesFeatureGates`). A [`Kube`] — a minor version
//! plus any `--feature-gates` overrides — answers "is this gate on?", and both validation and the
//! simulation ask it, so they never disagree about what a version does.

use crate::quote::quote;

/// A gate Podstep follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gate {
    /// KEP-753: `restartPolicy: Always` on an init container makes it a sidecar.
    SidecarContainers,
    /// KEP-3085: the `PodReadyToStartContainers` condition.
    PodReadyToStartContainersCondition,
    /// KEP-3960: the `sleep` lifecycle handler.
    PodLifecycleSleepAction,
    /// KEP-4818: `sleep.seconds: 0`.
    PodLifecycleSleepActionAllowZero,
    /// KEP-5307: `restartPolicy` and `restartPolicyRules` on regular containers.
    ContainerRestartRules,
    /// KEP-4960: `lifecycle.stopSignal`.
    ContainerStopSignals,
    /// KEP-4639: `volumes[].image`, an OCI image mounted as a volume.
    ImageVolume,
    /// KEP-5532: the `RestartAllContainers` action of `restartPolicyRules`.
    RestartAllContainersOnContainerExits,
    /// KEP-5067: `status.observedGeneration` and the conditions' `observedGeneration`.
    PodObservedGenerationTracking,
    /// KEP-4603: CrashLoopBackOff starts at 1 s and stops at 60 s.
    ReduceDefaultCrashLoopBackOffDecay,
    /// KEP-5593: the kubelet's `crashLoopBackOff.maxContainerRestartPeriod` caps the back-off.
    KubeletCrashLoopBackOffMax,
}

/// A gate's maturity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Alpha,
    Beta,
    /// GA and locked to its default: it can no longer be turned off.
    Ga,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Alpha => "alpha",
            Stage::Beta => "beta",
            Stage::Ga => "GA",
        }
    }
}

/// One versioned spec: from this minor version on, this default and stage.
pub type Spec = (u32, bool, Stage);

/// `(gate, name, [versioned specs])`, as kube_features.go lists them.
pub const GATES: &[(Gate, &str, &[Spec])] = &[
    (
        Gate::SidecarContainers,
        "SidecarContainers",
        &[
            (28, false, Stage::Alpha),
            (29, true, Stage::Beta),
            (33, true, Stage::Ga),
        ],
    ),
    (
        Gate::PodReadyToStartContainersCondition,
        "PodReadyToStartContainersCondition",
        &[(28, false, Stage::Alpha), (29, true, Stage::Beta)],
    ),
    (
        Gate::PodLifecycleSleepAction,
        "PodLifecycleSleepAction",
        &[
            (29, false, Stage::Alpha),
            (30, true, Stage::Beta),
            (34, true, Stage::Ga),
        ],
    ),
    (
        Gate::PodLifecycleSleepActionAllowZero,
        "PodLifecycleSleepActionAllowZero",
        &[
            (32, false, Stage::Alpha),
            (33, true, Stage::Beta),
            (34, true, Stage::Ga),
        ],
    ),
    (
        Gate::ContainerRestartRules,
        "ContainerRestartRules",
        &[(34, false, Stage::Alpha), (35, true, Stage::Beta)],
    ),
    (
        Gate::ContainerStopSignals,
        "ContainerStopSignals",
        &[(33, false, Stage::Alpha)],
    ),
    (
        Gate::ImageVolume,
        "ImageVolume",
        &[
            (31, false, Stage::Alpha),
            (33, false, Stage::Beta),
            (35, true, Stage::Beta),
        ],
    ),
    (
        Gate::RestartAllContainersOnContainerExits,
        "RestartAllContainersOnContainerExits",
        &[(35, false, Stage::Alpha)],
    ),
    (
        Gate::PodObservedGenerationTracking,
        "PodObservedGenerationTracking",
        &[
            (33, false, Stage::Alpha),
            (34, true, Stage::Beta),
            (35, true, Stage::Ga),
        ],
    ),
    (
        Gate::ReduceDefaultCrashLoopBackOffDecay,
        "ReduceDefaultCrashLoopBackOffDecay",
        &[(33, false, Stage::Alpha)],
    ),
    (
        Gate::KubeletCrashLoopBackOffMax,
        "KubeletCrashLoopBackOffMax",
        &[(32, false, Stage::Alpha), (35, true, Stage::Beta)],
    ),
];

impl Gate {
    pub fn name(self) -> &'static str {
        GATES
            .iter()
            .find(|(g, ..)| *g == self)
            .map_or("", |(_, n, _)| n)
    }
    pub fn from_name(name: &str) -> Option<Gate> {
        GATES.iter().find(|(_, n, _)| *n == name).map(|(g, ..)| *g)
    }
    /// Whether only the kubelet reads this gate. The others change what the API server accepts
    /// too, and Podstep keeps one gate set for both, so a kubelet configuration may set only these.
    pub fn kubelet_only(self) -> bool {
        matches!(
            self,
            Gate::PodReadyToStartContainersCondition
                | Gate::ReduceDefaultCrashLoopBackOffDecay
                | Gate::KubeletCrashLoopBackOffMax
        )
    }
    /// The gate's default and stage in `minor`; `None` before the gate existed.
    pub fn spec(self, minor: u32) -> Option<(bool, Stage)> {
        let (_, _, specs) = GATES.iter().find(|(g, ..)| *g == self)?;
        specs
            .iter()
            .rev()
            .find(|(from, ..)| *from <= minor)
            .map(|(_, on, stage)| (*on, *stage))
    }
}

/// The Kubernetes a manifest is checked and simulated against — a minor version and gate overrides —
/// and how it is sent there: with kubectl's strict field validation (the default since 1.27: an
/// unknown field is an error) or `--validate=warn` (a warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kube {
    pub minor: u32,
    /// `--feature-gates` overrides, in the order given (a later one wins).
    pub overrides: Vec<(Gate, bool)>,
    pub strict: bool,
}

impl Default for Kube {
    fn default() -> Self {
        Kube::new(33)
    }
}

impl Kube {
    pub fn new(minor: u32) -> Kube {
        Kube {
            minor,
            overrides: Vec::new(),
            strict: true,
        }
    }
    /// Whether `gate` is on: an override (unless the gate is GA, locked to its default), else the
    /// version's default; a gate that did not exist yet is off.
    pub fn enabled(&self, gate: Gate) -> bool {
        let Some((default, stage)) = gate.spec(self.minor) else {
            return false;
        };
        if stage == Stage::Ga {
            return default;
        }
        self.overrides
            .iter()
            .rev()
            .find(|(g, _)| *g == gate)
            .map_or(default, |(_, on)| *on)
    }
    /// Reads `--feature-gates A=true,B=false` for this version, with the kubelet's own refusals.
    pub fn parse_overrides(&mut self, text: &str) -> Result<(), String> {
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| format!("missing bool value for {}", quote(item)))?;
            let on = match value {
                "true" => true,
                "false" => false,
                _ => return Err(format!("invalid value of {name}: {value}, err: strconv.ParseBool: parsing {}: invalid syntax", quote(value))),
            };
            let gate = Gate::from_name(name).ok_or_else(|| {
                format!(
                    "unrecognized feature gate: {name} (Podstep follows {})",
                    GATES
                        .iter()
                        .map(|(_, n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            match gate.spec(self.minor) {
                None => {
                    return Err(format!(
                        "unrecognized feature gate: {name} (it arrives after 1.{})",
                        self.minor
                    ))
                }
                Some((default, Stage::Ga)) if default != on => {
                    return Err(format!(
                        "cannot set feature gate {name} to {on}, feature is locked to {default}"
                    ))
                }
                _ => {}
            }
            self.overrides.push((gate, on));
        }
        Ok(())
    }
    /// `--feature-gates` text for the overrides (share links, the CLI's echo).
    pub fn overrides_text(&self) -> String {
        self.overrides
            .iter()
            .map(|(g, on)| format!("{}={on}", g.name()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    /// The table as the docs page shows it: version × gate → on/off and stage.
    #[test]
    fn gates_per_version() {
        let mut out = String::new();
        for (gate, name, _) in GATES {
            out.push_str(&format!("{name:<36}"));
            for minor in 28..=35 {
                let cell = match gate.spec(minor) {
                    None => "-".to_string(),
                    Some((on, stage)) => {
                        format!("{}{}", if on { "on " } else { "off " }, stage.as_str())
                    }
                };
                out.push_str(&format!(" {cell:<9}"));
            }
            out.push('\n');
        }
        expect![[r#"
            SidecarContainers                    off alpha on beta   on beta   on beta   on beta   on GA     on GA     on GA    
            PodReadyToStartContainersCondition   off alpha on beta   on beta   on beta   on beta   on beta   on beta   on beta  
            PodLifecycleSleepAction              -         off alpha on beta   on beta   on beta   on beta   on GA     on GA    
            PodLifecycleSleepActionAllowZero     -         -         -         -         off alpha on beta   on GA     on GA    
            ContainerRestartRules                -         -         -         -         -         -         off alpha on beta  
            ContainerStopSignals                 -         -         -         -         -         off alpha off alpha off alpha
            ImageVolume                          -         -         -         off alpha off alpha off beta  off beta  on beta  
            RestartAllContainersOnContainerExits -         -         -         -         -         -         -         off alpha
            PodObservedGenerationTracking        -         -         -         -         -         off alpha on beta   on GA    
            ReduceDefaultCrashLoopBackOffDecay   -         -         -         -         -         off alpha off alpha off alpha
            KubeletCrashLoopBackOffMax           -         -         -         -         off alpha off alpha off alpha on beta  
        "#]].assert_eq(&out);
    }

    #[test]
    fn overrides_follow_the_kubelet_rules() {
        let mut k = Kube::new(28);
        assert!(!k.enabled(Gate::SidecarContainers));
        k.parse_overrides("SidecarContainers=true").unwrap();
        assert!(k.enabled(Gate::SidecarContainers));
        let mut ga = Kube::new(33);
        assert_eq!(
            ga.parse_overrides("SidecarContainers=false"),
            Err(
                "cannot set feature gate SidecarContainers to false, feature is locked to true"
                    .into()
            )
        );
        assert!(Kube::new(33)
            .parse_overrides("Nope=true")
            .unwrap_err()
            .starts_with("unrecognized feature gate: Nope"));
        assert!(Kube::new(33)
            .parse_overrides("ContainerRestartRules=maybe")
            .is_err());
        assert!(!Kube::new(33).enabled(Gate::ContainerRestartRules));
        assert!(Kube::new(35).enabled(Gate::ContainerRestartRules));
    }
}
