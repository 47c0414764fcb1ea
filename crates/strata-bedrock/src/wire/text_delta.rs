//! A fast path for the most common ConverseStream payload, a text delta:
//! `{"contentBlockIndex":0,"delta":{"text":"..."},"p":"..."}`.
//!
//! Streams are mostly made of these, so they are worth reading without the general serde
//! machinery. The scanner accepts only a strict subset of JSON — the members
//! `contentBlockIndex`, `delta` (holding exactly `text`) and the padding `p`, each at most once,
//! in any order, with JSON whitespace; strings without escapes or control characters; a plain
//! unsigned index — for which it gives exactly what serde gives. Anything else (escapes, other
//! members, other delta kinds, malformed input) returns `None` and goes through serde, which
//! decodes it or reports the error.

use std::borrow::Cow;

use super::stream::{ContentBlockDelta, ContentBlockDeltaEvent};

/// The text-delta event in `payload`, borrowing the text, or `None` when the payload is not in
/// the fast path's subset.
pub(crate) fn text_delta(payload: &[u8]) -> Option<ContentBlockDeltaEvent<'_>> {
    let mut scan = Scanner {
        bytes: payload,
        at: 0,
    };
    scan.expect(b'{')?;
    let (mut index, mut text, mut padding) = (None, None, false);
    loop {
        match scan.key()? {
            Key::ContentBlockIndex if index.is_none() => {
                scan.expect(b':')?;
                index = Some(scan.index()?);
            }
            Key::Delta if text.is_none() => {
                scan.expect(b':')?;
                scan.expect(b'{')?;
                if scan.key()? != Key::Text {
                    return None;
                }
                scan.expect(b':')?;
                text = Some(scan.string()?);
                scan.expect(b'}')?;
            }
            Key::P if !padding => {
                scan.expect(b':')?;
                scan.raw_string()?;
                padding = true;
            }
            _ => return None,
        }
        match scan.next()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    scan.skip_whitespace();
    if scan.at != payload.len() {
        return None;
    }
    Some(ContentBlockDeltaEvent {
        delta: ContentBlockDelta::Text(Cow::Borrowed(text?)),
        content_block_index: index?,
    })
}

/// The member names the fast path knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    ContentBlockIndex,
    Delta,
    P,
    Text,
}

impl Key {
    /// The name a key may be, by its first byte, with its closing quote, as it must appear on
    /// the wire (no escapes).
    fn by_first_byte(byte: u8) -> Option<(Key, &'static [u8])> {
        Some(match byte {
            b'c' => (Key::ContentBlockIndex, b"contentBlockIndex\""),
            b'd' => (Key::Delta, b"delta\""),
            b'p' => (Key::P, b"p\""),
            b't' => (Key::Text, b"text\""),
            _ => return None,
        })
    }
}

/// A cursor over the payload.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    fn next(&mut self) -> Option<u8> {
        self.skip_whitespace();
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A member name the fast path knows; any other name is `None`.
    fn key(&mut self) -> Option<Key> {
        self.expect(b'"')?;
        let rest = &self.bytes[self.at..];
        let (key, name) = Key::by_first_byte(*rest.first()?)?;
        if !rest.starts_with(name) {
            return None;
        }
        self.at += name.len();
        Some(key)
    }

    /// The bytes of a string without escapes or control characters (not checked to be UTF-8:
    /// serde does not check the strings it skips either).
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let rest = &self.bytes[self.at..];
        let len = special_byte(rest)?;
        if rest[len] != b'"' {
            return None;
        }
        self.at += len + 1;
        Some(&rest[..len])
    }

    /// A string without escapes or control characters, checked to be UTF-8.
    fn string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.raw_string()?).ok()
    }

    /// An unsigned integer that fits a `u32`, without sign, fraction, exponent or leading zero.
    fn index(&mut self) -> Option<u32> {
        self.skip_whitespace();
        let rest = &self.bytes[self.at..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && rest[0] == b'0') || digits > 10 {
            return None;
        }
        let mut value: u32 = 0;
        for &digit in &rest[..digits] {
            value = value
                .checked_mul(10)?
                .checked_add(u32::from(digit - b'0'))?;
        }
        self.at += digits;
        Some(value)
    }
}

/// The position of the first `"`, `\\` or control character in `bytes`, eight bytes at a time.
fn special_byte(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        // A byte's high bit is set where it is below 0x20, equal to `"` or equal to `\\`
        // (exact for those bytes; a byte of 0x80 or more never flags).
        let control = word.wrapping_sub(ONES * 0x20);
        let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
        let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
        let found = (control | quote | backslash) & !word & HIGH;
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let tail = chunks.remainder();
    let at = tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    Some(offset + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(payload: &str) -> Result<ContentBlockDeltaEvent<'_>, serde_json::Error> {
        serde_json::from_str(payload)
    }

    #[test]
    fn text_deltas_match_serde_and_borrow() {
        for payload in [
            r#"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdef"}"#,
            r#"{"contentBlockIndex":12,"delta":{"text":""}}"#,
            r#"{"p":"x","delta":{"text":"été 🌊"},"contentBlockIndex":4294967295}"#,
            " {\n\t\"contentBlockIndex\" : 3 ,\r\n \"delta\" : { \"text\" : \" a b \" } } \n",
        ] {
            let fast = text_delta(payload.as_bytes()).unwrap_or_else(|| panic!("{payload}"));
            assert_eq!(fast, serde(payload).unwrap(), "{payload}");
            assert!(matches!(
                fast.delta,
                ContentBlockDelta::Text(Cow::Borrowed(_))
            ));
        }
    }

    #[test]
    fn anything_outside_the_subset_goes_to_serde() {
        for payload in [
            // Valid, but not for the fast path: serde decodes these.
            r#"{"contentBlockIndex":0,"delta":{"text":"a\"b"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"\u00e9"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{}"}}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a","other":null}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},"extra":1}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},"p":"\n"}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},"p":"x","p":"y"}"#,
            // Invalid: serde reports the error.
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},"contentBlockIndex":1}"#,
            r#"{"contentBlockIndex":01,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":-1,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":1.5,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":4294967296,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":null}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"}} x"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"#,
            r#"{"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":0}"#,
            "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\tb\"}}",
            "{}",
            "",
        ] {
            assert_eq!(text_delta(payload.as_bytes()), None, "{payload}");
        }
        let invalid_utf8 = b"{\"contentBlockIndex\":0,\"delta\":{\"text\":\"\xff\"}}";
        assert_eq!(text_delta(invalid_utf8), None);
        assert!(serde_json::from_slice::<ContentBlockDeltaEvent<'_>>(invalid_utf8).is_err());
    }

    #[test]
    fn special_bytes_are_found_at_every_position() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        };
        for len in 0..20 {
            for background in [b'a', 0x7f, 0x80, 0xe9, 0xff, 0x21, 0x5d, 0x5b] {
                let mut bytes = vec![background; len];
                assert_eq!(special_byte(&bytes), naive(&bytes));
                for at in 0..len {
                    for special in [b'"', b'\\', 0x00, 0x1f, 0x20, 0x23, 0x5c, 0xa2, 0xdc] {
                        bytes[at] = special;
                        assert_eq!(special_byte(&bytes), naive(&bytes), "{bytes:?}");
                        // A second special byte later never moves the answer.
                        if at + 1 < len {
                            bytes[len - 1] = b'"';
                            assert_eq!(special_byte(&bytes), naive(&bytes), "{bytes:?}");
                            bytes[len - 1] = background;
                        }
                        bytes[at] = background;
                    }
                }
            }
        }
    }

    /// Every prefix and every one-byte change of a payload: the fast path never accepts what
    /// serde rejects, and agrees with serde whenever it accepts.
    #[test]
    fn mutations_never_disagree_with_serde() {
        let payload = br#"{"contentBlockIndex":7,"delta":{"text":"hi there"},"p":"abc"}"#;
        let mut candidates: Vec<Vec<u8>> =
            (0..payload.len()).map(|n| payload[..n].to_vec()).collect();
        for at in 0..payload.len() {
            for byte in [
                b'"', b'\\', b'{', b'}', b',', b':', b' ', b'0', b'9', b'x', 0x01, 0xff,
            ] {
                let mut changed = payload.to_vec();
                changed[at] = byte;
                candidates.push(changed);
            }
        }
        for candidate in &candidates {
            if let Some(fast) = text_delta(candidate) {
                let slow = serde_json::from_slice::<ContentBlockDeltaEvent<'_>>(candidate);
                assert_eq!(
                    Some(&fast),
                    slow.as_ref().ok(),
                    "{}",
                    String::from_utf8_lossy(candidate)
                );
            }
        }
    }
}
