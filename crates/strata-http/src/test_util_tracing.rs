//! A minimal `tracing` subscriber that records events, for asserting on them in tests.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// One recorded event or span: its message/name and its fields as `name=value` pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recorded {
    pub(crate) name: String,
    pub(crate) fields: Vec<(String, String)>,
}

impl Recorded {
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

struct Visitor<'a>(&'a mut Recorded);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        if field.name() == "message" {
            self.0.name = text;
        } else {
            self.0.fields.push((field.name().to_owned(), text));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .fields
            .push((field.name().to_owned(), value.to_owned()));
    }
}

/// Records every event and span (with fields recorded later) at every level.
#[derive(Clone, Default)]
pub(crate) struct Recorder {
    pub(crate) events: Arc<Mutex<Vec<Recorded>>>,
    pub(crate) spans: Arc<Mutex<Vec<Recorded>>>,
}

impl Subscriber for Recorder {
    // `sometimes`, not the default `always`: a callsite whose interest was cached while a
    // parallel test had no subscriber still asks this one, so no event is missed.
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut recorded = Recorded {
            name: span.metadata().name().to_owned(),
            ..Recorded::default()
        };
        span.record(&mut Visitor(&mut recorded));
        let mut spans = self.spans.lock().unwrap();
        spans.push(recorded);
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let index = usize::try_from(span.into_u64()).unwrap() - 1;
        values.record(&mut Visitor(&mut spans[index]));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut recorded = Recorded::default();
        event.record(&mut Visitor(&mut recorded));
        self.events.lock().unwrap().push(recorded);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
