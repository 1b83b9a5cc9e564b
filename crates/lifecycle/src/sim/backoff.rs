//! The kubelet's one back-off shape (`flowcontrol.Backoff`), used for both CrashLoopBackOff and image
//! pulls: a delay that starts at 10 s, doubles on each use up to 300 s, and is forgotten when nothing
//! used it for twice the maximum.

use super::time::Ms;

const INITIAL: Ms = Ms(10_000);
const MAX: Ms = Ms(300_000);

/// One back-off entry: the current delay and when it was last renewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Backoff {
    pub delay: Ms,
    last_update: Ms,
}

impl Backoff {
    /// `hasExpired`: an entry unused for more than twice the maximum delay no longer counts.
    fn expired(self, event_time: Ms) -> bool {
        event_time.saturating_sub(self.last_update) > Ms(MAX.0 * 2)
    }

    /// `IsInBackOffSince(eventTime)`: still waiting `delay` after `event_time` (a container's exit).
    pub fn in_backoff_since(entry: Option<Backoff>, event_time: Ms, now: Ms) -> Option<Ms> {
        let b = entry.filter(|b| !b.expired(event_time))?;
        (now.saturating_sub(event_time) < b.delay).then_some(b.delay)
    }

    /// `IsInBackOffSinceUpdate(now)`: still waiting `delay` after the entry was last renewed.
    pub fn in_backoff_since_update(entry: Option<Backoff>, now: Ms) -> Option<Ms> {
        let b = entry.filter(|b| !b.expired(now))?;
        (now.saturating_sub(b.last_update) < b.delay).then_some(b.delay)
    }

    /// `Next(eventTime)`: the entry after one more use at `now` — the initial delay for a new or
    /// expired entry, else twice the delay (at most the maximum).
    pub fn next(entry: Option<Backoff>, event_time: Ms, now: Ms) -> Backoff {
        let delay = match entry {
            Some(b) if !b.expired(event_time) => Ms((b.delay.0 * 2).min(MAX.0)),
            _ => INITIAL,
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
        let mut b = None;
        let mut delays = Vec::new();
        for t in 0..7 {
            let e = Backoff::next(b, s(t * 10), s(t * 10));
            delays.push(e.delay.whole_s());
            b = Some(e);
        }
        assert_eq!(delays, [10, 20, 40, 80, 160, 300, 300]);
        // Within the window it holds; unused for more than 600 s it starts again.
        assert_eq!(Backoff::in_backoff_since(b, s(60), s(100)), Some(s(300)));
        assert_eq!(Backoff::in_backoff_since(b, s(60), s(360)), None);
        assert_eq!(Backoff::next(b, s(661), s(661)).delay, s(10));
        assert_eq!(Backoff::next(b, s(660), s(660)).delay, s(300));
        assert_eq!(Backoff::in_backoff_since_update(b, s(100)), Some(s(300)));
        assert_eq!(Backoff::in_backoff_since_update(b, s(360)), None);
        assert_eq!(Backoff::in_backoff_since(None, s(0), s(1)), None);
    }
}
