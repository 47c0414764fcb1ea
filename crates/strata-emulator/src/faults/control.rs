//! The JSON form of faults, as `POST /_emulator/faults` takes them.
//!
//! A body is one object or an array of objects, each with a `kind` and the kind's fields;
//! `count` (default 1) is how many requests the fault applies to:
//!
//! | kind | fields |
//! |---|---|
//! | `throttle` | |
//! | `serverError` | `status` (500-599), `retryAfterSeconds` (optional) |
//! | `redirect` | `location` |
//! | `delay` | `millis` |
//! | `stall` | `afterFrames`, `millis` |
//! | `streamException` | `afterFrames`, `exception`, `message` |
//! | `corruptCrc` | `frame` |
//! | `truncate` | `frame` |
//! | `clockSkew` | `seconds` (signed; sets the skew, takes no `count`) |

use std::time::Duration;

use serde_json::{Map, Value};

use super::{Fault, Faults};

/// Applies a control request body; the error names the offending field.
pub(crate) fn apply_json(faults: &Faults, body: &Value) -> Result<usize, String> {
    let items: Vec<&Value> = match body {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    // Parse everything first so a bad item leaves the queue untouched.
    let mut parsed = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let object = item
            .as_object()
            .ok_or_else(|| format!("fault {index}: expected a JSON object"))?;
        parsed.push(parse(object).map_err(|e| format!("fault {index}: {e}"))?);
    }
    for item in &parsed {
        match item {
            Parsed::Skew(seconds) => faults.set_clock_skew(*seconds),
            Parsed::Fault(fault, count) => {
                faults
                    .push(fault.clone(), *count)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(parsed.len())
}

enum Parsed {
    Fault(Fault, u32),
    Skew(i64),
}

fn parse(object: &Map<String, Value>) -> Result<Parsed, String> {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("missing string field `kind`")?;
    let count = match object.get("count") {
        None => 1,
        Some(value) => value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or("`count` must be a positive integer")?,
    };
    let fault = match kind {
        "throttle" => Fault::Throttle,
        "serverError" => Fault::ServerError {
            status: u16::try_from(uint(object, "status")?)
                .map_err(|_| "`status` is out of range")?,
            retry_after: match object.get("retryAfterSeconds") {
                None | Some(Value::Null) => None,
                Some(_) => Some(uint(object, "retryAfterSeconds")?),
            },
        },
        "redirect" => Fault::Redirect {
            location: string(object, "location")?,
        },
        "delay" => Fault::Delay(Duration::from_millis(uint(object, "millis")?)),
        "stall" => Fault::Stall {
            after_frames: index(object, "afterFrames")?,
            duration: Duration::from_millis(uint(object, "millis")?),
        },
        "streamException" => Fault::StreamException {
            after_frames: index(object, "afterFrames")?,
            exception: string(object, "exception")?,
            message: string(object, "message")?,
        },
        "corruptCrc" => Fault::CorruptCrc {
            frame: index(object, "frame")?,
        },
        "truncate" => Fault::Truncate {
            frame: index(object, "frame")?,
        },
        "clockSkew" => {
            let seconds = object
                .get("seconds")
                .and_then(Value::as_i64)
                .ok_or("missing integer field `seconds`")?;
            return Ok(Parsed::Skew(seconds));
        }
        other => return Err(format!("unknown fault kind `{other}`")),
    };
    Ok(Parsed::Fault(fault, count))
}

fn uint(object: &Map<String, Value>, field: &str) -> Result<u64, String> {
    object
        .get(field)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("missing non-negative integer field `{field}`"))
}

fn index(object: &Map<String, Value>, field: &str) -> Result<usize, String> {
    usize::try_from(uint(object, field)?).map_err(|_| format!("`{field}` is out of range"))
}

fn string(object: &Map<String, Value>, field: &str) -> Result<String, String> {
    object
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("missing string field `{field}`"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_every_kind() {
        let faults = Faults::default();
        let body = json!([
            {"kind": "throttle", "count": 2},
            {"kind": "serverError", "status": 503, "retryAfterSeconds": 3},
            {"kind": "serverError", "status": 500},
            {"kind": "redirect", "location": "http://127.0.0.1:1/elsewhere"},
            {"kind": "delay", "millis": 250},
            {"kind": "stall", "afterFrames": 2, "millis": 100},
            {"kind": "streamException", "afterFrames": 1, "exception": "modelStreamErrorException", "message": "boom"},
            {"kind": "corruptCrc", "frame": 0},
            {"kind": "truncate", "frame": 3},
            {"kind": "clockSkew", "seconds": -900}
        ]);
        assert_eq!(apply_json(&faults, &body), Ok(10));
        assert_eq!(faults.clock_skew(), -900);
        assert_eq!(
            faults.pending(),
            vec![
                (Fault::Throttle, 2),
                (
                    Fault::ServerError {
                        status: 503,
                        retry_after: Some(3)
                    },
                    1
                ),
                (
                    Fault::ServerError {
                        status: 500,
                        retry_after: None
                    },
                    1
                ),
                (
                    Fault::Redirect {
                        location: "http://127.0.0.1:1/elsewhere".into()
                    },
                    1
                ),
                (Fault::Delay(Duration::from_millis(250)), 1),
                (
                    Fault::Stall {
                        after_frames: 2,
                        duration: Duration::from_millis(100)
                    },
                    1
                ),
                (
                    Fault::StreamException {
                        after_frames: 1,
                        exception: "modelStreamErrorException".into(),
                        message: "boom".into()
                    },
                    1
                ),
                (Fault::CorruptCrc { frame: 0 }, 1),
                (Fault::Truncate { frame: 3 }, 1),
            ]
        );
    }

    #[test]
    fn a_bad_item_names_the_problem_and_changes_nothing() {
        let faults = Faults::default();
        let body = json!([{"kind": "throttle"}, {"kind": "stall", "afterFrames": 1}]);
        assert_eq!(
            apply_json(&faults, &body),
            Err("fault 1: missing non-negative integer field `millis`".into())
        );
        assert!(faults.pending().is_empty());
        assert_eq!(
            apply_json(&faults, &json!({"kind": "meteor"})),
            Err("fault 0: unknown fault kind `meteor`".into())
        );
        assert_eq!(
            apply_json(&faults, &json!({"kind": "throttle", "count": 0})),
            Err("fault 0: `count` must be a positive integer".into())
        );
    }
}
