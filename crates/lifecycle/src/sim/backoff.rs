//! The kubelet's back-off (`flowcontrol.Backoff`), used for both CrashLoopBackOff and image pulls: a
//! delay that starts at the shape's initial value, doubles on each use up to its maximum, and is
//! forgotten when nothing used it for twice the maximum. Image pulls always use 10 s … 300 s; the
//! crash back-off's shape follows the gates and the kubelet's setting ([`Shape::crash_loop`]).

use super::time::Ms;

/// A back-off's initial and maximum delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Shape {
    pub initial: Ms,
    pub max: Ms,
}

impl Shape {
    /// 10 s doubling to 300 s: image pulls, and CrashLoopBackOff by default.
    pub const DEFAULT: Shape = Shape {
        initial: Ms(10_000),
        max: Ms(300_000),
    };

    /// CrashLoopBackOff's shape: `ReduceDefaultCrashLoopBackOffDecay` (KEP-4603) makes it 1 s … 60 s;
    /// with `KubeletCrashLoopBackOffMax` (KEP-5593) the kubelet's
    /// `crashLoopBackOff.maxContainerRestartPeriod` caps it, and a cap below the initial delay makes
    /// every delay the cap.
    pub fn crash_loop(reduced: bool, max_restart_period: Option<Ms>) -> Shape {
        let mut shape = if reduced {
            Shape {
                initial: Ms(1_000),
                max: Ms(60_000),
            }
        } else {
            Shape::DEFAULT
        };
        if let Some(max) = max_restart_period {
            shape.max = max;
            shape.initial = shape.initial.min(max);
        }
        shape
    }
}

/// One back-off entry: the current delay and when it was last renewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Backoff {
    pub delay: Ms,
    last_update: Ms,
}

impl Backoff {
    /// `hasExpired`: an entry unused for more than twice the maximum delay no longer counts.
    fn expired(self, event_time: Ms, shape: Shape) -> bool {
        event_time.saturating_sub(self.last_update) > Ms(shape.max.0 * 2)
    }

    /// `IsInBackOffSince(eventTime)`: still waiting `delay` after `event_time` (a container's exit).
    pub fn in_backoff_since(
        entry: Option<Backoff>,
        event_time: Ms,
        now: Ms,
        shape: Shape,
    ) -> Option<Ms> {
        let b = entry.filter(|b| !b.expired(event_time, shape))?;
        (now.saturating_sub(event_time) < b.delay).then_some(b.delay)
    }

    /// `IsInBackOffSinceUpdate(now)`: still waiting `delay` after the entry was last renewed.
    pub fn in_backoff_since_update(entry: Option<Backoff>, now: Ms, shape: Shape) -> Option<Ms> {
        let b = entry.filter(|b| !b.expired(now, shape))?;
        (now.saturating_sub(b.last_update) < b.delay).then_some(b.delay)
    }

    /// `Next(eventTime)`: the entry after one more use at `now` — the initial delay for a new or
    /// expired entry, else twice the delay (at most the maximum).
    pub fn next(entry: Option<Backoff>, event_time: Ms, now: Ms, shape: Shape) -> Backoff {
        let delay = match entry {
            Some(b) if !b.expired(event_time, shape) => Ms((b.delay.0 * 2).min(shape.max.0)),
            _ => shape.initial,
        };
        Backoff {
            delay,
            last_update: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_maximum_and_expires() {
        let s = Ms::from_s;
        let d = Shape::DEFAULT;
        let mut b = None;
        let mut delays = Vec::new();
        for t in 0..7 {
            let e = Backoff::next(b, s(t * 10), s(t * 10), d);
            delays.push(e.delay.whole_s());
            b = Some(e);
        }
        assert_eq!(delays, [10, 20, 40, 80, 160, 300, 300]);
        // Within the window it holds; unused for more than 600 s it starts again.
        assert_eq!(Backoff::in_backoff_since(b, s(60), s(100), d), Some(s(300)));
        assert_eq!(Backoff::in_backoff_since(b, s(60), s(360), d), None);
        assert_eq!(Backoff::next(b, s(661), s(661), d).delay, s(10));
        assert_eq!(Backoff::next(b, s(660), s(660), d).delay, s(300));
        assert_eq!(Backoff::in_backoff_since_update(b, s(100), d), Some(s(300)));
        assert_eq!(Backoff::in_backoff_since_update(b, s(360), d), None);
        assert_eq!(Backoff::in_backoff_since(None, s(0), s(1), d), None);
    }

    /// The crash back-off's shapes: KEP-4603's 1 s … 60 s, and the kubelet's cap (KEP-5593).
    #[test]
    fn crash_loop_shapes() {
        let delays = |shape: Shape| {
            let mut b = None;
            (0..8)
                .map(|t| {
                    let e = Backoff::next(b, Ms::from_s(t), Ms::from_s(t), shape);
                    b = Some(e);
                    e.delay.secs_text()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            delays(Shape::crash_loop(false, None)),
            "10 20 40 80 160 300 300 300"
        );
        assert_eq!(delays(Shape::crash_loop(true, None)), "1 2 4 8 16 32 60 60");
        assert_eq!(
            delays(Shape::crash_loop(false, Some(Ms::from_s(30)))),
            "10 20 30 30 30 30 30 30"
        );
        assert_eq!(
            delays(Shape::crash_loop(false, Some(Ms::from_s(5)))),
            "5 5 5 5 5 5 5 5"
        );
    }
}
