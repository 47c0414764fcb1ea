//! The reply rule: from a parsed request to the blocks, stop reason and usage of the answer.

use base64::Engine as _;
use serde_json::Value;

use super::request::{ChatRequest, block_text, document_text};
use super::tools;
use super::{Block, Citation, PromptCache, Turn, Usage};
use crate::models::catalog::ModelInfo;
use crate::models::hash::{SplitMix64, alphanumeric, fnv1a_parts};
use crate::models::tokens::{count_text, truncate};

/// What the last user message holds.
#[derive(Debug, Default)]
struct LastUser<'a> {
    text: String,
    tool_results: Vec<&'a Value>,
    cited_document: Option<(usize, &'a Value)>,
    images: usize,
    documents: usize,
    videos: usize,
    audios: usize,
}

fn last_user(messages: &[Value]) -> LastUser<'_> {
    let mut out = LastUser::default();
    let mut document_index = 0usize;
    let last = messages
        .iter()
        .rposition(|m| m.get("role").and_then(Value::as_str) == Some("user"));
    for (i, message) in messages.iter().enumerate() {
        let blocks = message
            .get("content")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for block in blocks {
            if let Some(document) = block.get("document") {
                let cited = document
                    .get("citations")
                    .and_then(|c| c.get("enabled"))
                    .and_then(Value::as_bool)
                    == Some(true);
                if Some(i) == last {
                    out.documents += 1;
                    if cited && out.cited_document.is_none() {
                        out.cited_document = Some((document_index, document));
                    }
                }
                document_index += 1;
                continue;
            }
            if Some(i) != last {
                continue;
            }
            if let Some(text) = block_text(block) {
                if !out.text.is_empty() {
                    out.text.push('\n');
                }
                out.text.push_str(text);
            } else if let Some(result) = block.get("toolResult") {
                out.tool_results.push(result);
            } else if block.get("image").is_some() {
                out.images += 1;
            } else if block.get("video").is_some() {
                out.videos += 1;
            } else if block.get("audio").is_some() {
                out.audios += 1;
            }
        }
    }
    out
}

/// Builds the answer for `request` (see [`crate::models::chat`] for the rule).
pub(crate) fn answer(
    model: &ModelInfo,
    request: &ChatRequest,
    cache: Option<&mut PromptCache>,
) -> Turn {
    let user = last_user(&request.messages);
    let mut blocks = Vec::new();
    let mut output_tokens = 0;
    let mut stop_reason = "end_turn";
    let mut stop_sequence = None;

    if let Some(budget) = request.reasoning {
        let full = format!(
            "The user wrote: {}. I will answer by repeating it.",
            summary(&user)
        );
        let text = match budget.and_then(|b| truncate(&full, b)) {
            Some(cut) => cut.to_owned(),
            None => full,
        };
        output_tokens += count_text(&text);
        blocks.push(Block::Reasoning {
            signature: signature(&text),
            text,
        });
    }

    let tool = if user.tool_results.is_empty() {
        tools::select(&request.tools, &request.choice, &user.text)
    } else {
        None
    };
    if let Some(tool) = tool {
        let input = tools::generate(&tool.schema);
        let seed = fnv1a_parts(&[
            model.id.as_bytes(),
            tool.name.as_bytes(),
            user.text.as_bytes(),
            &request.messages.len().to_le_bytes(),
        ]);
        output_tokens += count_text(&serde_json::to_string(&input).unwrap_or_default());
        blocks.push(Block::ToolUse {
            id: format!("tooluse_{}", alphanumeric(seed, 22)),
            name: tool.name.clone(),
            input,
        });
        stop_reason = "tool_use";
    } else {
        let (mut text, citation) = reply_text(request, &user, model);
        if let Some((at, seq)) = earliest_stop(&text, &request.stop_sequences) {
            text.truncate(at);
            stop_reason = "stop_sequence";
            stop_sequence = Some(seq);
        }
        if let Some(max) = request.max_tokens {
            let budget = max.saturating_sub(output_tokens);
            if let Some(cut) = truncate(&text, budget) {
                text = cut.to_owned();
                stop_reason = "max_tokens";
                stop_sequence = None;
            }
        }
        output_tokens += count_text(&text);
        blocks.push(match citation {
            Some(citation) => Block::Cited { text, citation },
            None => Block::Text(text),
        });
    }

    let (cache_read, cache_write) = cache_usage(request, cache);
    let usage = Usage {
        input: request.input_tokens - cache_read - cache_write,
        output: output_tokens,
        cache_read,
        cache_write,
        cache_points: !request.cache_prefixes.is_empty(),
    };
    Turn {
        blocks,
        stop_reason,
        stop_sequence,
        latency_ms: 100 + output_tokens,
        usage,
    }
}

/// The user's text plus a note of attachments, for reasoning and plain replies.
fn summary(user: &LastUser<'_>) -> String {
    let said = if user.text.trim().is_empty() {
        "nothing".to_owned()
    } else {
        user.text.clone()
    };
    let mut parts = Vec::new();
    for (n, noun) in [
        (user.images, "image"),
        (user.documents, "document"),
        (user.videos, "video"),
        (user.audios, "audio clip"),
    ] {
        match n {
            0 => {}
            1 => parts.push(format!("1 {noun}")),
            n => parts.push(format!("{n} {noun}s")),
        }
    }
    if parts.is_empty() {
        said
    } else {
        format!("{said} (attached: {})", parts.join(", "))
    }
}

fn reply_text(
    request: &ChatRequest,
    user: &LastUser<'_>,
    model: &ModelInfo,
) -> (String, Option<Citation>) {
    if !user.tool_results.is_empty() {
        let lines: Vec<String> = user
            .tool_results
            .iter()
            .map(|r| tool_result_line(&request.messages, r))
            .collect();
        return (lines.join("\n"), None);
    }
    if let Some(schema) = &request.output_schema {
        return (
            serde_json::to_string(&tools::generate(schema)).unwrap_or_default(),
            None,
        );
    }
    if let (Some((index, document)), true) = (user.cited_document, model.capabilities.citations) {
        return cited(index, document);
    }
    if user.text.to_lowercase().contains("system prompt") {
        let text = if request.system.is_empty() {
            "I have no system prompt.".to_owned()
        } else {
            format!("My system prompt is: {}", request.system.join(" "))
        };
        return (text, None);
    }
    (format!("You said: {}", summary(user)), None)
}

fn tool_result_line(messages: &[Value], result: &Value) -> String {
    let id = result
        .get("toolUseId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = messages
        .iter()
        .flat_map(|m| {
            m.get("content")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .filter_map(|b| b.get("toolUse"))
        .find(|u| u.get("toolUseId").and_then(Value::as_str) == Some(id))
        .and_then(|u| u.get("name").and_then(Value::as_str))
        .unwrap_or(id);
    let content: Vec<String> = result
        .get("content")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(
            |part| match (part.get("text").and_then(Value::as_str), part.get("json")) {
                (Some(text), _) => text.to_owned(),
                (None, Some(json)) => serde_json::to_string(json).unwrap_or_default(),
                _ => "[non-text content]".to_owned(),
            },
        )
        .collect();
    let verb = if result.get("status").and_then(Value::as_str) == Some("error") {
        "reported an error"
    } else {
        "returned"
    };
    format!("Tool {name} {verb}: {}", content.join(" "))
}

/// The cited answer: `According to <name>: <first sentence>` with one citation of that sentence.
fn cited(index: usize, document: &Value) -> (String, Option<Citation>) {
    let title = document
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("document")
        .to_owned();
    let source = document.get("source");
    let chunked = source.is_some_and(|s| s.get("content").is_some());
    let Some(text) = document_text(document) else {
        let quoted = format!("Page 1 of {title}");
        let citation = Citation {
            title: title.clone(),
            document_index: index,
            location: "documentPage",
            start: 1,
            end: 2,
            quoted,
        };
        return (format!("According to {title}: see page 1."), Some(citation));
    };
    let (start_byte, sentence) = first_sentence(&text);
    let (location, start, end) = if chunked {
        ("documentChunk", 0, 1)
    } else {
        let start = text[..start_byte].chars().count() as u64;
        (
            "documentChar",
            start,
            start + sentence.chars().count() as u64,
        )
    };
    let citation = Citation {
        title: title.clone(),
        document_index: index,
        location,
        start,
        end,
        quoted: sentence.to_owned(),
    };
    (format!("According to {title}: {sentence}"), Some(citation))
}

/// The first sentence of `text` (through the first `.`, `!`, `?` or line end, at most 200
/// characters), with its byte offset.
fn first_sentence(text: &str) -> (usize, &str) {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let mut end = rest.len();
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if count == 200 || c == '\n' {
            end = i;
            break;
        }
        if matches!(c, '.' | '!' | '?') {
            end = i + c.len_utf8();
            break;
        }
    }
    (start, rest[..end].trim_end())
}

fn earliest_stop(text: &str, stops: &[String]) -> Option<(usize, String)> {
    stops
        .iter()
        .filter_map(|s| text.find(s.as_str()).map(|at| (at, s.clone())))
        .min_by_key(|(at, _)| *at)
}

/// A reasoning signature: 48 bytes derived from the reasoning text, base64.
pub(crate) fn signature(text: &str) -> String {
    let mut rng = SplitMix64::new(fnv1a_parts(&[b"signature", text.as_bytes()]));
    let bytes: Vec<u8> = (0..6).flat_map(|_| rng.next_u64().to_le_bytes()).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Cache read / write tokens: without a cache every cache prefix is written; with one, the
/// longest prefix seen before is read and the rest up to the last cache point is written.
fn cache_usage(request: &ChatRequest, cache: Option<&mut PromptCache>) -> (u64, u64) {
    let Some(last) = request.cache_prefixes.last() else {
        return (0, 0);
    };
    let read = match cache {
        None => 0,
        Some(cache) => {
            let read = request
                .cache_prefixes
                .iter()
                .filter(|p| cache.contains(p.hash))
                .map(|p| p.tokens)
                .max()
                .unwrap_or(0);
            for prefix in &request.cache_prefixes {
                cache.insert(prefix.hash);
            }
            read
        }
    };
    (read, last.tokens - read)
}
