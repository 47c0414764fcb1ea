//! Deterministic image generation: Nova Canvas and Titan Image Generator bodies.
//!
//! **Request.** `taskType` with its parameters member: `TEXT_IMAGE` → `textToImageParams`
//! (`text` required), `COLOR_GUIDED_GENERATION` → `colorGuidedGenerationParams` (`colors`
//! `#RRGGBB` 1–10 and `text` required), `IMAGE_VARIATION` → `imageVariationParams` (`images`
//! 1–5 required), `INPAINTING` / `OUTPAINTING` → `inPaintingParams` / `outPaintingParams`
//! (`image` and exactly one of `maskPrompt` / `maskImage`), `BACKGROUND_REMOVAL` →
//! `backgroundRemovalParams` (`image`). `imageGenerationConfig`: `width`/`height` (default
//! 1024), `numberOfImages` 1–5 (default 1), `quality` `standard`/`premium`, `cfgScale` 1.1–10,
//! `seed` 0–858993459 (Nova Canvas) or 0–2147483646 (Titan).
//!
//! **Sizes.** Nova Canvas: each side 320–4096 and divisible by 16, aspect ratio between 1:4 and
//! 4:1, fewer than 4,194,304 pixels. Titan: one of the documented sizes (1024×1024, 768×768,
//! 512×512, 768×1152, …). Inpainting, outpainting and background removal answer at the input
//! image's size (input images must be PNG or JPEG, at most 4096 pixels per side and 4,194,304
//! pixels in total).
//!
//! **Pixels.** Every image is a real PNG: a vertical gradient between two colours derived from
//! an FNV-1a hash of the prompt text, seed and image index (colour-guided generation uses its
//! first two colours). Background removal answers RGBA with the outer quarter on each side
//! transparent; other tasks answer RGB. Response: `{"images": ["<base64 PNG>", …]}`.
//!
//! ```
//! use strata_emulator::models::{catalog, invoke, png};
//! use base64::Engine as _;
//!
//! let model = catalog::resolve("amazon.nova-canvas-v1:0").unwrap();
//! let body = br#"{"taskType": "TEXT_IMAGE", "textToImageParams": {"text": "a lighthouse"},
//!                 "imageGenerationConfig": {"width": 512, "height": 320, "numberOfImages": 2}}"#;
//! let out = invoke::invoke(&model, body).unwrap();
//! let json: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
//! let first = base64::engine::general_purpose::STANDARD.decode(json["images"][0].as_str().unwrap()).unwrap();
//! assert_eq!(png::dimensions(&first), Some((512, 320)));
//! assert_eq!(json["images"].as_array().unwrap().len(), 2);
//! ```

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::ModelError;
use super::catalog::{Family, ModelInfo};
use super::hash::{SplitMix64, fnv1a_parts};
use super::png::{self, ColorType};

const TITAN_SIZES: &[(u32, u32)] = &[
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

/// The largest input image (inpainting, outpainting, background removal) in pixels.
const MAX_INPUT_PIXELS: u64 = 4_194_304;

fn malformed(detail: impl std::fmt::Display) -> ModelError {
    ModelError::malformed(detail)
}

/// The parameters member for each task type.
fn params_key(task: &str) -> Option<&'static str> {
    Some(match task {
        "TEXT_IMAGE" => "textToImageParams",
        "COLOR_GUIDED_GENERATION" => "colorGuidedGenerationParams",
        "IMAGE_VARIATION" => "imageVariationParams",
        "INPAINTING" => "inPaintingParams",
        "OUTPAINTING" => "outPaintingParams",
        "BACKGROUND_REMOVAL" => "backgroundRemovalParams",
        _ => return None,
    })
}

/// Answers an image-generation body (see the [module docs](self)).
pub(crate) fn generate(model: &ModelInfo, body: &Map<String, Value>) -> Result<Value, ModelError> {
    let task = match body.get("taskType") {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            return Err(malformed(format!(
                "#/taskType: {other} is not a valid enum value"
            )));
        }
        None => return Err(malformed("#: required key [taskType] not found")),
    };
    let key = params_key(task)
        .ok_or_else(|| malformed(format!("#/taskType: {task} is not a valid enum value")))?;
    let params = body
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| malformed(format!("#: required key [{key}] not found")))?;
    let text = |required: bool| -> Result<String, ModelError> {
        match params.get("text") {
            Some(Value::String(t)) if !t.is_empty() && t.chars().count() <= 1024 => Ok(t.clone()),
            Some(Value::String(t)) => Err(malformed(format!(
                "#/{key}/text: expected length between 1 and 1024, found {}",
                t.chars().count()
            ))),
            Some(_) => Err(malformed(format!("#/{key}/text: expected type: String"))),
            None if required => Err(malformed(format!("#/{key}: required key [text] not found"))),
            None => Ok(String::new()),
        }
    };
    let input_size = |member: &str| -> Result<(u32, u32), ModelError> {
        let encoded = params
            .get(member)
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(format!("#/{key}: required key [{member}] not found")))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| malformed(format!("#/{key}/{member}: the image is not valid base64")))?;
        let (w, h) = png::dimensions(&bytes).ok_or_else(|| {
            malformed(format!("#/{key}/{member}: the image must be a PNG or JPEG"))
        })?;
        if w > 4096 || h > 4096 || u64::from(w) * u64::from(h) > MAX_INPUT_PIXELS {
            return Err(malformed(format!(
                "#/{key}/{member}: the image is {w}x{h}; at most 4096 pixels per side and {MAX_INPUT_PIXELS} pixels in total are allowed"
            )));
        }
        Ok((w, h))
    };
    let mask = || -> Result<(), ModelError> {
        match (
            params.contains_key("maskPrompt"),
            params.contains_key("maskImage"),
        ) {
            (true, false) => Ok(()),
            (false, true) => input_size("maskImage").map(|_| ()),
            _ => Err(malformed(format!(
                "#/{key}: exactly one of [maskPrompt, maskImage] is required"
            ))),
        }
    };

    let (prompt, colors, fixed_size) = match task {
        "TEXT_IMAGE" => (text(true)?, None, None),
        "COLOR_GUIDED_GENERATION" => (text(true)?, Some(colors(params, key)?), None),
        "IMAGE_VARIATION" => {
            let images = params
                .get("images")
                .and_then(Value::as_array)
                .ok_or_else(|| malformed(format!("#/{key}: required key [images] not found")))?;
            if images.is_empty() || images.len() > 5 {
                return Err(malformed(format!(
                    "#/{key}/images: expected between 1 and 5 items, found {}",
                    images.len()
                )));
            }
            (text(false)?, None, None)
        }
        "INPAINTING" | "OUTPAINTING" => {
            let size = input_size("image")?;
            mask()?;
            (
                text(task == "OUTPAINTING" && model.family == Family::TitanImage)?,
                None,
                Some(size),
            )
        }
        _ => (String::new(), None, Some(input_size("image")?)),
    };

    let config = match body.get("imageGenerationConfig") {
        None => Map::new(),
        Some(Value::Object(c)) => c.clone(),
        Some(_) => {
            return Err(malformed(
                "#/imageGenerationConfig: expected type: JSONObject",
            ));
        }
    };
    let int = |name: &str, default: u64, min: u64, max: u64| -> Result<u64, ModelError> {
        match config.get(name) {
            None => Ok(default),
            Some(v) => {
                let n = v.as_u64().ok_or_else(|| {
                    malformed(format!(
                        "#/imageGenerationConfig/{name}: expected type: Integer, found: {v}"
                    ))
                })?;
                if n < min {
                    return Err(malformed(format!(
                        "#/imageGenerationConfig/{name}: {n} is not greater or equal to {min}"
                    )));
                }
                if n > max {
                    return Err(malformed(format!(
                        "#/imageGenerationConfig/{name}: {n} is not less or equal to {max}"
                    )));
                }
                Ok(n)
            }
        }
    };
    let count = if task == "BACKGROUND_REMOVAL" {
        1
    } else {
        int("numberOfImages", 1, 1, 5)?
    };
    let seed_max = if model.family == Family::NovaCanvas {
        858_993_459
    } else {
        2_147_483_646
    };
    let seed = int("seed", 12, 0, seed_max)?;
    if let Some(q) = config.get("quality")
        && !matches!(q.as_str(), Some("standard" | "premium"))
    {
        return Err(malformed(format!(
            "#/imageGenerationConfig/quality: {q} is not a valid enum value"
        )));
    }
    if let Some(cfg) = config.get("cfgScale") {
        match cfg.as_f64() {
            Some(c) if (1.1..=10.0).contains(&c) => {}
            _ => {
                return Err(malformed(format!(
                    "#/imageGenerationConfig/cfgScale: {cfg} is not between 1.1 and 10.0"
                )));
            }
        }
    }
    let (width, height) = match fixed_size {
        Some(size) => size,
        None => {
            let w = int("width", 1024, 0, u64::from(u32::MAX))? as u32;
            let h = int("height", 1024, 0, u64::from(u32::MAX))? as u32;
            check_size(model, w, h)?;
            (w, h)
        }
    };

    let images = (0..count)
        .map(|index| {
            let seed_hash = fnv1a_parts(&[
                prompt.as_bytes(),
                &seed.to_le_bytes(),
                &index.to_le_bytes(),
                task.as_bytes(),
            ]);
            let (top, bottom) = match &colors {
                Some(c) => (c[0], *c.get(1).unwrap_or(&c[0])),
                None => {
                    let mut rng = SplitMix64::new(seed_hash);
                    let mut color = || {
                        let v = rng.next_u64().to_le_bytes();
                        [v[0], v[1], v[2]]
                    };
                    (color(), color())
                }
            };
            let png = render(width, height, top, bottom, task == "BACKGROUND_REMOVAL")
                .ok_or_else(|| malformed("#/imageGenerationConfig: the image is too large"))?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(png),
            ))
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    Ok(json!({ "images": images }))
}

fn colors(params: &Map<String, Value>, key: &str) -> Result<Vec<[u8; 3]>, ModelError> {
    let list = params
        .get("colors")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(format!("#/{key}: required key [colors] not found")))?;
    if list.is_empty() || list.len() > 10 {
        return Err(malformed(format!(
            "#/{key}/colors: expected between 1 and 10 items, found {}",
            list.len()
        )));
    }
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let hex = c
                .as_str()
                .and_then(|s| s.strip_prefix('#'))
                .filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()));
            let hex = hex.ok_or_else(|| {
                malformed(format!(
                    "#/{key}/colors/{i}: string {c} does not match pattern ^#[0-9a-fA-F]{{6}}$"
                ))
            })?;
            let byte = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).unwrap_or(0);
            Ok([byte(0), byte(2), byte(4)])
        })
        .collect()
}

fn check_size(model: &ModelInfo, width: u32, height: u32) -> Result<(), ModelError> {
    if model.family == Family::TitanImage {
        return if TITAN_SIZES.contains(&(width, height)) {
            Ok(())
        } else {
            Err(malformed(format!(
                "#/imageGenerationConfig: {width}x{height} is not a supported image size"
            )))
        };
    }
    for (name, side) in [("width", width), ("height", height)] {
        if side < 320 {
            return Err(malformed(format!(
                "#/imageGenerationConfig/{name}: {side} is not greater or equal to 320"
            )));
        }
        if side > 4096 {
            return Err(malformed(format!(
                "#/imageGenerationConfig/{name}: {side} is not less or equal to 4096"
            )));
        }
        if side % 16 != 0 {
            return Err(malformed(format!(
                "#/imageGenerationConfig/{name}: {side} is not a multiple of 16"
            )));
        }
    }
    if width > height * 4 || height > width * 4 {
        return Err(malformed(format!(
            "#/imageGenerationConfig: the aspect ratio must be between 1:4 and 4:1, found {width}x{height}"
        )));
    }
    if u64::from(width) * u64::from(height) >= 4_194_304 {
        return Err(malformed(format!(
            "#/imageGenerationConfig: the total pixel count must be less than 4194304, found {}",
            u64::from(width) * u64::from(height)
        )));
    }
    Ok(())
}

/// A vertical gradient from `top` to `bottom`; with `cutout`, RGBA with a transparent border.
fn render(width: u32, height: u32, top: [u8; 3], bottom: [u8; 3], cutout: bool) -> Option<Vec<u8>> {
    let (w, h) = (width as usize, height as usize);
    let bpp = if cutout { 4 } else { 3 };
    let mut pixels = Vec::with_capacity(w.checked_mul(h)?.checked_mul(bpp)?);
    for y in 0..h {
        let t = if h > 1 {
            y as f32 / (h - 1) as f32
        } else {
            0.0
        };
        let mix = |i: usize| {
            (f32::from(top[i]) + (f32::from(bottom[i]) - f32::from(top[i])) * t).round() as u8
        };
        let rgb = [mix(0), mix(1), mix(2)];
        let inside_rows = y >= h / 4 && y < h - h / 4;
        for x in 0..w {
            pixels.extend_from_slice(&rgb);
            if cutout {
                let inside = inside_rows && x >= w / 4 && x < w - w / 4;
                pixels.push(if inside { 255 } else { 0 });
            }
        }
    }
    let color = if cutout {
        ColorType::Rgba
    } else {
        ColorType::Rgb
    };
    png::encode(width, height, color, &pixels)
}

#[cfg(test)]
mod tests;
