//! Building request paths the way AWS expects for non-S3 services.

/// Percent-encodes one path segment for the wire, as the AWS SDKs encode URI labels: every
/// byte except the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`.
///
/// A Bedrock model id or ARN with `:` or `/` thus goes on the wire as `%3A` / `%2F`; the signer
/// then encodes the path once more for the canonical request (`%253A`), as AWS requires for
/// every service but S3.
///
/// ```
/// use strata_aws::sign::encode_path_segment;
///
/// assert_eq!(
///     encode_path_segment("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x"),
///     "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x"
/// );
/// assert_eq!(encode_path_segment("anthropic.claude-v2:1"), "anthropic.claude-v2%3A1");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len() + 16);
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_space_percent_and_utf8() {
        assert_eq!(encode_path_segment("a b%c/d"), "a%20b%25c%2Fd");
        assert_eq!(encode_path_segment("ሴ"), "%E1%88%B4");
        assert_eq!(encode_path_segment("-._~AZaz09"), "-._~AZaz09");
        assert_eq!(encode_path_segment(""), "");
    }

    proptest::proptest! {
        #[test]
        fn output_is_unreserved_or_escapes_and_decodes_back(segment in "\\PC{0,40}") {
            let encoded = encode_path_segment(&segment);
            let bytes = encoded.as_bytes();
            let mut decoded = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    proptest::prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
                    decoded.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                } else {
                    proptest::prop_assert!(bytes[i].is_ascii_alphanumeric() || b"-._~".contains(&bytes[i]));
                    decoded.push(bytes[i]);
                    i += 1;
                }
            }
            proptest::prop_assert_eq!(decoded, segment.as_bytes());
        }
    }
}
