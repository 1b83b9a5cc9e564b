//! [`ById`]: an `Rc` that compares by identity, for props that carry the state's shared parts (the
//! check result, the run, the actions) to the panels.
//!
//! Identity is change only because the reducer never mutates what an `Rc` in `State` points to: it
//! makes a new one (ARCHITECTURE.md). A value comparison would walk the whole trace or every pod spec
//! on each keystroke and playback tick; this one is a pointer comparison, and props holding it can
//! derive `PartialEq`.

use std::ops::Deref;
use std::rc::Rc;

pub struct ById<T: ?Sized>(Rc<T>);

impl<T: ?Sized> ById<T> {
    pub fn new(rc: &Rc<T>) -> ById<T> {
        ById(rc.clone())
    }
}

impl<T: ?Sized> Clone for ById<T> {
    fn clone(&self) -> ById<T> {
        ById(self.0.clone())
    }
}

impl<T: ?Sized> PartialEq for ById<T> {
    fn eq(&self, other: &ById<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> Deref for ById<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized> From<Rc<T>> for ById<T> {
    fn from(rc: Rc<T>) -> ById<T> {
        ById(rc)
    }
}
