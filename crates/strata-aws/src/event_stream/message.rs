//! A decoded event-stream message: the frame's bytes plus offsets into them.

use std::fmt;

use bytes::Bytes;

use super::error::EventStreamError;
use super::frame::{CRC_LEN, PRELUDE_LEN, Prelude, check_prelude, crc_hasher, crc32};
use super::header::{HeaderValue, Headers, TYPE_STRING, parse_raw};

/// How many headers are located while the frame is validated (see [`known_index`]): those
/// read for every event. The rarer ones are looked up when asked for.
const KNOWN_COUNT: usize = 3;
const MESSAGE_TYPE: usize = 0;
const EVENT_TYPE: usize = 1;
const CONTENT_TYPE: usize = 2;

#[inline]
fn known_index(name: &[u8]) -> Option<usize> {
    // Compared as whole arrays (a few word loads); a slice pattern would compare byte by byte.
    if let Ok(name) = <&[u8; 13]>::try_from(name) {
        if name == b":message-type" {
            return Some(MESSAGE_TYPE);
        }
        if name == b":content-type" {
            return Some(CONTENT_TYPE);
        }
    } else if name == b":event-type" {
        return Some(EVENT_TYPE);
    }
    None
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

/// Where a string value sits in the frame; `start == 0` means absent (values never start
/// inside the prelude).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    len: u16,
}

/// One decoded event-stream message.
///
/// It owns the frame's bytes (a reference-counted [`Bytes`] split off the receive buffer) and
/// was fully validated when decoded: both checksums, the lengths and every header. Headers are
/// read in place ([`headers`](Self::headers), [`header`](Self::header)), and the payload is a
/// slice of the frame ([`payload`](Self::payload)), so nothing is copied. Cloning is cheap.
#[derive(Clone)]
pub struct Message {
    frame: Bytes,
    headers_end: u32,
    known: [Span; KNOWN_COUNT],
}

impl Message {
    /// Decodes a buffer holding exactly one complete frame.
    ///
    /// # Errors
    ///
    /// As [`FrameDecoder::decode`](super::FrameDecoder::decode) (without a size limit), plus
    /// [`is_truncated`](EventStreamError::is_truncated) when `frame` is shorter than the length
    /// its prelude declares and [`is_invalid_length`](EventStreamError::is_invalid_length) when
    /// it is longer.
    pub fn decode(frame: Bytes) -> Result<Self, EventStreamError> {
        let Some(prelude) = frame.first_chunk::<PRELUDE_LEN>() else {
            return Err(EventStreamError::truncated(frame.len(), None));
        };
        let hasher = crc_hasher();
        let prelude = check_prelude(prelude, usize::MAX, &hasher)?;
        if frame.len() < prelude.total {
            return Err(EventStreamError::truncated(
                frame.len(),
                Some(prelude.total),
            ));
        }
        if frame.len() > prelude.total {
            let total = u32::try_from(frame.len()).unwrap_or(u32::MAX);
            let headers = u32::try_from(prelude.headers).unwrap_or(u32::MAX);
            return Err(EventStreamError::invalid_length(total, headers));
        }
        Self::from_checked_frame(frame, prelude, &hasher)
    }

    /// Validates the headers and the message CRC of a frame whose prelude has been checked:
    /// `frame.len()` is the declared total length and the headers fit in it. `hasher` is
    /// from [`crc_hasher`].
    #[inline]
    pub(crate) fn from_checked_frame(
        frame: Bytes,
        prelude: Prelude,
        hasher: &crc32fast::Hasher,
    ) -> Result<Self, EventStreamError> {
        let headers_end = PRELUDE_LEN + prelude.headers;
        let section = &frame[PRELUDE_LEN..headers_end];
        let mut known = [Span::default(); KNOWN_COUNT];
        // An all-ASCII section (the usual case) needs no per-header UTF-8 check.
        let ascii = is_ascii(section);
        let mut pos = 0;
        while pos < section.len() {
            let at = |problem| EventStreamError::invalid_header(PRELUDE_LEN + pos, problem);
            let (raw, next) = parse_raw(section, pos).map_err(|(_, problem)| at(problem))?;
            if !ascii {
                raw.check_utf8().map_err(at)?;
            }
            if raw.value_type == TYPE_STRING
                && let Some(i) = known_index(raw.name)
                && known[i].start == 0
            {
                // The value ends where the next header starts; both fit in u32/u16 because
                // the frame length is a u32 and string lengths are u16.
                known[i] = Span {
                    start: (PRELUDE_LEN + next - raw.value.len()) as u32,
                    len: raw.value.len() as u16,
                };
            }
            pos = next;
        }
        let crc_at = frame.len() - CRC_LEN;
        // The message CRC covers the whole frame but itself.
        let computed = crc32(hasher, &frame[..crc_at]);
        let mut declared = [0; CRC_LEN];
        declared.copy_from_slice(&frame[crc_at..]);
        let declared = u32::from_be_bytes(declared);
        if computed != declared {
            return Err(EventStreamError::message_checksum(computed, declared));
        }
        Ok(Self {
            frame,
            headers_end: headers_end as u32,
            known,
        })
    }

    /// The message's headers, in wire order (duplicates included).
    pub fn headers(&self) -> Headers<'_> {
        Headers::new(&self.frame[PRELUDE_LEN..self.headers_end as usize])
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<HeaderValue<'_>> {
        self.headers().find(|h| h.name() == name).map(|h| h.value())
    }

    /// The payload, as a slice of the frame (no copy).
    pub fn payload(&self) -> Bytes {
        self.frame.slice(self.payload_range())
    }

    /// The payload, borrowed.
    pub fn payload_bytes(&self) -> &[u8] {
        &self.frame[self.payload_range()]
    }

    /// The whole encoded frame: prelude, headers, payload and message CRC.
    pub fn frame(&self) -> &Bytes {
        &self.frame
    }

    /// The first string-typed `:message-type` header (`event`, `exception` or `error`).
    pub fn message_type(&self) -> Option<&str> {
        self.known(MESSAGE_TYPE)
    }

    /// The first string-typed `:event-type` header.
    pub fn event_type(&self) -> Option<&str> {
        self.known(EVENT_TYPE)
    }

    /// The first string-typed `:content-type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.known(CONTENT_TYPE)
    }

    /// The first string-typed `:exception-type` header.
    pub fn exception_type(&self) -> Option<&str> {
        self.first_str(":exception-type")
    }

    /// The first string-typed `:error-code` header.
    pub fn error_code(&self) -> Option<&str> {
        self.first_str(":error-code")
    }

    /// The first string-typed `:error-message` header.
    pub fn error_message(&self) -> Option<&str> {
        self.first_str(":error-message")
    }

    fn payload_range(&self) -> std::ops::Range<usize> {
        self.headers_end as usize..self.frame.len() - CRC_LEN
    }

    /// The first string-typed `:message-type`, as bytes (no UTF-8 check needed to compare).
    pub(crate) fn message_type_bytes(&self) -> Option<&[u8]> {
        self.known_bytes(MESSAGE_TYPE)
    }

    /// Whether a string-typed `:event-type` header is present.
    pub(crate) fn has_event_type(&self) -> bool {
        self.known[EVENT_TYPE].start != 0
    }

    fn first_str(&self, name: &str) -> Option<&str> {
        self.headers()
            .filter(|h| h.name() == name)
            .find_map(|h| h.value().as_str())
    }

    #[inline]
    fn known_bytes(&self, i: usize) -> Option<&[u8]> {
        let Span { start, len } = self.known[i];
        if start == 0 {
            return None;
        }
        let start = start as usize;
        self.frame.get(start..start + usize::from(len))
    }

    #[inline]
    fn known(&self, i: usize) -> Option<&str> {
        // Validated as UTF-8 when the message was decoded.
        std::str::from_utf8(self.known_bytes(i)?).ok()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.frame == other.frame
    }
}

impl Eq for Message {}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("headers", &self.headers())
            .field("payload_len", &self.payload_bytes().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes a frame (test helper; the crate's tests use aws-smithy-eventstream elsewhere).
    fn frame(headers: &[u8], payload: &[u8]) -> Bytes {
        let total = (16 + headers.len() + payload.len()) as u32;
        let mut f = Vec::new();
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let crc = crc32fast::hash(&f);
        f.extend_from_slice(&crc.to_be_bytes());
        f.extend_from_slice(headers);
        f.extend_from_slice(payload);
        let crc = crc32fast::hash(&f);
        f.extend_from_slice(&crc.to_be_bytes());
        Bytes::from(f)
    }

    fn string_header(name: &str, value: &str) -> Vec<u8> {
        let mut h = vec![name.len() as u8];
        h.extend_from_slice(name.as_bytes());
        h.push(7);
        h.extend_from_slice(&(value.len() as u16).to_be_bytes());
        h.extend_from_slice(value.as_bytes());
        h
    }

    #[test]
    fn locates_known_headers_and_payload() {
        let mut headers = string_header(":event-type", "chunk");
        headers.extend(string_header(":event-type", "ignored duplicate"));
        headers.extend([5, b'o', b't', b'h', b'e', b'r', 0]);
        headers.extend(string_header(":message-type", "event"));
        let m = Message::decode(frame(&headers, b"{}")).unwrap();
        assert_eq!(m.event_type(), Some("chunk"));
        assert_eq!(m.message_type(), Some("event"));
        assert_eq!(m.content_type(), None);
        assert_eq!(m.header("other"), Some(HeaderValue::Bool(true)));
        assert_eq!(m.header(":event-type"), Some(HeaderValue::String("chunk")));
        assert_eq!(m.headers().count(), 4);
        assert_eq!(m.payload(), Bytes::from_static(b"{}"));
        assert_eq!(m.payload_bytes(), b"{}");
        assert_eq!(m.frame().len(), 16 + headers.len() + 2);
    }

    #[test]
    fn non_string_known_header_is_not_a_known_value() {
        let mut headers = vec![11];
        headers.extend_from_slice(b":event-type");
        headers.push(0);
        let m = Message::decode(frame(&headers, b"")).unwrap();
        assert_eq!(m.event_type(), None);
        assert_eq!(m.header(":event-type"), Some(HeaderValue::Bool(true)));
    }

    #[test]
    fn payload_is_a_slice_of_the_frame() {
        let m = Message::decode(frame(&[], b"abc")).unwrap();
        let payload = m.payload();
        assert_eq!(payload.as_ptr(), m.frame()[PRELUDE_LEN..].as_ptr());
    }

    #[test]
    fn decode_requires_exactly_one_frame() {
        let f = frame(&[], b"abc");
        assert!(Message::decode(f.slice(..5)).unwrap_err().is_truncated());
        assert!(Message::decode(f.slice(..18)).unwrap_err().is_truncated());
        let mut long = f.to_vec();
        long.push(0);
        assert!(
            Message::decode(Bytes::from(long))
                .unwrap_err()
                .is_invalid_length()
        );
    }

    #[test]
    fn header_errors_carry_the_frame_offset() {
        let headers = [1, b'a', 0, 1, b'b', 42];
        let err = Message::decode(frame(&headers, b"")).unwrap_err();
        assert!(err.is_invalid_header());
        assert_eq!(
            err.to_string(),
            "invalid event-stream header at byte 15 of the frame: unknown value type 42"
        );
    }

    #[test]
    fn utf8_is_checked_in_non_ascii_sections() {
        let m = Message::decode(frame(&string_header(":event-type", "déjà"), b"")).unwrap();
        assert_eq!(m.event_type(), Some("déjà"));
        let mut headers = string_header("é", "x");
        headers.extend([1, 0xff, 0]);
        let err = Message::decode(frame(&headers, b"")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event-stream header at byte 19 of the frame: the name is not valid UTF-8"
        );
        let mut headers = string_header("a", "x");
        let at = headers.len() - 1;
        headers[at] = 0xc3;
        let err = Message::decode(frame(&headers, b"")).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("at byte 12 of the frame: the string value is not valid UTF-8")
        );
    }

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
        assert_eq!(known_index(b":message-type"), Some(MESSAGE_TYPE));
        assert_eq!(known_index(b":event-type"), Some(EVENT_TYPE));
        assert_eq!(known_index(b":content-type"), Some(CONTENT_TYPE));
        for other in [
            &b":message-typ"[..],
            b":Event-type",
            b":content-typf",
            b"",
            b":event-type ",
        ] {
            assert_eq!(known_index(other), None, "{other:?}");
        }
    }

    #[test]
    fn message_crc_is_checked() {
        let mut f = frame(&[], b"abc").to_vec();
        f[13] ^= 0x20;
        let err = Message::decode(Bytes::from(f)).unwrap_err();
        assert!(err.is_message_checksum_mismatch() && err.is_checksum_mismatch());
    }

    #[test]
    fn debug_lists_headers_and_payload_length() {
        let m = Message::decode(frame(&string_header(":event-type", "x"), b"ab")).unwrap();
        assert_eq!(
            format!("{m:?}"),
            r#"Message { headers: [":event-type": String("x")], payload_len: 2 }"#
        );
    }
}
