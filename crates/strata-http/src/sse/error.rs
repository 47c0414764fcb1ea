//! The error of SSE decoding.

use std::error::Error as StdError;
use std::fmt;

use crate::error::BoxError;

/// Why decoding a server-sent event stream failed.
///
/// Opaque: ask with the `is_*()` predicates; a transport failure or a UTF-8 error is the
/// [`source`](std::error::Error::source). After an error the stream yields nothing more.
pub struct SseError {
    kind: Kind,
    source: Option<BoxError>,
}

#[derive(Debug)]
enum Kind {
    TooLarge { limit: usize },
    InvalidUtf8 { field: &'static str },
    Truncated,
    Transport,
}

impl SseError {
    pub(crate) fn too_large(limit: usize) -> Self {
        Self {
            kind: Kind::TooLarge { limit },
            source: None,
        }
    }

    pub(crate) fn invalid_utf8(field: &'static str, source: std::str::Utf8Error) -> Self {
        Self {
            kind: Kind::InvalidUtf8 { field },
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn truncated() -> Self {
        Self {
            kind: Kind::Truncated,
            source: None,
        }
    }

    pub(crate) fn transport(source: BoxError) -> Self {
        Self {
            kind: Kind::Transport,
            source: Some(source),
        }
    }

    /// Whether one event (or one line) was larger than the decoder's limit.
    pub fn is_too_large(&self) -> bool {
        matches!(self.kind, Kind::TooLarge { .. })
    }

    /// The size limit that was exceeded, for [`is_too_large`](Self::is_too_large) errors.
    pub fn limit(&self) -> Option<usize> {
        match self.kind {
            Kind::TooLarge { limit } => Some(limit),
            _ => None,
        }
    }

    /// Whether a `data`, `event` or `id` value was not valid UTF-8.
    pub fn is_invalid_utf8(&self) -> bool {
        matches!(self.kind, Kind::InvalidUtf8 { .. })
    }

    /// Whether the body ended in the middle of an event (a field line without the blank line
    /// that dispatches it, or an unterminated line).
    pub fn is_truncated(&self) -> bool {
        matches!(self.kind, Kind::Truncated)
    }

    /// Whether reading the body failed; the body's error is the source.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Transport)
    }

    /// The body's own error, for a [transport](Self::is_transport) failure; `self` back
    /// otherwise.
    pub fn into_transport(self) -> Result<BoxError, Self> {
        match (self.kind, self.source) {
            (Kind::Transport, Some(source)) => Ok(source),
            (kind, source) => Err(Self { kind, source }),
        }
    }
}

impl fmt::Debug for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("SseError");
        d.field("kind", &self.kind);
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::TooLarge { limit } => {
                write!(f, "server-sent event exceeds the {limit}-byte limit")
            }
            Kind::InvalidUtf8 { field } => {
                write!(f, "server-sent event field `{field}` is not valid UTF-8")
            }
            Kind::Truncated => {
                f.write_str("server-sent event stream ended in the middle of an event")
            }
            Kind::Transport => f.write_str("reading the server-sent event stream failed"),
        }
    }
}

impl StdError for SseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
