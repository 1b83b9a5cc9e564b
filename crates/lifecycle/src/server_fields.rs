//! What the API server writes into an object, taken out of a pasted one: `kubectl get pod -o yaml`
//! output carries the pod's `status`, and in every `metadata` the fields only a server sets
//! (`managedFields`, `uid`, `resourceVersion`, …). Podstep reads such a paste as it is (status is
//! ignored, as the API server ignores it on create); this gives the editor its one-click cleanup.
//!
//! Line-based, like the editor's other helpers: a key and everything indented under it is removed, the
//! rest of the text (comments, quoting, order) is kept byte for byte.

/// The `metadata` keys a server sets and a person does not write.
const SERVER_METADATA: &[&str] = &[
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "generation",
    "managedFields",
    "resourceVersion",
    "selfLink",
    "uid",
];

/// The annotation `kubectl apply` writes: the whole object again, as JSON.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Whether `source` has anything [`strip`] would take out (cheap when it plainly has not: checked on
/// every keystroke).
pub fn present(source: &str) -> bool {
    let mentioned = source.contains("status:")
        || source.contains(LAST_APPLIED)
        || SERVER_METADATA.iter().any(|k| source.contains(k));
    mentioned && strip(source).is_some()
}

/// `source` without each document's top-level `status` and the server's `metadata` fields (and the
/// last-applied annotation, and `annotations: {}` left empty by it); `None` when there are none.
pub fn strip(source: &str) -> Option<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut keep = vec![true; lines.len()];
    // The keys above each line: (indentation, key) of the open blocks.
    let mut parents: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let body = line.trim_end_matches(['\n', '\r']);
        let text = body.trim_start();
        if text.is_empty() || text.starts_with('#') {
            i += 1;
            continue;
        }
        if body.starts_with("---") || body.starts_with("...") {
            parents.clear();
            i += 1;
            continue;
        }
        let indent = body.len() - text.len();
        // A list item's keys sit two columns right of its dash.
        let (indent, text) = match text.strip_prefix("- ") {
            Some(rest) => (
                indent + 2 + (rest.len() - rest.trim_start().len()),
                rest.trim_start(),
            ),
            None => (indent, text),
        };
        while parents.last().is_some_and(|&(d, _)| d >= indent) {
            parents.pop();
        }
        let Some(key) = key_of(text) else {
            i += 1;
            continue;
        };
        let parent = parents.last().map(|&(_, k)| k);
        let remove = (parents.is_empty() && key == "status" && !line.starts_with(' '))
            || (parent == Some("metadata") && SERVER_METADATA.contains(&key))
            || (parent == Some("annotations") && key == LAST_APPLIED);
        if remove {
            let end = block_end(&lines, i, indent);
            keep[i..end].iter_mut().for_each(|k| *k = false);
            i = end;
            continue;
        }
        parents.push((indent, key));
        i += 1;
    }
    if keep.iter().all(|k| *k) {
        return None;
    }
    let mut out = String::with_capacity(source.len());
    for (n, line) in lines.iter().enumerate() {
        if !keep[n] {
            continue;
        }
        // An `annotations:` whose every entry went: left out too, rather than left empty (null).
        if line.trim() == "annotations:" && !has_child(&lines, &keep, n) {
            continue;
        }
        out.push_str(line);
    }
    Some(out)
}

/// The key of a `key:` or `key: value` line (quoted keys unquoted), if it is one.
fn key_of(text: &str) -> Option<&str> {
    let (key, rest) = if let Some(q) = text.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = text.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        let end = text
            .find(": ")
            .or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
        (&text[..end], &text[end..])
    };
    (rest.starts_with(':')).then_some(key.trim_end())
}

/// The line after the block that starts at `start` (its key at `indent`): the following lines indented
/// deeper, or list items at the key's own indentation.
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut end = start + 1;
    let mut last = start + 1;
    while end < lines.len() {
        let body = lines[end].trim_end_matches(['\n', '\r']);
        let text = body.trim_start();
        let at = body.len() - text.len();
        if text.is_empty() || text.starts_with('#') {
            end += 1;
            continue;
        }
        // A list under the key may sit at the key's own indentation, as kubectl writes it.
        let list_under_key = text.starts_with("- ") && lines[start].trim_end().ends_with(':');
        if at > indent || (at == indent && list_under_key) {
            end += 1;
            last = end;
            continue;
        }
        break;
    }
    // Blank lines and comments after the block belong to what follows.
    last
}

/// Whether line `n` (a key ending in `:`) still has a kept line indented under it.
fn has_child(lines: &[&str], keep: &[bool], n: usize) -> bool {
    let indent = lines[n].len() - lines[n].trim_start().len();
    for (line, kept) in lines.iter().zip(keep).skip(n + 1) {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') || !kept {
            continue;
        }
        return line.len() - line.trim_start().len() > indent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_pod_loses_its_status_and_server_metadata() {
        let pasted = "\
apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {\"apiVersion\":\"v1\"}
  creationTimestamp: \"2026-11-30T10:00:00Z\"
  labels:
    app: web
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {}
    manager: kubectl
  name: web
  namespace: default
  resourceVersion: \"123\"
  uid: 0b1c
spec:
  containers:
  - image: nginx
    name: web
status:
  phase: Running
  conditions:
  - type: Ready
    status: \"True\"
";
        let want = "\
apiVersion: v1
kind: Pod
metadata:
  labels:
    app: web
  name: web
  namespace: default
spec:
  containers:
  - image: nginx
    name: web
";
        assert_eq!(strip(pasted).as_deref(), Some(want));
        assert!(present(pasted));
        assert_eq!(strip(want), None, "nothing left to strip");
    }

    #[test]
    fn only_metadata_and_top_level_status_count() {
        for (text, stripped) in [
            // A container's `status`-named env var, a label called uid: kept.
            ("spec:\n  containers:\n  - name: a\n    env:\n    - name: status\n", None),
            ("metadata:\n  labels:\n    uid: x\n", None),
            // Each document on its own; a template's metadata too.
            (
                "kind: Pod\nstatus: {}\n---\nkind: Pod\nmetadata:\n  uid: x\n  name: b\n",
                Some("kind: Pod\n---\nkind: Pod\nmetadata:\n  name: b\n"),
            ),
            (
                "spec:\n  template:\n    metadata:\n      creationTimestamp: null\n      labels: {a: b}\n",
                Some("spec:\n  template:\n    metadata:\n      labels: {a: b}\n"),
            ),
            // Comments and blank lines after a removed block stay with what follows.
            (
                "metadata:\n  uid: x\n\n  # the name\n  name: a\n",
                Some("metadata:\n\n  # the name\n  name: a\n"),
            ),
            ("", None),
        ] {
            assert_eq!(strip(text).as_deref(), stripped, "{text:?}");
        }
    }
}
