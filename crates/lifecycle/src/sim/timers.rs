//! The timer queue: everything that will happen, ordered by (time, class, sequence number).
//!
//! At one instant the pod worker's syncs (class 0) run before the runtime's events (class 1): a sync acts
//! on what the last relist saw, so a container that exits at the very moment of a sync is only acted on
//! by the next one (§2.1: never a same-instant cascade). The sequence number keeps ties in the order
//! they were queued, so a run is deterministic. Whether a timer still matters when it fires is decided
//! in one place, `Sim::is_stale`.

use super::killer::KillTimer;
use super::time::Ms;
use crate::spec::ProbeKind;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Timer {
    /// A pod worker sync is due (a relist saw a change, or a probe result changed).
    Sync,
    /// The pod worker's one requeue slot: a later requeue replaces an earlier one.
    Requeue(u64),
    /// The worker's current operation (pull, sandbox, postStart) is done.
    WorkerResume,
    /// A process wakes from a sleep or wait.
    Resume {
        c: usize,
        inst: u32,
    },
    Probe {
        c: usize,
        kind: ProbeKind,
        gen: u32,
    },
    /// A killer's preStop ended, its turn's deadline came, or its grace ran out.
    Killer {
        c: usize,
        id: u32,
        stage: KillTimer,
    },
    Oom {
        c: usize,
        inst: u32,
    },
    /// The scenario's action with this index.
    Action(usize),
    /// `activeDeadlineSeconds` have passed since the pod started.
    ActiveDeadline,
    KubeletUp,
}

impl Timer {
    fn class(self) -> u8 {
        match self {
            Timer::Sync | Timer::Requeue(_) | Timer::KubeletUp => 0,
            _ => 1,
        }
    }
}

struct Entry {
    at: Ms,
    class: u8,
    seq: u64,
    timer: Timer,
}

impl Entry {
    fn key(&self) -> (Ms, u8, u64) {
        (self.at, self.class, self.seq)
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

#[derive(Default)]
pub(super) struct Timers {
    queue: BinaryHeap<Reverse<Entry>>,
    seq: u64,
    /// Pending timers that are not probe ticks, so that "only probes remain" is O(1).
    others: usize,
    /// Instants at which a sync is already queued: triggers that land on one instant make one sync.
    syncs: BTreeSet<Ms>,
}

impl Timers {
    pub fn push(&mut self, at: Ms, timer: Timer) {
        self.seq += 1;
        if !matches!(timer, Timer::Probe { .. }) {
            self.others += 1;
        }
        self.queue.push(Reverse(Entry {
            at,
            class: timer.class(),
            seq: self.seq,
            timer,
        }));
    }

    /// Queues a sync at `at` unless one is queued for that instant already (the pod worker holds one
    /// pending update, not a queue of them).
    pub fn request_sync(&mut self, at: Ms) {
        if self.syncs.insert(at) {
            self.push(at, Timer::Sync);
        }
    }

    /// The next timer, removed from the queue.
    pub fn pop(&mut self) -> Option<(Ms, Timer)> {
        let Reverse(e) = self.queue.pop()?;
        if !matches!(e.timer, Timer::Probe { .. }) {
            self.others -= 1;
        }
        if e.timer == Timer::Sync {
            self.syncs.remove(&e.at);
        }
        Some((e.at, e.timer))
    }

    /// Whether any timer other than a probe tick is pending.
    pub fn others_pending(&self) -> bool {
        self.others > 0
    }

    /// Every pending timer, in no particular order.
    pub fn pending(&self) -> impl Iterator<Item = Timer> + '_ {
        self.queue.iter().map(|Reverse(e)| e.timer)
    }
}
