//! Properties of `SseDecoder`: chunking never changes the result, and arbitrary or mutated
//! input never panics, never loops and never yields more than it was given.

use bytes::BytesMut;
use proptest::prelude::*;
use strata_http::sse::{SseDecoder, SseEvent};

/// Decodes `wire` cut at `cuts` (sorted, deduplicated offsets); every `decode` call must make
/// progress or ask for more input, so the number of calls is bounded by the input length.
fn decode_split(wire: &[u8], cuts: &[usize], max: usize) -> (Vec<SseEvent>, Option<String>) {
    let mut decoder = SseDecoder::with_max_event_size(max);
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    let mut calls = 0;
    let mut start = 0;
    let ends = cuts.iter().copied().chain(std::iter::once(wire.len()));
    for end in ends {
        buf.extend_from_slice(&wire[start..end]);
        start = end;
        loop {
            calls += 1;
            assert!(
                calls <= 2 * wire.len() + 4,
                "decoder does not make progress"
            );
            match decoder.decode(&mut buf) {
                Ok(Some(event)) => events.push(event),
                Ok(None) => break,
                Err(error) => return (events, Some(error.to_string())),
            }
        }
    }
    loop {
        calls += 1;
        assert!(
            calls <= 2 * wire.len() + 4,
            "decoder does not make progress at the end"
        );
        match decoder.decode_eof(&mut buf) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(error) => return (events, Some(error.to_string())),
        }
    }
}

/// One line of a plausible event stream.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~é🎉]{0,24}".prop_map(|v| format!("data: {v}")),
        1 => "[ -~]{0,8}".prop_map(|v| format!("data:{v}")),
        1 => Just(String::from("data")),
        1 => "[a-z_.]{0,12}".prop_map(|v| format!("event: {v}")),
        1 => "[0-9a-z]{0,6}".prop_map(|v| format!("id: {v}")),
        1 => "[0-9x]{0,5}".prop_map(|v| format!("retry: {v}")),
        1 => "[ -~]{0,10}".prop_map(|v| format!(":{v}")),
        1 => "[a-z]{1,6}: [a-z]{0,6}",
        3 => Just(String::new()),
        1 => Just(String::from("data: [DONE]")),
    ]
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(
            (line(), prop::sample::select(vec!["\n", "\r", "\r\n"])),
            0..40,
        ),
    )
        .prop_map(|(bom, lines)| {
            let mut wire = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            for (line, end) in lines {
                wire.push_str(&line);
                wire.push_str(end);
            }
            wire.into_bytes()
        })
}

fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..=len, 0..16).prop_map(|mut cuts| {
        cuts.sort_unstable();
        cuts.dedup();
        cuts
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_splits_give_the_same_events((wire, cuts) in stream().prop_flat_map(|w| {
        let len = w.len();
        (Just(w), cuts(len))
    })) {
        let whole = decode_split(&wire, &[], usize::MAX);
        let split = decode_split(&wire, &cuts, usize::MAX);
        prop_assert_eq!(&whole, &split);
        let bytewise: Vec<usize> = (1..wire.len()).collect();
        prop_assert_eq!(&whole, &decode_split(&wire, &bytewise, usize::MAX));
    }

    #[test]
    fn random_splits_agree_on_the_size_limit(wire in stream(), max in 0usize..64, seed in any::<u64>()) {
        let len = wire.len().max(1);
        let cuts: Vec<usize> = (1..wire.len()).filter(|i| (seed >> (i % 64)) & 1 == 1).collect();
        let whole = decode_split(&wire, &[], max);
        let split = decode_split(&wire, &cuts, max);
        prop_assert_eq!(&whole.0, &split.0);
        prop_assert_eq!(whole.1.is_some(), split.1.is_some(), "{} {:?} {:?}", len, whole.1, split.1);
        for event in &whole.0 {
            prop_assert!(event.data().len() + event.event().map_or(0, str::len) <= max);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_or_hang(wire in prop::collection::vec(any::<u8>(), 0..512), cuts in cuts(512)) {
        let cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= wire.len()).collect();
        let (events, _) = decode_split(&wire, &cuts, 128);
        let total: usize = events.iter().map(|e| e.data().len()).sum();
        prop_assert!(total <= wire.len());
    }

    #[test]
    fn mutated_streams_never_panic_or_hang(
        wire in stream(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
        cuts in cuts(1024),
    ) {
        let mut wire = wire;
        for (at, byte, op) in edits {
            if wire.is_empty() {
                wire.push(byte);
                continue;
            }
            let i = at.index(wire.len());
            match op {
                0 => wire[i] = byte,
                1 => wire.insert(i, byte),
                _ => { wire.remove(i); }
            }
        }
        let cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= wire.len()).collect();
        let whole = decode_split(&wire, &[], 256);
        let split = decode_split(&wire, &cuts, 256);
        prop_assert_eq!(whole.0, split.0);
    }
}
