//! Image models through InvokeModel: Amazon Nova Canvas and Titan Image Generator v2.
//!
//! - Tasks ([`ImageTaskType`]): text-to-image, image variation (with similarity strength),
//!   inpainting and outpainting (a mask image or a mask prompt; outpainting mode DEFAULT or
//!   PRECISE), background removal (no prompt). Without a task type, input images mean
//!   variation, or inpainting when a mask is given, as in the Vercel AI SDK.
//! - Settings: quality, cfg scale, negative text, Nova's named styles (in
//!   `provider_options["bedrock"]`, see [`ImageGenerationOptions`]), seed, size and `n`.
//! - Checks before sending, as invalid-argument errors: Nova Canvas sizes (each side 320–4,096
//!   and divisible by 16, aspect ratio 1:4 to 4:1, fewer than 4,194,304 pixels), Titan's
//!   size list, seed, cfg-scale and similarity ranges, prompt lengths, input-image counts.
//! - At most [`MAX_IMAGES_PER_CALL`] images per call: a larger `n` becomes several calls
//!   (later calls use the following seeds, so they do not repeat the first).
//! - Images come back as bytes with their media type; a fully content-filtered answer is an
//!   API error with code [`CONTENT_FILTERED`], a partly filtered one a warning.
//!
//! ```
//! use bytes::Bytes;
//! use serde_json::json;
//! use strata_bedrock::image::{ImageFamily, build_requests, parse_response};
//! use strata_bedrock::invoke::InvokeResponse;
//! use strata_core::ImageOptions;
//! use strata_core::image::ImageSize;
//!
//! let options = ImageOptions::new("a lighthouse").with_n(7).with_size(ImageSize::new(512, 320)).with_seed(1);
//! let prepared = build_requests("amazon.nova-canvas-v1:0", ImageFamily::NovaCanvas, &options)?;
//! let counts: Vec<u32> = prepared.calls.iter().map(|(_, n)| *n).collect();
//! assert_eq!(counts, [5, 2]);
//! let body: serde_json::Value = serde_json::from_slice(&prepared.calls[1].0.body).unwrap();
//! assert_eq!(body, json!({"taskType": "TEXT_IMAGE", "textToImageParams": {"text": "a lighthouse"},
//!     "imageGenerationConfig": {"numberOfImages": 2, "width": 512, "height": 320, "seed": 2}}));
//!
//! // Nova Canvas size rules are checked before sending.
//! let err = build_requests("amazon.nova-canvas-v1:0", ImageFamily::NovaCanvas,
//!     &ImageOptions::new("x").with_size(ImageSize::new(500, 500))).unwrap_err();
//! assert_eq!(err.to_string(), "invalid argument `size`: the width must be divisible by 16, got 500");
//!
//! // An answer: base64 images.
//! let png = b"\x89PNG\r\n\x1a\nrest";
//! let body = json!({"images": [base64::Engine::encode(&base64::engine::general_purpose::STANDARD, png)]});
//! let answer = InvokeResponse::from_parts(http::HeaderMap::new(), Bytes::from(body.to_string()));
//! let (images, warnings) = parse_response(&answer, 1)?;
//! assert_eq!((images[0].media_type.as_str(), &images[0].data[..]), ("image/png", &png[..]));
//! assert!(warnings.is_empty());
//! # Ok::<(), strata_core::Error>(())
//! ```

mod model;
mod options;
mod request;
mod response;

pub use model::BedrockImageModel;
pub use options::{
    ImageGenerationOptions, ImageQuality, ImageTaskType, NovaStyle, OutpaintingMode,
};
pub use request::{MAX_TEXT_CHARS, PreparedImages, TITAN_SIZES, build_requests, check_size};
pub use response::{CONTENT_FILTERED, media_type, parse_response};

/// The most images one call returns.
pub const MAX_IMAGES_PER_CALL: u32 = 5;

/// The image model families Bedrock serves through InvokeModel.
///
/// ```
/// use strata_bedrock::image::ImageFamily;
///
/// assert_eq!(ImageFamily::of("us.amazon.nova-canvas-v1:0"), Some(ImageFamily::NovaCanvas));
/// assert_eq!(ImageFamily::of("amazon.titan-image-generator-v2:0"), Some(ImageFamily::TitanImageV2));
/// assert_eq!(ImageFamily::of("stability.sd3-large-v1:0"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFamily {
    /// Amazon Nova Canvas (`amazon.nova-canvas-v1:0`).
    NovaCanvas,
    /// Amazon Titan Image Generator v2 (`amazon.titan-image-generator-v2:0`).
    TitanImageV2,
}

impl ImageFamily {
    /// The family of a model id, inference-profile id or ARN; `None` for other models.
    pub fn of(model_id: &str) -> Option<Self> {
        let id = model_id.rsplit('/').next().unwrap_or(model_id);
        if id.contains("amazon.nova-canvas") {
            Some(Self::NovaCanvas)
        } else if id.contains("amazon.titan-image-generator-v2") {
            Some(Self::TitanImageV2)
        } else {
            None
        }
    }

    /// The largest seed: 858,993,459 for Nova Canvas, 2,147,483,646 for Titan.
    pub fn max_seed(self) -> u64 {
        match self {
            Self::NovaCanvas => 858_993_459,
            Self::TitanImageV2 => 2_147_483_646,
        }
    }
}

#[cfg(test)]
mod tests;
