//! Images: the pull policy decides whether a start pulls, the node remembers what it has pulled, and a
//! failed pull backs off (spec §5.2). A pull takes Podstep's conventional second and blocks the pod
//! worker, as `SyncPod` waits for `EnsureImageExists`.

use super::backoff::{Backoff, Shape};
use super::behavior;
use super::kubelet::Sim;
use super::time::{go_duration, Ms};
use super::trace::{EventType, StepKind};
use super::worker::Op;
use crate::spec::PullPolicy;
use std::collections::BTreeSet;

/// How long a pull takes (Podstep's convention).
const PULL: Ms = Ms(1000);

/// The images on the node.
#[derive(Default)]
pub(super) struct Images {
    present: BTreeSet<String>,
}

impl Sim<'_> {
    /// `EnsureImageExists` for container `c`'s image, then its creation.
    pub(super) fn ensure_image(&mut self, c: usize) {
        let image = self.cs[c].image.clone();
        if !behavior::valid_image(&image) {
            let msg = format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format");
            self.start_failed(c, "InspectFailed", "InvalidImageName", msg);
            return;
        }
        // Defaulted once, from the image the pod was created with: a later image change keeps it.
        let policy = self.cs[c].spec.pull_policy;
        let present = self.images.present.contains(&image);
        if policy == PullPolicy::Never && !present {
            let msg =
                format!("Container image \"{image}\" is not present with pull policy of Never");
            self.start_failed(c, "ErrImageNeverPull", "ErrImageNeverPull", msg);
            return;
        }
        if present && policy != PullPolicy::Always {
            self.cevent(
                c,
                EventType::Normal,
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            );
            self.worker.ops.push_front(Op::Run(c));
            return;
        }
        // Image pull, with its own back-off (spec §5.2, last bullet).
        if let Some(delay) =
            Backoff::in_backoff_since_update(self.cs[c].pull_backoff, self.now, Shape::DEFAULT)
        {
            self.cevent(
                c,
                EventType::Normal,
                "BackOff",
                format!("Back-off pulling image \"{image}\""),
            );
            self.cevent(
                c,
                EventType::Warning,
                "Failed",
                "Error: ImagePullBackOff".into(),
            );
            self.cs[c].start_error = Some((
                "ImagePullBackOff".into(),
                format!("Back-off pulling image \"{image}\"").into(),
            ));
            self.step(
                c,
                StepKind::BackOff {
                    delay,
                    reason: Some("ImagePullBackOff"),
                },
            );
            self.start_refused();
            return;
        }
        self.cevent(
            c,
            EventType::Normal,
            "Pulling",
            format!("Pulling image \"{image}\""),
        );
        self.step(
            c,
            StepKind::Pulling {
                image: image.clone(),
            },
        );
        if behavior::unpullable(&image) {
            let host = image
                .split('/')
                .next()
                .unwrap_or("")
                .split(':')
                .next()
                .unwrap_or("")
                .to_string();
            let msg = if behavior::says_it_does_not_exist(&image) {
                format!("Failed to pull image \"{image}\": failed to resolve reference \"{image}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
            } else {
                format!("Failed to pull image \"{image}\": failed to resolve reference \"{image}\": dial tcp: lookup {host}: no such host")
            };
            self.cevent(c, EventType::Warning, "Failed", msg.clone());
            self.cevent(
                c,
                EventType::Warning,
                "Failed",
                "Error: ErrImagePull".into(),
            );
            self.cs[c].start_error = Some(("ErrImagePull".into(), msg.into()));
            self.cs[c].pull_backoff = Some(Backoff::next(
                self.cs[c].pull_backoff,
                self.now,
                self.now,
                Shape::DEFAULT,
            ));
            self.step(
                c,
                StepKind::PullFailed {
                    reason: "ErrImagePull",
                },
            );
            self.start_refused();
            return;
        }
        self.worker.wait_until(&mut self.timers, self.now + PULL);
        self.images.present.insert(image);
        self.worker.ops.push_front(Op::Run(c));
        self.worker.ops.push_front(Op::Pulled(c));
    }

    /// The pull of `c`'s image finished.
    pub(super) fn pulled(&mut self, c: usize) {
        let image = self.cs[c].image.clone();
        let took = go_duration(PULL);
        self.cevent(
            c,
            EventType::Normal,
            "Pulled",
            format!("Successfully pulled image \"{image}\" in {took} ({took} including waiting)"),
        );
        self.step(c, StepKind::Pulled { image });
    }
}
