//! Image-generation models.
//!
//! ```
//! use strata_core::ImageOptions;
//! use strata_core::image::{AspectRatio, ImageSize};
//!
//! let options = ImageOptions::new("A lighthouse at dusk, watercolour")
//!     .with_n(2)
//!     .with_size("1024x768".parse::<ImageSize>()?)
//!     .with_seed(7);
//! assert_eq!(options.size.unwrap().width, 1024);
//! assert_eq!("16:9".parse::<AspectRatio>()?.to_string(), "16:9");
//! assert!("16x9".parse::<AspectRatio>().unwrap_err().is_invalid_argument());
//! # Ok::<(), strata_core::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::prompt::FilePart;
use crate::result::{ResponseMetadata, Warning};
use crate::{BoxFuture, Error, ProviderMetadata, ProviderOptions};

/// A model that generates images.
pub trait ImageModel: Send + Sync {
    /// The provider's name.
    fn provider(&self) -> &str;

    /// The model id.
    fn model_id(&self) -> &str;

    /// The most images one call can produce; `None` for no limit.
    fn max_images_per_call(&self) -> Option<usize>;

    /// Generates images.
    fn generate(&self, options: ImageOptions) -> BoxFuture<'_, Result<ImageResult, Error>>;
}

impl std::fmt::Debug for dyn ImageModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageModel")
            .field("provider", &self.provider())
            .field("model_id", &self.model_id())
            .finish()
    }
}

macro_rules! forward_image_model {
    ($($ptr:ty),*) => {$(
        impl<M: ImageModel + ?Sized> ImageModel for $ptr {
            fn provider(&self) -> &str {
                (**self).provider()
            }
            fn model_id(&self) -> &str {
                (**self).model_id()
            }
            fn max_images_per_call(&self) -> Option<usize> {
                (**self).max_images_per_call()
            }
            fn generate(&self, options: ImageOptions) -> BoxFuture<'_, Result<ImageResult, Error>> {
                (**self).generate(options)
            }
        }
    )*};
}
forward_image_model!(Arc<M>, Box<M>, &M);

/// Settings of an image-generation call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageOptions {
    /// What to draw; `None` for models that only edit or vary input images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// How many images (default 1).
    pub n: u32,
    /// Width and height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<ImageSize>,
    /// Aspect ratio, for models that take one instead of a size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    /// Seed for reproducible output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Images to edit, vary or take as reference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_images: Vec<FilePart>,
    /// A mask of the area to edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<FilePart>,
    /// Extra HTTP headers.
    #[serde(
        default,
        with = "crate::serde_util::header_map",
        skip_serializing_if = "crate::serde_util::header_map::is_empty"
    )]
    pub headers: HeaderMap,
    /// Provider-specific options (style, quality, negative prompt...).
    #[serde(default, skip_serializing_if = "ProviderOptions::is_empty")]
    pub provider_options: ProviderOptions,
}

impl Default for ImageOptions {
    fn default() -> Self {
        Self {
            prompt: None,
            n: 1,
            size: None,
            aspect_ratio: None,
            seed: None,
            input_images: Vec::new(),
            mask: None,
            headers: HeaderMap::new(),
            provider_options: ProviderOptions::default(),
        }
    }
}

impl ImageOptions {
    /// One image from a prompt.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self {
            prompt: Some(prompt.into()),
            ..Self::default()
        }
    }

    /// Sets how many images to generate.
    pub fn with_n(mut self, n: u32) -> Self {
        self.n = n;
        self
    }

    /// Sets the size.
    pub fn with_size(mut self, size: ImageSize) -> Self {
        self.size = Some(size);
        self
    }

    /// Sets the aspect ratio.
    pub fn with_aspect_ratio(mut self, ratio: AspectRatio) -> Self {
        self.aspect_ratio = Some(ratio);
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Adds an input image.
    pub fn with_input_image(mut self, image: FilePart) -> Self {
        self.input_images.push(image);
        self
    }

    /// Sets the mask.
    pub fn with_mask(mut self, mask: FilePart) -> Self {
        self.mask = Some(mask);
        self
    }

    /// Sets the provider options.
    pub fn with_provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }
}

fn parse_pair(
    text: &str,
    separator: char,
    argument: &str,
    example: &str,
) -> Result<(u32, u32), Error> {
    let bad = || Error::invalid_argument(argument, format!("expected `{example}`, got `{text}`"));
    let (a, b) = text.split_once(separator).ok_or_else(bad)?;
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || b == 0 {
        return Err(bad());
    }
    Ok((a, b))
}

/// An image size in pixels; parses from and prints as `"<width>x<height>"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ImageSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ImageSize {
    /// A size of `width` x `height` pixels.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }
}

impl FromStr for ImageSize {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        parse_pair(text, 'x', "size", "1024x1024").map(|(width, height)| Self { width, height })
    }
}

impl fmt::Display for ImageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl TryFrom<String> for ImageSize {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<ImageSize> for String {
    fn from(size: ImageSize) -> String {
        size.to_string()
    }
}

/// An aspect ratio; parses from and prints as `"<width>:<height>"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AspectRatio {
    /// The width part.
    pub width: u32,
    /// The height part.
    pub height: u32,
}

impl AspectRatio {
    /// A ratio of `width`:`height`.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }
}

impl FromStr for AspectRatio {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        parse_pair(text, ':', "aspect_ratio", "16:9").map(|(width, height)| Self { width, height })
    }
}

impl fmt::Display for AspectRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.width, self.height)
    }
}

impl TryFrom<String> for AspectRatio {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<AspectRatio> for String {
    fn from(ratio: AspectRatio) -> String {
        ratio.to_string()
    }
}

/// One generated image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GeneratedImage {
    /// The image bytes (serialized as base64).
    #[serde(with = "crate::serde_util::base64_bytes")]
    pub data: Bytes,
    /// The IANA media type, e.g. `image/png`.
    pub media_type: String,
}

impl GeneratedImage {
    /// An image.
    pub fn new(data: impl Into<Bytes>, media_type: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            media_type: media_type.into(),
        }
    }
}

/// What [`ImageModel::generate`] returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageResult {
    /// The images.
    pub images: Vec<GeneratedImage>,
    /// Settings the provider ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Response metadata.
    #[serde(default)]
    pub response: ResponseMetadata,
    /// Provider-specific metadata (e.g. revised prompts).
    #[serde(default, skip_serializing_if = "ProviderMetadata::is_empty")]
    pub provider_metadata: ProviderMetadata,
}

impl ImageResult {
    /// A result with these images.
    pub fn new(images: Vec<GeneratedImage>) -> Self {
        Self {
            images,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sizes_parse_print_and_reject_nonsense() {
        assert_eq!(
            "512x256".parse::<ImageSize>().unwrap(),
            ImageSize::new(512, 256)
        );
        for bad in ["512", "0x10", "ax1", "10x", "10:10"] {
            let err = bad.parse::<ImageSize>().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("invalid argument `size`: expected `1024x1024`, got `{bad}`")
            );
        }
        assert_eq!(
            serde_json::to_value(AspectRatio::new(3, 2)).unwrap(),
            json!("3:2")
        );
        assert!(serde_json::from_value::<AspectRatio>(json!("3/2")).is_err());
    }

    #[test]
    fn options_json_round_trip() {
        let options = ImageOptions::new("cat")
            .with_aspect_ratio(AspectRatio::new(1, 1))
            .with_input_image(FilePart::from_bytes(&b"img"[..], "image/png"));
        let value = serde_json::to_value(&options).unwrap();
        assert_eq!(
            value,
            json!({"prompt": "cat", "n": 1, "aspect_ratio": "1:1",
                   "input_images": [{"data": {"bytes": "aW1n"}, "media_type": "image/png"}]})
        );
        assert_eq!(
            serde_json::from_value::<ImageOptions>(value).unwrap(),
            options
        );
    }
}
