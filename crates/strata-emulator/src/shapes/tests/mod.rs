//! Tests of the shapes module: loading, exact messages per violation kind, realistic bodies.

mod bindings;
mod constraints;
mod extract;
mod malformed;
mod synthetic;
mod valid;

use serde_json::Value;

use super::{ServiceShapes, agent_runtime, runtime};

/// The message of a body that must fail for `operation`.
fn message(shapes: &ServiceShapes, operation: &str, body: Value) -> String {
    match shapes.validate_input(operation, &body) {
        Ok(()) => panic!("{operation} accepted {body}"),
        Err(e) => e.message(),
    }
}

/// Asserts that a body passes, showing the message when it does not.
fn accepts(shapes: &ServiceShapes, operation: &str, body: Value) {
    if let Err(e) = shapes.validate_input(operation, &body) {
        panic!("{operation} rejected a valid body: {}", e.message());
    }
}

#[test]
fn both_extracts_load_with_their_operations() {
    for op in [
        "Converse",
        "ConverseStream",
        "CountTokens",
        "InvokeModel",
        "InvokeModelWithResponseStream",
    ] {
        assert!(runtime().input_body(op).is_some(), "{op}");
    }
    assert!(agent_runtime().input_body("Rerank").is_some());
    assert_eq!(runtime().input_body("Rerank"), None);
    assert_eq!(agent_runtime().input_body("Converse"), None);
}
