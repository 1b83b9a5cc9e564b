//! The engine's one sort: a stable merge sort over indices, with the comparison passed as a trait
//! object.
//!
//! Why not `slice::sort_by`: std's stable sort (driftsort, with its quicksort and small-sort networks) is
//! monomorphized per element type and per comparison closure, about 4 KB of WebAssembly each time, and
//! the playground's download budget is tight. Sorting indices through `&mut dyn FnMut` compiles the
//! algorithm once; only the thin [`sort_by`] wrapper and its closure are generic, a few dozen bytes per
//! caller. The result is exactly what a stable sort gives, so callers keep their tie-breaking.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_indices(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// `0..n` in stable sorted order: `cmp(a, b)` compares the items at indices `a` and `b`. A bottom-up
/// merge sort, O(n log n) comparisons, which a dynamic call per comparison does not make slow at the sizes
/// the engine sorts (at most a few thousand containers or diagnostics).
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to: Vec<usize> = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (mid + width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut to[start..end] {
                // The left run wins ties: that is what keeps the sort stable.
                let take_left = j == end || (i < mid && cmp(from[j], from[i]) != Ordering::Less);
                if take_left {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Reorders `v` so that position `k` holds what was at `order[k]`, by swaps, in O(n).
fn permute<T>(v: &mut [T], order: Vec<usize>) {
    // `dest[i]`: where the item now at position `i` belongs. Each swap puts one item in its place.
    let mut dest = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        dest[i] = k;
    }
    for i in 0..v.len() {
        while dest[i] != i {
            let d = dest[i];
            v.swap(i, d);
            dest.swap(i, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_stable_sort() {
        // A small deterministic generator: keys with many ties, payloads recording the input position.
        let mut seed = 0x2545_f491_u64;
        for n in 0..200 {
            let items: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 7, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items;
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
