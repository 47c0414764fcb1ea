//! The emulator's token rule and the CountTokens operation.
//!
//! **Rule.** A token is either a maximal run of alphanumeric characters (Unicode letters and
//! digits) or a single character that is neither alphanumeric nor whitespace. Whitespace is never
//! a token. So `"You said: hello, world!"` is 7 tokens: `You`, `said`, `:`, `hello`, `,`,
//! `world`, `!`.
//!
//! Every count the emulator reports uses this rule:
//! - input tokens of a chat request: the text of the tool specifications (name, description,
//!   compact JSON schema), the system prompt, and every message block (text; tool-use name and
//!   compact JSON input; tool-result text/JSON; reasoning text; document text when it is text,
//!   otherwise 100 tokens; 100 tokens per image, video or audio block);
//! - output tokens: the text of every generated block (reasoning text, text, compact tool input);
//! - `max_tokens` cuts the reply after that many tokens (see [`crate::models::chat`]).
//!
//! CountTokens (`{"input": {"converse": {...}}}` or `{"input": {"invokeModel": {"body":
//! "<base64>"}}}`) answers `{"inputTokens": n}` with the same `n` that Converse reports as
//! `inputTokens + cacheReadInputTokens + cacheWriteInputTokens` for that request.
//!
//! ```
//! use strata_emulator::models::{catalog, tokens};
//! use serde_json::json;
//!
//! assert_eq!(tokens::count_text("You said: hello, world!"), 7);
//! let model = catalog::resolve("anthropic.claude-3-5-haiku-20241022-v1:0").unwrap();
//! let request = json!({"input": {"converse": {
//!     "messages": [{"role": "user", "content": [{"text": "Hello there"}]}]
//! }}});
//! assert_eq!(tokens::count_tokens(&model, &request).unwrap(), json!({"inputTokens": 2}));
//! ```

use base64::Engine as _;
use serde_json::{Value, json};

use super::ModelError;
use super::catalog::{Kind, ModelInfo};

/// Byte ranges `(start, end)` of the tokens of `text`, in order.
pub fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut run_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            run_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = run_start.take() {
            spans.push((start, i));
        }
        if !c.is_whitespace() {
            spans.push((i, i + c.len_utf8()));
        }
    }
    if let Some(start) = run_start {
        spans.push((start, text.len()));
    }
    spans
}

/// The number of tokens in `text`.
pub fn count_text(text: &str) -> u64 {
    token_spans(text).len() as u64
}

/// `text` cut right after its `max` first tokens, or `None` when it has at most `max` tokens.
pub fn truncate(text: &str, max: u64) -> Option<&str> {
    let spans = token_spans(text);
    if spans.len() as u64 <= max {
        return None;
    }
    let end = match max {
        0 => 0,
        n => spans[(n - 1) as usize].1,
    };
    Some(&text[..end])
}

/// Splits `text` into pieces of `per_piece` tokens each (whitespace stays with the token that
/// follows it); concatenating the pieces gives back `text`.
pub fn chunk(text: &str, per_piece: usize) -> Vec<&str> {
    let spans = token_spans(text);
    let per_piece = per_piece.max(1);
    if spans.len() <= per_piece {
        return vec![text];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for group in spans.chunks(per_piece).skip(1) {
        let cut = group[0].0;
        // Leading whitespace of the next group goes with the next piece.
        let cut = text[..cut].trim_end().len().max(start);
        pieces.push(&text[start..cut]);
        start = cut;
    }
    pieces.push(&text[start..]);
    pieces
}

/// The CountTokens operation: `request` is the CountTokens body (`{"input": {"converse": …}}`
/// or `{"input": {"invokeModel": {"body": "<base64>"}}}`); the answer is `{"inputTokens": n}`.
///
/// # Errors
/// A `ValidationException` when the model is not a chat model, the input union does not have
/// exactly one member, the base64 body does not decode, or the embedded request is invalid.
pub fn count_tokens(model: &ModelInfo, request: &Value) -> Result<Value, ModelError> {
    if model.kind != Kind::Chat {
        return Err(ModelError::validation(format!(
            "The provided model {} doesn't support counting tokens.",
            model.id
        )));
    }
    let input = request
        .get("input")
        .and_then(Value::as_object)
        .ok_or_else(|| ModelError::validation("CountTokens requires an input."))?;
    let n = match (input.get("converse"), input.get("invokeModel")) {
        (Some(converse), None) => super::chat::count_input_tokens(model, converse)?,
        (None, Some(invoke)) => {
            let body = invoke.get("body").and_then(Value::as_str).ok_or_else(|| {
                ModelError::validation("input.invokeModel.body must be a base64 string.")
            })?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(body)
                .map_err(|e| {
                    ModelError::validation(format!(
                        "input.invokeModel.body is not valid base64: {e}"
                    ))
                })?;
            let converse = super::native::to_converse(model, &bytes)?;
            super::chat::count_input_tokens(model, &converse)?
        }
        _ => {
            return Err(ModelError::validation(
                "CountTokens input must set exactly one of converse or invokeModel.",
            ));
        }
    };
    Ok(json!({ "inputTokens": n }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_the_rule() {
        assert_eq!(count_text("You said: hello, world!"), 7);
        assert_eq!(count_text(""), 0);
        assert_eq!(count_text("   \n\t"), 0);
        assert_eq!(count_text("naïve café 42x"), 3);
        assert_eq!(count_text("{\"a\":1}"), 7);
        assert_eq!(token_spans("ab, c"), vec![(0, 2), (2, 3), (4, 5)]);
    }

    #[test]
    fn truncate_keeps_whole_tokens() {
        assert_eq!(truncate("You said: hello world", 3), Some("You said:"));
        assert_eq!(truncate("You said: hello world", 0), Some(""));
        assert_eq!(truncate("You said: hello world", 5), None);
        assert_eq!(truncate("héllo wörld", 1), Some("héllo"));
    }

    #[test]
    fn chunk_reassembles() {
        let text = "You said: the quick brown fox, jumps!";
        let pieces = chunk(text, 3);
        assert_eq!(
            pieces,
            vec!["You said:", " the quick brown", " fox, jumps", "!"]
        );
        assert_eq!(pieces.concat(), text);
        assert_eq!(chunk("hi", 3), vec!["hi"]);
        assert_eq!(chunk("", 3), vec![""]);
    }
}
