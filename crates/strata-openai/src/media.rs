//! File parts → the URLs, base64 and formats both APIs take.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use strata_core::Error;
use strata_core::prompt::{FileData, FilePart};

/// What kind of input a file part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Image,
    /// Audio with its wire format (`wav` / `mp3`).
    Audio(&'static str),
    Pdf,
}

pub(crate) fn kind(part: &FilePart) -> Result<MediaKind, Error> {
    let media_type = part.media_type.to_ascii_lowercase();
    match media_type.as_str() {
        t if t.starts_with("image/") => Ok(MediaKind::Image),
        "audio/wav" | "audio/x-wav" | "audio/wave" => Ok(MediaKind::Audio("wav")),
        "audio/mp3" | "audio/mpeg" => Ok(MediaKind::Audio("mp3")),
        "application/pdf" => Ok(MediaKind::Pdf),
        other => Err(Error::unsupported(format!(
            "file parts of media type `{other}` (OpenAI takes images, wav/mp3 audio and PDF)"
        ))),
    }
}

/// The part as a URL: its own URL, or a `data:` URL (`image/*` becomes `image/jpeg`).
pub(crate) fn url(part: &FilePart) -> String {
    match &part.data {
        FileData::Url(url) => url.clone(),
        FileData::Bytes(bytes) => {
            let media_type = if part.media_type == "image/*" {
                "image/jpeg"
            } else {
                part.media_type.as_str()
            };
            format!("data:{media_type};base64,{}", STANDARD.encode(bytes))
        }
        _ => String::new(),
    }
}

/// The part's bytes as base64; a URL is unsupported for `what`.
pub(crate) fn base64(part: &FilePart, what: &str) -> Result<String, Error> {
    match &part.data {
        FileData::Bytes(bytes) => Ok(STANDARD.encode(bytes)),
        _ => Err(Error::unsupported(format!("{what} given by URL"))),
    }
}

/// Whether the part's data is a URL.
pub(crate) fn is_url(part: &FilePart) -> bool {
    matches!(part.data, FileData::Url(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_urls_and_base64() {
        let png = FilePart::from_bytes(&b"\x89PNG"[..], "image/png");
        assert_eq!(kind(&png).unwrap(), MediaKind::Image);
        assert_eq!(url(&png), "data:image/png;base64,iVBORw==");
        let any = FilePart::from_bytes(&b"x"[..], "image/*");
        assert_eq!(url(&any), "data:image/jpeg;base64,eA==");
        let linked = FilePart::from_url("https://example.com/cat.jpg", "image/jpeg");
        assert_eq!(url(&linked), "https://example.com/cat.jpg");
        assert!(is_url(&linked));
        assert!(base64(&linked, "audio").unwrap_err().is_unsupported());
        assert_eq!(
            kind(&FilePart::from_bytes(&b""[..], "audio/mpeg")).unwrap(),
            MediaKind::Audio("mp3")
        );
        assert_eq!(
            kind(&FilePart::from_bytes(&b""[..], "Audio/WAV")).unwrap(),
            MediaKind::Audio("wav")
        );
        let error = kind(&FilePart::from_bytes(&b""[..], "text/csv")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unsupported functionality: file parts of media type `text/csv` (OpenAI takes images, wav/mp3 audio and PDF)"
        );
    }
}
