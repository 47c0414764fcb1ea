//! Image request building: task choice, checks before sending, and the split of `n` into calls.

use base64::Engine as _;
use serde_json::{Map, Value, json};
use strata_core::prompt::{FileData, FilePart};
use strata_core::{Error, ImageOptions, Warning};

use super::{ImageFamily, ImageGenerationOptions, ImageTaskType, MAX_IMAGES_PER_CALL};
use crate::invoke::InvokeRequest;

/// The longest prompt or negative text, in characters.
pub const MAX_TEXT_CHARS: usize = 1024;

/// The image sizes Titan Image Generator v2 takes for text-to-image and variation.
pub const TITAN_SIZES: &[(u32, u32)] = &[
    (1024, 1024),
    (768, 768),
    (512, 512),
    (768, 1152),
    (384, 576),
    (1152, 768),
    (576, 384),
    (768, 1280),
    (384, 640),
    (1280, 768),
    (640, 384),
    (896, 1152),
    (448, 576),
    (1152, 896),
    (576, 448),
    (768, 1408),
    (384, 704),
    (1408, 768),
    (704, 384),
    (640, 1408),
    (320, 704),
    (1408, 640),
    (704, 320),
    (1152, 640),
    (1173, 640),
];

/// The image calls for one [`ImageOptions`]: one request per batch of at most
/// [`MAX_IMAGES_PER_CALL`] images, in order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PreparedImages {
    /// The task every call runs.
    pub task: ImageTaskType,
    /// The requests, with how many images each asks for.
    pub calls: Vec<(InvokeRequest, u32)>,
    /// Settings that were ignored.
    pub warnings: Vec<Warning>,
}

fn bad(argument: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(argument, message)
}

fn option(name: &str) -> String {
    format!("provider_options.bedrock.{name}")
}

fn check_text(argument: &str, text: &str) -> Result<(), Error> {
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS {
        return Err(bad(
            argument,
            format!("must be 1 to {MAX_TEXT_CHARS} characters, got {chars}"),
        ));
    }
    Ok(())
}

/// The base64 of a PNG or JPEG input image.
fn encode_image(argument: &str, file: &FilePart) -> Result<String, Error> {
    if !matches!(file.media_type.as_str(), "image/png" | "image/jpeg") {
        return Err(bad(
            argument,
            format!("must be image/png or image/jpeg, got {}", file.media_type),
        ));
    }
    match &file.data {
        FileData::Bytes(bytes) if bytes.is_empty() => Err(bad(argument, "the image is empty")),
        FileData::Bytes(bytes) => Ok(base64::engine::general_purpose::STANDARD.encode(bytes)),
        _ => Err(Error::unsupported(format!(
            "image URLs as `{argument}` on Amazon Bedrock (pass the bytes)"
        ))),
    }
}

/// Checks a canvas size against the family's rules.
///
/// Nova Canvas: each side 320–4,096 pixels and divisible by 16, aspect ratio between 1:4 and
/// 4:1, fewer than 4,194,304 pixels. Titan Image Generator v2: one of [`TITAN_SIZES`].
///
/// # Errors
/// An invalid-argument error naming `size` and the rule broken.
pub fn check_size(family: ImageFamily, width: u32, height: u32) -> Result<(), Error> {
    if family == ImageFamily::TitanImageV2 {
        if TITAN_SIZES.contains(&(width, height)) {
            return Ok(());
        }
        return Err(bad(
            "size",
            format!("{width}x{height} is not a size Titan Image Generator v2 takes"),
        ));
    }
    for (side, value) in [("width", width), ("height", height)] {
        if !(320..=4096).contains(&value) {
            return Err(bad(
                "size",
                format!("the {side} must be 320 to 4096 pixels, got {value}"),
            ));
        }
        if value % 16 != 0 {
            return Err(bad(
                "size",
                format!("the {side} must be divisible by 16, got {value}"),
            ));
        }
    }
    let (w, h) = (u64::from(width), u64::from(height));
    if w > 4 * h || h > 4 * w {
        return Err(bad(
            "size",
            format!("the aspect ratio must be between 1:4 and 4:1, got {width}x{height}"),
        ));
    }
    if w * h >= 4_194_304 {
        return Err(bad(
            "size",
            format!("must be fewer than 4194304 pixels, got {}", w * h),
        ));
    }
    Ok(())
}

/// Builds the InvokeModel requests for `options` (see the [module docs](super)).
///
/// # Errors
/// Invalid-argument errors, before anything is sent, for every rule the model would refuse:
/// `n` of 0, a missing or too long prompt, input images the task does not take, a mask for a
/// task without one, a size, seed, cfg scale or similarity strength out of range, and options
/// the model or task does not take; unsupported errors for image URLs.
pub fn build_requests(
    model_id: &str,
    family: ImageFamily,
    options: &ImageOptions,
) -> Result<PreparedImages, Error> {
    let bedrock = ImageGenerationOptions::from_provider_options(&options.provider_options)?;
    let mut warnings = Vec::new();
    if options.n == 0 {
        return Err(bad("n", "at least one image must be asked for"));
    }
    let has_mask = options.mask.is_some() || bedrock.mask_prompt.is_some();
    let task = bedrock
        .task_type
        .unwrap_or(match (options.input_images.len(), has_mask) {
            (0, _) => ImageTaskType::TextImage,
            (_, true) => ImageTaskType::Inpainting,
            (_, false) => ImageTaskType::ImageVariation,
        });
    let images = options.input_images.len();
    let (min, max) = match task {
        ImageTaskType::TextImage => (0, 0),
        ImageTaskType::ImageVariation => (1, 5),
        _ => (1, 1),
    };
    if !(min..=max).contains(&images) {
        let wanted = match (min, max) {
            (0, 0) => "no input images".to_owned(),
            (1, 1) => "exactly one input image".to_owned(),
            (a, b) => format!("{a} to {b} input images"),
        };
        return Err(bad(
            "input_images",
            format!("{} takes {wanted}, got {images}", task.as_str()),
        ));
    }
    let masked = matches!(task, ImageTaskType::Inpainting | ImageTaskType::Outpainting);
    match (
        masked,
        options.mask.is_some(),
        bedrock.mask_prompt.is_some(),
    ) {
        (true, true, true) => {
            return Err(bad("mask", "give a mask image or a mask prompt, not both"));
        }
        (true, false, false) => {
            return Err(bad(
                "mask",
                format!("{} needs a mask image or a mask prompt", task.as_str()),
            ));
        }
        (false, true, _) => {
            return Err(bad("mask", format!("{} takes no mask", task.as_str())));
        }
        (false, _, true) => {
            return Err(bad(
                &option("mask_prompt"),
                format!("{} takes no mask", task.as_str()),
            ));
        }
        _ => {}
    }
    let only = |set: bool, name: &str, allowed: &[ImageTaskType]| -> Result<(), Error> {
        if set && !allowed.contains(&task) {
            return Err(bad(
                &option(name),
                format!("{} does not take this option", task.as_str()),
            ));
        }
        Ok(())
    };
    only(
        bedrock.similarity_strength.is_some(),
        "similarity_strength",
        &[ImageTaskType::ImageVariation],
    )?;
    only(
        bedrock.outpainting_mode.is_some(),
        "outpainting_mode",
        &[ImageTaskType::Outpainting],
    )?;
    only(
        bedrock.style.is_some(),
        "style",
        &[ImageTaskType::TextImage],
    )?;
    if bedrock.style.is_some() && family != ImageFamily::NovaCanvas {
        return Err(bad(
            &option("style"),
            format!("model `{model_id}` has no named styles (Nova Canvas has)"),
        ));
    }
    let removal = task == ImageTaskType::BackgroundRemoval;
    if removal && options.n > 1 {
        return Err(bad(
            "n",
            format!(
                "BACKGROUND_REMOVAL gives one image, {} were asked for",
                options.n
            ),
        ));
    }

    // The prompt.
    let prompt = options.prompt.as_deref().filter(|p| !p.is_empty());
    let needs_prompt = task == ImageTaskType::TextImage
        || (task == ImageTaskType::Outpainting && family == ImageFamily::TitanImageV2);
    match prompt {
        None if needs_prompt => {
            return Err(bad("prompt", format!("{} needs a prompt", task.as_str())));
        }
        Some(p) if !removal => check_text("prompt", p)?,
        _ => {}
    }
    if let Some(negative) = &bedrock.negative_text {
        check_text(&option("negative_text"), negative)?;
    }
    if let Some(cfg) = bedrock.cfg_scale
        && !(1.1..=10.0).contains(&cfg)
    {
        return Err(bad(
            &option("cfg_scale"),
            format!("must be between 1.1 and 10, got {cfg}"),
        ));
    }
    if let Some(strength) = bedrock.similarity_strength
        && !(0.2..=1.0).contains(&strength)
    {
        return Err(bad(
            &option("similarity_strength"),
            format!("must be between 0.2 and 1.0, got {strength}"),
        ));
    }
    let seed_max = family.max_seed();
    if let Some(seed) = options.seed
        && seed > seed_max
    {
        return Err(bad(
            "seed",
            format!("must be at most {seed_max}, got {seed}"),
        ));
    }
    if options.aspect_ratio.is_some() {
        warnings.push(
            Warning::unsupported_setting("aspect_ratio")
                .with_details("Bedrock image models take a size; set `size` instead"),
        );
    }
    let fresh_canvas = matches!(
        task,
        ImageTaskType::TextImage | ImageTaskType::ImageVariation
    );
    if let Some(size) = options.size {
        if fresh_canvas {
            check_size(family, size.width, size.height)?;
        } else {
            warnings.push(Warning::unsupported_setting("size").with_details(format!(
                "{} answers at the input image's size",
                task.as_str()
            )));
        }
    }
    if removal {
        let ignored = [
            ("prompt", prompt.is_some()),
            ("seed", options.seed.is_some()),
            ("negative_text", bedrock.negative_text.is_some()),
            ("quality", bedrock.quality.is_some()),
            ("cfg_scale", bedrock.cfg_scale.is_some()),
        ];
        for (setting, set) in ignored {
            if set {
                warnings.push(
                    Warning::unsupported_setting(setting)
                        .with_details("BACKGROUND_REMOVAL takes only the input image"),
                );
            }
        }
    }

    // The task parameters, shared by every call.
    let mut params = Map::new();
    match task {
        ImageTaskType::ImageVariation => {
            let encoded = options
                .input_images
                .iter()
                .enumerate()
                .map(|(i, f)| encode_image(&format!("input_images[{i}]"), f))
                .collect::<Result<Vec<_>, _>>()?;
            params.insert("images".into(), json!(encoded));
        }
        ImageTaskType::TextImage => {}
        _ => {
            let image = encode_image("input_images[0]", &options.input_images[0])?;
            params.insert("image".into(), json!(image));
        }
    }
    if !removal {
        if let Some(p) = prompt {
            params.insert("text".into(), json!(p));
        }
        if let Some(negative) = &bedrock.negative_text {
            params.insert("negativeText".into(), json!(negative));
        }
    }
    if let Some(style) = bedrock.style {
        params.insert("style".into(), json!(style.as_str()));
    }
    if let Some(strength) = bedrock.similarity_strength {
        params.insert("similarityStrength".into(), json!(strength));
    }
    if let Some(mask) = &options.mask {
        params.insert("maskImage".into(), json!(encode_image("mask", mask)?));
    }
    if let Some(mask_prompt) = &bedrock.mask_prompt {
        check_text(&option("mask_prompt"), mask_prompt)?;
        params.insert("maskPrompt".into(), json!(mask_prompt));
    }
    if let Some(mode) = bedrock.outpainting_mode {
        params.insert("outPaintingMode".into(), json!(mode.as_str()));
    }

    // One call per batch of up to MAX_IMAGES_PER_CALL images.
    let mut calls = Vec::new();
    let mut left = options.n;
    let mut index = 0u64;
    while left > 0 {
        let count = left.min(MAX_IMAGES_PER_CALL);
        left -= count;
        let mut body = Map::new();
        body.insert("taskType".into(), json!(task.as_str()));
        body.insert(task.params_key().into(), Value::Object(params.clone()));
        if !removal {
            let mut config = Map::new();
            config.insert("numberOfImages".into(), json!(count));
            if let (Some(size), true) = (options.size, fresh_canvas) {
                config.insert("width".into(), json!(size.width));
                config.insert("height".into(), json!(size.height));
            }
            if let Some(quality) = bedrock.quality {
                config.insert("quality".into(), json!(quality.as_str()));
            }
            if let Some(cfg) = bedrock.cfg_scale {
                config.insert("cfgScale".into(), json!(cfg));
            }
            if let Some(seed) = options.seed {
                // Later calls get the next seeds, so they do not repeat the first call's images.
                config.insert("seed".into(), json!((seed + index) % (seed_max + 1)));
            }
            body.insert("imageGenerationConfig".into(), Value::Object(config));
        }
        let request = InvokeRequest::json(model_id, &Value::Object(body))
            .with_headers(options.headers.clone());
        calls.push((request, count));
        index += 1;
    }
    Ok(PreparedImages {
        task,
        calls,
        warnings,
    })
}
