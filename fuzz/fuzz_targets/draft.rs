//! The autosave's restore path: what IndexedDB hands back may be anything (a newer Podstep's draft,
//! a cut-off write, another page's value). Reading any text as a draft either fails with a reason or
//! gives a scenario whose draft reads back to the same scenario, and whose fingerprint is stable.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(shared) = share::read_draft(&text) {
        let again = share::draft(&shared);
        let expected = share::Shared {
            made_by: share::VERSION.into(),
            ..shared.clone()
        };
        assert_eq!(share::read_draft(&again), Ok(expected.clone()));
        assert_eq!(share::fingerprint(&shared), share::fingerprint(&expected));
    }
});
