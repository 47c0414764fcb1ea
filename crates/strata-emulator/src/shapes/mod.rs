//! Request-shape validation against the Bedrock service models.
//!
//! The emulator answers a body that does not fit the operation's input shape with a 400
//! `ValidationException`, as Bedrock does. The shapes come from the botocore service models
//! in `shared/aws-models/`, carried in this crate as shapes-only extracts
//! (`models/bedrock-runtime.shapes.json`, `models/bedrock-agent-runtime.shapes.json`:
//! the served operations and every shape reachable from their inputs, outputs and errors,
//! documentation stripped) so the crate builds without `shared/`.
//!
//! # Regenerating the extracts
//!
//! After updating the models in `shared/aws-models/`, from the repository root:
//!
//! ```text
//! python3 crates/strata-emulator/scripts/extract_shapes.py          # rewrite the extracts
//! python3 crates/strata-emulator/scripts/extract_shapes.py --check  # what the tests run
//! ```
//!
//! A test runs `--check` and fails when the committed extracts are stale.
//!
//! # Use
//!
//! ```text
//! let shapes = shapes::runtime();                  // parsed and compiled once per process
//! match shapes.input_body("Converse") {
//!     Some(InputBody::Json) => shapes.validate_input("Converse", &json)?,
//!     Some(InputBody::Raw) => { /* InvokeModel: the body is the model's own payload */ }
//!     None => { /* not an operation of this service */ }
//! }
//! // error.message() is the ValidationException message.
//! ```
//!
//! # What is checked, and how it is worded
//!
//! Members bound to the URI, headers or query string (`modelId`, InvokeModel's headers) are
//! not body members: in a body they are unknown keys. `null` members count as absent, as in
//! Smithy's JSON protocols. Documents accept any JSON; blobs are base64 strings (padding
//! optional, decoded without allocating) whose decoded length is checked; timestamps are
//! epoch-second numbers; float members also take `"NaN"`, `"Infinity"` and `"-Infinity"`.
//! Patterns must match the whole value (the botocore copy of the runtime model drops the
//! `^…$` anchors the service applies).
//!
//! Two message families, both modelled on messages Bedrock is seen to send (public bug
//! reports; no AWS call is made here):
//!
//! - **Constraint violations** use the AWS (Coral) validation format, seen on Bedrock for
//!   Converse, e.g. `1 validation error detected: Value 'developer' at
//!   'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value
//!   set: [user, assistant]`. Paths name members with dots; list elements are 1-based and
//!   followed by `.member`; map entries are named by their key. Several violations read
//!   `N validation errors detected: A; B`. Rules: `Member must not be null` (missing required
//!   member), `Member must have length greater than or equal to N` / `less than or equal to
//!   N` (strings in characters, blobs in decoded bytes, lists and maps in entries), `Member
//!   must have value greater than or equal to N` / `less than or equal to N`, `Member must
//!   satisfy regular expression pattern: P`, `Member must satisfy enum value set: [a, b]`;
//!   broken map keys or scalar map values are reported once on the map as `Map keys must
//!   satisfy constraint: [rules]` / `Map value must satisfy constraint: [rules]`. Values of
//!   members the model marks `sensitive` (prompt variables, request metadata, image sources,
//!   reasoning, rerank queries and sources) are not echoed: `Value at 'path' failed ...`.
//!   Other values are shown as their text (strings) or compact JSON, cut at 256 characters.
//! - **Malformed bodies** (unknown keys, wrong JSON types, integers out of range, bad
//!   base64, unions with zero or several members set) use the JSON-schema wording Bedrock
//!   returns for bodies it cannot read, with 0-based JSON pointers: `Malformed input
//!   request: #/messages/0/content/0: extraneous key [type] is not permitted, please
//!   reformat your input and try again.` Other details: `expected type: String, found:
//!   Integer` (types `JSONObject`, `JSONArray`, `String`, `Integer`, `Number`, `Boolean`,
//!   `Null`), `3000000000 is out of range for type Integer`, `expected a base64-encoded
//!   blob`, `union ContentBlock must have exactly one member set, found none` / `found 2:
//!   [image, text]`. Several are concatenated, as Bedrock does. What Converse itself
//!   answers for an unknown key is not publicly recorded; this is the wording Bedrock uses
//!   when a body fails its JSON-schema check (seen on InvokeModel, e.g. `#: extraneous key
//!   [stream] is not permitted`), chosen so tests that match on `extraneous key [name]`
//!   work against both.
//!
//! [`ServiceShapes::validate_bindings`] checks the URI labels and headers the same way
//! (`Value 'on' at 'trace' failed to satisfy constraint: ...`).
//!
//! A body with malformed parts reports those only. At most 20 violations are spelled out;
//! the count stays exact and the message says how many were left out.

mod bindings;
mod error;
mod model;
mod validate;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

pub(crate) use error::ValidationError;
use model::{Kind, Model};

/// The compiled shapes of one service model.
#[derive(Debug)]
pub(crate) struct ServiceShapes {
    model: Model,
}

/// What the HTTP body of an operation's request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputBody {
    /// A JSON object of the input's body members: check it with
    /// [`ServiceShapes::validate_input`].
    Json,
    /// Raw bytes bound to a blob or stream payload member (InvokeModel's model-native body):
    /// not checked against the service model.
    Raw,
}

const RUNTIME_EXTRACT: &str = include_str!("../../models/bedrock-runtime.shapes.json");
const AGENT_RUNTIME_EXTRACT: &str = include_str!("../../models/bedrock-agent-runtime.shapes.json");

/// Bedrock Runtime (Converse, ConverseStream, CountTokens, InvokeModel,
/// InvokeModelWithResponseStream), compiled on first use.
pub(crate) fn runtime() -> &'static ServiceShapes {
    static SHAPES: OnceLock<ServiceShapes> = OnceLock::new();
    SHAPES.get_or_init(|| ServiceShapes::load("bedrock-runtime", RUNTIME_EXTRACT))
}

/// Bedrock Agent Runtime (Rerank), compiled on first use.
pub(crate) fn agent_runtime() -> &'static ServiceShapes {
    static SHAPES: OnceLock<ServiceShapes> = OnceLock::new();
    SHAPES.get_or_init(|| ServiceShapes::load("bedrock-agent-runtime", AGENT_RUNTIME_EXTRACT))
}

impl ServiceShapes {
    /// Compiles an embedded extract. The extracts are part of the crate and tests load both,
    /// so a failure here is a build defect, never a reaction to a request.
    fn load(service: &str, extract: &str) -> ServiceShapes {
        match Model::from_json(extract) {
            Ok(model) => ServiceShapes { model },
            Err(e) => panic!("embedded {service} shapes extract is invalid: {}", e.0),
        }
    }

    /// What the request body of `operation` carries, or `None` when the service does not
    /// have that operation.
    pub(crate) fn input_body(&self, operation: &str) -> Option<InputBody> {
        let op = self.model.operations.get(operation)?;
        let Some(input) = op.input else {
            return Some(InputBody::Raw);
        };
        let Kind::Structure {
            members, payload, ..
        } = &self.model.shapes[input].kind
        else {
            return Some(InputBody::Raw);
        };
        let Some(payload) = payload else {
            return Some(InputBody::Json);
        };
        let target = members
            .iter()
            .find(|m| &m.name == payload)
            .map(|m| &self.model.shapes[m.target].kind);
        Some(match target {
            Some(Kind::Structure { .. }) => InputBody::Json,
            _ => InputBody::Raw,
        })
    }

    /// Checks a parsed request body against `operation`'s input shape.
    ///
    /// Operations whose body is [`InputBody::Raw`] accept any value. An operation this
    /// service does not have gives an error whose
    /// [`is_unknown_operation`](ValidationError::is_unknown_operation) is true. An empty HTTP
    /// body is the empty object `{}` in rest-json: parse it as such before calling.
    pub(crate) fn validate_input(
        &self,
        operation: &str,
        body: &serde_json::Value,
    ) -> Result<(), ValidationError> {
        let Some(InputBody::Json) = self.input_body(operation) else {
            return match self.model.operations.contains_key(operation) {
                true => Ok(()),
                false => Err(ValidationError::unknown_operation(operation)),
            };
        };
        let Some(input) = self.model.operations[operation].input else {
            return Ok(());
        };
        // A structure payload member is the whole body; otherwise the input structure is.
        let root = match &self.model.shapes[input].kind {
            Kind::Structure {
                members,
                payload: Some(payload),
                ..
            } => members
                .iter()
                .find(|m| &m.name == payload)
                .map_or(input, |m| m.target),
            _ => input,
        };
        validate::validate(&self.model, root, body)
    }

    /// Checks the members `operation` binds to URI labels and headers: `labels` are the
    /// decoded URI labels by name (`[("modelId", "amazon.nova-lite-v1:0")]`), `headers` the
    /// request headers (InvokeModel's `X-Amzn-Bedrock-Trace`, `-PerformanceConfig-Latency`,
    /// `-Service-Tier`, `-GuardrailIdentifier`, `-GuardrailVersion`, ...). Violations are
    /// worded as for body members, with the member name as path:
    /// `Value 'on' at 'trace' failed to satisfy constraint: Member must satisfy enum value
    /// set: [ENABLED, DISABLED, ENABLED_FULL]`.
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "for the server's routes to call; only tests do so far"
        )
    )]
    pub(crate) fn validate_bindings(
        &self,
        operation: &str,
        labels: &[(&str, &str)],
        headers: &http::HeaderMap,
    ) -> Result<(), ValidationError> {
        let Some(op) = self.model.operations.get(operation) else {
            return Err(ValidationError::unknown_operation(operation));
        };
        match op.input {
            Some(input) => bindings::validate(&self.model, input, labels, headers),
            None => Ok(()),
        }
    }
}
