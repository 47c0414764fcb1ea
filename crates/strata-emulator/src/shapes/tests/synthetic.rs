//! Shape kinds and bindings the served operations do not use (timestamps, longs, doubles,
//! query members, event-stream payloads), and extracts that do not compile, on small
//! hand-written extracts.

use serde_json::json;

use super::super::model::Model;
use super::super::{InputBody, ServiceShapes};
use super::message;

fn shapes() -> ServiceShapes {
    let extract = json!({
        "metadata": {},
        "operations": {
            "Op": {"http": {"method": "POST", "requestUri": "/op"}, "input": "In", "errors": []},
            "Events": {"http": {"method": "POST", "requestUri": "/ev"}, "input": "EvIn", "errors": []},
            "Bare": {"http": {"method": "GET", "requestUri": "/"}, "errors": []}
        },
        "shapes": {
            "In": {"type": "structure", "required": ["q"], "members": {
                "when": {"shape": "Ts"}, "big": {"shape": "Big"}, "ratio": {"shape": "Ratio"},
                "flag": {"shape": "Flag"},
                "q": {"shape": "Str", "location": "querystring", "locationName": "q"}}},
            "Ts": {"type": "timestamp"},
            "Big": {"type": "long", "min": -5},
            "Ratio": {"type": "double", "max": 0.5},
            "Flag": {"type": "boolean"},
            "Str": {"type": "string"},
            "EvIn": {"type": "structure", "payload": "events", "members": {"events": {"shape": "Ev"}}},
            "Ev": {"type": "structure", "eventstream": true, "members": {}}
        }
    });
    ServiceShapes {
        model: Model::from_json(&extract.to_string()).unwrap(),
    }
}

fn wrapped(details: &str) -> String {
    format!("Malformed input request: {details}, please reformat your input and try again.")
}

#[test]
fn timestamps_are_epoch_seconds() {
    let shapes = shapes();
    shapes
        .validate_input("Op", &json!({"when": 1_700_000_000}))
        .unwrap();
    shapes
        .validate_input("Op", &json!({"when": 1.7e9}))
        .unwrap();
    assert_eq!(
        message(&shapes, "Op", json!({"when": "2024-01-01T00:00:00Z"})),
        wrapped("#/when: expected type: Number, found: String")
    );
}

#[test]
fn longs_doubles_and_booleans() {
    let shapes = shapes();
    shapes
        .validate_input("Op", &json!({"big": i64::MAX, "ratio": 0.5, "flag": false}))
        .unwrap();
    assert_eq!(
        message(&shapes, "Op", json!({"big": 9_223_372_036_854_775_808u64})),
        wrapped("#/big: 9223372036854775808 is out of range for type Long")
    );
    assert_eq!(
        message(&shapes, "Op", json!({"big": -6, "ratio": 0.75})),
        "2 validation errors detected: \
         Value '-6' at 'big' failed to satisfy constraint: \
         Member must have value greater than or equal to -5; \
         Value '0.75' at 'ratio' failed to satisfy constraint: \
         Member must have value less than or equal to 0.5"
    );
    assert_eq!(
        message(&shapes, "Op", json!({"flag": "true"})),
        wrapped("#/flag: expected type: Boolean, found: String")
    );
}

#[test]
fn query_members_are_not_body_members() {
    let shapes = shapes();
    // `q` is required, but it travels in the query string.
    shapes.validate_input("Op", &json!({})).unwrap();
    assert_eq!(
        message(&shapes, "Op", json!({"q": "x"})),
        wrapped("#: extraneous key [q] is not permitted")
    );
}

#[test]
fn event_stream_payloads_and_missing_inputs_are_raw() {
    let shapes = shapes();
    assert_eq!(shapes.input_body("Op"), Some(InputBody::Json));
    assert_eq!(shapes.input_body("Events"), Some(InputBody::Raw));
    assert_eq!(shapes.input_body("Bare"), Some(InputBody::Raw));
    shapes.validate_input("Events", &json!([1, 2])).unwrap();
    shapes.validate_input("Bare", &json!(null)).unwrap();
}

#[test]
fn broken_extracts_are_load_errors() {
    let load = |shapes: serde_json::Value| {
        let extract = json!({"operations": {}, "shapes": shapes}).to_string();
        Model::from_json(&extract).unwrap_err().0
    };
    assert_eq!(
        load(json!({"L": {"type": "list", "member": {"shape": "Nope"}}})),
        "L refers to unknown shape \"Nope\""
    );
    assert_eq!(
        load(json!({"S": {"type": "set"}})),
        "S: unsupported shape type \"set\""
    );
    assert!(
        load(json!({"P": {"type": "string", "pattern": "("}}))
            .starts_with("P: pattern does not compile: ")
    );
    assert_eq!(
        load(json!({"T": {"type": "structure", "members": {
            "m": {"shape": "T", "location": "cookie"}}}})),
        "T.m: unknown location \"cookie\""
    );
    assert!(
        Model::from_json("{")
            .unwrap_err()
            .0
            .starts_with("invalid JSON: ")
    );
    assert_eq!(
        Model::from_json(r#"{"shapes": []}"#).unwrap_err().0,
        "shapes is not an object"
    );
}
