//! Driving a pure stream state machine from a decoded event stream.
//!
//! A provider's streaming code has two halves: a decoder (server-sent events, AWS event
//! streams) that yields events or failures, and a pure state machine that turns each into
//! [`StreamPart`]s. [`MachineStream`] is the glue between them, once for every provider: it
//! feeds every event and failure to the [`StreamMachine`], tells it when the events end, hands
//! out the parts in order, puts the response's request id on error parts that have none, and
//! drops the decoder (and with it the connection) as soon as the machine is done.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use strata_core::stream_machine::{MachineStream, StreamMachine};
//! use strata_core::{Error, StreamPart};
//!
//! /// Echoes each event as a text delta; fails on a failure.
//! #[derive(Default)]
//! struct Echo {
//!     done: bool,
//! }
//!
//! impl StreamMachine for Echo {
//!     type Event = &'static str;
//!     type Failure = &'static str;
//!
//!     fn on_event(&mut self, event: &'static str, out: &mut Vec<StreamPart>) {
//!         out.push(StreamPart::text_delta("0", event));
//!     }
//!     fn on_failure(&mut self, failure: &'static str, out: &mut Vec<StreamPart>) {
//!         self.done = true;
//!         out.push(StreamPart::Error(Error::stream_ended(failure)));
//!     }
//!     fn end(&mut self, _out: &mut Vec<StreamPart>) {
//!         self.done = true;
//!     }
//!     fn is_done(&self) -> bool {
//!         self.done
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let events = futures_util::stream::iter([Ok("Hel"), Ok("lo"), Err("cut off"), Ok("never")]);
//! let parts: Vec<StreamPart> = MachineStream::new(events, Echo::default())
//!     .with_request_id(Some("req-1".to_owned()))
//!     .collect()
//!     .await;
//! assert_eq!(parts.len(), 3, "nothing after the machine is done");
//! match &parts[2] {
//!     StreamPart::Error(error) => assert_eq!(error.request_id(), Some("req-1")),
//!     other => panic!("{other:?}"),
//! }
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use pin_project_lite::pin_project;

use crate::StreamPart;

/// A pure state machine from decoded events to stream parts; see the [module docs](self).
pub trait StreamMachine {
    /// What the decoder yields.
    type Event;
    /// What the decoder fails with.
    type Failure;

    /// Handles one event, pushing any parts it makes onto `out`.
    fn on_event(&mut self, event: Self::Event, out: &mut Vec<StreamPart>);

    /// Handles a failure of the decoder or of the body below it.
    fn on_failure(&mut self, failure: Self::Failure, out: &mut Vec<StreamPart>);

    /// The events ended (the body is complete).
    fn end(&mut self, out: &mut Vec<StreamPart>);

    /// Whether the machine finished or failed; nothing is fed to it after that.
    fn is_done(&self) -> bool;
}

pin_project! {
    /// The parts a [`StreamMachine`] makes from a stream of events; see the
    /// [module docs](self).
    pub struct MachineStream<S, M> {
        #[pin]
        events: Option<S>,
        machine: M,
        pending: VecDeque<StreamPart>,
        scratch: Vec<StreamPart>,
        request_id: Option<String>,
    }
}

impl<S, M> MachineStream<S, M> {
    /// Drives `machine` with `events`.
    pub fn new(events: S, machine: M) -> Self {
        Self {
            events: Some(events),
            machine,
            pending: VecDeque::new(),
            scratch: Vec::new(),
            request_id: None,
        }
    }

    /// Hands out `parts` before anything the machine makes (e.g. `stream-start`).
    pub fn with_first_parts(mut self, parts: Vec<StreamPart>) -> Self {
        self.pending.extend(parts);
        self
    }

    /// Puts `request_id` on every error part that has none.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }
}

impl<S, M> fmt::Debug for MachineStream<S, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MachineStream")
            .field("open", &self.events.is_some())
            .field("pending", &self.pending.len())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl<S, M> Stream for MachineStream<S, M>
where
    S: Stream<Item = Result<M::Event, M::Failure>>,
    M: StreamMachine,
{
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
            let ended = match ready!(events.poll_next(cx)) {
                Some(Ok(event)) => {
                    this.machine.on_event(event, out);
                    false
                }
                Some(Err(failure)) => {
                    this.machine.on_failure(failure, out);
                    false
                }
                None => {
                    this.machine.end(out);
                    true
                }
            };
            for part in out.drain(..) {
                let part = match (part, &*this.request_id) {
                    (StreamPart::Error(error), Some(id)) if error.request_id().is_none() => {
                        StreamPart::Error(error.with_request_id(id.clone()))
                    }
                    (part, _) => part,
                };
                this.pending.push_back(part);
            }
            if ended || this.machine.is_done() {
                // Finished or failed: release the connection now, not when the stream drops.
                this.events.set(None);
            }
        }
    }
}
