//! Reading image answers: `{"images": ["<base64>", …], "error"?: "…"}`, or a moderation
//! status.

use base64::Engine as _;
use serde_json::Value;
use strata_core::error::ApiError;
use strata_core::image::GeneratedImage;
use strata_core::{Error, Warning};

use crate::invoke::InvokeResponse;

/// The API error code of a result that content filters blocked entirely.
pub const CONTENT_FILTERED: &str = "ContentFiltered";

/// The media type of image bytes, from their signature.
///
/// ```
/// use strata_bedrock::image::media_type;
///
/// assert_eq!(media_type(b"\x89PNG\r\n\x1a\n...."), "image/png");
/// assert_eq!(media_type(b"\xff\xd8\xff\xe0"), "image/jpeg");
/// assert_eq!(media_type(b"????"), "application/octet-stream");
/// ```
pub fn media_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"GIF8") {
        "image/gif"
    } else {
        "application/octet-stream"
    }
}

/// Reads one call's answer, which asked for `requested` images.
///
/// Content filtering: when the answer says the request was moderated, or carries an `error`
/// and no image, the result is an API error with code [`CONTENT_FILTERED`]; an `error` beside
/// some images is a warning. Fewer images than asked for, without a reason, is a warning too.
///
/// # Errors
/// The content-filter error above; an invalid-response error (with a body excerpt) when the
/// body is not JSON, an image is not base64, or there is no image and no reason.
pub fn parse_response(
    response: &InvokeResponse,
    requested: u32,
) -> Result<(Vec<GeneratedImage>, Vec<Warning>), Error> {
    let context = |e: Error| {
        let e = e.with_excerpt(&response.body);
        match &response.request_id {
            Some(id) => e.with_request_id(id.clone()),
            None => e,
        }
    };
    let body = response.json()?;
    let mut warnings = Vec::new();
    let filter_reason = filter_reason(&body);
    let encoded = match body.get("images") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(images)) => images.clone(),
        Some(_) => {
            return Err(context(Error::invalid_response(
                "the image answer's `images` is not an array",
            )));
        }
    };
    let mut images = Vec::with_capacity(encoded.len());
    for (i, item) in encoded.iter().enumerate() {
        let text = item.as_str().ok_or_else(|| {
            context(Error::invalid_response(format!(
                "`images[{i}]` is not a string"
            )))
        })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| {
                context(Error::invalid_response(format!(
                    "`images[{i}]` is not base64: {e}"
                )))
            })?;
        let kind = media_type(&bytes);
        images.push(GeneratedImage::new(bytes, kind));
    }
    match (images.is_empty(), filter_reason) {
        (true, Some(reason)) => {
            let mut api = ApiError::new(format!(
                "the images were blocked by content filters: {reason}"
            ))
            .with_code(CONTENT_FILTERED)
            .with_body(&response.body);
            if let Some(id) = &response.request_id {
                api = api.with_request_id(id.clone());
            }
            return Err(Error::api(api));
        }
        (true, None) => {
            return Err(context(Error::invalid_response(
                "the image answer holds no image and no reason",
            )));
        }
        (false, Some(reason)) => warnings.push(Warning::other(format!(
            "{} of {requested} images were blocked by content filters: {reason}",
            (requested as usize).saturating_sub(images.len())
        ))),
        (false, None) if images.len() < requested as usize => warnings.push(Warning::other(
            format!("{} of {requested} images came back", images.len()),
        )),
        (false, None) => {}
    }
    Ok((images, warnings))
}

/// Why an answer was filtered: `error`, or a `Request Moderated` status with its reasons.
fn filter_reason(body: &Value) -> Option<String> {
    if let Some(error) = body
        .get("error")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
    {
        return Some(error.to_owned());
    }
    if body.get("status").and_then(Value::as_str) == Some("Request Moderated") {
        let reasons: Vec<&str> = body
            .get("details")
            .and_then(|d| d.get("Moderation Reasons"))
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        return Some(if reasons.is_empty() {
            "the request was moderated".to_owned()
        } else {
            format!("the request was moderated ({})", reasons.join(", "))
        });
    }
    None
}
