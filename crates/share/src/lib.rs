//! The share-link format: everything needed to reopen a scenario exactly, in a URL fragment.
//!
//! A fragment is `v1/` followed by the base64url (no padding) of the raw DEFLATE of a small JSON object
//! (`{"m": manifest, "a": [[milliseconds, "action"], …], "u": until, "v": minor, "s": step, "w": workload}`). The fragment
//! never reaches a server. It is untrusted input: decoding checks the version, the alphabet, the
//! compressed and decompressed sizes and the JSON shape, and every failure is a [`DecodeError`] with a
//! message a person can read — never a panic. Versions are decoded forever once published.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest fragment accepted, in bytes (browsers keep far longer URLs; this bounds the work).
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;
/// Largest decompressed scenario, in bytes: the engine's own input limit plus room for the actions.
pub const MAX_DECODED_BYTES: usize = 1024 * 1024 + 64 * 1024;
/// Most actions a link may carry.
pub const MAX_ACTIONS: usize = 100;
/// Fragments longer than this are still fine, but some chat tools and mail clients cut them.
pub const LONG_LINK_CHARS: usize = 2000;

/// What a share link carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// The manifest text, exactly as typed.
    #[serde(rename = "m")]
    pub manifest: String,
    /// Timed actions: simulated milliseconds (integers, so links round-trip exactly) and the action as
    /// the CLI spells it (`delete grace=5`).
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<(u64, String)>,
    /// Simulated horizon in seconds; 0 means the default.
    #[serde(rename = "u", default, skip_serializing_if = "is_zero")]
    pub until_s: u64,
    /// Kubernetes minor version; 0 means the default.
    #[serde(rename = "v", default, skip_serializing_if = "is_zero_u32")]
    pub minor: u32,
    /// The step the cursor was on.
    #[serde(rename = "s", default, skip_serializing_if = "is_zero_usize")]
    pub step: usize,
    /// Which workload of a multi-document manifest is shown (0-based).
    #[serde(rename = "w", default, skip_serializing_if = "is_zero_usize")]
    pub workload: usize,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}
fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}
fn is_zero_usize(v: &usize) -> bool {
    *v == 0
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Nothing after `#`.
    Empty,
    /// A prefix other than `v1/`.
    UnknownVersion(String),
    TooLong {
        bytes: usize,
    },
    /// A character outside base64url.
    BadCharacter {
        at: usize,
    },
    /// The compressed data is cut short or corrupt.
    Corrupt,
    TooLarge,
    /// Decompressed, but not a scenario.
    BadContent(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the link has no scenario in it"),
            DecodeError::UnknownVersion(v) => {
                write!(f, "the link's format \"{v}\" is not one this Podstep knows (it reads v1); was it made by a newer version?")
            }
            DecodeError::TooLong { bytes } => write!(
                f,
                "the link is {bytes} bytes long; Podstep reads at most {MAX_FRAGMENT_BYTES}"
            ),
            DecodeError::BadCharacter { at } => write!(
                f,
                "the link is damaged: an unexpected character at position {at}"
            ),
            DecodeError::Corrupt => write!(
                f,
                "the link is damaged or cut short: its compressed data does not decode"
            ),
            DecodeError::TooLarge => write!(
                f,
                "the link's scenario is larger than {MAX_DECODED_BYTES} bytes"
            ),
            DecodeError::BadContent(e) => write!(f, "the link decodes, but not to a scenario: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// `v1/…` for `shared`.
pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("v1/{}", base64url(&packed))
}

/// Reads a fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<Shared, DecodeError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(DecodeError::TooLong {
            bytes: fragment.len(),
        });
    }
    if fragment.is_empty() {
        return Err(DecodeError::Empty);
    }
    let Some(body) = fragment.strip_prefix("v1/") else {
        let version: String = fragment
            .split('/')
            .next()
            .unwrap_or("")
            .chars()
            .take(20)
            .collect();
        return Err(DecodeError::UnknownVersion(version));
    };
    let packed = unbase64url(body)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => DecodeError::TooLarge,
            _ => DecodeError::Corrupt,
        })?;
    let shared: Shared =
        serde_json::from_slice(&json).map_err(|e| DecodeError::BadContent(e.to_string()))?;
    if shared.actions.len() > MAX_ACTIONS {
        return Err(DecodeError::BadContent(format!(
            "{} actions; at most {MAX_ACTIONS}",
            shared.actions.len()
        )));
    }
    Ok(shared)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for (at, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return Err(DecodeError::BadCharacter { at }),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Shared {
        Shared {
            manifest: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx}\n".into(),
            actions: vec![(20_000, "delete grace=5".into())],
            until_s: 120,
            minor: 33,
            step: 7,
            workload: 0,
        }
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let link = encode(&s);
        assert!(link.starts_with("v1/"));
        assert_eq!(decode(&link), Ok(s.clone()));
        assert_eq!(decode(&format!("#{link}")), Ok(s));
    }

    #[test]
    fn damaged_links_say_why() {
        let link = encode(&sample());
        assert_eq!(decode(""), Err(DecodeError::Empty));
        assert_eq!(
            decode("v9/abc"),
            Err(DecodeError::UnknownVersion("v9".into()))
        );
        assert_eq!(decode("v1/ab$c"), Err(DecodeError::BadCharacter { at: 2 }));
        assert_eq!(decode(&link[..link.len() / 2]), Err(DecodeError::Corrupt));
        let not_json = format!(
            "v1/{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(b"<script>", 6))
        );
        assert!(matches!(decode(&not_json), Err(DecodeError::BadContent(_))));
        let bomb = format!(
            "v1/{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(
                &vec![b' '; 3 * 1024 * 1024],
                9
            ))
        );
        assert_eq!(decode(&bomb), Err(DecodeError::TooLarge));
    }

    proptest! {
        #[test]
        fn any_scenario_round_trips(manifest in ".{0,400}", step in 0usize..500, t in 0u64..100_000_000) {
            let s = Shared { manifest, actions: vec![(t, "kill app exit=1".into())], until_s: 600, minor: 33, step, workload: 1 };
            prop_assert_eq!(decode(&encode(&s)), Ok(s));
        }

        #[test]
        fn any_text_decodes_or_errs(text in ".{0,200}") {
            let _ = decode(&text);
        }
    }
}
