//! Captures the canonical request and string to sign that `aws-sigv4` logs at TRACE level.
//!
//! `aws-sigv4` does not expose its canonical request through its public API, but it logs it
//! (`canonical_request` field) and, for query signing, the string to sign. This minimal
//! subscriber records those fields while a closure runs on the current thread.

use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Default, Clone)]
pub(crate) struct Captured {
    pub(crate) canonical_requests: Vec<String>,
    pub(crate) strings_to_sign: Vec<String>,
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Captured>>);

struct Fields<'a>(&'a mut Captured);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "canonical_request" => self.0.canonical_requests.push(format!("{value:?}")),
            "string_to_sign" => self.0.strings_to_sign.push(format!("{value:?}")),
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("aws_sigv4")
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Runs `f`, returning its result and what aws-sigv4 logged meanwhile.
pub(crate) fn capture<T>(f: impl FnOnce() -> T) -> (T, Captured) {
    let capture = Capture::default();
    let out = tracing::subscriber::with_default(capture.clone(), f);
    let captured = capture.0.lock().unwrap().clone();
    (out, captured)
}
