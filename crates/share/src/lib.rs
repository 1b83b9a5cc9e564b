//! The share-link format: everything needed to reopen a scenario exactly, in a URL fragment.
//!
//! A fragment is `v2/` followed by the base64url (no padding) of the raw DEFLATE of a small JSON object
//! (`{"m": manifest, "a": [[milliseconds, "action"], …], "u": until, "v": minor, "s": step, "w": workload, "g": gates, "k": kubelet cap, "p": Podstep version}`),
//! a `.`, and the base64url of the JSON's Adler-32 checksum (big-endian): a damaged link is refused as
//! damaged instead of opening as something else, and a key this version does not know is an error.
//! `v1/` links (the same without `p` and the checksum, unknown keys skipped) are read forever. The
//! fragment never reaches a server. It is untrusted input: decoding checks the version, the alphabet,
//! the compressed and decompressed sizes, the checksum and the JSON shape, and every failure is a
//! [`DecodeError`] with a message a person can read — never a panic.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest manifest the engine reads (`lifecycle::limits::MAX_INPUT_BYTES`; the web tests hold
/// the two equal): every link and draft must be able to carry one.
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;
/// Longest fragment accepted, in bytes: the largest manifest of random text, compressed, is about
/// 1.2 MB of base64url; Chromium refuses URLs past 2 MiB. The writer refuses to make a longer one
/// ([`TooLarge`]), so Podstep never writes a link it will not read.
pub const MAX_FRAGMENT_BYTES: usize = 1536 * 1024;
/// Largest decompressed scenario, in bytes: the largest manifest with every byte escaped (a control
/// character is six bytes of JSON, `\u0001`), plus room for the actions.
pub const MAX_DECODED_BYTES: usize = 6 * MAX_MANIFEST_BYTES + 64 * 1024;
/// Largest draft read back from the browser's own storage ([`read_draft`]): far more than a link
/// holds, because what a person pastes past the engine's limit is still theirs to keep.
pub const MAX_DRAFT_BYTES: usize = 64 * 1024 * 1024;
/// Most actions a link may carry.
pub const MAX_ACTIONS: usize = 100;
/// Fragments longer than this are still fine, but some chat tools and mail clients cut them.
pub const LONG_LINK_CHARS: usize = 2000;

/// What a share link carries. In the JSON each field has a one-letter key (`m`, `a`, `u`, `v`, `s`,
/// `w`), written in that order; zero and empty fields are left out, unknown keys are ignored, a key given
/// twice is an error. Only `m` is required.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// The manifest text, exactly as typed.
    #[serde(rename = "m")]
    pub manifest: String,
    /// Timed actions: simulated milliseconds (integers, so links round-trip exactly) and the action as
    /// the CLI spells it (`delete grace=5`), each a two-element array.
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<(u64, String)>,
    /// Simulated horizon in seconds; 0 means the default.
    #[serde(rename = "u", default, skip_serializing_if = "is_zero")]
    pub until_s: u64,
    /// Kubernetes minor version; 0 means the default.
    #[serde(rename = "v", default, skip_serializing_if = "is_zero")]
    pub minor: u32,
    /// The step the cursor was on.
    #[serde(rename = "s", default, skip_serializing_if = "is_zero")]
    pub step: usize,
    /// Which workload of a multi-document manifest is shown (0-based).
    #[serde(rename = "w", default, skip_serializing_if = "is_zero")]
    pub workload: usize,
    /// Feature gate overrides for that version, as `--feature-gates` spells them
    /// (`SidecarContainers=true`); empty for the version's defaults. Links without it open as before.
    #[serde(rename = "g", default, skip_serializing_if = "String::is_empty")]
    pub gates: String,
    /// The kubelet's `crashLoopBackOff.maxContainerRestartPeriod` in whole seconds (1 to 300), which
    /// it uses when `KubeletCrashLoopBackOffMax` is on; 0 for the kubelet's default.
    #[serde(rename = "k", default, skip_serializing_if = "is_zero")]
    pub max_restart_s: u32,
    /// The Podstep version that wrote the link (`v2`); empty for a `v1` link and for a scenario
    /// that was not read from one. The writer always puts its own.
    #[serde(rename = "p", default, skip_serializing_if = "String::is_empty")]
    pub made_by: String,
}

/// The version every link this build writes says it was made by.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The keys a `v2` link may have; any other is an error.
const V2_KEYS: &[&str] = &["m", "a", "u", "v", "s", "w", "g", "k", "p"];

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
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
    /// A character outside base64url (which has no `+`, `/` or `=`), at a byte offset after `v1/`.
    BadCharacter {
        at: usize,
    },
    /// The text ends in a group of one character, which carries no whole byte: cut or altered.
    LoneCharacter {
        at: usize,
    },
    /// The last character has bits set past the last whole byte, which the writer never does.
    TrailingBits {
        at: usize,
    },
    /// The compressed data is cut short or corrupt.
    Corrupt,
    /// A `v2` link whose checksum does not match what it holds (or that has none).
    Checksum,
    TooLarge,
    /// Decompressed, but not a scenario.
    BadContent(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the link has no scenario in it"),
            DecodeError::UnknownVersion(v) => {
                write!(f, "the link's format \"{v}\" is not one this Podstep knows (it reads v1 and v2); was it made by a newer version?")
            }
            DecodeError::Checksum => write!(
                f,
                "the link is damaged: its checksum does not match what it holds"
            ),
            DecodeError::TooLong { bytes } => write!(
                f,
                "the link is {bytes} bytes long; Podstep reads at most {MAX_FRAGMENT_BYTES}"
            ),
            DecodeError::BadCharacter { at } => write!(
                f,
                "the link is damaged: an unexpected character at position {at}"
            ),
            DecodeError::LoneCharacter { at } => write!(
                f,
                "the link is damaged or cut short: it ends in a lone character at position {at}"
            ),
            DecodeError::TrailingBits { at } => write!(
                f,
                "the link is damaged or cut short: its last character, at position {at}, is not one a link ends with"
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

/// A scenario too large for a link this build would read back: the link is not written, and the
/// caller says why (and offers another way to keep the scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooLarge {
    /// The scenario's JSON is longer than [`MAX_DECODED_BYTES`].
    Scenario { bytes: usize },
    /// The link would be longer than [`MAX_FRAGMENT_BYTES`].
    Link { bytes: usize },
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TooLarge::Scenario { bytes } => write!(
                f,
                "the scenario is {bytes} bytes as a link's JSON; a link holds at most {MAX_DECODED_BYTES}"
            ),
            TooLarge::Link { bytes } => write!(
                f,
                "its link would be {bytes} bytes long; Podstep reads links of at most {MAX_FRAGMENT_BYTES}"
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

/// `v2/…` for `shared`, compressed by miniz_oxide at its best level.
pub fn encode(shared: &Shared) -> Result<String, TooLarge> {
    let json = to_json(shared);
    link(&json, &miniz_oxide::deflate::compress_to_vec(&json, 9))
}

/// The JSON a `v2` link carries for `shared`, before compression, with this version as its writer:
/// for callers that compress it themselves (the playground uses the browser's `CompressionStream`).
pub fn to_json(shared: &Shared) -> Vec<u8> {
    json::write(&Shared {
        made_by: VERSION.into(),
        ..shared.clone()
    })
}

/// `v2/…` around `deflated`, the raw DEFLATE of `json` ([`to_json`]'s output; any compressor's, any
/// level), with `json`'s checksum; refused when [`decode`] would refuse it for its size.
pub fn link(json: &[u8], deflated: &[u8]) -> Result<String, TooLarge> {
    if json.len() > MAX_DECODED_BYTES {
        return Err(TooLarge::Scenario { bytes: json.len() });
    }
    // "v2/", the data, ".", and six characters of checksum.
    let bytes = 3 + deflated.len().div_ceil(3) * 4 + 1 + 6;
    if bytes > MAX_FRAGMENT_BYTES {
        return Err(TooLarge::Link { bytes });
    }
    let sum = miniz_adler32(json).to_be_bytes();
    Ok(format!("v2/{}.{}", base64url(deflated), base64url(&sum)))
}

/// `v2/…` for `shared` with the JSON in DEFLATE's stored (uncompressed) blocks: a valid link that
/// every reader opens, written without a compressor. Several times longer than [`encode`]'s; for when
/// compressing is not possible (in the playground: from a panic hook, or a browser without
/// `CompressionStream`).
pub fn encode_stored(shared: &Shared) -> Result<String, TooLarge> {
    let json = to_json(shared);
    link(&json, &stored_deflate(&json))
}

/// The scenario as a draft kept in the browser's own storage (the playground's autosave): the JSON
/// of a `v2` link, uncompressed and without checksum, so that any scenario the page holds fits,
/// however large.
pub fn draft(shared: &Shared) -> String {
    String::from_utf8(to_json(shared)).expect("serde_json writes UTF-8")
}

/// Reads a draft back ([`draft`]). Storage is the browser's and may hold anything (a newer Podstep's
/// draft, another page's value, a cut-off write): the size, the keys and the shape are checked as for
/// a `v2` link.
pub fn read_draft(text: &str) -> Result<Shared, DecodeError> {
    if text.len() > MAX_DRAFT_BYTES {
        return Err(DecodeError::TooLarge);
    }
    check_keys(text.as_bytes())?;
    from_json(text.as_bytes())
}

/// A short text that tells scenarios apart (the length and Adler-32 of [`to_json`]'s output), for
/// markers that must not hold the scenario itself: the crash marker, the other-tab stamp. The writer's
/// version is part of it, so a scenario matches only what this build wrote.
pub fn fingerprint(shared: &Shared) -> String {
    fingerprint_of_draft(&draft(shared))
}

/// [`fingerprint`] of the scenario a [`draft`] holds, from the draft's text (no second serialization).
pub fn fingerprint_of_draft(draft: &str) -> String {
    format!("{}-{:08x}", draft.len(), miniz_adler32(draft.as_bytes()))
}

/// `v1/…` for `shared`, stored blocks: the format links had before `v2`, for tests that pin it.
#[doc(hidden)]
pub fn encode_stored_v1(shared: &Shared) -> String {
    format!("v1/{}", base64url(&stored_deflate(&json::write(shared))))
}

/// Adler-32 (RFC 1950 §8.2) of `data`: what a `v2` link's checksum is.
fn miniz_adler32(data: &[u8]) -> u32 {
    let mut h = adler2::Adler32::new();
    h.write_slice(data);
    h.checksum()
}

/// `data` as raw DEFLATE stored blocks (RFC 1951 §3.2.4): each block is a header byte (the final flag
/// and type 00), the length and its one's complement as little-endian u16, then the bytes.
fn stored_deflate(data: &[u8]) -> Vec<u8> {
    const MAX_BLOCK: usize = u16::MAX as usize;
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / MAX_BLOCK + 1));
    let mut blocks = data.chunks(MAX_BLOCK).peekable();
    if blocks.peek().is_none() {
        // An empty input is still one (final, empty) block.
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        let len = block.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// Reads a fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<Shared, DecodeError> {
    let packed = unpack(fragment)?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(packed.deflated(), MAX_DECODED_BYTES)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => DecodeError::TooLarge,
                _ => DecodeError::Corrupt,
            })?;
    packed.finish(&json)
}

/// A fragment's compressed scenario, read but not inflated: its raw DEFLATE bytes and, for a `v2`
/// link, the checksum the inflated JSON must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packed {
    deflated: Vec<u8>,
    checksum: Option<u32>,
}

impl Packed {
    /// The raw DEFLATE bytes, for a caller's own decompressor (at most [`MAX_DECODED_BYTES`]).
    pub fn deflated(&self) -> &[u8] {
        &self.deflated
    }
    /// The scenario in the inflated `json`: a `v2` link's checksum and keys checked, then the shape
    /// and limits ([`from_json`]).
    pub fn finish(&self, json: &[u8]) -> Result<Shared, DecodeError> {
        let Some(sum) = self.checksum else {
            return from_json(json);
        };
        if miniz_adler32(json) != sum {
            return Err(DecodeError::Checksum);
        }
        check_keys(json)?;
        from_json(json)
    }
}

/// A key a `v2` scenario may not have is an error (a newer writer's, or damage).
fn check_keys(json: &[u8]) -> Result<(), DecodeError> {
    let keys = json::read_keys(json).map_err(DecodeError::BadContent)?;
    if let Some(k) = keys.keys().find(|k| !V2_KEYS.contains(&k.as_str())) {
        return Err(DecodeError::BadContent(format!(
            "unknown key {k:?} (a v2 link has only {})",
            V2_KEYS.join(", ")
        )));
    }
    Ok(())
}

/// The first half of [`decode`]: a fragment's raw DEFLATE bytes (and checksum), after checking its
/// length, version and alphabet. For callers that inflate with their own decompressor (more than
/// [`MAX_DECODED_BYTES`] is [`DecodeError::TooLarge`]) and finish with [`Packed::finish`].
pub fn unpack(fragment: &str) -> Result<Packed, DecodeError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(DecodeError::TooLong {
            bytes: fragment.len(),
        });
    }
    if fragment.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(body) = fragment.strip_prefix("v2/") {
        let (data, sum) = body.rsplit_once('.').ok_or(DecodeError::Checksum)?;
        let sum = unbase64url(sum).map_err(|_| DecodeError::Checksum)?;
        let sum: [u8; 4] = sum.try_into().map_err(|_| DecodeError::Checksum)?;
        return Ok(Packed {
            deflated: unbase64url(data)?,
            checksum: Some(u32::from_be_bytes(sum)),
        });
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
    Ok(Packed {
        deflated: unbase64url(body)?,
        checksum: None,
    })
}

/// The second half of [`decode`]: the scenario in inflated JSON, checked for shape and limits.
pub fn from_json(json: &[u8]) -> Result<Shared, DecodeError> {
    let shared = json::read(json).map_err(DecodeError::BadContent)?;
    if shared.actions.len() > MAX_ACTIONS {
        return Err(DecodeError::BadContent(format!(
            "{} actions; at most {MAX_ACTIONS}",
            shared.actions.len()
        )));
    }
    Ok(shared)
}

/// The scenario's JSON through serde_json, with the two things serde's defaults do not give: the escapes
/// this format has always written, and a bound on nesting in values this version skips.
mod json {
    use super::Shared;
    use serde::de::IgnoredAny;
    use serde::Serialize;
    use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
    use std::collections::BTreeMap;
    use std::io;

    /// How deep brackets may nest: the scenario's object and 33 levels inside the value of a key this
    /// version does not know (a newer writer's), as deep as links have always been read. A policy, not
    /// a guard for the stack: serde_json skips unknown values without recursing.
    const MAX_NESTING: usize = 34;

    pub fn write(s: &Shared) -> Vec<u8> {
        let mut out = Vec::with_capacity(s.manifest.len() + 64);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, Escapes);
        s.serialize(&mut ser)
            .expect("a scenario of strings and integers serializes into a Vec");
        out
    }

    /// serde_json's compact output, except that backspace and form feed are written `\u0008` and
    /// `\u000c` (serde_json's default is `\b` and `\f`): every other control character is a `\u`
    /// escape too, and a scenario keeps the link it always had.
    struct Escapes;

    impl Formatter for Escapes {
        fn write_char_escape<W: ?Sized + io::Write>(
            &mut self,
            writer: &mut W,
            escape: CharEscape,
        ) -> io::Result<()> {
            match escape {
                CharEscape::Backspace => writer.write_all(b"\\u0008"),
                CharEscape::FormFeed => writer.write_all(b"\\u000c"),
                other => CompactFormatter.write_char_escape(writer, other),
            }
        }
    }

    /// The top-level object's keys, its values skipped unread.
    pub fn read_keys(bytes: &[u8]) -> Result<BTreeMap<String, IgnoredAny>, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    pub fn read(bytes: &[u8]) -> Result<Shared, String> {
        if nesting(bytes) > MAX_NESTING {
            return Err("nested too deeply".into());
        }
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The deepest bracket nesting in `bytes`, outside strings. Not a validator: serde_json reads the
    /// text afterwards and rejects what is not JSON.
    fn nesting(bytes: &[u8]) -> usize {
        let (mut depth, mut deepest) = (0usize, 0);
        let (mut in_string, mut escaped) = (false, false);
        for &b in bytes {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        deepest
    }
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

/// Strict base64url (RFC 4648 §5) as [`base64url`] writes it: only `A–Z a–z 0–9 - _`, no padding, no
/// lone final character (six bits make no byte) and no set bits after the last whole byte. The writer
/// has never padded nor used standard base64's `+` and `/`, so a `=`, `+` or `/` anywhere means the
/// link was altered, and is refused like any other stray character rather than guessed at.
fn unbase64url(text: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc = 0u32;
    let mut bits = 0;
    for (at, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
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
    let last = text.len().saturating_sub(1);
    if text.len() % 4 == 1 {
        return Err(DecodeError::LoneCharacter { at: last });
    }
    if acc != 0 {
        return Err(DecodeError::TrailingBits { at: last });
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
            minor: 28,
            step: 7,
            workload: 0,
            gates: "SidecarContainers=true".into(),
            max_restart_s: 30,
            made_by: String::new(),
        }
    }

    /// `s` as a link gives it back: with this version as its writer.
    fn as_read(s: &Shared) -> Shared {
        Shared {
            made_by: VERSION.into(),
            ..s.clone()
        }
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let link = encode(&s).unwrap();
        assert!(link.starts_with("v2/"));
        assert_eq!(decode(&link), Ok(as_read(&s)));
        assert_eq!(decode(&format!("#{link}")), Ok(as_read(&s)));
    }

    #[test]
    fn stored_blocks_are_deflate_any_reader_inflates() {
        // Empty, one block, exactly one full block, and several blocks with a short last one.
        for len in [0, 1, 1000, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let stored = stored_deflate(&data);
            let inflated = miniz_oxide::inflate::decompress_to_vec(&stored).expect("inflates");
            assert_eq!(inflated, data, "{len} bytes");
        }
        let s = sample();
        assert_eq!(decode(&encode_stored(&s).unwrap()), Ok(as_read(&s)));
    }

    /// A v2 link that was altered anywhere is refused as damaged, never opened as something else;
    /// a key it should not have is an error.
    #[test]
    fn a_damaged_v2_link_says_it_is_damaged() {
        let link = encode_stored(&sample()).unwrap();
        let (data, _) = link.rsplit_once('.').unwrap();
        let mid = data.len() / 2;
        for flip in [b'A', b'B', b'z'] {
            let mut bytes = link.clone().into_bytes();
            if bytes[mid] == flip {
                continue;
            }
            bytes[mid] = flip;
            let damaged = String::from_utf8(bytes).unwrap();
            assert!(
                matches!(
                    decode(&damaged),
                    Err(DecodeError::Checksum | DecodeError::Corrupt)
                ),
                "{:?}",
                decode(&damaged)
            );
        }
        assert_eq!(decode(data), Err(DecodeError::Checksum), "no checksum");
        assert_eq!(
            decode(&format!("{data}.AAAAAA")),
            Err(DecodeError::Checksum)
        );
        let json = br#"{"m":"x","future":1}"#;
        let extra = link_for(json);
        assert!(
            matches!(decode(&extra), Err(DecodeError::BadContent(m)) if m.contains("unknown key \"future\""))
        );
        assert_eq!(
            DecodeError::Checksum.to_string(),
            "the link is damaged: its checksum does not match what it holds"
        );
    }

    fn link_for(json: &[u8]) -> String {
        link(json, &stored_deflate(json)).unwrap()
    }

    #[test]
    fn damaged_links_say_why() {
        let link = encode(&sample()).unwrap();
        assert_eq!(decode(""), Err(DecodeError::Empty));
        assert_eq!(
            decode("v9/abc"),
            Err(DecodeError::UnknownVersion("v9".into()))
        );
        assert_eq!(decode("v1/ab$c"), Err(DecodeError::BadCharacter { at: 2 }));
        // Cut short, a v2 link has lost its checksum too.
        assert_eq!(decode(&link[..link.len() / 2]), Err(DecodeError::Checksum));
        let not_json = format!(
            "v1/{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(b"<script>", 6))
        );
        assert!(matches!(decode(&not_json), Err(DecodeError::BadContent(_))));
        let bomb = format!(
            "v1/{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(
                &vec![b' '; MAX_DECODED_BYTES + 1],
                9
            ))
        );
        assert_eq!(decode(&bomb), Err(DecodeError::TooLarge));
    }

    /// Deterministic text that compresses about as badly as text does: printable ASCII, spaces and
    /// newlines from a linear congruential generator.
    fn random_text(bytes: usize) -> String {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        (0..bytes)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                match (x >> 33) % 100 {
                    0 => '\n',
                    n => char::from(b' ' + (n as u8 % 95)),
                }
            })
            .collect()
    }

    /// Every manifest the engine accepts round-trips through a link, up to the largest random text;
    /// what cannot (the same manifest in stored blocks) is refused by the writer, never written.
    #[test]
    fn the_largest_manifest_makes_a_link_that_opens() {
        let s = Shared {
            manifest: random_text(MAX_MANIFEST_BYTES),
            ..sample()
        };
        let link = encode(&s).expect("fits");
        assert!(link.len() < MAX_FRAGMENT_BYTES * 4 / 5, "{}", link.len());
        assert_eq!(decode(&link), Ok(as_read(&s)));
        // Uncompressed (the crash report's link), it still fits.
        let stored = encode_stored(&s).expect("fits");
        assert_eq!(decode(&stored), Ok(as_read(&s)));
        // The most JSON a manifest can make (every byte a six-byte escape) is still read; stored,
        // its link would be too long, and the writer says so instead of writing it.
        let escaped = Shared {
            manifest: "\u{1}".repeat(MAX_MANIFEST_BYTES),
            ..sample()
        };
        assert!(to_json(&escaped).len() <= MAX_DECODED_BYTES);
        assert_eq!(decode(&encode(&escaped).unwrap()), Ok(as_read(&escaped)));
        assert!(matches!(
            encode_stored(&escaped),
            Err(TooLarge::Link { bytes }) if bytes > MAX_FRAGMENT_BYTES
        ));
        let past = Shared {
            manifest: "\u{1}".repeat(MAX_DECODED_BYTES / 6 + 1),
            ..Shared::default()
        };
        assert!(matches!(encode(&past), Err(TooLarge::Scenario { .. })));
        assert_eq!(
            TooLarge::Link { bytes: 2_000_000 }.to_string(),
            "its link would be 2000000 bytes long; Podstep reads links of at most 1572864"
        );
    }

    #[test]
    fn drafts_hold_any_scenario_and_refuse_what_is_not_one() {
        let s = Shared {
            manifest: random_text(3 * MAX_MANIFEST_BYTES),
            ..sample()
        };
        assert_eq!(read_draft(&draft(&s)), Ok(as_read(&s)));
        for (text, message) in [
            ("", "the link decodes, but not to a scenario: EOF while parsing a value at line 1 column 0"),
            ("v2/abc.def", "the link decodes, but not to a scenario: expected value at line 1 column 1"),
            (r#"{"m":"x","later":1}"#, "the link decodes, but not to a scenario: unknown key \"later\" (a v2 link has only m, a, u, v, s, w, g, k, p)"),
            (r#"{"m":"x","#, "the link decodes, but not to a scenario: EOF while parsing a value at line 1 column 9"),
        ] {
            assert_eq!(read_draft(text).map_err(|e| e.to_string()), Err(message.to_string()), "{text}");
        }
        assert_eq!(
            read_draft(&" ".repeat(MAX_DRAFT_BYTES + 1)),
            Err(DecodeError::TooLarge)
        );
        // Fingerprints tell scenarios apart, and ignore who wrote the copy they are taken from.
        assert_eq!(fingerprint(&s), fingerprint(&as_read(&s)));
        assert_ne!(fingerprint(&s), fingerprint(&sample()));
        assert_eq!(
            fingerprint(&Shared::default()),
            format!(
                "{}-{:08x}",
                to_json(&Shared::default()).len(),
                miniz_adler32(&to_json(&Shared::default()))
            )
        );
    }

    #[test]
    fn escapes_and_surrogate_pairs_are_read() {
        let text = r#"{"m":"a\"b\\c\/d\n\u00e9\ud83d\ude00","v":33}"#;
        let s = json::read(text.as_bytes()).unwrap();
        assert_eq!(s.manifest, "a\"b\\c/d\né😀");
        assert_eq!(s.minor, 33);
        assert!(json::read(br#"{"m":"\ud83d"}"#).is_err());
        assert!(json::read(br#"{"m":"x"} trailing"#).is_err());
        assert!(json::read(br#"{"v":1}"#).is_err());
        assert!(json::read(br#"{"m":"x","u":-1}"#).is_err());
    }

    #[test]
    fn base64url_is_strict() {
        // "v1/" + text → the error and what it says. `AAAA` is three zero bytes; `AA` one, `AAA` two.
        let table: &[(&str, DecodeError, &str)] = &[
            ("AA+A", DecodeError::BadCharacter { at: 2 }, "the link is damaged: an unexpected character at position 2"),
            ("AA/A", DecodeError::BadCharacter { at: 2 }, "the link is damaged: an unexpected character at position 2"),
            ("AA==", DecodeError::BadCharacter { at: 2 }, "the link is damaged: an unexpected character at position 2"),
            ("AAA=", DecodeError::BadCharacter { at: 3 }, "the link is damaged: an unexpected character at position 3"),
            ("AA=AAAAA", DecodeError::BadCharacter { at: 2 }, "the link is damaged: an unexpected character at position 2"),
            ("AAAA AAAA", DecodeError::BadCharacter { at: 4 }, "the link is damaged: an unexpected character at position 4"),
            ("AAAA%3D", DecodeError::BadCharacter { at: 4 }, "the link is damaged: an unexpected character at position 4"),
            ("A", DecodeError::LoneCharacter { at: 0 }, "the link is damaged or cut short: it ends in a lone character at position 0"),
            ("AAAAA", DecodeError::LoneCharacter { at: 4 }, "the link is damaged or cut short: it ends in a lone character at position 4"),
            ("AB", DecodeError::TrailingBits { at: 1 }, "the link is damaged or cut short: its last character, at position 1, is not one a link ends with"),
            ("AAB", DecodeError::TrailingBits { at: 2 }, "the link is damaged or cut short: its last character, at position 2, is not one a link ends with"),
            ("AAAAAAP", DecodeError::TrailingBits { at: 6 }, "the link is damaged or cut short: its last character, at position 6, is not one a link ends with"),
        ];
        for (text, error, message) in table {
            let got = unpack(&format!("v1/{text}"));
            assert_eq!(got.as_ref(), Err(error), "{text}");
            assert_eq!(error.to_string(), *message, "{text}");
        }
        // What the writer emits is accepted: each length of the last group, the top of the alphabet.
        for (text, bytes) in [
            ("", &[][..]),
            ("AA", &[0]),
            ("AAA", &[0, 0]),
            ("AAAA", &[0, 0, 0]),
            ("_w", &[255]),
            ("__8", &[255, 255]),
            ("-_-_", &[251, 255, 191]),
        ] {
            assert_eq!(
                unpack(&format!("v1/{text}")).as_ref().map(Packed::deflated),
                Ok(bytes),
                "{text}"
            );
            assert_eq!(base64url(bytes), text);
        }
    }

    #[test]
    fn hostile_json_is_refused_with_a_reason() {
        let nested = |levels: usize| {
            format!(
                r#"{{"m":"x","future":{}{}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        // The scenario's object and 33 levels in an unknown key's value are read, one more is not.
        assert!(json::read(nested(33).as_bytes()).is_ok());
        assert_eq!(
            json::read(nested(34).as_bytes()),
            Err("nested too deeply".into())
        );
        // Brackets inside strings are text, not nesting.
        let in_text = format!(r#"{{"m":"{}\"{}"}}"#, "[".repeat(100), "{".repeat(100));
        assert!(json::read(in_text.as_bytes()).is_ok());
        for (text, message) in [
            (r#"{"v":1}"#, "missing field `m` at line 1 column 7"),
            (
                r#"{"m":"x","m":"y"}"#,
                "duplicate field `m` at line 1 column 12",
            ),
            (
                r#"{"m":"x","a":[[1,"x",2]]}"#,
                "trailing characters at line 1 column 22",
            ),
            (
                r#"{"m":"x","v":4294967296}"#,
                "invalid value: integer `4294967296`, expected u32 at line 1 column 23",
            ),
            (
                r#"{"m":"x","s":1.0}"#,
                "invalid type: floating point `1.0`, expected usize at line 1 column 16",
            ),
        ] {
            assert_eq!(
                json::read(text.as_bytes()),
                Err(message.to_string()),
                "{text}"
            );
        }
        assert_eq!(
            json::read(b"{\"m\":\"\xff\"}"),
            Err("invalid unicode code point at line 1 column 7".into())
        );
    }

    proptest! {
        #[test]
        fn any_scenario_round_trips(manifest in ".{0,400}", step in 0usize..500, t in 0u64..100_000_000) {
            let s = Shared { manifest, actions: vec![(t, "kill app exit=1".into())], until_s: 600, minor: 33, step, workload: 1, gates: String::new(), max_restart_s: 0, made_by: String::new() };
            prop_assert_eq!(decode(&encode(&s).unwrap()), Ok(as_read(&s)));
            prop_assert_eq!(decode(&encode_stored(&s).unwrap()), Ok(as_read(&s)));
        }

        #[test]
        fn any_text_decodes_or_errs(text in ".{0,200}") {
            let _ = decode(&text);
        }

        /// Strictness makes base64url one-to-one: bytes round-trip, and text that decodes is exactly
        /// what the writer would have written for its bytes.
        #[test]
        fn base64url_text_and_bytes_match_one_to_one(bytes in proptest::collection::vec(any::<u8>(), 0..40), text in "[A-Za-z0-9_=+/-]{0,12}") {
            prop_assert_eq!(unbase64url(&base64url(&bytes)), Ok(bytes));
            if let Ok(decoded) = unbase64url(&text) {
                prop_assert_eq!(base64url(&decoded), text);
            }
        }

        /// Links made before the hand-written codec (by serde_json, same keys) still open the same, and
        /// JSON from any conforming writer is read alike: escapes, surrogate pairs, spacing, key order.
        #[test]
        fn json_from_serde_json_reads_the_same(manifest in "\\PC{0,200}|[\\x00-\\x7f]{0,80}", action in ".{0,40}", t in 0u64..1_000_000, step in 0usize..100) {
            let value = serde_json::json!({"s": step, "a": [[t, action.clone()]], "m": manifest.clone(), "x": {"future": [1, "two", null, true]}});
            let text = serde_json::to_string_pretty(&value).unwrap();
            let shared = json::read(text.as_bytes()).unwrap();
            prop_assert_eq!(shared, Shared { manifest, actions: vec![(t, action)], step, ..Shared::default() });
        }
    }
}
