//! Shared-fixture helpers for the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// The path of a file under `/work/shared/testdata/bedrock/vercel-ai/`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/bedrock/vercel-ai/"
    ))
    .join(name)
}

/// Reads a shared fixture, panicking with a clear message when it is missing.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "shared fixture {} is missing or unreadable: {e}",
            path.display()
        )
    })
}

/// Splits a `.chunks.txt` fixture into `(member name, payload JSON bytes)` pairs, the way the
/// events travel on the wire (member name in the `:event-type` header, inner object as payload).
pub fn chunk_events(name: &str) -> Vec<(String, Vec<u8>)> {
    let text = String::from_utf8(fixture(name)).expect("fixture is UTF-8");
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("bad fixture line {line:?}: {e}"));
            let object = value.as_object().expect("each line is an object");
            assert_eq!(object.len(), 1, "each line has exactly one member: {line}");
            let (member, payload) = object.iter().next().unwrap();
            (member.clone(), serde_json::to_vec(payload).unwrap())
        })
        .collect()
}
