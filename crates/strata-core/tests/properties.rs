//! Properties that hold for all inputs: excerpt bounds and stream collection.

use proptest::prelude::*;
use serde_json::{Value, json};
use strata_core::content::{ReasoningContent, ToolCall};
use strata_core::error::{EXCERPT_LIMIT, body_excerpt};
use strata_core::testing::stream_parts;
use strata_core::{
    Collector, Content, FinishReason, GenerateResult, ProviderMetadata, StreamPart, Usage,
};

const ELLIPSIS: &str = "…";

proptest! {
    #[test]
    fn excerpts_are_bounded_and_faithful(body in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let excerpt = body_excerpt(&body);
        let truncated = body.len() > EXCERPT_LIMIT;
        let text = excerpt.strip_suffix(ELLIPSIS).filter(|_| truncated).unwrap_or(&excerpt);
        prop_assert_eq!(excerpt.ends_with(ELLIPSIS), truncated || String::from_utf8_lossy(&body).ends_with(ELLIPSIS));
        // Without replacement characters, the kept text is exactly a prefix of the body.
        prop_assert!(text.len() <= EXCERPT_LIMIT * 3);
        if let Ok(valid) = std::str::from_utf8(&body) {
            prop_assert!(valid.starts_with(text));
            prop_assert!(text.len() <= EXCERPT_LIMIT);
            prop_assert!(text.len() + 3 > EXCERPT_LIMIT.min(body.len()));
        }
    }

    #[test]
    fn utf8_excerpts_never_exceed_the_limit(text in "\\PC{0,1500}") {
        let excerpt = body_excerpt(text.as_bytes());
        prop_assert!(excerpt.len() <= EXCERPT_LIMIT + ELLIPSIS.len());
    }

    #[test]
    fn collecting_stream_parts_gives_back_the_result(
        texts in proptest::collection::vec("\\PC{0,40}", 0..4),
        reasoning in "\\PC{0,40}",
        signature in "[a-zA-Z0-9+/=]{0,16}",
        input in prop_oneof![
            Just(json!({})),
            "\\PC{0,20}".prop_map(|s| json!({"q": s, "n": [1, 2.5, null], "ok": true})),
        ],
        tokens in proptest::option::of(0u64..1_000_000),
    ) {
        let mut content: Vec<Content> = vec![Content::Reasoning(
            ReasoningContent::new(reasoning)
                .with_provider_metadata(ProviderMetadata::new().with("p", "signature", signature)),
        )];
        content.extend(texts.into_iter().map(Content::text));
        content.push(ToolCall::new("call", "tool", input).into());
        let mut result = GenerateResult::new(content, FinishReason::ToolCalls);
        result.usage = Usage::from_totals(tokens, tokens);

        let mut collector = Collector::new();
        for part in stream_parts(&result) {
            collector.push(part).unwrap();
        }
        prop_assert_eq!(collector.finish().unwrap(), result);
    }

    #[test]
    fn tool_input_split_anywhere_assembles_the_same(cuts in proptest::collection::vec(0usize..200, 0..6)) {
        let input = json!({"city": "Zürich", "days": [1, 2, 3], "nested": {"ü": "✓"}});
        let json = input.to_string();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (json.len() + 1)).filter(|&c| json.is_char_boundary(c)).collect();
        bounds.extend([0, json.len()]);
        bounds.sort_unstable();
        bounds.dedup();
        let mut collector = Collector::new();
        collector.push(StreamPart::tool_input_start("c", "t")).unwrap();
        for pair in bounds.windows(2) {
            collector.push(StreamPart::tool_input_delta("c", &json[pair[0]..pair[1]])).unwrap();
        }
        collector.push(StreamPart::tool_input_end("c")).unwrap();
        collector.push(StreamPart::finish(FinishReason::ToolCalls, Usage::default())).unwrap();
        let result = collector.finish().unwrap();
        let call: Vec<&Value> = result.tool_calls().map(|c| &c.input).collect();
        prop_assert_eq!(call, vec![&input]);
    }
}
