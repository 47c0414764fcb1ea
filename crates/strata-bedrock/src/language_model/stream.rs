//! The ConverseStream body as a `Stream` of [`StreamPart`]s: the event-stream decoder feeding
//! the pure [state machine](crate::stream::ConverseStreamState).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use pin_project_lite::pin_project;
use strata_aws::event_stream::EventStream;
use strata_core::StreamPart;

use crate::stack::ResponseBody;
use crate::stream::ConverseStreamState;
use crate::stream_error::event_stream_error;

pin_project! {
    /// The parts of one ConverseStream response. Ends after the finish or error part;
    /// dropping it (or reaching the end) drops the body and with it the connection.
    pub(crate) struct ConverseStreamParts {
        #[pin]
        events: Option<EventStream<ResponseBody>>,
        state: ConverseStreamState,
        pending: VecDeque<StreamPart>,
        scratch: Vec<StreamPart>,
        request_id: Option<String>,
    }
}

impl ConverseStreamParts {
    pub(crate) fn new(
        body: ResponseBody,
        state: ConverseStreamState,
        request_id: Option<String>,
    ) -> Self {
        Self {
            events: Some(EventStream::new(body)),
            state,
            pending: VecDeque::new(),
            scratch: Vec::new(),
            request_id,
        }
    }
}

impl fmt::Debug for ConverseStreamParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConverseStreamParts")
            .field("open", &self.events.is_some())
            .field("pending", &self.pending.len())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl Stream for ConverseStreamParts {
    type Item = StreamPart;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<StreamPart>> {
        let mut this = self.project();
        loop {
            if let Some(part) = this.pending.pop_front() {
                return Poll::Ready(Some(part));
            }
            let Some(events) = this.events.as_mut().as_pin_mut() else {
                return Poll::Ready(None);
            };
            let out = &mut *this.scratch;
            match ready!(events.poll_next(cx)) {
                Some(Ok(event)) => {
                    this.state
                        .on_event(event.event_type(), event.payload_bytes(), out)
                }
                Some(Err(error)) => this.state.on_failure(event_stream_error(error), out),
                None => this.state.end(out),
            }
            for part in out.drain(..) {
                let part = match (part, &this.request_id) {
                    (StreamPart::Error(error), Some(id)) if error.request_id().is_none() => {
                        StreamPart::Error(error.with_request_id(id.clone()))
                    }
                    (part, _) => part,
                };
                this.pending.push_back(part);
            }
            if this.state.is_done() {
                // Finished or failed: release the connection now, not when the stream drops.
                this.events.set(None);
            }
        }
    }
}
