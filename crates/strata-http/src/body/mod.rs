//! Request bodies that can be sent more than once.
//!
//! Every request that strata signs or retries carries a [`ReplayableBody`]: a [`Bytes`]-backed
//! body that is cheap to clone (a reference-count bump), so each attempt can be re-sent and
//! re-signed with identical bytes, and the signer can hash it without consuming it.
//!
//! ```
//! use bytes::Bytes;
//! use http_body_util::BodyExt;
//! use strata_http::body::ReplayableBody;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let body = ReplayableBody::from(Bytes::from_static(b"{\"messages\":[]}"));
//! let attempt = body.clone();
//! let sent = attempt.collect().await.unwrap().to_bytes();
//! assert_eq!(sent, body.bytes());
//! # }
//! ```
//!
//! [`ReplayBodyLayer`] turns any request body into a [`ReplayableBody`] before the rest of the
//! stack sees it: it refuses streaming bodies ([`ReplayMode::Strict`], the default) or reads
//! them into memory up to a limit ([`ReplayMode::Buffer`]).
//!
//! ```
//! use bytes::Bytes;
//! use http::Request;
//! use http_body_util::Full;
//! use strata_http::body::{ReplayBodyLayer, ReplayableBody};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! # let backend = tower::service_fn(|req: Request<ReplayableBody>| async move {
//! #     Ok::<_, std::convert::Infallible>(req.into_body().len())
//! # });
//! let service = ServiceBuilder::new().layer(ReplayBodyLayer::strict()).service(backend);
//! let request = Request::new(Full::new(Bytes::from_static(b"{}")));
//! assert_eq!(service.oneshot(request).await.unwrap(), 2);
//! # }
//! ```

pub mod future;
mod replay;

pub use replay::{ReplayBody, ReplayBodyLayer, ReplayMode};

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// A request body held in memory as [`Bytes`], so it can be cloned for every attempt.
///
/// Cloning shares the buffer; polling hands out the bytes without copying them. `Debug` prints
/// only the length: bodies carry prompts and may carry secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReplayableBody {
    bytes: Bytes,
}

impl ReplayableBody {
    /// A body holding `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The bytes this body sends (not yet consumed by polling).
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The body's bytes, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The number of bytes left to send.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the body has nothing (left) to send.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl From<Bytes> for ReplayableBody {
    fn from(bytes: Bytes) -> Self {
        Self { bytes }
    }
}

impl From<Vec<u8>> for ReplayableBody {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for ReplayableBody {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&'static str> for ReplayableBody {
    fn from(text: &'static str) -> Self {
        Self::new(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for ReplayableBody {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(Bytes::from_static(bytes))
    }
}

impl fmt::Debug for ReplayableBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayableBody")
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Body for ReplayableBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.bytes.is_empty() {
            Poll::Ready(None)
        } else {
            Poll::Ready(Some(Ok(Frame::data(std::mem::take(&mut this.bytes)))))
        }
    }

    fn is_end_stream(&self) -> bool {
        self.bytes.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.bytes.len() as u64)
    }
}

/// Reads at most `limit` bytes from the start of `body`, for error messages and excerpts.
///
/// A body error or the end of the body ends the read with what arrived; reading stops as soon
/// as `limit` bytes are in, so an endless or huge error body is never buffered whole.
pub async fn read_prefix<B>(body: B, limit: usize) -> Bytes
where
    B: Body<Data = Bytes>,
{
    let mut body = std::pin::pin!(body);
    let mut buffer = bytes::BytesMut::new();
    while buffer.len() < limit {
        match http_body_util::BodyExt::frame(&mut body).await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let room = limit - buffer.len();
                    buffer.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(_)) | None => break,
        }
    }
    buffer.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn clone_sends_identical_bytes_and_shares_the_buffer() {
        let body = ReplayableBody::from(vec![1u8, 2, 3]);
        let copy = body.clone();
        assert_eq!(copy.bytes().as_ptr(), body.bytes().as_ptr());
        assert_eq!(copy.size_hint().exact(), Some(3));
        let sent = copy.collect().await.unwrap().to_bytes();
        assert_eq!(&sent[..], &[1, 2, 3]);
        assert_eq!(body.len(), 3);
    }

    #[tokio::test]
    async fn empty_body_ends_at_once() {
        let mut body = ReplayableBody::empty();
        assert!(body.is_end_stream());
        assert!(body.frame().await.is_none());
    }

    #[tokio::test]
    async fn read_prefix_stops_at_the_limit_and_at_the_end() {
        let long = http_body_util::Full::new(Bytes::from_static(b"0123456789"));
        assert_eq!(&read_prefix(long, 4).await[..], b"0123");
        let short = http_body_util::Full::new(Bytes::from_static(b"01"));
        assert_eq!(&read_prefix(short, 4).await[..], b"01");
    }

    #[test]
    fn debug_shows_only_the_length() {
        let body = ReplayableBody::from("secret-token");
        assert_eq!(format!("{body:?}"), "ReplayableBody { len: 12 }");
    }
}
