//! Event-stream headers: borrowed views into a frame's header section, and their parser.

use std::fmt;
use std::iter::FusedIterator;

use super::error::HeaderProblem;

const TYPE_TRUE: u8 = 0;
const TYPE_FALSE: u8 = 1;
const TYPE_BYTE: u8 = 2;
const TYPE_INT16: u8 = 3;
const TYPE_INT32: u8 = 4;
const TYPE_INT64: u8 = 5;
const TYPE_BYTE_ARRAY: u8 = 6;
pub(crate) const TYPE_STRING: u8 = 7;
const TYPE_TIMESTAMP: u8 = 8;
const TYPE_UUID: u8 = 9;

/// The value of an event-stream header, borrowed from the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeaderValue<'a> {
    /// A boolean (wire types 0 = true and 1 = false).
    Bool(bool),
    /// A signed byte (wire type 2).
    Byte(i8),
    /// A big-endian 16-bit integer (wire type 3).
    Int16(i16),
    /// A big-endian 32-bit integer (wire type 4).
    Int32(i32),
    /// A big-endian 64-bit integer (wire type 5).
    Int64(i64),
    /// Bytes with a 16-bit length prefix (wire type 6).
    ByteArray(&'a [u8]),
    /// A UTF-8 string with a 16-bit length prefix (wire type 7).
    String(&'a str),
    /// Milliseconds since the Unix epoch (wire type 8).
    Timestamp(i64),
    /// A 16-byte UUID, in wire order (wire type 9).
    Uuid([u8; 16]),
}

impl<'a> HeaderValue<'a> {
    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&'a str> {
        match *self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a byte-array value.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match *self {
            Self::ByteArray(b) => Some(b),
            _ => None,
        }
    }

    /// The wire type byte of this value (0–9).
    pub fn wire_type(&self) -> u8 {
        match self {
            Self::Bool(true) => TYPE_TRUE,
            Self::Bool(false) => TYPE_FALSE,
            Self::Byte(_) => TYPE_BYTE,
            Self::Int16(_) => TYPE_INT16,
            Self::Int32(_) => TYPE_INT32,
            Self::Int64(_) => TYPE_INT64,
            Self::ByteArray(_) => TYPE_BYTE_ARRAY,
            Self::String(_) => TYPE_STRING,
            Self::Timestamp(_) => TYPE_TIMESTAMP,
            Self::Uuid(_) => TYPE_UUID,
        }
    }
}

/// One event-stream header, borrowed from the frame.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header<'a> {
    name: &'a str,
    value: HeaderValue<'a>,
}

impl<'a> Header<'a> {
    /// The header's name, e.g. `:event-type`.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The header's value.
    pub fn value(&self) -> HeaderValue<'a> {
        self.value
    }
}

impl fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {:?}", self.name, self.value)
    }
}

/// An iterator over a message's headers, in wire order; see
/// [`Message::headers`](super::Message::headers).
#[derive(Clone)]
pub struct Headers<'a> {
    section: &'a [u8],
    pos: usize,
}

impl<'a> Headers<'a> {
    /// Iterates over a header section that [`parse_header`] has already validated.
    pub(crate) fn new(section: &'a [u8]) -> Self {
        Self { section, pos: 0 }
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = Header<'a>;

    fn next(&mut self) -> Option<Header<'a>> {
        if self.pos >= self.section.len() {
            return None;
        }
        // The section was validated when the message was decoded, so parsing succeeds; should
        // it ever fail, iteration ends rather than yielding garbage.
        match parse_header(self.section, self.pos) {
            Ok((header, next)) => {
                self.pos = next;
                Some(header)
            }
            Err(_) => {
                self.pos = self.section.len();
                None
            }
        }
    }
}

impl FusedIterator for Headers<'_> {}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// A header located in a header section, before any UTF-8 check or value conversion.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawHeader<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) value_type: u8,
    /// The value's bytes, without the length prefix of strings and byte arrays.
    pub(crate) value: &'a [u8],
}

impl<'a> RawHeader<'a> {
    /// Whether the name, and the value if it is a string, are UTF-8.
    pub(crate) fn check_utf8(&self) -> Result<(), HeaderProblem> {
        if std::str::from_utf8(self.name).is_err() {
            return Err(HeaderProblem::NameNotUtf8);
        }
        if self.value_type == TYPE_STRING && std::str::from_utf8(self.value).is_err() {
            return Err(HeaderProblem::ValueNotUtf8);
        }
        Ok(())
    }

    fn to_header(self) -> Result<Header<'a>, HeaderProblem> {
        let name = std::str::from_utf8(self.name).map_err(|_| HeaderProblem::NameNotUtf8)?;
        let v = self.value;
        let value = match self.value_type {
            TYPE_TRUE => HeaderValue::Bool(true),
            TYPE_FALSE => HeaderValue::Bool(false),
            TYPE_BYTE => HeaderValue::Byte(i8::from_be_bytes(be(v)?)),
            TYPE_INT16 => HeaderValue::Int16(i16::from_be_bytes(be(v)?)),
            TYPE_INT32 => HeaderValue::Int32(i32::from_be_bytes(be(v)?)),
            TYPE_INT64 => HeaderValue::Int64(i64::from_be_bytes(be(v)?)),
            TYPE_TIMESTAMP => HeaderValue::Timestamp(i64::from_be_bytes(be(v)?)),
            TYPE_UUID => HeaderValue::Uuid(be(v)?),
            TYPE_BYTE_ARRAY => HeaderValue::ByteArray(v),
            TYPE_STRING => HeaderValue::String(
                std::str::from_utf8(v).map_err(|_| HeaderProblem::ValueNotUtf8)?,
            ),
            other => return Err(HeaderProblem::UnknownValueType(other)),
        };
        Ok(Header { name, value })
    }
}

/// The value bytes as an array; [`parse_raw`] sized them by their type.
#[inline]
fn be<const N: usize>(value: &[u8]) -> Result<[u8; N], HeaderProblem> {
    value
        .first_chunk::<N>()
        .copied()
        .ok_or(HeaderProblem::ValueOutOfBounds)
}

/// Locates the header starting at `pos` of a header section, checking that it fits; returns
/// it and the position of the next one. `Err` carries the problem and `pos`.
#[inline]
pub(crate) fn parse_raw(
    section: &[u8],
    pos: usize,
) -> Result<(RawHeader<'_>, usize), (usize, HeaderProblem)> {
    let fail = |problem| Err((pos, problem));
    let Some(&name_len) = section.get(pos) else {
        return fail(HeaderProblem::NameOutOfBounds);
    };
    let name_start = pos + 1;
    let name_end = name_start + usize::from(name_len);
    let Some(name) = section.get(name_start..name_end) else {
        return fail(HeaderProblem::NameOutOfBounds);
    };
    let Some(&value_type) = section.get(name_end) else {
        return fail(HeaderProblem::MissingValueType);
    };
    let v = name_end + 1;
    let (start, len) = match value_type {
        TYPE_TRUE | TYPE_FALSE => (v, 0),
        TYPE_BYTE => (v, 1),
        TYPE_INT16 => (v, 2),
        TYPE_INT32 => (v, 4),
        TYPE_INT64 | TYPE_TIMESTAMP => (v, 8),
        TYPE_UUID => (v, 16),
        TYPE_BYTE_ARRAY | TYPE_STRING => {
            let Some(&len) = section.get(v..).and_then(|s| s.first_chunk::<2>()) else {
                return fail(HeaderProblem::ValueOutOfBounds);
            };
            (v + 2, usize::from(u16::from_be_bytes(len)))
        }
        other => return fail(HeaderProblem::UnknownValueType(other)),
    };
    let Some(value) = section.get(start..start + len) else {
        return fail(HeaderProblem::ValueOutOfBounds);
    };
    let raw = RawHeader {
        name,
        value_type,
        value,
    };
    Ok((raw, start + len))
}

/// Parses the header starting at `pos` of a header section; returns it and the position of the
/// next one. `Err` carries the problem and the offset (within `section`) of the header.
pub(crate) fn parse_header(
    section: &[u8],
    pos: usize,
) -> Result<(Header<'_>, usize), (usize, HeaderProblem)> {
    let (raw, next) = parse_raw(section, pos)?;
    let header = raw.to_header().map_err(|problem| (pos, problem))?;
    Ok((header, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_value_type() {
        let mut s = Vec::new();
        let mut push = |name: &str, ty: u8, value: &[u8]| {
            s.push(u8::try_from(name.len()).unwrap());
            s.extend_from_slice(name.as_bytes());
            s.push(ty);
            s.extend_from_slice(value);
        };
        push("t", 0, &[]);
        push("f", 1, &[]);
        push("b", 2, &[0xff]);
        push("s", 3, &[0x80, 0x00]);
        push("i", 4, &[0, 0, 1, 0]);
        push("l", 5, &[0xff; 8]);
        push("a", 6, &[0, 2, 9, 8]);
        push("str", 7, &[0, 3, b'a', b'b', b'c']);
        push("ts", 8, &[0, 0, 0, 0, 0, 0, 0x13, 0x88]);
        push("u", 9, &[7; 16]);
        let got: Vec<_> = Headers::new(&s).map(|h| (h.name(), h.value())).collect();
        assert_eq!(
            got,
            [
                ("t", HeaderValue::Bool(true)),
                ("f", HeaderValue::Bool(false)),
                ("b", HeaderValue::Byte(-1)),
                ("s", HeaderValue::Int16(i16::MIN)),
                ("i", HeaderValue::Int32(256)),
                ("l", HeaderValue::Int64(-1)),
                ("a", HeaderValue::ByteArray(&[9, 8])),
                ("str", HeaderValue::String("abc")),
                ("ts", HeaderValue::Timestamp(5000)),
                ("u", HeaderValue::Uuid([7; 16])),
            ]
        );
        let types: Vec<u8> = Headers::new(&s).map(|h| h.value().wire_type()).collect();
        assert_eq!(types, (0..=9).collect::<Vec<u8>>());
    }

    #[test]
    fn reports_each_problem_with_its_offset() {
        let cases: [(&[u8], usize, HeaderProblem); 7] = [
            (&[3, b'a'], 0, HeaderProblem::NameOutOfBounds),
            (&[1, 0xff, 0], 0, HeaderProblem::NameNotUtf8),
            (&[1, b'a'], 0, HeaderProblem::MissingValueType),
            (
                &[1, b'a', 0, 1, b'b', 10],
                3,
                HeaderProblem::UnknownValueType(10),
            ),
            (&[1, b'a', 4, 0, 0, 0], 0, HeaderProblem::ValueOutOfBounds),
            (
                &[1, b'a', 7, 0, 2, b'x'],
                0,
                HeaderProblem::ValueOutOfBounds,
            ),
            (&[1, b'a', 7, 0, 1, 0xc3], 0, HeaderProblem::ValueNotUtf8),
        ];
        for (section, offset, problem) in cases {
            let mut pos = 0;
            let err = loop {
                match parse_header(section, pos) {
                    Ok((_, next)) => pos = next,
                    Err(e) => break e,
                }
            };
            assert_eq!(err, (offset, problem), "{section:?}");
        }
    }

    #[test]
    fn accessors_only_match_their_type() {
        assert_eq!(HeaderValue::String("x").as_str(), Some("x"));
        assert_eq!(HeaderValue::String("x").as_bytes(), None);
        assert_eq!(HeaderValue::ByteArray(b"x").as_bytes(), Some(&b"x"[..]));
        assert_eq!(HeaderValue::ByteArray(b"x").as_str(), None);
    }
}
