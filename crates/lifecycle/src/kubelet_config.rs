//! The kubelet settings Podstep simulates, read from a `KubeletConfiguration` file (`podstep run
//! --kubelet-config FILE`) or a flag, and checked as the kubelet checks them when it starts: the same
//! ranges, the same feature-gate rules and the same words. A node whose kubelet would refuse its
//! configuration never runs a pod, so a refused setting is an error here, not a warning.
//!
//! Only two parts of the file change what Podstep shows — `featureGates` and
//! `crashLoopBackOff.maxContainerRestartPeriod` — and every other field is listed back as ignored, so
//! nobody believes a setting took effect when it did not.

use crate::features::{Gate, Kube};
use crate::quote::quote;
use crate::sim::Ms;
use crate::tree::{Node, Pos, Value};

/// The API group and version a kubelet configuration file declares.
pub const API_VERSION: &str = "kubelet.config.k8s.io/v1beta1";
/// The kubelet's default `maxContainerRestartPeriod`, filled in when `KubeletCrashLoopBackOffMax` is on.
pub const DEFAULT_MAX_RESTART_PERIOD: Ms = Ms(300_000);

/// What a kubelet configuration file sets that Podstep simulates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeletConfig {
    /// `featureGates`, in file order, as `--feature-gates` overrides.
    pub feature_gates: Vec<(Gate, bool)>,
    /// `crashLoopBackOff.maxContainerRestartPeriod`.
    pub max_container_restart_period: Option<Ms>,
    /// Top-level fields Podstep does not simulate, in file order.
    pub ignored: Vec<String>,
}

/// A kubelet configuration the kubelet would refuse, located in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub pos: Pos,
    /// The field, as the kubelet's messages name it (`crashLoopBackOff.maxContainerRestartPeriod`).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: ", self.pos.line, self.pos.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

fn error(node: &Node, path: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        pos: node.pos,
        path: path.into(),
        message: message.into(),
    }
}

/// Reads a `KubeletConfiguration` document for the version and gates of `kube`: the gates it sets
/// are checked against that version (a GA gate cannot be turned off), and the restart period
/// against the gates the file and `kube` together leave on.
pub fn read(source: &str, kube: &Kube) -> Result<KubeletConfig, ConfigError> {
    let (docs, yaml_error) = crate::yaml::parse_documents(source);
    if let Some(e) = yaml_error {
        return Err(ConfigError {
            pos: e.pos,
            path: String::new(),
            message: e.message,
        });
    }
    let mut docs = docs.into_iter().filter(|d| d.value != Value::Null);
    let doc = docs.next().ok_or(ConfigError {
        pos: Pos::new(1, 1),
        path: String::new(),
        message: format!("expected a KubeletConfiguration ({API_VERSION}), found an empty file"),
    })?;
    if let Some(extra) = docs.next() {
        return Err(error(
            &extra,
            "",
            "a kubelet configuration file holds one document",
        ));
    }
    let Value::Map(entries) = &doc.value else {
        return Err(error(
            &doc,
            "",
            format!("expected a mapping, found a {}", doc.type_name()),
        ));
    };
    let mut config = KubeletConfig::default();
    let mut kind = None;
    let mut api_version = None;
    let mut period_node = None;
    for (key, node) in entries {
        match key.name.as_str() {
            "kind" => kind = Some(node),
            "apiVersion" => api_version = Some(node),
            "featureGates" => config.feature_gates = feature_gates(node, kube)?,
            "crashLoopBackOff" => {
                let Value::Map(fields) = &node.value else {
                    return Err(error(node, "crashLoopBackOff", "expected a mapping"));
                };
                for (field, value) in fields {
                    if field.name != "maxContainerRestartPeriod" {
                        return Err(error(
                            value,
                            "crashLoopBackOff",
                            format!("unknown field {}", quote(&field.name)),
                        ));
                    }
                    let path = "crashLoopBackOff.maxContainerRestartPeriod";
                    let text = value
                        .scalar()
                        .ok_or_else(|| error(value, path, "expected a duration such as \"30s\""))?;
                    let ms = parse_duration(text).map_err(|m| error(value, path, m))?;
                    config.max_container_restart_period = Some(ms);
                    period_node = Some(value);
                }
            }
            other => config.ignored.push(other.to_string()),
        }
    }
    match kind.and_then(Node::scalar) {
        Some("KubeletConfiguration") => {}
        _ => {
            return Err(error(
                kind.unwrap_or(&doc),
                "kind",
                "expected \"KubeletConfiguration\"",
            ))
        }
    }
    match api_version.and_then(Node::scalar) {
        Some(API_VERSION) => {}
        _ => {
            return Err(error(
                api_version.unwrap_or(&doc),
                "apiVersion",
                format!("expected {}", quote(API_VERSION)),
            ))
        }
    }
    let mut gated = kube.clone();
    gated.overrides.extend(config.feature_gates.iter().copied());
    if let (Some(node), Some(ms)) = (period_node, config.max_container_restart_period) {
        check_restart_period(&gated, ms)
            .map_err(|m| error(node, "crashLoopBackOff.maxContainerRestartPeriod", m))?;
    }
    Ok(config)
}

fn feature_gates(node: &Node, kube: &Kube) -> Result<Vec<(Gate, bool)>, ConfigError> {
    let Value::Map(entries) = &node.value else {
        return Err(error(
            node,
            "featureGates",
            "expected a mapping of gate names to true or false",
        ));
    };
    let mut probe = Kube::new(kube.minor);
    for (key, value) in entries {
        let text = format!("{}={}", key.name, value.scalar().unwrap_or(""));
        let path = format!("featureGates.{}", key.name);
        probe
            .parse_overrides(&text)
            .map_err(|m| error(value, &path, m))?;
        if let Some((gate, on)) = probe.overrides.last().filter(|(g, _)| !g.kubelet_only()) {
            return Err(error(
                value,
                &path,
                format!(
                    "{} also decides what the API server accepts, and Podstep sets it for both at once: use --feature-gates {}={on}",
                    gate.name(),
                    gate.name()
                ),
            ));
        }
    }
    Ok(probe.overrides)
}

/// The kubelet's own check of `crashLoopBackOff.maxContainerRestartPeriod` (its configuration
/// validation): only with `KubeletCrashLoopBackOffMax` on, and between 1 s and 300 s counted in
/// whole milliseconds.
pub fn check_restart_period(kube: &Kube, period: Ms) -> Result<(), String> {
    if !kube.enabled(Gate::KubeletCrashLoopBackOffMax) {
        return Err(format!(
            "invalid configuration: FeatureGate KubeletCrashLoopBackOffMax not enabled, CrashLoopBackOff.MaxContainerRestartPeriod must not be set (the gate is off in 1.{}; --feature-gates KubeletCrashLoopBackOffMax=true, or 1.35)",
            kube.minor
        ));
    }
    if !(1_000..=300_000).contains(&period.0) {
        return Err(format!(
            "invalid configuration: CrashLoopBackOff.MaxContainerRestartPeriod (got: {} seconds) must be set between 1s and 300s",
            period.0 as f64 / 1000.0
        ));
    }
    Ok(())
}

/// The crash back-off cap a kubelet of `kube` runs with: the configured period, or the 300 s the
/// kubelet's defaulting fills in, whenever `KubeletCrashLoopBackOffMax` is on (and then it takes
/// precedence over KEP-4603's reduced 60 s maximum, as `newCrashLoopBackOff` gives it); none when off.
pub fn effective_restart_period(kube: &Kube, configured: Option<Ms>) -> Option<Ms> {
    kube.enabled(Gate::KubeletCrashLoopBackOffMax)
        .then(|| configured.unwrap_or(DEFAULT_MAX_RESTART_PERIOD))
}

/// Go's `time.ParseDuration`, which reads every duration in a kubelet configuration: a sequence of
/// decimal numbers, each with a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), such as `1m30s` or
/// `1.5s`; `0` alone needs no unit. Truncated to whole milliseconds; a negative duration is refused.
pub fn parse_duration(text: &str) -> Result<Ms, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest.starts_with('-') {
        return Err(format!(
            "a duration cannot be negative, not {}",
            quote(text)
        ));
    }
    if rest == "0" {
        return Ok(Ms::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(digits);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {}", quote(text))),
            u => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(u),
                    quote(text)
                ))
            }
        };
        nanos += value * scale;
        rest = next;
    }
    if nanos > u64::MAX as f64 / 2.0 {
        return Err(invalid());
    }
    Ok(Ms((nanos / 1e6) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_reads_them() {
        let table: &[(&str, Result<u64, &str>)] = &[
            ("30s", Ok(30_000)),
            ("1m30s", Ok(90_000)),
            ("1.5s", Ok(1_500)),
            ("300ms", Ok(300)),
            ("999999us", Ok(999)),
            ("2h", Ok(7_200_000)),
            ("0", Ok(0)),
            ("30", Err("time: missing unit in duration \"30\"")),
            ("30x", Err("time: unknown unit \"x\" in duration \"30x\"")),
            ("s", Err("time: invalid duration \"s\"")),
            ("", Err("time: invalid duration \"\"")),
            ("1..5s", Err("time: invalid duration \"1..5s\"")),
            ("-5s", Err("a duration cannot be negative, not \"-5s\"")),
        ];
        for (text, want) in table {
            let got = parse_duration(text).map(|m| m.0);
            assert_eq!(got, want.map_err(String::from), "{text}");
        }
    }

    #[test]
    fn the_restart_period_follows_the_kubelets_rules() {
        let k35 = Kube::new(35);
        assert_eq!(check_restart_period(&k35, Ms(30_000)), Ok(()));
        assert_eq!(check_restart_period(&k35, Ms(1_000)), Ok(()));
        assert_eq!(check_restart_period(&k35, Ms(300_000)), Ok(()));
        assert_eq!(
            check_restart_period(&k35, Ms(999)),
            Err("invalid configuration: CrashLoopBackOff.MaxContainerRestartPeriod (got: 0.999 seconds) must be set between 1s and 300s".into())
        );
        assert!(check_restart_period(&Kube::new(33), Ms(30_000))
            .unwrap_err()
            .contains("FeatureGate KubeletCrashLoopBackOffMax not enabled"));
        assert_eq!(effective_restart_period(&Kube::new(33), None), None);
        assert_eq!(
            effective_restart_period(&k35, None),
            Some(DEFAULT_MAX_RESTART_PERIOD)
        );
        assert_eq!(
            effective_restart_period(&k35, Some(Ms(5_000))),
            Some(Ms(5_000))
        );
    }

    fn read_at(minor: u32, source: &str) -> Result<KubeletConfig, String> {
        read(source, &Kube::new(minor)).map_err(|e| e.to_string())
    }

    const HEAD: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

    #[test]
    fn a_file_sets_gates_and_the_period() {
        let cfg = read_at(
            33,
            &format!("{HEAD}featureGates:\n  KubeletCrashLoopBackOffMax: true\ncrashLoopBackOff:\n  maxContainerRestartPeriod: 45s\nmaxPods: 110\nevictionHard: {{}}\n"),
        )
        .unwrap();
        assert_eq!(
            cfg.feature_gates,
            vec![(Gate::KubeletCrashLoopBackOffMax, true)]
        );
        assert_eq!(cfg.max_container_restart_period, Some(Ms(45_000)));
        assert_eq!(cfg.ignored, vec!["maxPods", "evictionHard"]);
    }

    #[test]
    fn a_file_the_kubelet_refuses_is_refused_where_it_is_wrong() {
        let table: &[(u32, &str, &str)] = &[
            (
                33,
                "crashLoopBackOff:\n  maxContainerRestartPeriod: 45s\n",
                "4:30: crashLoopBackOff.maxContainerRestartPeriod: invalid configuration: FeatureGate KubeletCrashLoopBackOffMax not enabled",
            ),
            (
                35,
                "crashLoopBackOff:\n  maxContainerRestartPeriod: 10m\n",
                "4:30: crashLoopBackOff.maxContainerRestartPeriod: invalid configuration: CrashLoopBackOff.MaxContainerRestartPeriod (got: 600 seconds)",
            ),
            (
                35,
                "crashLoopBackOff:\n  maxContainerRestartPeriod: 45\n",
                "4:30: crashLoopBackOff.maxContainerRestartPeriod: time: missing unit",
            ),
            (
                35,
                "crashLoopBackOff:\n  maxRestart: 45s\n",
                "4:15: crashLoopBackOff: unknown field \"maxRestart\"",
            ),
            (
                35,
                "featureGates:\n  SidecarContainers: false\n",
                "4:22: featureGates.SidecarContainers: cannot set feature gate SidecarContainers to false, feature is locked to true",
            ),
            (
                35,
                "featureGates:\n  ContainerRestartRules: false\n",
                "4:26: featureGates.ContainerRestartRules: ContainerRestartRules also decides what the API server accepts, and Podstep sets it for both at once: use --feature-gates ContainerRestartRules=false",
            ),
            (
                28,
                "featureGates:\n  ContainerRestartRules: true\n",
                "4:26: featureGates.ContainerRestartRules: unrecognized feature gate: ContainerRestartRules (it arrives after 1.28)",
            ),
        ];
        for (minor, body, want) in table {
            let got = read_at(*minor, &format!("{HEAD}{body}")).unwrap_err();
            assert!(
                got.starts_with(want),
                "1.{minor} {body}\n got: {got}\nwant: {want}"
            );
        }
        assert_eq!(
            read_at(35, "kind: KubeletConfiguration\n").unwrap_err(),
            "1:1: apiVersion: expected \"kubelet.config.k8s.io/v1beta1\""
        );
        assert_eq!(
            read_at(35, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: Pod\n").unwrap_err(),
            "2:7: kind: expected \"KubeletConfiguration\""
        );
        assert_eq!(
            read_at(35, "").unwrap_err(),
            "1:1: expected a KubeletConfiguration (kubelet.config.k8s.io/v1beta1), found an empty file"
        );
    }
}
