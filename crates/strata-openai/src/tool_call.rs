//! Tool calls from the model, and how arguments that are not JSON are reported.
//!
//! Both APIs send a call's arguments as JSON *text*, which a model can get wrong. Like the
//! Vercel AI SDK's OpenAI provider, which passes the text on and leaves an invalid call to be
//! reported per call rather than failing the response, an invalid call is still delivered —
//! in `generate` results and as the stream's [`StreamPart::ToolCall`] part, without ending the
//! stream — and is marked on the call itself:
//!
//! - its `input` is the text, as a JSON string;
//! - its provider metadata has `openai.invalidInput`: why the text is not JSON (read it with
//!   [`input_error`]);
//! - `generate` also adds a [`Warning`] naming the call.
//!
//! Empty arguments are `{}` (some servers send nothing for a tool without parameters).
//!
//! [`StreamPart::ToolCall`]: strata_core::StreamPart::ToolCall
//!
//! ```
//! use strata_core::{Collector, FinishReason};
//! use strata_http::sse::SseEvent;
//! use strata_openai::chat::stream::ChatStreamState;
//! use strata_openai::tool_call::input_error;
//!
//! let mut state = ChatStreamState::new(false);
//! let mut parts = Vec::new();
//! for data in [
//!     r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"get_weather","arguments":"{\"city\": Paris}"}}]}}]}"#,
//!     r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
//!     "[DONE]",
//! ] {
//!     state.on_event(&SseEvent::new(data), &mut parts);
//! }
//! let mut collector = Collector::new();
//! for part in parts {
//!     collector.push(part)?;
//! }
//! let result = collector.finish()?;
//! assert_eq!(result.finish_reason, FinishReason::ToolCalls);
//! let call = result.tool_calls().next().unwrap();
//! assert_eq!(call.input, serde_json::json!("{\"city\": Paris}"));
//! assert_eq!(input_error(call), Some("expected value at line 1 column 10"));
//! # Ok::<(), strata_core::Error>(())
//! ```

use serde_json::Value;
use strata_core::content::ToolCall;
use strata_core::{ProviderMetadata, Warning};

use crate::options::PROVIDER;

/// The provider-metadata key (under `"openai"`) marking a call whose arguments are not JSON.
pub const INVALID_INPUT_KEY: &str = "invalidInput";

/// Why the arguments of `call` are not valid JSON, if this crate marked them so.
pub fn input_error(call: &ToolCall) -> Option<&str> {
    call.provider_metadata
        .value(PROVIDER, INVALID_INPUT_KEY)?
        .as_str()
}

/// A tool call from its id, name and argument text; `metadata` is the call's provider
/// metadata (an item id), to which an invalid-input mark is added. Returns the warning
/// `generate` reports for invalid arguments.
pub(crate) fn tool_call(
    call_id: String,
    name: String,
    arguments: &str,
    mut metadata: ProviderMetadata,
) -> (ToolCall, Option<Warning>) {
    let (input, warning) = if arguments.trim().is_empty() {
        (Value::Object(Default::default()), None)
    } else {
        match serde_json::from_str(arguments) {
            Ok(value) => (value, None),
            Err(e) => {
                metadata.insert(PROVIDER, INVALID_INPUT_KEY, e.to_string());
                let warning = Warning::other(format!(
                    "the arguments of tool call `{call_id}` are not valid JSON ({e}); they are passed on as a string"
                ));
                (Value::String(arguments.to_owned()), Some(warning))
            }
        }
    };
    let call = ToolCall::new(call_id, name, input).with_provider_metadata(metadata);
    (call, warning)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn arguments_are_parsed_or_marked() {
        let none = ProviderMetadata::new;
        let (call, warning) = tool_call("c1".into(), "f".into(), " \n", none());
        assert_eq!(call, ToolCall::new("c1", "f", json!({})));
        assert_eq!(warning, None);

        let (call, warning) = tool_call("c2".into(), "f".into(), r#"{"a":[1]}"#, none());
        assert_eq!(call, ToolCall::new("c2", "f", json!({"a": [1]})));
        assert_eq!((input_error(&call), warning), (None, None));

        let item = ProviderMetadata::new().with(PROVIDER, "itemId", "fc_1");
        let (call, warning) = tool_call("c3".into(), "f".into(), r#"{"a":"#, item);
        assert_eq!(call.input, json!(r#"{"a":"#));
        assert_eq!(
            call.provider_metadata,
            ProviderMetadata::new()
                .with(PROVIDER, "itemId", "fc_1")
                .with(
                    PROVIDER,
                    "invalidInput",
                    "EOF while parsing a value at line 1 column 5"
                )
        );
        assert_eq!(
            input_error(&call),
            Some("EOF while parsing a value at line 1 column 5")
        );
        assert_eq!(
            warning.unwrap().to_string(),
            "the arguments of tool call `c3` are not valid JSON (EOF while parsing a value at line 1 column 5); they are passed on as a string"
        );
    }
}
