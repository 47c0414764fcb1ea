//! A decoded event-stream message: the frame's bytes plus offsets into them.

use std::fmt;

use bytes::Bytes;

use super::error::EventStreamError;
use super::frame::{CRC_LEN, PRELUDE_LEN, check_prelude, crc_hasher};
use super::header::{HeaderValue, Headers};
use super::layout::{Layout, RecentHeaders, TypeHeader};

/// One decoded event-stream message.
///
/// It owns the frame's bytes (a reference-counted [`Bytes`] split off the receive buffer) and
/// was fully validated when decoded: both checksums, the lengths and every header. Headers are
/// read in place ([`headers`](Self::headers), [`header`](Self::header)), and the payload is a
/// slice of the frame ([`payload`](Self::payload)), so nothing is copied. Cloning is cheap.
#[derive(Clone)]
pub struct Message {
    frame: Bytes,
    layout: Layout,
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
        let layout = Layout::of_checked_frame(&frame, prelude, &hasher, &mut RecentHeaders::new())?;
        Ok(Self::new(frame, layout))
    }

    /// A message of a frame validated by [`Layout::of_checked_frame`], with its layout.
    #[inline]
    pub(crate) fn new(frame: Bytes, layout: Layout) -> Self {
        Self { frame, layout }
    }

    /// The message's headers, in wire order (duplicates included).
    #[inline]
    pub fn headers(&self) -> Headers<'_> {
        Headers::new(&self.frame[PRELUDE_LEN..self.layout.headers_end()])
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<HeaderValue<'_>> {
        self.headers().find(|h| h.name() == name).map(|h| h.value())
    }

    /// The payload, as a slice of the frame (no copy).
    #[inline]
    pub fn payload(&self) -> Bytes {
        self.frame.slice(self.payload_range())
    }

    /// The payload, borrowed.
    #[inline]
    pub fn payload_bytes(&self) -> &[u8] {
        &self.frame[self.payload_range()]
    }

    /// The whole encoded frame: prelude, headers, payload and message CRC.
    #[inline]
    pub fn frame(&self) -> &Bytes {
        &self.frame
    }

    /// The first string-typed `:message-type` header (`event`, `exception` or `error`).
    #[inline]
    pub fn message_type(&self) -> Option<&str> {
        self.known(TypeHeader::Message)
    }

    /// The first string-typed `:event-type` header.
    #[inline]
    pub fn event_type(&self) -> Option<&str> {
        self.known(TypeHeader::Event)
    }

    /// The first string-typed `:content-type` header.
    #[inline]
    pub fn content_type(&self) -> Option<&str> {
        self.known(TypeHeader::Content)
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

    #[inline]
    fn payload_range(&self) -> std::ops::Range<usize> {
        self.layout.headers_end()..self.frame.len() - CRC_LEN
    }

    /// The first string-typed `:message-type`, as bytes (no UTF-8 check needed to compare).
    #[inline]
    pub(crate) fn message_type_bytes(&self) -> Option<&[u8]> {
        self.known_bytes(TypeHeader::Message)
    }

    /// Whether a string-typed `:event-type` header is present.
    #[inline]
    pub(crate) fn has_event_type(&self) -> bool {
        self.layout.known(TypeHeader::Event).is_some()
    }

    fn first_str(&self, name: &str) -> Option<&str> {
        self.headers()
            .filter(|h| h.name() == name)
            .find_map(|h| h.value().as_str())
    }

    #[inline]
    fn known_bytes(&self, header: TypeHeader) -> Option<&[u8]> {
        self.frame.get(self.layout.known(header)?)
    }

    #[inline]
    fn known(&self, header: TypeHeader) -> Option<&str> {
        // Validated as UTF-8 when the message was decoded.
        std::str::from_utf8(self.known_bytes(header)?).ok()
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
    use bytes::BytesMut;

    use super::super::FrameDecoder;
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
    fn a_repeated_header_section_is_reused_only_when_identical() {
        let section = |event_type: &str| {
            let mut h = string_header(":message-type", "event");
            h.extend(string_header(":event-type", event_type));
            h
        };
        // Same length as `section("aaaa")`, but the second value type byte is unknown.
        let mut bad = section("aaaa");
        let at = 1 + ":message-type".len() + 1 + 2 + "event".len() + 1 + ":event-type".len();
        bad[at] = 42;
        // Longer than the remembered sections.
        let long = section(&"x".repeat(200));
        let mut wire = BytesMut::new();
        for (headers, payload) in [
            (section("aaaa"), &b"1"[..]),
            (section("aaaa"), b"2"),
            (section("bbbb"), b"3"),
            (long.clone(), b"4"),
            (long, b"5"),
            (section("aaaa"), b"6"),
            (bad, b"7"),
        ] {
            wire.extend_from_slice(&frame(&headers, payload));
        }
        let mut decoder = FrameDecoder::new();
        let mut seen = Vec::new();
        let err = loop {
            match decoder.decode(&mut wire) {
                Ok(Some(m)) => {
                    assert_eq!(m.message_type(), Some("event"));
                    let event_type = m.event_type().unwrap().to_owned();
                    seen.push((event_type, m.payload_bytes().to_vec()));
                }
                Ok(None) => panic!("the last frame is invalid"),
                Err(err) => break err,
            }
        };
        let x = "x".repeat(200);
        let expected: Vec<(String, Vec<u8>)> = [
            ("aaaa", "1"),
            ("aaaa", "2"),
            ("bbbb", "3"),
            (x.as_str(), "4"),
            (x.as_str(), "5"),
            ("aaaa", "6"),
        ]
        .iter()
        .map(|(t, p)| (t.to_string(), p.as_bytes().to_vec()))
        .collect();
        assert_eq!(seen, expected);
        assert_eq!(
            err.to_string(),
            "invalid event-stream header at byte 34 of the frame: unknown value type 42"
        );
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
