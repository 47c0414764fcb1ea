//! Typed image options, read from `provider_options["bedrock"]` of
//! [`ImageOptions`](strata_core::ImageOptions).

use serde::{Deserialize, Serialize};
use strata_core::{Error, ProviderOptions};

/// Bedrock image options (Nova Canvas and Titan Image Generator v2).
///
/// ```
/// use strata_bedrock::image::{ImageGenerationOptions, ImageQuality, ImageTaskType, NovaStyle};
///
/// let mut bedrock = ImageGenerationOptions::default();
/// bedrock.task_type = Some(ImageTaskType::TextImage);
/// bedrock.quality = Some(ImageQuality::Premium);
/// bedrock.style = Some(NovaStyle::Photorealism);
/// bedrock.negative_text = Some("blurry".into());
/// let options = bedrock.to_provider_options();
/// assert_eq!(options.value("bedrock", "style").unwrap(), "PHOTOREALISM");
/// assert_eq!(ImageGenerationOptions::from_provider_options(&options)?, bedrock);
/// # Ok::<(), strata_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ImageGenerationOptions {
    /// The task; chosen from the inputs when unset (see [`ImageTaskType`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_type: Option<ImageTaskType>,
    /// `standard` or `premium`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<ImageQuality>,
    /// How closely the prompt is followed, 1.1–10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cfg_scale: Option<f64>,
    /// What not to draw (`negativeText`, 1–1,024 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_text: Option<String>,
    /// A named visual style (Nova Canvas, text-to-image only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<NovaStyle>,
    /// Image variation: how close to the input images, 0.2–1.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity_strength: Option<f64>,
    /// Inpainting / outpainting: the area to edit, described in words (instead of a mask image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask_prompt: Option<String>,
    /// Outpainting: how strictly the masked area is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outpainting_mode: Option<OutpaintingMode>,
}

impl ImageGenerationOptions {
    /// Reads `provider_options["bedrock"]`; missing means all defaults.
    ///
    /// # Errors
    /// An invalid-argument error naming `provider_options.bedrock` for unknown keys or values
    /// of the wrong shape.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        crate::options::parse_provider_options(options)
    }

    /// These options as `{"bedrock": {...}}`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        crate::options::to_provider_options(self)
    }
}

/// The image task (`taskType`).
///
/// Without one, the task follows the inputs, as in the Vercel AI SDK: no input image →
/// [`TextImage`](Self::TextImage); input images with a mask image or a mask prompt →
/// [`Inpainting`](Self::Inpainting); input images alone → [`ImageVariation`](Self::ImageVariation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ImageTaskType {
    /// Draw from the prompt.
    TextImage,
    /// Vary one to five input images.
    ImageVariation,
    /// Edit the masked area of one input image.
    Inpainting,
    /// Extend or replace the area outside the mask of one input image.
    Outpainting,
    /// Cut the subject of one input image out of its background.
    BackgroundRemoval,
}

impl ImageTaskType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TextImage => "TEXT_IMAGE",
            Self::ImageVariation => "IMAGE_VARIATION",
            Self::Inpainting => "INPAINTING",
            Self::Outpainting => "OUTPAINTING",
            Self::BackgroundRemoval => "BACKGROUND_REMOVAL",
        }
    }

    /// The member holding the task's parameters, e.g. `textToImageParams`.
    pub fn params_key(self) -> &'static str {
        match self {
            Self::TextImage => "textToImageParams",
            Self::ImageVariation => "imageVariationParams",
            Self::Inpainting => "inPaintingParams",
            Self::Outpainting => "outPaintingParams",
            Self::BackgroundRemoval => "backgroundRemovalParams",
        }
    }
}

/// Image quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ImageQuality {
    /// `standard`
    Standard,
    /// `premium`
    Premium,
}

impl ImageQuality {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Premium => "premium",
        }
    }
}

/// Outpainting mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum OutpaintingMode {
    /// The masked area may change slightly to blend in.
    Default,
    /// The masked area is kept exactly.
    Precise,
}

impl OutpaintingMode {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "DEFAULT",
            Self::Precise => "PRECISE",
        }
    }
}

/// Nova Canvas named styles (`textToImageParams.style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum NovaStyle {
    /// `3D_ANIMATED_FAMILY_FILM`
    #[serde(rename = "3D_ANIMATED_FAMILY_FILM")]
    AnimatedFamilyFilm3d,
    /// `DESIGN_SKETCH`
    DesignSketch,
    /// `FLAT_VECTOR_ILLUSTRATION`
    FlatVectorIllustration,
    /// `GRAPHIC_NOVEL_ILLUSTRATION`
    GraphicNovelIllustration,
    /// `MAXIMALISM`
    Maximalism,
    /// `MIDCENTURY_RETRO`
    MidcenturyRetro,
    /// `PHOTOREALISM`
    Photorealism,
    /// `SOFT_DIGITAL_PAINTING`
    SoftDigitalPainting,
}

impl NovaStyle {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AnimatedFamilyFilm3d => "3D_ANIMATED_FAMILY_FILM",
            Self::DesignSketch => "DESIGN_SKETCH",
            Self::FlatVectorIllustration => "FLAT_VECTOR_ILLUSTRATION",
            Self::GraphicNovelIllustration => "GRAPHIC_NOVEL_ILLUSTRATION",
            Self::Maximalism => "MAXIMALISM",
            Self::MidcenturyRetro => "MIDCENTURY_RETRO",
            Self::Photorealism => "PHOTOREALISM",
            Self::SoftDigitalPainting => "SOFT_DIGITAL_PAINTING",
        }
    }
}
