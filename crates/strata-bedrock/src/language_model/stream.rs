//! ConverseStream as a [`StreamMachine`]: the event-stream decoder's events and failures fed
//! to the pure [state machine](crate::stream::ConverseStreamState).

use strata_aws::event_stream::{Event, EventStreamError};
use strata_core::StreamPart;
use strata_core::stream_machine::StreamMachine;

use crate::stream::ConverseStreamState;
use crate::stream_error::event_stream_error;

/// The ConverseStream state machine, driven by decoded events.
#[derive(Debug)]
pub(crate) struct Converse(pub(crate) ConverseStreamState);

impl StreamMachine for Converse {
    type Event = Event;
    type Failure = EventStreamError;

    fn on_event(&mut self, event: Event, out: &mut Vec<StreamPart>) {
        self.0
            .on_event(event.event_type(), event.payload_bytes(), out);
    }

    fn on_failure(&mut self, failure: EventStreamError, out: &mut Vec<StreamPart>) {
        self.0.on_failure(event_stream_error(failure), out);
    }

    fn end(&mut self, out: &mut Vec<StreamPart>) {
        self.0.end(out);
    }

    fn is_done(&self) -> bool {
        self.0.is_done()
    }
}
