//! Fault injection: make the next requests fail, wait, or break their event streams, and skew
//! the server clock.
//!
//! Faults wait in a queue. Each API request takes at most one: the first queued fault that
//! applies to it. Stream faults apply only to streamed answers: `converse-stream` and
//! `invoke-with-response-stream` (event streams, one frame per chunk) and OpenAI-compatible
//! requests with `"stream": true` (server-sent events, one event per chunk). On an SSE stream a
//! [`Fault::StreamException`] is an error event, a [`Fault::Truncate`] cuts an event in half and
//! ends the body without `[DONE]` (or, for the Responses API, without `response.completed`);
//! [`Fault::CorruptCrc`] has no meaning there (SSE has no checksums), so it stays queued for the
//! next event stream. A fault pushed with `times = n` applies to n requests.
//! Faults are taken once a request has authenticated (a rejected request takes none) and
//! before its body is validated; control requests (`/_emulator/...`) never take faults.
//!
//! ```
//! use std::time::Duration;
//! use strata_emulator::{Emulator, Fault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_emulator::Error> {
//! let emulator = Emulator::builder().start().await?;
//! // The next two requests get 429 ThrottlingException, the third a 503 with Retry-After: 1.
//! emulator.faults().push(Fault::Throttle, 2)?;
//! emulator.faults().push(Fault::ServerError { status: 503, retry_after: Some(1) }, 1)?;
//! // The next stream pauses for 2 s after its second frame.
//! emulator.faults().push(Fault::Stall { after_frames: 2, duration: Duration::from_secs(2) }, 1)?;
//! assert_eq!(emulator.faults().pending().len(), 3);
//! emulator.faults().clear();
//! # Ok(())
//! # }
//! ```

mod control;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

pub(crate) use control::apply_json;

use crate::Error;

/// One kind of failure the emulator can produce.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer 429 `ThrottlingException`.
    Throttle,
    /// Answer a 5xx error: 500 `InternalServerException`, 502 `BadGatewayException`, 503
    /// `ServiceUnavailableException`, 504 `GatewayTimeoutException`, other 5xx
    /// `InternalServerException`; with a `Retry-After` header (seconds) when given.
    ServerError {
        /// The HTTP status, 500 to 599.
        status: u16,
        /// The `Retry-After` value in seconds, if any.
        retry_after: Option<u64>,
    },
    /// Answer `307 Temporary Redirect` with this `Location`.
    Redirect {
        /// The `Location` header value.
        location: String,
    },
    /// Wait this long before sending the response headers, then answer normally.
    Delay(Duration),
    /// In a streamed response, pause this long after `after_frames` frames, then continue.
    Stall {
        /// How many frames to send before pausing.
        after_frames: usize,
        /// How long to pause.
        duration: Duration,
    },
    /// In a streamed response, send an exception frame (`:message-type: exception`) after
    /// `after_frames` frames and end the stream. On an SSE stream the frame is an error event
    /// whose `code` is `exception` (see the crate docs for its shape).
    StreamException {
        /// How many frames to send first.
        after_frames: usize,
        /// The `:exception-type`, e.g. `modelStreamErrorException` or `throttlingException`.
        exception: String,
        /// The exception's `message`.
        message: String,
    },
    /// In an event-stream response, flip a bit of the message CRC of frame `frame` (0-based).
    /// Never taken by SSE responses.
    CorruptCrc {
        /// The index of the frame to corrupt.
        frame: usize,
    },
    /// In a streamed response, send only the first half of frame (or SSE event) `frame`
    /// (0-based), then end the body cleanly.
    Truncate {
        /// The index of the frame to cut.
        frame: usize,
    },
}

impl Fault {
    /// Whether this fault acts on event-stream bodies (and so only on streaming operations).
    pub fn is_stream_fault(&self) -> bool {
        matches!(
            self,
            Self::Stall { .. }
                | Self::StreamException { .. }
                | Self::CorruptCrc { .. }
                | Self::Truncate { .. }
        )
    }

    /// Whether this fault can act on an answer of this kind.
    pub(crate) fn applies_to(&self, kind: BodyKind) -> bool {
        match self {
            Self::CorruptCrc { .. } => kind == BodyKind::EventStream,
            fault if fault.is_stream_fault() => kind != BodyKind::Plain,
            _ => true,
        }
    }

    fn validate(&self) -> Result<(), Error> {
        match self {
            Self::ServerError { status, .. } if !(500..=599).contains(status) => Err(
                Error::invalid_fault(format!("server error status must be 500-599, not {status}")),
            ),
            Self::Redirect { location } if http::HeaderValue::from_str(location).is_err() => Err(
                Error::invalid_fault("redirect location is not a valid header value"),
            ),
            Self::StreamException { exception, .. }
                if exception.is_empty() || http::HeaderValue::from_str(exception).is_err() =>
            {
                Err(Error::invalid_fault(
                    "stream exception type must be a non-empty header value",
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The kind of body a request will be answered with, which decides the faults it can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// One buffer (JSON).
    Plain,
    /// `application/vnd.amazon.eventstream` frames.
    EventStream,
    /// `text/event-stream` events.
    Sse,
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<(Fault, u32)>,
    clock_skew_secs: i64,
}

/// A shared handle on the fault queue and the server clock; clones control the same server.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<State>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `fault` for the next `times` requests it applies to.
    ///
    /// # Errors
    /// When `times` is 0 or the fault is invalid (a status outside 500-599, a location or
    /// exception type that is not a valid header value).
    pub fn push(&self, fault: Fault, times: u32) -> Result<(), Error> {
        if times == 0 {
            return Err(Error::invalid_fault(
                "a fault must apply to at least one request",
            ));
        }
        fault.validate()?;
        self.lock().queue.push_back((fault, times));
        Ok(())
    }

    /// The queued faults with how many requests each still applies to.
    pub fn pending(&self) -> Vec<(Fault, u32)> {
        self.lock().queue.iter().cloned().collect()
    }

    /// Sets the server clock's offset from the real clock, in seconds (positive: the server
    /// runs ahead). SigV4's five-minute window is checked against this clock.
    pub fn set_clock_skew(&self, seconds: i64) {
        self.lock().clock_skew_secs = seconds;
    }

    /// The server clock's offset in seconds.
    pub fn clock_skew(&self) -> i64 {
        self.lock().clock_skew_secs
    }

    /// Removes every queued fault and resets the clock skew.
    pub fn clear(&self) {
        *self.lock() = State::default();
    }

    /// The server's current time, skew included.
    pub(crate) fn now(&self) -> SystemTime {
        let skew = self.clock_skew();
        let real = SystemTime::now();
        let offset = Duration::from_secs(skew.unsigned_abs());
        if skew >= 0 {
            real + offset
        } else {
            real.checked_sub(offset).unwrap_or(SystemTime::UNIX_EPOCH)
        }
    }

    /// Takes the first queued fault that applies to a request.
    pub(crate) fn take(&self, kind: BodyKind) -> Option<Fault> {
        let mut state = self.lock();
        let index = state
            .queue
            .iter()
            .position(|(fault, _)| fault.applies_to(kind))?;
        let (fault, remaining) = &mut state.queue[index];
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            state.queue.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_count_down() {
        let faults = Faults::default();
        faults.push(Fault::Truncate { frame: 1 }, 1).unwrap();
        faults.push(Fault::Throttle, 2).unwrap();
        assert_eq!(faults.take(BodyKind::Plain), Some(Fault::Throttle));
        assert_eq!(
            faults.take(BodyKind::EventStream),
            Some(Fault::Truncate { frame: 1 })
        );
        assert_eq!(faults.take(BodyKind::EventStream), Some(Fault::Throttle));
        assert_eq!(faults.take(BodyKind::EventStream), None);
    }

    #[test]
    fn crc_corruption_waits_for_an_event_stream() {
        let faults = Faults::default();
        faults.push(Fault::CorruptCrc { frame: 0 }, 1).unwrap();
        faults.push(Fault::Truncate { frame: 2 }, 1).unwrap();
        assert_eq!(faults.take(BodyKind::Plain), None);
        assert_eq!(
            faults.take(BodyKind::Sse),
            Some(Fault::Truncate { frame: 2 })
        );
        assert_eq!(faults.take(BodyKind::Sse), None);
        assert_eq!(
            faults.take(BodyKind::EventStream),
            Some(Fault::CorruptCrc { frame: 0 })
        );
    }

    #[test]
    fn invalid_faults_are_refused() {
        let faults = Faults::default();
        let err = faults
            .push(
                Fault::ServerError {
                    status: 404,
                    retry_after: None,
                },
                1,
            )
            .unwrap_err();
        assert!(err.is_invalid_fault());
        assert!(
            faults
                .push(Fault::Throttle, 0)
                .unwrap_err()
                .is_invalid_fault()
        );
        assert!(faults.pending().is_empty());
    }

    #[test]
    fn skew_moves_the_server_clock() {
        let faults = Faults::default();
        faults.set_clock_skew(-600);
        let behind = SystemTime::now().duration_since(faults.now()).unwrap();
        assert!(behind >= Duration::from_secs(599) && behind <= Duration::from_secs(601));
        faults.clear();
        assert_eq!(faults.clock_skew(), 0);
    }
}
