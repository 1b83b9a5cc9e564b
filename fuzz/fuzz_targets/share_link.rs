//! Share-link fragments are untrusted: decoding any text either fails with a reason or gives a scenario
//! that encodes back to a link decoding to the same scenario (written, now, by this version). Whatever
//! a link carries fits in a link again: the writer refuses only what the reader would.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(shared) = share::decode(&text) {
        let again = share::encode(&shared).expect("a scenario read from a link fits in one");
        let expected = share::Shared {
            made_by: share::VERSION.into(),
            ..shared
        };
        assert_eq!(share::decode(&again), Ok(expected));
    }
});
