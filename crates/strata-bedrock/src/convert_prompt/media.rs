//! File parts → image, document and video blocks.

use std::collections::HashSet;

use base64::Engine as _;
use bytes::Bytes;
use strata_core::Error;
use strata_core::prompt::{FileData, FilePart};

use crate::options::PartOptions;
use crate::wire::{
    Blob, ContentBlock, DocumentBlock, DocumentFormat, DocumentSource, ImageBlock, ImageFormat,
    ImageSource, MediaSource, S3Location, VideoBlock, VideoFormat,
};

/// What a media type becomes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Image(ImageFormat),
    Document(DocumentFormat),
    Video(VideoFormat),
}

/// The Bedrock block kind and format for a media type, or `None` when Bedrock has none.
pub(crate) fn media_kind(media_type: &str) -> Option<MediaKind> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        "image/png" => MediaKind::Image(ImageFormat::Png),
        "image/jpeg" | "image/jpg" => MediaKind::Image(ImageFormat::Jpeg),
        "image/gif" => MediaKind::Image(ImageFormat::Gif),
        "image/webp" => MediaKind::Image(ImageFormat::Webp),
        "application/pdf" => MediaKind::Document(DocumentFormat::Pdf),
        "text/csv" => MediaKind::Document(DocumentFormat::Csv),
        "application/msword" => MediaKind::Document(DocumentFormat::Doc),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            MediaKind::Document(DocumentFormat::Docx)
        }
        "application/vnd.ms-excel" => MediaKind::Document(DocumentFormat::Xls),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            MediaKind::Document(DocumentFormat::Xlsx)
        }
        "text/html" => MediaKind::Document(DocumentFormat::Html),
        "text/plain" => MediaKind::Document(DocumentFormat::Txt),
        "text/markdown" => MediaKind::Document(DocumentFormat::Md),
        "video/x-matroska" => MediaKind::Video(VideoFormat::Mkv),
        "video/quicktime" => MediaKind::Video(VideoFormat::Mov),
        "video/mp4" => MediaKind::Video(VideoFormat::Mp4),
        "video/webm" => MediaKind::Video(VideoFormat::Webm),
        "video/x-flv" => MediaKind::Video(VideoFormat::Flv),
        "video/mpeg" => MediaKind::Video(VideoFormat::Mpeg),
        "video/mpg" => MediaKind::Video(VideoFormat::Mpg),
        "video/x-ms-wmv" => MediaKind::Video(VideoFormat::Wmv),
        "video/3gpp" => MediaKind::Video(VideoFormat::ThreeGp),
        _ => return None,
    })
}

/// A document's media type and title, kept so citations can name their source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The media type of the document part.
    pub media_type: String,
    /// The (sanitized) document name sent to Bedrock.
    pub name: String,
    /// The original file name, when the part had one.
    pub filename: Option<String>,
}

/// Makes a document name Bedrock accepts: only alphanumerics, single spaces, hyphens,
/// parentheses and square brackets, at most 200 characters. The file extension is dropped and
/// other characters become hyphens; an empty result is `None`.
///
/// ```
/// use strata_bedrock::convert_prompt::sanitize_document_name;
///
/// assert_eq!(sanitize_document_name("Q3 report (final).pdf").as_deref(), Some("Q3 report (final)"));
/// assert_eq!(sanitize_document_name("a_b.c  d.txt").as_deref(), Some("a-b-c d"));
/// assert_eq!(sanitize_document_name("...").as_deref(), None);
/// ```
pub fn sanitize_document_name(filename: &str) -> Option<String> {
    let stem = match filename.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 5 => stem,
        _ => filename,
    };
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars() {
        let mapped = if c.is_ascii_alphanumeric() || matches!(c, '-' | '(' | ')' | '[' | ']') {
            c
        } else if c.is_whitespace() {
            ' '
        } else {
            '-'
        };
        if mapped == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(mapped);
    }
    let trimmed: String = out.trim_end().chars().take(200).collect();
    let trimmed = trimmed.trim_end().to_owned();
    if trimmed.chars().all(|c| c == '-') {
        None
    } else {
        Some(trimmed)
    }
}

/// Where a file's bytes come from on the wire.
enum Data {
    Bytes(Bytes),
    S3(String),
}

fn file_data(part: &FilePart, path: &str) -> Result<Data, Error> {
    match &part.data {
        FileData::Bytes(bytes) => Ok(Data::Bytes(bytes.clone())),
        FileData::Url(url) if url.starts_with("s3://") => Ok(Data::S3(url.clone())),
        FileData::Url(url) if url.starts_with("data:") => {
            let (header, payload) = url.split_once(',').unwrap_or((url, ""));
            if !header.ends_with(";base64") {
                return Err(Error::invalid_argument(
                    path,
                    "data URLs must be base64-encoded",
                ));
            }
            base64::engine::general_purpose::STANDARD
                .decode(payload)
                .map(|v| Data::Bytes(Bytes::from(v)))
                .map_err(|e| {
                    Error::invalid_argument(path, "the data URL is not valid base64").with_source(e)
                })
        }
        FileData::Url(_) => Err(Error::unsupported(format!(
            "{path}: Bedrock takes file bytes or an s3:// URL, not a web URL"
        ))),
        _ => Err(Error::unsupported(format!(
            "{path}: this kind of file data"
        ))),
    }
}

/// Names documents: sanitized file names, else `document-N`; duplicates get a ` (N)` suffix.
#[derive(Debug, Default)]
pub(crate) struct DocumentNamer {
    used: HashSet<String>,
    pub(crate) documents: Vec<DocumentInfo>,
}

impl DocumentNamer {
    fn name(&mut self, part: &FilePart) -> String {
        let base = part
            .filename
            .as_deref()
            .and_then(sanitize_document_name)
            .unwrap_or_else(|| format!("document-{}", self.documents.len() + 1));
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        self.documents.push(DocumentInfo {
            media_type: part.media_type.clone(),
            name: name.clone(),
            filename: part.filename.clone(),
        });
        name
    }
}

/// Converts a file part; `path` names it in errors (e.g. `prompt[1].content[0]`).
pub(crate) fn convert_file(
    part: &FilePart,
    options: &PartOptions,
    namer: &mut DocumentNamer,
    path: &str,
) -> Result<ContentBlock, Error> {
    let kind = media_kind(&part.media_type).ok_or_else(|| {
        Error::unsupported(format!("{path}: media type `{}` (Bedrock takes png, jpeg, gif and webp images; pdf, csv, doc, docx, xls, xlsx, html, txt and md documents; mkv, mov, mp4, webm, flv, mpeg, wmv and 3gp videos)", part.media_type))
    })?;
    let data = file_data(part, path)?;
    let s3 = |uri: String| S3Location {
        uri,
        bucket_owner: None,
    };
    Ok(match kind {
        MediaKind::Image(format) => ContentBlock::Image(ImageBlock {
            format,
            source: match data {
                Data::Bytes(b) => ImageSource::Bytes(Blob::new(b)),
                Data::S3(uri) => ImageSource::S3Location(s3(uri)),
            },
            error: None,
        }),
        MediaKind::Video(format) => ContentBlock::Video(VideoBlock {
            format,
            source: match data {
                Data::Bytes(b) => MediaSource::Bytes(Blob::new(b)),
                Data::S3(uri) => MediaSource::S3Location(s3(uri)),
            },
        }),
        MediaKind::Document(format) => ContentBlock::Document(DocumentBlock {
            format: Some(format),
            name: namer.name(part),
            source: match data {
                Data::Bytes(b) => DocumentSource::Bytes(Blob::new(b)),
                Data::S3(uri) => DocumentSource::S3Location(s3(uri)),
            },
            context: options.context.clone(),
            citations: options.citations,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(
            media_kind("image/jpeg"),
            Some(MediaKind::Image(ImageFormat::Jpeg))
        );
        assert_eq!(
            media_kind("TEXT/Markdown; charset=utf-8"),
            Some(MediaKind::Document(DocumentFormat::Md))
        );
        assert_eq!(
            media_kind("video/3gpp"),
            Some(MediaKind::Video(VideoFormat::ThreeGp))
        );
        assert_eq!(media_kind("image/tiff"), None);
        assert_eq!(media_kind("audio/mpeg"), None);
    }

    #[test]
    fn names() {
        assert_eq!(
            sanitize_document_name("résumé final.docx").as_deref(),
            Some("r-sum- final")
        );
        assert_eq!(
            sanitize_document_name("  spaced   out  ").as_deref(),
            Some("spaced out")
        );
        assert_eq!(
            sanitize_document_name("[draft] v2").as_deref(),
            Some("[draft] v2")
        );
        assert_eq!(
            sanitize_document_name(&"x".repeat(300)).map(|s| s.len()),
            Some(200)
        );
        let mut namer = DocumentNamer::default();
        let part = FilePart::from_bytes(&b"x"[..], "text/plain").with_filename("a.txt");
        assert_eq!(namer.name(&part), "a");
        assert_eq!(namer.name(&part), "a (2)");
        assert_eq!(
            namer.name(&FilePart::from_bytes(&b"x"[..], "text/plain")),
            "document-3"
        );
    }
}
