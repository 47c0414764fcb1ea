//! The stream of parts of one streaming call: SSE events through a state machine.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use pin_project_lite::pin_project;
use strata_core::StreamPart;
use strata_http::sse::{SseEvent, SseStream};

use crate::chat::stream::ChatStreamState;
use crate::responses::stream::ResponsesStreamState;
use crate::stack::ResponseBody;

/// What [`Parts`] drives: one of the two stream state machines.
pub(crate) trait Machine: Send + 'static {
    fn start(&mut self, warnings: Vec<strata_core::Warning>, out: &mut Vec<StreamPart>);
    fn on_event(&mut self, event: &SseEvent, out: &mut Vec<StreamPart>);
    fn on_failure(&mut self, error: strata_http::sse::SseError, out: &mut Vec<StreamPart>);
    fn end(&mut self, out: &mut Vec<StreamPart>);
    fn is_done(&self) -> bool;
}

macro_rules! machine {
    ($($ty:ty),*) => {$(
        impl Machine for $ty {
            fn start(&mut self, warnings: Vec<strata_core::Warning>, out: &mut Vec<StreamPart>) {
                <$ty>::start(self, warnings, out)
            }
            fn on_event(&mut self, event: &SseEvent, out: &mut Vec<StreamPart>) {
                <$ty>::on_event(self, event, out)
            }
            fn on_failure(&mut self, error: strata_http::sse::SseError, out: &mut Vec<StreamPart>) {
                <$ty>::on_failure(self, error, out)
            }
            fn end(&mut self, out: &mut Vec<StreamPart>) {
                <$ty>::end(self, out)
            }
            fn is_done(&self) -> bool {
                <$ty>::is_done(self)
            }
        }
    )*};
}

machine!(ChatStreamState, ResponsesStreamState);

pin_project! {
    /// The parts of one streaming response. Ends after the finish or error part; the body (and
    /// with it the connection) is dropped as soon as the state machine is done.
    pub(crate) struct Parts<M> {
        #[pin]
        events: Option<SseStream<ResponseBody>>,
        machine: M,
        pending: VecDeque<StreamPart>,
        scratch: Vec<StreamPart>,
    }
}

impl<M: Machine> Parts<M> {
    /// Streams `body`, after the `first` parts (stream start).
    pub(crate) fn new(body: ResponseBody, machine: M, first: Vec<StreamPart>) -> Self {
        Self {
            events: Some(SseStream::new(body)),
            machine,
            pending: first.into(),
            scratch: Vec::new(),
        }
    }
}

impl<M> fmt::Debug for Parts<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parts")
            .field("open", &self.events.is_some())
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl<M: Machine> Stream for Parts<M> {
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
            match ready!(events.poll_next(cx)) {
                Some(Ok(event)) => this.machine.on_event(&event, this.scratch),
                Some(Err(error)) => this.machine.on_failure(error, this.scratch),
                None => this.machine.end(this.scratch),
            }
            this.pending.extend(this.scratch.drain(..));
            if this.machine.is_done() {
                this.events.set(None);
            }
        }
    }
}
