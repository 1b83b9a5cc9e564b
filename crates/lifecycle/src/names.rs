//! `NameMap`: values by name, in name order, in a sorted vector — the simulator's trace types hold one
//! (a step's fields, the final effective requests; see `sim/trace.rs`). And `StrSet`, the simulator's
//! name for a `HashSet<String>`. Both stay until the simulator is rewritten onto std's collections;
//! nothing outside `sim/` uses them.
//!
//! `NameMap` offers the part of `BTreeMap<String, V>`'s interface the trace and its readers use,
//! iterates in the same order, and prints and serializes as that map would, so the trace's JSON is the
//! same either way. Building one whole ([`NameMap::from_unsorted`]) is O(n log n); [`insert`] is O(n)
//! and meant for maps of a few entries.
//!
//! [`insert`]: NameMap::insert

use serde::{Serialize, Serializer};

#[derive(Clone, PartialEq, Eq)]
pub struct NameMap<V>(Vec<(String, V)>);

/// An entry as `BTreeMap::iter` gives it.
pub type Entry<'a, V> = (&'a String, &'a V);
pub type Iter<'a, V> =
    std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&(String, V)) -> Entry<'_, V>>;

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap(Vec::new())
    }
}

impl<V> NameMap<V> {
    pub fn new() -> Self {
        NameMap(Vec::new())
    }
    /// The map of `entries` in any order; of a name given twice, the last value wins, as repeated
    /// `BTreeMap::insert`s would have it.
    pub fn from_unsorted(mut entries: Vec<(String, V)>) -> Self {
        // Stable, so that of equal names the last given comes last and wins below.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, V)> = Vec::with_capacity(entries.len());
        for (name, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == name => last.1 = v,
                _ => out.push((name, v)),
            }
        }
        NameMap(out)
    }
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }
    pub fn get(&self, name: &str) -> Option<&V> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }
    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.find(name).ok().map(|i| &mut self.0[i].1)
    }
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }
    /// Adds or replaces `name`'s value, keeping name order; returns the value replaced, as
    /// `BTreeMap::insert` does.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> Iter<'_, V> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }
}

/// As a `BTreeMap` prints.
impl<V: std::fmt::Debug> std::fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// As a `BTreeMap` serializes: a JSON object, keys in order.
impl<V: Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'a, V> IntoIterator for &'a NameMap<V> {
    type Item = Entry<'a, V>;
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A set of names. Kept under this name for `sim/engine.rs` (simulated files, pulled images), which
/// will say `HashSet<String>` itself once it is rewritten; nothing else uses it.
pub(crate) type StrSet = std::collections::HashSet<String>;

#[cfg(test)]
mod tests {
    use super::NameMap;

    #[test]
    fn keeps_name_order_and_the_last_duplicate() {
        let m = NameMap::from_unsorted(vec![("b".into(), 1), ("a".into(), 2), ("b".into(), 3)]);
        assert_eq!(format!("{m:?}"), r#"{"a": 2, "b": 3}"#);
        let mut m = m;
        assert_eq!(m.insert("c".into(), 4), None);
        assert_eq!(m.insert("a".into(), 5), Some(2));
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(m.get("b"), Some(&3));
        assert!(!m.contains_key("z"));
    }
}
