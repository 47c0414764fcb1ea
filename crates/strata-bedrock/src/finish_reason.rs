//! Maps Bedrock's `stopReason` to the unified [`FinishReason`].
//!
//! ```
//! use strata_bedrock::finish_reason::map_finish_reason;
//! use strata_bedrock::wire::StopReason;
//! use strata_core::FinishReason;
//!
//! assert_eq!(map_finish_reason(&StopReason::EndTurn), FinishReason::Stop);
//! assert_eq!(map_finish_reason(&StopReason::ToolUse), FinishReason::ToolCalls);
//! ```

use strata_core::FinishReason;

use crate::wire::StopReason;

/// The unified finish reason for a Bedrock stop reason.
///
/// `end_turn` and `stop_sequence` → stop; `max_tokens` and `model_context_window_exceeded` →
/// length; `tool_use` → tool-calls; `guardrail_intervened` and `content_filtered` →
/// content-filter; anything else (malformed output, unknown values) → other. Keep the raw value
/// with [`StopReason::as_str`].
pub fn map_finish_reason(reason: &StopReason) -> FinishReason {
    match reason {
        StopReason::EndTurn | StopReason::StopSequence => FinishReason::Stop,
        StopReason::MaxTokens | StopReason::ModelContextWindowExceeded => FinishReason::Length,
        StopReason::ToolUse => FinishReason::ToolCalls,
        StopReason::GuardrailIntervened | StopReason::ContentFiltered => {
            FinishReason::ContentFilter
        }
        _ => FinishReason::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_reason() {
        let cases = [
            ("end_turn", FinishReason::Stop),
            ("stop_sequence", FinishReason::Stop),
            ("max_tokens", FinishReason::Length),
            ("model_context_window_exceeded", FinishReason::Length),
            ("tool_use", FinishReason::ToolCalls),
            ("guardrail_intervened", FinishReason::ContentFilter),
            ("content_filtered", FinishReason::ContentFilter),
            ("malformed_model_output", FinishReason::Other),
            ("malformed_tool_use", FinishReason::Other),
            ("something_new", FinishReason::Other),
        ];
        for (raw, expected) in cases {
            let reason = StopReason::from_wire(raw);
            assert_eq!(reason.as_str(), raw);
            assert_eq!(map_finish_reason(&reason), expected, "{raw}");
        }
    }
}
