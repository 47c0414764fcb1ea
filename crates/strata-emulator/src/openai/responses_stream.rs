//! The Responses API's streamed events for an answer.
//!
//! `response.created`, `response.in_progress`; per output item `response.output_item.added`,
//! its parts and deltas (reasoning summary text and output text split every 3 tokens, function
//! arguments in 3 pieces by characters) and `response.output_item.done`; then
//! `response.completed` (or `response.incomplete` when the output hit `max_output_tokens`)
//! with the whole response and its usage. Every event carries `type` and a `sequence_number`
//! counting from 0.

use serde_json::{Value, json};

use super::convert::Answer;
use super::responses::{Ids, ResponsesCall, message_item, reasoning_item, response_object};
use crate::models::chat::stream::{TOKENS_PER_DELTA, split_chars};
use crate::models::tokens::chunk;

#[derive(Debug, Default)]
struct Events {
    out: Vec<(&'static str, Value)>,
}

impl Events {
    fn push(&mut self, kind: &'static str, mut payload: Value) {
        payload["type"] = json!(kind);
        payload["sequence_number"] = json!(self.out.len());
        self.out.push((kind, payload));
    }

    fn item(
        &mut self,
        output_index: usize,
        added: Value,
        done: Value,
        body: impl FnOnce(&mut Self),
    ) {
        self.push(
            "response.output_item.added",
            json!({"output_index": output_index, "item": added}),
        );
        body(self);
        self.push(
            "response.output_item.done",
            json!({"output_index": output_index, "item": done}),
        );
    }
}

/// The events, each with its name, for `answer`.
pub(crate) fn events(
    call: &ResponsesCall,
    ids: &Ids,
    created: u64,
    model: &str,
    answer: &Answer,
) -> Vec<(&'static str, Value)> {
    let mut events = Events::default();
    let pending = response_object(call, ids, created, model, None);
    events.push("response.created", json!({ "response": pending }));
    events.push("response.in_progress", json!({ "response": pending }));
    let mut index = 0;
    if let Some(summary) = &answer.reasoning {
        let id = &ids.reasoning;
        let mut added = reasoning_item(call, ids, answer, summary);
        added["summary"] = json!([]);
        let done = reasoning_item(call, ids, answer, summary);
        events.item(index, added, done, |events| {
            let at = json!({"item_id": id, "output_index": index, "summary_index": 0});
            let with = |extra: Value| merge(&at, extra);
            events.push(
                "response.reasoning_summary_part.added",
                with(json!({"part": {"type": "summary_text", "text": ""}})),
            );
            for piece in chunk(summary, TOKENS_PER_DELTA) {
                events.push(
                    "response.reasoning_summary_text.delta",
                    with(json!({ "delta": piece })),
                );
            }
            events.push(
                "response.reasoning_summary_text.done",
                with(json!({ "text": summary })),
            );
            events.push(
                "response.reasoning_summary_part.done",
                with(json!({"part": {"type": "summary_text", "text": summary}})),
            );
        });
        index += 1;
    }
    if let Some(text) = &answer.text {
        let id = &ids.message;
        let mut added = message_item(ids, answer, text);
        added["status"] = json!("in_progress");
        added["content"] = json!([]);
        let done = message_item(ids, answer, text);
        events.item(index, added, done, |events| {
            let at = json!({"item_id": id, "output_index": index, "content_index": 0});
            let with = |extra: Value| merge(&at, extra);
            let part = |text: &str| json!({"type": "output_text", "text": text, "annotations": [], "logprobs": []});
            events.push("response.content_part.added", with(json!({"part": part("")})));
            for piece in chunk(text, TOKENS_PER_DELTA) {
                events.push(
                    "response.output_text.delta",
                    with(json!({"delta": piece, "logprobs": []})),
                );
            }
            events.push(
                "response.output_text.done",
                with(json!({"text": text, "logprobs": []})),
            );
            events.push("response.content_part.done", with(json!({"part": part(text)})));
        });
        index += 1;
    }
    for ((call_id, name, arguments), item_id) in answer.calls.iter().zip(&ids.calls) {
        let item = |arguments: &str, status: &str| {
            json!({"type": "function_call", "id": item_id, "call_id": call_id, "name": name,
                   "arguments": arguments, "status": status})
        };
        events.item(
            index,
            item("", "in_progress"),
            item(arguments, "completed"),
            |events| {
                let at = json!({"item_id": item_id, "output_index": index});
                for piece in split_chars(arguments, 3) {
                    events.push(
                        "response.function_call_arguments.delta",
                        merge(&at, json!({ "delta": piece })),
                    );
                }
                events.push(
                    "response.function_call_arguments.done",
                    merge(&at, json!({ "arguments": arguments })),
                );
            },
        );
        index += 1;
    }
    let done = response_object(call, ids, created, model, Some(answer));
    let last = if answer.is_cut() {
        "response.incomplete"
    } else {
        "response.completed"
    };
    events.push(last, json!({ "response": done }));
    events.out
}

/// `base` with the members of `extra` added.
fn merge(base: &Value, extra: Value) -> Value {
    let mut out = base.clone();
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    out
}
