//! The error type of event-stream decoding.

use std::error::Error as StdError;
use std::fmt;

use super::typed::{ServiceError, ServiceException};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// An error while decoding an AWS event stream (`application/vnd.amazon.eventstream`).
///
/// Decoding errors (checksums, lengths, headers, truncation, oversized frames), transport errors
/// from the underlying body, and — in the typed view ([`EventStream`](super::EventStream)) —
/// exceptions and errors sent by the service are all reported through this type. Use the
/// `is_*` predicates to tell them apart; [`source()`](StdError::source) chains to the body's
/// own error for transport failures.
///
/// After a stream yields an error it ends: the next poll returns `None`.
#[derive(Debug)]
pub struct EventStreamError {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    PreludeChecksum {
        computed: u32,
        declared: u32,
    },
    MessageChecksum {
        computed: u32,
        declared: u32,
    },
    InvalidLength {
        total: u32,
        headers: u32,
    },
    InvalidHeader {
        offset: usize,
        problem: HeaderProblem,
    },
    FrameTooLarge {
        len: u32,
        max: usize,
    },
    Truncated {
        buffered: usize,
        needed: Option<usize>,
    },
    Transport(BoxError),
    InvalidMessage(&'static str),
    UnknownMessageType(String),
    Exception(Box<ServiceException>),
    Service(Box<ServiceError>),
}

/// What is wrong with a header; crate-private detail of [`EventStreamError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderProblem {
    /// The header's name length byte is missing or the name runs past the header section.
    NameOutOfBounds,
    /// The name is not UTF-8.
    NameNotUtf8,
    /// The value type byte is missing.
    MissingValueType,
    /// The value type byte is not one of the ten defined types.
    UnknownValueType(u8),
    /// The value (or its length prefix) runs past the header section.
    ValueOutOfBounds,
    /// A string value is not UTF-8.
    ValueNotUtf8,
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameOutOfBounds => f.write_str("the name runs past the header section"),
            Self::NameNotUtf8 => f.write_str("the name is not valid UTF-8"),
            Self::MissingValueType => f.write_str("the value type byte is missing"),
            Self::UnknownValueType(t) => write!(f, "unknown value type {t}"),
            Self::ValueOutOfBounds => f.write_str("the value runs past the header section"),
            Self::ValueNotUtf8 => f.write_str("the string value is not valid UTF-8"),
        }
    }
}

impl EventStreamError {
    fn new(kind: Kind) -> Self {
        Self { kind }
    }

    pub(crate) fn prelude_checksum(computed: u32, declared: u32) -> Self {
        Self::new(Kind::PreludeChecksum { computed, declared })
    }

    pub(crate) fn message_checksum(computed: u32, declared: u32) -> Self {
        Self::new(Kind::MessageChecksum { computed, declared })
    }

    pub(crate) fn invalid_length(total: u32, headers: u32) -> Self {
        Self::new(Kind::InvalidLength { total, headers })
    }

    pub(crate) fn invalid_header(offset: usize, problem: HeaderProblem) -> Self {
        Self::new(Kind::InvalidHeader { offset, problem })
    }

    pub(crate) fn frame_too_large(len: u32, max: usize) -> Self {
        Self::new(Kind::FrameTooLarge { len, max })
    }

    pub(crate) fn truncated(buffered: usize, needed: Option<usize>) -> Self {
        Self::new(Kind::Truncated { buffered, needed })
    }

    pub(crate) fn transport(error: BoxError) -> Self {
        Self::new(Kind::Transport(error))
    }

    pub(crate) fn invalid_message(reason: &'static str) -> Self {
        Self::new(Kind::InvalidMessage(reason))
    }

    pub(crate) fn unknown_message_type(message_type: &str) -> Self {
        Self::new(Kind::UnknownMessageType(message_type.to_owned()))
    }

    pub(crate) fn exception(exception: ServiceException) -> Self {
        Self::new(Kind::Exception(Box::new(exception)))
    }

    pub(crate) fn service(error: ServiceError) -> Self {
        Self::new(Kind::Service(Box::new(error)))
    }

    /// The prelude checksum (CRC32 of the two length fields) does not match.
    pub fn is_prelude_checksum_mismatch(&self) -> bool {
        matches!(self.kind, Kind::PreludeChecksum { .. })
    }

    /// The message checksum (CRC32 of the whole frame but its last four bytes) does not match.
    pub fn is_message_checksum_mismatch(&self) -> bool {
        matches!(self.kind, Kind::MessageChecksum { .. })
    }

    /// Either checksum does not match.
    pub fn is_checksum_mismatch(&self) -> bool {
        self.is_prelude_checksum_mismatch() || self.is_message_checksum_mismatch()
    }

    /// The prelude's lengths are inconsistent: a total length below the 16-byte minimum, or a
    /// headers length that does not fit in the frame.
    pub fn is_invalid_length(&self) -> bool {
        matches!(self.kind, Kind::InvalidLength { .. })
    }

    /// A header could not be parsed (bad name, unknown value type, value out of bounds,
    /// invalid UTF-8).
    pub fn is_invalid_header(&self) -> bool {
        matches!(self.kind, Kind::InvalidHeader { .. })
    }

    /// A frame's declared length exceeds the configured maximum frame size.
    pub fn is_frame_too_large(&self) -> bool {
        matches!(self.kind, Kind::FrameTooLarge { .. })
    }

    /// The body ended in the middle of a frame.
    pub fn is_truncated(&self) -> bool {
        matches!(self.kind, Kind::Truncated { .. })
    }

    /// The underlying body failed; [`source()`](StdError::source) is the body's error.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Transport(_))
    }

    /// The body's own error, for a [transport](Self::is_transport) failure; `self` back
    /// otherwise.
    pub fn into_transport(self) -> Result<BoxError, Self> {
        match self.kind {
            Kind::Transport(error) => Ok(error),
            kind => Err(Self { kind }),
        }
    }

    /// A well-formed message lacks a header the typed view needs (`:message-type`,
    /// `:event-type`, `:exception-type` or `:error-code`), or has a `:message-type` other than
    /// `event`, `exception` or `error`.
    pub fn is_invalid_message(&self) -> bool {
        matches!(
            self.kind,
            Kind::InvalidMessage(_) | Kind::UnknownMessageType(_)
        )
    }

    /// The service sent an `exception` message; see [`service_exception`](Self::service_exception).
    pub fn is_service_exception(&self) -> bool {
        matches!(self.kind, Kind::Exception(_))
    }

    /// The service sent an `error` message; see [`service_error`](Self::service_error).
    pub fn is_service_error(&self) -> bool {
        matches!(self.kind, Kind::Service(_))
    }

    /// The exception the service sent, if this error is one.
    pub fn service_exception(&self) -> Option<&ServiceException> {
        match &self.kind {
            Kind::Exception(e) => Some(e),
            _ => None,
        }
    }

    /// The error the service sent, if this error is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match &self.kind {
            Kind::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::PreludeChecksum { computed, declared } => write!(
                f,
                "event-stream prelude checksum mismatch: frame declares {declared:#010x}, \
                 computed {computed:#010x}"
            ),
            Kind::MessageChecksum { computed, declared } => write!(
                f,
                "event-stream message checksum mismatch: frame declares {declared:#010x}, \
                 computed {computed:#010x}"
            ),
            Kind::InvalidLength { total, headers } => write!(
                f,
                "invalid event-stream frame lengths: total length {total}, headers length \
                 {headers} (a frame is at least 16 bytes and its headers must fit in it)"
            ),
            Kind::InvalidHeader { offset, problem } => write!(
                f,
                "invalid event-stream header at byte {offset} of the frame: {problem}"
            ),
            Kind::FrameTooLarge { len, max } => write!(
                f,
                "event-stream frame of {len} bytes exceeds the maximum frame size of {max} bytes"
            ),
            Kind::Truncated {
                buffered,
                needed: Some(needed),
            } => write!(
                f,
                "event-stream body ended in the middle of a frame: {buffered} of its {needed} \
                 bytes received"
            ),
            Kind::Truncated {
                buffered,
                needed: None,
            } => write!(
                f,
                "event-stream body ended in the middle of a frame: {buffered} bytes of an \
                 incomplete prelude received"
            ),
            Kind::Transport(_) => f.write_str("event-stream body failed"),
            Kind::InvalidMessage(reason) => write!(f, "invalid event-stream message: {reason}"),
            Kind::UnknownMessageType(t) => {
                write!(
                    f,
                    "invalid event-stream message: unknown :message-type `{t}`"
                )
            }
            Kind::Exception(e) => fmt::Display::fmt(e, f),
            Kind::Service(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl StdError for EventStreamError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            Kind::Transport(e) => Some(&**e),
            _ => None,
        }
    }
}
