//! Test doubles shared by the unit tests.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Body, Frame};

/// One step of a [`ScriptedBody`].
#[derive(Debug)]
pub(crate) enum Step {
    Data(Bytes),
    /// Return `Pending` once, waking the task at once.
    Yield,
    /// Return `Pending` forever without waking.
    Stall,
    Fail(&'static str),
    Trailers,
}

impl Step {
    pub(crate) fn data(text: &'static str) -> Self {
        Self::Data(Bytes::from_static(text.as_bytes()))
    }
}

/// A body that plays a script of frames, pauses and failures, and records its drop.
#[derive(Debug)]
pub(crate) struct ScriptedBody {
    steps: VecDeque<Step>,
    dropped: Arc<AtomicBool>,
}

impl ScriptedBody {
    pub(crate) fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Self {
            steps: steps.into_iter().collect(),
            dropped: Arc::default(),
        }
    }

    /// A flag set when this body is dropped.
    pub(crate) fn drop_flag(&self) -> Arc<AtomicBool> {
        self.dropped.clone()
    }
}

impl Drop for ScriptedBody {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

impl Body for ScriptedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        match this.steps.pop_front() {
            None => Poll::Ready(None),
            Some(Step::Data(bytes)) => Poll::Ready(Some(Ok(Frame::data(bytes)))),
            Some(Step::Yield) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(Step::Stall) => {
                this.steps.push_front(Step::Stall);
                Poll::Pending
            }
            Some(Step::Fail(message)) => Poll::Ready(Some(Err(std::io::Error::other(message)))),
            Some(Step::Trailers) => Poll::Ready(Some(Ok(Frame::trailers(HeaderMap::new())))),
        }
    }
}
