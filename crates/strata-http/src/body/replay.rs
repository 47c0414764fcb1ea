//! The layer that turns any request body into a [`ReplayableBody`].

use std::any::Any;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::{Buf, Bytes, BytesMut};
use http::Request;
use http_body::Body;
use tower_layer::Layer;
use tower_service::Service;

use super::ReplayableBody;
use super::future::ResponseFuture;
use crate::error::{BoxError, Error, Kind};

/// How [`ReplayBody`] treats a request body that is not already a [`ReplayableBody`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReplayMode {
    /// Accept only a body whose bytes are all in memory already (it completes without
    /// waiting, like `Full<Bytes>`, `String` or `Empty`); refuse a streaming body with an
    /// error for which [`Error::is_body_not_replayable`] holds, before anything is sent.
    /// The default, and the right mode for signed requests.
    #[default]
    Strict,
    /// Read a streaming body into memory, up to `limit` bytes; a larger body is refused with
    /// an error for which [`Error::is_body_too_large`] holds.
    Buffer {
        /// The largest body accepted, in bytes.
        limit: usize,
    },
}

/// A [`Layer`] producing [`ReplayBody`] services.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplayBodyLayer {
    mode: ReplayMode,
}

impl ReplayBodyLayer {
    /// A layer in [`ReplayMode::Strict`].
    pub fn strict() -> Self {
        Self {
            mode: ReplayMode::Strict,
        }
    }

    /// A layer in [`ReplayMode::Buffer`] with the given limit in bytes.
    pub fn buffer(limit: usize) -> Self {
        Self {
            mode: ReplayMode::Buffer { limit },
        }
    }

    /// A layer in the given mode.
    pub fn new(mode: ReplayMode) -> Self {
        Self { mode }
    }
}

impl<S> Layer<S> for ReplayBodyLayer {
    type Service = ReplayBody<S>;

    fn layer(&self, inner: S) -> ReplayBody<S> {
        ReplayBody {
            inner,
            mode: self.mode,
        }
    }
}

/// Turns `Request<B>` into `Request<ReplayableBody>` for the inner service.
///
/// A body that is already a [`ReplayableBody`] passes through untouched; a body whose data
/// arrives as one [`Bytes`] chunk is taken without copying.
#[derive(Debug, Clone)]
pub struct ReplayBody<S> {
    inner: S,
    mode: ReplayMode,
}

impl<S> ReplayBody<S> {
    /// Wraps `inner` in the given mode.
    pub fn new(inner: S, mode: ReplayMode) -> Self {
        Self { inner, mode }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, B> Service<Request<B>> for ReplayBody<S>
where
    S: Service<Request<ReplayableBody>> + Clone,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = Error;
    type Future = ResponseFuture<S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner
            .poll_ready(cx)
            .map_err(|e| Error::from_boxed(e.into()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let (parts, body) = request.into_parts();
        let mut slot = Some(body);
        if let Some(replayable) =
            (&mut slot as &mut dyn Any).downcast_mut::<Option<ReplayableBody>>()
        {
            let body = replayable.take().unwrap_or_default();
            return ResponseFuture::called(self.inner.call(Request::from_parts(parts, body)));
        }
        let Some(body) = slot else {
            unreachable!("the body slot is filled above")
        };
        match self.mode {
            ReplayMode::Strict => {
                let mut body = std::pin::pin!(body);
                let mut collector = Collector::new(usize::MAX);
                let mut cx = Context::from_waker(Waker::noop());
                match collector.poll_collect(body.as_mut(), &mut cx) {
                    Poll::Ready(Ok(bytes)) => ResponseFuture::called(
                        self.inner
                            .call(Request::from_parts(parts, ReplayableBody::new(bytes))),
                    ),
                    Poll::Ready(Err(error)) => ResponseFuture::failed(error),
                    Poll::Pending => ResponseFuture::failed(Error::new(Kind::BodyNotReplayable(
                        "a streaming body is refused in strict mode; send bytes already in memory",
                    ))),
                }
            }
            ReplayMode::Buffer { limit } => {
                if body.size_hint().lower() > limit as u64 {
                    return ResponseFuture::failed(Error::new(Kind::BodyTooLarge { limit }));
                }
                let ready = self.inner.clone();
                let inner = std::mem::replace(&mut self.inner, ready);
                ResponseFuture::collecting(body, Collector::new(limit), parts, inner)
            }
        }
    }
}

/// Reads a body's data frames into one [`Bytes`], copying only if there is more than one.
#[derive(Debug)]
pub(super) struct Collector {
    limit: usize,
    first: Option<Bytes>,
    rest: Option<BytesMut>,
}

impl Collector {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit,
            first: None,
            rest: None,
        }
    }

    fn len(&self) -> usize {
        match (&self.rest, &self.first) {
            (Some(rest), _) => rest.len(),
            (None, Some(first)) => first.len(),
            (None, None) => 0,
        }
    }

    fn push(&mut self, data: Bytes) -> Result<(), Error> {
        if self.len().saturating_add(data.len()) > self.limit {
            return Err(Error::new(Kind::BodyTooLarge { limit: self.limit }));
        }
        if data.is_empty() {
            return Ok(());
        }
        match (&mut self.rest, self.first.take()) {
            (Some(rest), _) => rest.extend_from_slice(&data),
            (None, None) => self.first = Some(data),
            (None, Some(first)) => {
                let mut rest = BytesMut::with_capacity(first.len() + data.len());
                rest.extend_from_slice(&first);
                rest.extend_from_slice(&data);
                self.rest = Some(rest);
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Bytes {
        match (self.rest.take(), self.first.take()) {
            (Some(rest), _) => rest.freeze(),
            (None, first) => first.unwrap_or_default(),
        }
    }

    /// Polls `body` to its end; `Pending` only when the body is waiting for data.
    pub(super) fn poll_collect<B>(
        &mut self,
        mut body: Pin<&mut B>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Bytes, Error>>
    where
        B: Body,
        B::Error: Into<BoxError>,
    {
        loop {
            match body.as_mut().poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(self.finish())),
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Err(Error::with_source(Kind::RequestBody, error)));
                }
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(mut data) => {
                        let bytes = data.copy_to_bytes(data.remaining());
                        if let Err(error) = self.push(bytes) {
                            return Poll::Ready(Err(error));
                        }
                    }
                    Err(_trailers) => {
                        return Poll::Ready(Err(Error::new(Kind::BodyNotReplayable(
                            "request trailers cannot be replayed",
                        ))));
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::sync::{Arc, Mutex};

    use http_body_util::{Empty, Full};
    use tower::ServiceExt;

    use super::*;
    use crate::test_util::{ScriptedBody, Step};

    type Seen = Arc<Mutex<Vec<Bytes>>>;

    fn recording_service(
        seen: &Seen,
    ) -> impl Service<Request<ReplayableBody>, Response = (), Error = Infallible, Future: Send> + Clone
    {
        let sink = seen.clone();
        tower::service_fn(move |req: Request<ReplayableBody>| {
            sink.lock().unwrap().push(req.into_body().into_bytes());
            async { Ok::<_, Infallible>(()) }
        })
    }

    #[tokio::test]
    async fn replayable_body_passes_through_without_copy() {
        let seen = Seen::default();
        let bytes = Bytes::from_static(b"hello");
        let request = Request::new(ReplayableBody::from(bytes.clone()));
        ReplayBody::new(recording_service(&seen), ReplayMode::Strict)
            .oneshot(request)
            .await
            .unwrap();
        let sent = seen.lock().unwrap()[0].clone();
        assert_eq!(sent.as_ptr(), bytes.as_ptr());
    }

    #[tokio::test]
    async fn full_bytes_is_taken_without_copy_in_strict_mode() {
        let seen = Seen::default();
        let bytes = Bytes::from(vec![7u8; 64]);
        ReplayBody::new(recording_service(&seen), ReplayMode::Strict)
            .oneshot(Request::new(Full::new(bytes.clone())))
            .await
            .unwrap();
        let sent = seen.lock().unwrap()[0].clone();
        assert_eq!(sent, bytes);
        assert_eq!(sent.as_ptr(), bytes.as_ptr());
    }

    #[tokio::test]
    async fn empty_body_is_accepted_in_strict_mode() {
        let seen = Seen::default();
        ReplayBody::new(recording_service(&seen), ReplayMode::Strict)
            .oneshot(Request::new(Empty::<Bytes>::new()))
            .await
            .unwrap();
        assert_eq!(seen.lock().unwrap().as_slice(), &[Bytes::new()]);
    }

    #[tokio::test]
    async fn streaming_body_is_refused_in_strict_mode_before_the_service_sees_it() {
        let seen = Seen::default();
        let body = ScriptedBody::new([Step::data("part one"), Step::Stall, Step::data("two")]);
        let error = ReplayBody::new(recording_service(&seen), ReplayMode::Strict)
            .oneshot(Request::new(body))
            .await
            .unwrap_err();
        assert!(error.is_body_not_replayable());
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn buffer_mode_concatenates_a_streaming_body() {
        let seen = Seen::default();
        let body = ScriptedBody::new([Step::data("ab"), Step::Yield, Step::data("cd")]);
        ReplayBody::new(recording_service(&seen), ReplayMode::Buffer { limit: 4 })
            .oneshot(Request::new(body))
            .await
            .unwrap();
        assert_eq!(
            seen.lock().unwrap().as_slice(),
            &[Bytes::from_static(b"abcd")]
        );
    }

    #[tokio::test]
    async fn buffer_mode_refuses_a_body_over_the_limit() {
        let seen = Seen::default();
        let body = ScriptedBody::new([Step::data("ab"), Step::Yield, Step::data("cde")]);
        let error = ReplayBody::new(recording_service(&seen), ReplayMode::Buffer { limit: 4 })
            .oneshot(Request::new(body))
            .await
            .unwrap_err();
        assert!(error.is_body_too_large());
        assert_eq!(
            error.to_string(),
            "request body is larger than the 4-byte limit"
        );
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn buffer_mode_refuses_at_once_when_the_size_hint_is_too_large() {
        let seen = Seen::default();
        let body = Full::new(Bytes::from_static(b"0123456789"));
        let error = ReplayBody::new(recording_service(&seen), ReplayMode::Buffer { limit: 4 })
            .oneshot(Request::new(body))
            .await
            .unwrap_err();
        assert!(error.is_body_too_large());
    }

    #[tokio::test]
    async fn body_error_is_a_request_body_error_with_its_source() {
        let seen = Seen::default();
        let body = ScriptedBody::new([Step::data("ab"), Step::Yield, Step::Fail("disk gone")]);
        let error = ReplayBody::new(recording_service(&seen), ReplayMode::Buffer { limit: 10 })
            .oneshot(Request::new(body))
            .await
            .unwrap_err();
        assert!(error.is_request_body());
        let source = std::error::Error::source(&error).unwrap();
        assert_eq!(source.to_string(), "disk gone");
    }

    #[tokio::test]
    async fn trailers_are_refused() {
        let seen = Seen::default();
        let body = ScriptedBody::new([Step::data("ab"), Step::Trailers]);
        let error = ReplayBody::new(recording_service(&seen), ReplayMode::Strict)
            .oneshot(Request::new(body))
            .await
            .unwrap_err();
        assert!(error.is_body_not_replayable());
    }
}
