//! The two stream state machines as [`StreamMachine`]s over decoded server-sent events; the
//! glue that drives them is strata-core's [`MachineStream`](strata_core::stream_machine::MachineStream).

use strata_core::StreamPart;
use strata_core::stream_machine::StreamMachine;
use strata_http::sse::{SseError, SseEvent};

use crate::chat::stream::ChatStreamState;
use crate::responses::stream::ResponsesStreamState;

/// What both state machines offer besides [`StreamMachine`]: the parts before any event.
pub(crate) trait Machine:
    StreamMachine<Event = SseEvent, Failure = SseError> + Send + 'static
{
    fn start(&mut self, warnings: Vec<strata_core::Warning>, out: &mut Vec<StreamPart>);
}

macro_rules! machine {
    ($($ty:ty),*) => {$(
        impl StreamMachine for $ty {
            type Event = SseEvent;
            type Failure = SseError;

            fn on_event(&mut self, event: SseEvent, out: &mut Vec<StreamPart>) {
                <$ty>::on_event(self, &event, out)
            }
            fn on_failure(&mut self, error: SseError, out: &mut Vec<StreamPart>) {
                <$ty>::on_failure(self, error, out)
            }
            fn end(&mut self, out: &mut Vec<StreamPart>) {
                <$ty>::end(self, out)
            }
            fn is_done(&self) -> bool {
                <$ty>::is_done(self)
            }
        }

        impl Machine for $ty {
            fn start(&mut self, warnings: Vec<strata_core::Warning>, out: &mut Vec<StreamPart>) {
                <$ty>::start(self, warnings, out)
            }
        }
    )*};
}

machine!(ChatStreamState, ResponsesStreamState);
