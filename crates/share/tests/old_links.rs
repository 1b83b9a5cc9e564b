//! Links already shared keep opening: literal fragments and JSON texts written by the encoder as it was
//! when this test was added (the hand-written codec, commit 63cd999), each pinned to the scenario it
//! carries. A change to the reader, the base64url or the JSON writer that would strand a published link,
//! or change the bytes a scenario's link is written as, fails here.

use share::{decode, encode_stored, encode_stored_v1, from_json, to_json, Shared, VERSION};

fn manifest_only() -> Shared {
    Shared {
        manifest: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx}\n".into(),
        ..Shared::default()
    }
}

/// Every field set, and a manifest with each character the JSON escapes differently.
fn everything() -> Shared {
    Shared {
        manifest:
            "kind: Pod # \"quoted\" \\ back\tslash\r\n\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀 </script>"
                .into(),
        actions: vec![
            (0, "kill app exit=1".into()),
            (20_000, "delete grace=5".into()),
            (u64::MAX, "say \"hi\"".into()),
        ],
        until_s: 120,
        minor: 33,
        step: 7,
        workload: 2,
        gates: String::new(),
        max_restart_s: 0,
        made_by: String::new(),
    }
}

/// (scenario, its JSON, its link with stored blocks, its link compressed by miniz_oxide at level 9).
fn pinned() -> [(Shared, &'static str, &'static str, &'static str); 3] {
    [
        (
            manifest_only(),
            "{\"m\":\"apiVersion: v1\\nkind: Pod\\nmetadata: {name: p}\\nspec:\\n  containers:\\n  - {name: app, image: nginx}\\n\"}",
            "v1/AW0Akv97Im0iOiJhcGlWZXJzaW9uOiB2MVxua2luZDogUG9kXG5tZXRhZGF0YToge25hbWU6IHB9XG5zcGVjOlxuICBjb250YWluZXJzOlxuICAtIHtuYW1lOiBhcHAsIGltYWdlOiBuZ2lueH1cbiJ9",
            "v1/NYuxCoAwDAV_JXTWwTVf4eTUJdgiQfoabBGh9N8tgtsd3DWXHDsx3eJVNIPpXjxORWBac_BIsUqQKkwNkiKTdY9icWcPoj2jimK8n85_JGYTaZJjMA7FMybXXw",
        ),
        (
            everything(),
            "{\"m\":\"kind: Pod # \\\"quoted\\\" \\\\ back\\tslash\\r\\n\\u0008\\u000c\\u0001\\u001f\u{7f} é 😀 </script>\",\"a\":[[0,\"kill app exit=1\"],[20000,\"delete grace=5\"],[18446744073709551615,\"say \\\"hi\\\"\"]],\"u\":120,\"v\":33,\"s\":7,\"w\":2}",
            "v1/AdAAL_97Im0iOiJraW5kOiBQb2QgIyBcInF1b3RlZFwiIFxcIGJhY2tcdHNsYXNoXHJcblx1MDAwOFx1MDAwY1x1MDAwMVx1MDAxZn8gw6kg8J-YgCA8L3NjcmlwdD4iLCJhIjpbWzAsImtpbGwgYXBwIGV4aXQ9MSJdLFsyMDAwMCwiZGVsZXRlIGdyYWNlPTUiXSxbMTg0NDY3NDQwNzM3MDk1NTE2MTUsInNheSBcImhpXCIiXV0sInUiOjEyMCwidiI6MzMsInMiOjcsInciOjJ9",
            "v1/HY47DsIwFASv8rS0lrDzIWABZ6DPS2ESAxEBQuLwEUJwDDpqzsGFOAKGZprRrPaCDTTW5bbQNNsV1CPGvts5WzCImeYmX7NrK9OuuOEtd1LK4Z_5n-pHtbjR-0Wf5-NO436bN2XtphAw0GkqhZ-vKjJ1TfZUuolCJtLAt94UtrLO0rIxuZ3EP6GGUTRIokgmYSJHcawGKhZozdkfW5UMZJlAB60Cnx-gw9Bb6ETgCB1cvw",
        ),
        (
            Shared::default(),
            "{\"m\":\"\"}",
            "v1/AQgA9_97Im0iOiIifQ",
            "v1/q1bKVbJSUqoFAA",
        ),
    ]
}

#[test]
fn links_written_before_open_to_the_same_scenario() {
    for (shared, json, stored, compressed) in pinned() {
        assert_eq!(from_json(json.as_bytes()).as_ref(), Ok(&shared), "{json}");
        assert_eq!(decode(stored).as_ref(), Ok(&shared), "{stored}");
        assert_eq!(decode(compressed).as_ref(), Ok(&shared), "{compressed}");
        assert_eq!(decode(&format!("#{compressed}")).as_ref(), Ok(&shared));
    }
}

#[test]
fn a_scenario_is_written_as_the_same_bytes_as_before() {
    // The compressed link depends on the compressor's version, so only the JSON and the stored-block
    // link (no compressor) are pinned byte for byte: v1's as it was, v2's JSON with the writer's
    // version added at the end.
    for (shared, json, stored, _) in pinned() {
        assert_eq!(encode_stored_v1(&shared), stored);
        let v2 = format!("{},\"p\":\"{VERSION}\"}}", json.strip_suffix('}').unwrap());
        assert_eq!(String::from_utf8(to_json(&shared)).unwrap(), v2);
        assert!(encode_stored(&shared).unwrap().starts_with("v2/"));
    }
}

/// A v2 link as 0.1.0 wrote it opens forever, and says who wrote it.
#[test]
fn a_v2_link_written_by_0_1_0_still_opens() {
    let link = "v2/ASYA2f97Im0iOiJraW5kOiBQb2RcbiIsInYiOjM1LCJwIjoiMC4xLjAifQ.0L0J6A";
    assert_eq!(
        decode(link),
        Ok(Shared {
            manifest: "kind: Pod\n".into(),
            minor: 35,
            made_by: "0.1.0".into(),
            ..Shared::default()
        })
    );
}

#[test]
fn json_another_writer_produced_still_reads() {
    // serde_json's escapes (`\b`, `\f`, `\/`, upper-case hex), spacing, another key order, and keys this
    // version does not know, which are skipped.
    let text = "{ \"w\" : 2, \"future\": {\"x\": [1, \"two\", null, true, 1.5e3]},\n  \"m\": \"a\\b\\f\\/\\u00E9\\ud83d\\ude00\",\n  \"a\": [ [5, \"x\"] ] }";
    assert_eq!(
        from_json(text.as_bytes()),
        Ok(Shared {
            manifest: "a\u{8}\u{c}/é😀".into(),
            actions: vec![(5, "x".into())],
            workload: 2,
            ..Shared::default()
        })
    );
}
