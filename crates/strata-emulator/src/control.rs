//! The unauthenticated control endpoints on the emulator's own port:
//!
//! - `POST /_emulator/faults` — queue faults (JSON, see [`crate::faults`]'s control format);
//!   answers `{"accepted": n}`.
//! - `GET /_emulator/faults` — `{"pending": n, "clockSkewSeconds": s}`.
//! - `GET /_emulator/journal` — the journal as a JSON array (see [`crate::JournalEntry::to_json`]).
//! - `POST /_emulator/reset` — clear faults, clock skew and journal.

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::body::ResponseBody;
use crate::faults;
use crate::server::Shared;

/// The path prefix of control requests.
pub(crate) const PREFIX: &str = "/_emulator/";

pub(crate) fn handle(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &Bytes,
) -> http::Response<ResponseBody> {
    let path = &parts.uri.path()[PREFIX.len()..];
    match (&parts.method, path) {
        (&Method::POST, "faults") => {
            let parsed: Value = match serde_json::from_slice(body) {
                Ok(value) => value,
                Err(e) => {
                    return ApiError::validation(format!("The body is not valid JSON: {e}"))
                        .into_response();
                }
            };
            match faults::apply_json(&shared.faults, &parsed) {
                Ok(accepted) => json_response(&json!({ "accepted": accepted })),
                Err(message) => ApiError::validation(message).into_response(),
            }
        }
        (&Method::GET, "faults") => json_response(&json!({
            "pending": shared.faults.pending().iter().map(|(_, n)| u64::from(*n)).sum::<u64>(),
            "clockSkewSeconds": shared.faults.clock_skew(),
        })),
        (&Method::GET, "journal") => json_response(&shared.journal.to_json()),
        (&Method::POST, "reset") => {
            shared.faults.clear();
            shared.journal.clear();
            json_response(&json!({}))
        }
        _ => ApiError::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            format!("No control endpoint {} {}", parts.method, parts.uri.path()),
        )
        .into_response(),
    }
}

fn json_response(value: &Value) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(ResponseBody::full(Bytes::from(value.to_string())));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
