//! What a provider tells the runtime about its service's responses.

use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, HeaderName, StatusCode};

use crate::retry::{Classifier, HttpClassifier};

/// Turns a non-success response (status, headers, the first bytes of its body) into the
/// provider's API error.
pub type ApiErrorFn = fn(StatusCode, &HeaderMap, &[u8]) -> strata_core::Error;

/// How a provider's service answers: its user-agent product token, the header carrying
/// request ids, how an error body becomes an error, and the default retry classifier.
///
/// ```
/// use http::{HeaderMap, HeaderName, StatusCode};
/// use strata_core::error::ApiError;
/// use strata_http::runtime::Protocol;
///
/// fn api_error(status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> strata_core::Error {
///     strata_core::Error::api(ApiError::from_status(status, String::from_utf8_lossy(body)))
/// }
/// let protocol = Protocol::new("my-provider/1.0", HeaderName::from_static("x-request-id"), api_error);
/// assert_eq!(protocol.product(), "my-provider/1.0");
/// let error = protocol.api_error(StatusCode::NOT_FOUND, &HeaderMap::new(), b"no such model");
/// assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
/// ```
#[derive(Clone)]
pub struct Protocol {
    product: &'static str,
    request_id_header: HeaderName,
    api_error: ApiErrorFn,
    classifier: Arc<dyn Classifier>,
}

impl Protocol {
    /// A protocol with the [`HttpClassifier`] as its default classifier.
    pub fn new(
        product: &'static str,
        request_id_header: HeaderName,
        api_error: ApiErrorFn,
    ) -> Self {
        Self {
            product,
            request_id_header,
            api_error,
            classifier: Arc::new(HttpClassifier),
        }
    }

    /// Uses `classifier` unless the user sets one.
    pub fn with_classifier(mut self, classifier: impl Classifier) -> Self {
        self.classifier = Arc::new(classifier);
        self
    }

    /// The user-agent product token, e.g. `strata-bedrock/0.1.0`.
    pub fn product(&self) -> &'static str {
        self.product
    }

    /// The header carrying the service's request ids.
    pub fn request_id_header(&self) -> &HeaderName {
        &self.request_id_header
    }

    /// The request id in `headers`, if present and printable.
    pub fn request_id<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        headers
            .get(&self.request_id_header)
            .and_then(|v| v.to_str().ok())
    }

    /// The error for a non-success response.
    pub fn api_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> strata_core::Error {
        (self.api_error)(status, headers, body)
    }

    pub(crate) fn classifier(&self) -> Arc<dyn Classifier> {
        self.classifier.clone()
    }
}

impl fmt::Debug for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Protocol")
            .field("product", &self.product)
            .field("request_id_header", &self.request_id_header)
            .finish_non_exhaustive()
    }
}

/// The request id of a response, read once when its headers arrive and kept in the response
/// extensions by [`Runtime::send`](super::Runtime::send).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(pub String);

impl RequestId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
