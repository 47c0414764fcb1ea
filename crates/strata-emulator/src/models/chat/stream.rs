//! ConverseStream events for a [`Turn`].
//!
//! Order: `messageStart`; per block an optional `contentBlockStart` (tool use only, as the real
//! service does), its deltas and `contentBlockStop`; `messageStop`; `metadata`. Text and
//! reasoning text are split every 3 tokens, tool input JSON into 3 pieces by characters, and a
//! reasoning block ends with a `signature` delta, a cited block with one `citation` delta. Every
//! payload carries the padding field `p` (letters; its length cycles with the event index).

use serde_json::{Value, json};

use super::{Block, Turn, additional_fields, citation_json, guardrail_trace, usage_json};
use crate::models::catalog::ModelInfo;
use crate::models::tokens::chunk;

/// One ConverseStream event: the `:event-type` header value and the JSON payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamEvent {
    /// The event type (`messageStart`, `contentBlockStart`, `contentBlockDelta`,
    /// `contentBlockStop`, `messageStop` or `metadata`).
    pub event_type: &'static str,
    /// The event payload, including the padding member `p`.
    pub payload: Value,
}

pub(crate) const TOKENS_PER_DELTA: usize = 3;
const PADDING: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The padding value for the `n`th event: 1 to 36 letters.
pub(crate) fn padding(n: usize) -> &'static str {
    &PADDING[..1 + (n * 7 + 3) % 36]
}

/// Splits `s` into at most `parts` pieces of roughly equal character counts.
pub(crate) fn split_chars(s: &str, parts: usize) -> Vec<&str> {
    let chars = s.chars().count();
    let size = chars.div_ceil(parts.max(1)).max(1);
    let mut pieces = Vec::new();
    let mut start = 0;
    for (count, (i, _)) in s.char_indices().enumerate() {
        if count > 0 && count % size == 0 {
            pieces.push(&s[start..i]);
            start = i;
        }
    }
    pieces.push(&s[start..]);
    pieces
}

struct Events {
    out: Vec<StreamEvent>,
}

impl Events {
    fn push(&mut self, event_type: &'static str, mut payload: Value) {
        payload["p"] = json!(padding(self.out.len()));
        self.out.push(StreamEvent {
            event_type,
            payload,
        });
    }

    fn delta(&mut self, index: usize, delta: Value) {
        self.push(
            "contentBlockDelta",
            json!({"contentBlockIndex": index, "delta": delta}),
        );
    }

    fn block(&mut self, index: usize, block: &Block) {
        match block {
            Block::Text(text) => {
                for piece in chunk(text, TOKENS_PER_DELTA) {
                    self.delta(index, json!({ "text": piece }));
                }
            }
            Block::Reasoning { text, signature } => {
                for piece in chunk(text, TOKENS_PER_DELTA) {
                    self.delta(index, json!({"reasoningContent": {"text": piece}}));
                }
                self.delta(index, json!({"reasoningContent": {"signature": signature}}));
            }
            Block::Cited { text, citation } => {
                for piece in chunk(text, TOKENS_PER_DELTA) {
                    self.delta(index, json!({ "text": piece }));
                }
                self.delta(index, json!({ "citation": citation_json(citation) }));
            }
            Block::ToolUse { id, name, input } => {
                self.push(
                    "contentBlockStart",
                    json!({"contentBlockIndex": index, "start": {"toolUse": {"toolUseId": id, "name": name}}}),
                );
                let json = serde_json::to_string(input).unwrap_or_default();
                for piece in split_chars(&json, 3) {
                    self.delta(index, json!({"toolUse": {"input": piece}}));
                }
            }
        }
        self.push("contentBlockStop", json!({ "contentBlockIndex": index }));
    }
}

/// The events for `turn`.
pub(crate) fn events(model: &ModelInfo, request: &Value, turn: &Turn) -> Vec<StreamEvent> {
    let mut events = Events { out: Vec::new() };
    events.push("messageStart", json!({"role": "assistant"}));
    for (index, block) in turn.blocks.iter().enumerate() {
        events.block(index, block);
    }
    let mut stop = json!({ "stopReason": turn.stop_reason });
    if let Some(fields) = additional_fields(model, request, turn) {
        stop["additionalModelResponseFields"] = fields;
    }
    events.push("messageStop", stop);
    let mut metadata =
        json!({"usage": usage_json(&turn.usage), "metrics": {"latencyMs": turn.latency_ms}});
    if let Some(trace) = guardrail_trace(request, turn) {
        metadata["trace"] = trace;
    }
    for key in ["performanceConfig", "serviceTier"] {
        if let Some(v) = request.get(key).filter(|v| !v.is_null()) {
            metadata[key] = v.clone();
        }
    }
    events.push("metadata", metadata);
    events.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_varies_and_is_letters() {
        assert_eq!(padding(0), "abcd");
        assert_eq!(padding(1), "abcdefghijk");
        let lengths: std::collections::HashSet<usize> = (0..36).map(|n| padding(n).len()).collect();
        assert!(lengths.len() > 10);
        assert!(
            (0..100)
                .all(|n| padding(n).chars().all(|c| c.is_ascii_alphabetic())
                    && !padding(n).is_empty())
        );
    }

    #[test]
    fn split_chars_reassembles() {
        assert_eq!(
            split_chars("{\"city\":\"city\"}", 3),
            vec!["{\"cit", "y\":\"c", "ity\"}"]
        );
        assert_eq!(split_chars("{}", 3), vec!["{", "}"]);
        assert_eq!(split_chars("", 3), vec![""]);
        assert_eq!(split_chars("ééé", 3).concat(), "ééé");
    }
}
