//! Validation of a complete frame — every header, then the message CRC — which also locates,
//! in the same pass, the headers read for every event.

use std::fmt;
use std::ops::Range;

use super::error::EventStreamError;
use super::frame::{CRC_LEN, PRELUDE_LEN, Prelude, crc32};
use super::header::{TYPE_STRING, parse_raw};

/// The headers located while a frame is validated: those read for every event. The rarer
/// ones are looked up when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeHeader {
    Message,
    Event,
    Content,
}

impl TypeHeader {
    #[inline]
    fn of(name: &[u8]) -> Option<Self> {
        // Compared as whole arrays (a few word loads); a slice pattern compares byte by byte.
        if let Ok(name) = <&[u8; 13]>::try_from(name) {
            if name == b":message-type" {
                return Some(Self::Message);
            }
            if name == b":content-type" {
                return Some(Self::Content);
            }
        } else if name == b":event-type" {
            return Some(Self::Event);
        }
        None
    }
}

/// Whether every byte is ASCII, a word at a time (`<[u8]>::is_ascii` checks the tail of a
/// slice byte by byte, and header sections are short).
#[inline]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
    let (words, tail) = bytes.as_chunks::<8>();
    let mut any = words.iter().fold(0, |any, w| any | u64::from_ne_bytes(*w));
    match bytes.last_chunk::<8>() {
        // The last eight bytes, overlapping the words already read, cover the tail.
        Some(last) => any |= u64::from_ne_bytes(*last),
        None => any |= tail.iter().fold(0, |any, &b| any | u64::from(b)),
    }
    any & HIGH_BITS == 0
}

/// The header at `pos` of a header section if it is a string header that fits in the
/// section: its name, and the start and length of its value.
#[inline(always)]
fn string_header(section: &[u8], pos: usize) -> Option<(&[u8], usize, usize)> {
    let name_start = pos + 1;
    let name_end = name_start + usize::from(*section.get(pos)?);
    let &[value_type, l0, l1] = section.get(name_end..)?.first_chunk::<3>()?;
    if value_type != TYPE_STRING {
        return None;
    }
    let start = name_end + 3;
    let len = usize::from(u16::from_be_bytes([l0, l1]));
    if start + len > section.len() {
        return None;
    }
    Some((&section[name_start..name_end], start, len))
}

/// Where a string value sits in the frame: its start in the high 32 bits, its length in the
/// low 32; 0 when absent (values never start inside the prelude). One word, so that it moves
/// in one register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span(u64);

impl Span {
    const ABSENT: Self = Self(0);

    /// Both fit: the frame length is a u32 and string lengths are u16.
    #[inline]
    fn new(start: usize, len: usize) -> Self {
        Self(((start as u64) << 32) | len as u64)
    }

    #[inline]
    fn is_absent(self) -> bool {
        self.0 == 0
    }

    #[inline]
    fn range(self) -> Option<Range<usize>> {
        let start = (self.0 >> 32) as usize;
        let len = self.0 as u32 as usize;
        (!self.is_absent()).then_some(start..start + len)
    }
}

/// Where a valid frame's header section ends and where the values of its first string-typed
/// `:message-type`, `:event-type` and `:content-type` headers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    headers_end: u32,
    message_type: Span,
    event_type: Span,
    content_type: Span,
}

/// Where the values of the first string-typed `:message-type`, `:event-type` and
/// `:content-type` headers of a header section are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spans {
    message_type: Span,
    event_type: Span,
    content_type: Span,
}

impl Spans {
    const ABSENT: Self = Self {
        message_type: Span::ABSENT,
        event_type: Span::ABSENT,
        content_type: Span::ABSENT,
    };

    /// Validates every header of a header section (bounds, value type, UTF-8 of names and
    /// string values) and locates the per-event ones.
    #[inline]
    fn scan(section: &[u8]) -> Result<Self, EventStreamError> {
        // Separate variables rather than an array, so that they can stay in registers.
        let mut message_type = Span::ABSENT;
        let mut event_type = Span::ABSENT;
        let mut content_type = Span::ABSENT;
        // An all-ASCII section (the usual case) needs no per-header UTF-8 check.
        let ascii = is_ascii(section);
        let mut pos = 0;
        while pos < section.len() {
            let (name, start, len) = match string_header(section, pos) {
                Some(found) if ascii => found,
                // Other value types, strings in a section that is not all ASCII, and errors.
                _ => {
                    let at = |problem| EventStreamError::invalid_header(PRELUDE_LEN + pos, problem);
                    let (raw, next) =
                        parse_raw(section, pos).map_err(|(_, problem)| at(problem))?;
                    if !ascii {
                        raw.check_utf8().map_err(at)?;
                    }
                    if raw.value_type != TYPE_STRING {
                        pos = next;
                        continue;
                    }
                    (raw.name, next - raw.value.len(), raw.value.len())
                }
            };
            match TypeHeader::of(name) {
                Some(TypeHeader::Message) if message_type.is_absent() => {
                    message_type = Span::new(PRELUDE_LEN + start, len);
                }
                Some(TypeHeader::Event) if event_type.is_absent() => {
                    event_type = Span::new(PRELUDE_LEN + start, len);
                }
                Some(TypeHeader::Content) if content_type.is_absent() => {
                    content_type = Span::new(PRELUDE_LEN + start, len);
                }
                _ => {}
            }
            pos = start + len;
        }
        Ok(Self {
            message_type,
            event_type,
            content_type,
        })
    }
}

/// Header sections up to this many bytes are remembered by [`RecentHeaders`].
const RECENT_MAX: usize = 128;

/// The most recent header section that validated, with its spans.
///
/// Consecutive frames of a stream usually carry byte-identical header sections (every
/// `contentBlockDelta` event of a ConverseStream response has the same three headers), and
/// identical bytes validate identically, with their values at the same offsets: such a section
/// is compared with the remembered one instead of being parsed again.
#[derive(Clone)]
pub(crate) struct RecentHeaders {
    /// The length of the remembered section; the initial empty section has no headers.
    len: usize,
    bytes: [u8; RECENT_MAX],
    spans: Spans,
}

impl RecentHeaders {
    /// Remembers nothing yet (the empty section).
    pub(crate) const fn new() -> Self {
        Self {
            len: 0,
            bytes: [0; RECENT_MAX],
            spans: Spans::ABSENT,
        }
    }

    /// The spans of a header section: remembered if it is the same as the last one, else
    /// scanned (and remembered, if it validates and is short enough).
    #[inline]
    fn spans(&mut self, section: &[u8]) -> Result<Spans, EventStreamError> {
        if self.bytes.get(..self.len) == Some(section) {
            return Ok(self.spans);
        }
        let spans = Spans::scan(section)?;
        if let Some(copy) = self.bytes.get_mut(..section.len()) {
            copy.copy_from_slice(section);
            self.len = section.len();
            self.spans = spans;
        }
        Ok(spans)
    }
}

impl Default for RecentHeaders {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RecentHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecentHeaders")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl Layout {
    /// Validates a complete frame whose prelude has been checked (`frame.len()` is the
    /// declared total length, and the header section fits in it): every header (bounds, value
    /// type, UTF-8 of names and string values; see [`RecentHeaders`]), then the message CRC.
    /// `hasher` comes from [`crc_hasher`](super::frame::crc_hasher).
    #[inline]
    pub(crate) fn of_checked_frame(
        frame: &[u8],
        prelude: Prelude,
        hasher: &crc32fast::Hasher,
        recent: &mut RecentHeaders,
    ) -> Result<Self, EventStreamError> {
        let headers_end = PRELUDE_LEN + prelude.headers;
        let Spans {
            message_type,
            event_type,
            content_type,
        } = recent.spans(&frame[PRELUDE_LEN..headers_end])?;
        let Some((covered, &declared)) = frame.split_last_chunk::<CRC_LEN>() else {
            // A checked prelude declares at least a prelude and a message CRC.
            return Err(EventStreamError::truncated(
                frame.len(),
                Some(prelude.total),
            ));
        };
        // The message CRC covers the whole frame but itself.
        let computed = crc32(hasher, covered);
        let declared = u32::from_be_bytes(declared);
        if computed != declared {
            return Err(EventStreamError::message_checksum(computed, declared));
        }
        Ok(Self {
            headers_end: headers_end as u32,
            message_type,
            event_type,
            content_type,
        })
    }

    /// The end of the header section, which is where the payload starts.
    #[inline]
    pub(crate) fn headers_end(&self) -> usize {
        self.headers_end as usize
    }

    /// Where the value of a known header is in the frame, if present.
    #[inline]
    pub(crate) fn known(&self, header: TypeHeader) -> Option<Range<usize>> {
        match header {
            TypeHeader::Message => self.message_type,
            TypeHeader::Event => self.event_type,
            TypeHeader::Content => self.content_type,
        }
        .range()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_check_sees_a_high_byte_anywhere() {
        for len in 0..40 {
            let mut bytes = vec![b'a'; len];
            assert!(is_ascii(&bytes), "{len}");
            for at in 0..len {
                bytes[at] = 0x80;
                assert!(!is_ascii(&bytes), "{len} {at}");
                bytes[at] = 0x7f;
            }
        }
    }

    #[test]
    fn known_names_match_exactly() {
        assert_eq!(TypeHeader::of(b":message-type"), Some(TypeHeader::Message));
        assert_eq!(TypeHeader::of(b":event-type"), Some(TypeHeader::Event));
        assert_eq!(TypeHeader::of(b":content-type"), Some(TypeHeader::Content));
        for other in [
            &b":message-typ"[..],
            b":Event-type",
            b":content-typf",
            b"",
            b":event-type ",
        ] {
            assert_eq!(TypeHeader::of(other), None, "{other:?}");
        }
    }
}
