//! Maps Bedrock's `TokenUsage` to the unified [`Usage`].
//!
//! Bedrock's `inputTokens` counts only the input that was neither read from nor written to
//! the prompt cache, so the total input is `inputTokens + cacheReadInputTokens +
//! cacheWriteInputTokens`.
//!
//! ```
//! use strata_bedrock::usage::convert_usage;
//! use strata_bedrock::wire::TokenUsage;
//!
//! let wire: TokenUsage = serde_json::from_str(
//!     r#"{"inputTokens":10,"outputTokens":5,"totalTokens":45,"cacheReadInputTokens":30}"#,
//! ).unwrap();
//! let usage = convert_usage(&wire);
//! assert_eq!(usage.input_tokens.total, Some(40));
//! assert_eq!(usage.input_tokens.no_cache, Some(10));
//! assert_eq!(usage.input_tokens.cache_read, Some(30));
//! assert_eq!(usage.output_tokens.total, Some(5));
//! ```

use strata_core::Usage;

use crate::wire::TokenUsage;

/// The unified usage for a Bedrock `TokenUsage`.
pub fn convert_usage(usage: &TokenUsage) -> Usage {
    let no_cache = u64::from(usage.input_tokens);
    let cache_read = usage.cache_read_input_tokens.map(u64::from);
    let cache_write = usage.cache_write_input_tokens.map(u64::from);
    let mut out = Usage::default();
    out.input_tokens.total = Some(no_cache + cache_read.unwrap_or(0) + cache_write.unwrap_or(0));
    out.input_tokens.no_cache = Some(no_cache);
    out.input_tokens.cache_read = cache_read;
    out.input_tokens.cache_write = cache_write;
    out.output_tokens.total = Some(u64::from(usage.output_tokens));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_counts_are_added_to_the_input_total() {
        let wire: TokenUsage = serde_json::from_str(
            r#"{"inputTokens":3,"outputTokens":7,"totalTokens":10,"cacheReadInputTokens":100,"cacheWriteInputTokens":20}"#,
        )
        .unwrap();
        let usage = convert_usage(&wire);
        assert_eq!(usage.input_tokens.total, Some(123));
        assert_eq!(usage.input_tokens.no_cache, Some(3));
        assert_eq!(usage.input_tokens.cache_read, Some(100));
        assert_eq!(usage.input_tokens.cache_write, Some(20));
        assert_eq!(usage.output_tokens.total, Some(7));
        assert_eq!(usage.output_tokens.reasoning, None);

        let plain = convert_usage(
            &serde_json::from_str(r#"{"inputTokens":1,"outputTokens":2,"totalTokens":3}"#).unwrap(),
        );
        assert_eq!(plain.input_tokens.total, Some(1));
        assert_eq!(plain.input_tokens.cache_read, None);
        assert_eq!(plain.input_tokens.cache_write, None);
    }
}
