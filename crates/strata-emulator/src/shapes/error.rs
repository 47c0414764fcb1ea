//! [`ValidationError`]: why a request body does not fit its operation's input shape, worded
//! the way Bedrock words it.

use std::fmt;

/// At most this many violations are spelled out in one message; the count stays exact and the
/// message says how many were left out.
pub(super) const MAX_LISTED: usize = 20;

/// Values longer than this (in characters) are cut in messages, with `...` appended.
const MAX_VALUE_CHARS: usize = 256;

/// A request body that does not fit the service model.
///
/// Two families, as on the real service:
/// - *malformed* bodies (unknown keys, wrong JSON types, bad base64, unions with zero or
///   several members set): the body cannot be read as the input shape at all;
/// - *constraint* violations (missing required members, lengths, ranges, patterns, enum
///   values): the body reads fine but breaks a modelled constraint.
///
/// A body with both kinds reports the malformed part only, as a service that fails to
/// deserialise never gets to check constraints. [`message`](Self::message) gives the text for
/// the `ValidationException` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValidationError {
    kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    UnknownOperation(String),
    Malformed(Listed),
    Constraints(Listed),
}

/// Rendered violations, the first [`MAX_LISTED`] of `total`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Listed {
    pub(super) items: Vec<String>,
    pub(super) total: usize,
}

impl Listed {
    pub(super) fn push(&mut self, item: impl FnOnce() -> String) {
        self.total += 1;
        if self.will_list() {
            self.items.push(item());
        }
    }

    /// Whether the next pushed violation will be spelled out (not just counted).
    pub(super) fn will_list(&self) -> bool {
        self.items.len() < MAX_LISTED
    }

    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn omitted(&self) -> usize {
        self.total - self.items.len()
    }
}

impl ValidationError {
    pub(super) fn unknown_operation(operation: &str) -> Self {
        ValidationError {
            kind: ErrorKind::UnknownOperation(operation.to_owned()),
        }
    }

    pub(super) fn malformed(listed: Listed) -> Self {
        ValidationError {
            kind: ErrorKind::Malformed(listed),
        }
    }

    pub(super) fn constraints(listed: Listed) -> Self {
        ValidationError {
            kind: ErrorKind::Constraints(listed),
        }
    }
}

// The server answers every failure with the same ValidationException, so it needs only
// `message`; the predicates serve the tests and callers that want to tell the kinds apart.
#[cfg_attr(not(test), allow(dead_code))]
impl ValidationError {
    /// The body could not be read as the input shape (unknown key, wrong type, bad base64,
    /// union with zero or several members).
    pub(crate) fn is_malformed(&self) -> bool {
        matches!(self.kind, ErrorKind::Malformed(_))
    }

    /// The body broke modelled constraints (required, length, range, pattern, enum).
    pub(crate) fn is_constraint_violation(&self) -> bool {
        matches!(self.kind, ErrorKind::Constraints(_))
    }

    /// The operation name is not one this service model serves (a caller bug, not bad input).
    pub(crate) fn is_unknown_operation(&self) -> bool {
        matches!(self.kind, ErrorKind::UnknownOperation(_))
    }

    /// How many violations were found (all of them, also those left out of the message).
    pub(crate) fn violation_count(&self) -> usize {
        match &self.kind {
            ErrorKind::UnknownOperation(_) => 0,
            ErrorKind::Malformed(listed) | ErrorKind::Constraints(listed) => listed.total,
        }
    }

    /// The text for the `message` member of the 400 `ValidationException`.
    ///
    /// - constraints: `1 validation error detected: Value '0' at 'inferenceConfig.maxTokens'
    ///   failed to satisfy constraint: Member must have value greater than or equal to 1`
    ///   (several are joined with `; `, and the count says `N validation errors`);
    /// - malformed: `Malformed input request: #/messages/0: extraneous key [foo] is not
    ///   permitted, please reformat your input and try again.` (several are concatenated).
    pub(crate) fn message(&self) -> String {
        match &self.kind {
            ErrorKind::UnknownOperation(op) => format!("Unknown operation {op}"),
            ErrorKind::Constraints(listed) => {
                let plural = if listed.total == 1 { "" } else { "s" };
                let mut text = format!(
                    "{} validation error{plural} detected: {}",
                    listed.total,
                    listed.items.join("; ")
                );
                if listed.omitted() > 0 {
                    text.push_str(&format!("; and {} more not shown", listed.omitted()));
                }
                text
            }
            ErrorKind::Malformed(listed) => {
                let mut text = String::from("Malformed input request: ");
                for item in &listed.items {
                    text.push_str(item);
                }
                if listed.omitted() > 0 {
                    text.push_str(&format!(" (and {} more not shown)", listed.omitted()));
                }
                text.push_str(", please reformat your input and try again.");
                text
            }
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ValidationError {}

/// How a value is shown in a constraint message.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shown<'a> {
    /// `Value '<text>' at ...` (cut at 256 characters).
    Value(&'a serde_json::Value),
    /// `Value null at ...`, for missing required members.
    Null,
    /// `Value at ...`: the member is `sensitive` in the model, so its value is not echoed.
    Hidden,
}

/// One constraint violation: `Value '<v>' at '<path>' failed to satisfy constraint: <rule>`.
pub(super) fn constraint(shown: Shown<'_>, path: &str, rule: &str) -> String {
    let value = match shown {
        Shown::Value(serde_json::Value::String(s)) => format!(" '{}'", cut(s)),
        Shown::Value(v) => format!(" '{}'", cut(&v.to_string())),
        Shown::Null => " null".to_owned(),
        Shown::Hidden => String::new(),
    };
    format!("Value{value} at '{path}' failed to satisfy constraint: {rule}")
}

fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        None => text.into(),
        Some((end, _)) => format!("{}...", &text[..end]).into(),
    }
}

/// The JSON type name of a value, as schema validators name them in Bedrock's messages.
pub(super) fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_f64() => "Number",
        Value::Number(_) => "Integer",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}
