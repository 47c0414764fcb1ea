use base64::Engine as _;
use serde_json::{Value, json};

use crate::models::catalog::resolve;
use crate::models::invoke::invoke;
use crate::models::png::tests::decode;
use crate::models::png::{self, ColorType};

const NOVA: &str = "amazon.nova-canvas-v1:0";
const TITAN: &str = "amazon.titan-image-generator-v2:0";

fn call(id: &str, body: Value) -> Result<Vec<Vec<u8>>, String> {
    let out = invoke(&resolve(id).unwrap(), body.to_string().as_bytes())
        .map_err(|e| e.message().to_owned())?;
    let json: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(json.as_object().unwrap().len(), 1);
    Ok(json["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            base64::engine::general_purpose::STANDARD
                .decode(i.as_str().unwrap())
                .unwrap()
        })
        .collect())
}

fn text_image(width: u64, height: u64) -> Value {
    json!({"taskType": "TEXT_IMAGE", "textToImageParams": {"text": "a red barn"},
        "imageGenerationConfig": {"width": width, "height": height, "numberOfImages": 1, "seed": 7}})
}

fn input_png(w: u32, h: u32) -> String {
    let png = png::encode(w, h, ColorType::Rgb, &vec![90; (w * h * 3) as usize]).unwrap();
    base64::engine::general_purpose::STANDARD.encode(png)
}

#[test]
fn text_image_has_the_requested_size_and_decodes() {
    let images = call(NOVA, text_image(640, 320)).unwrap();
    assert_eq!(images.len(), 1);
    let (w, h, color, pixels) = decode(&images[0]);
    assert_eq!((w, h, color), (640, 320, 2));
    assert_eq!(pixels.len(), 640 * 320 * 3);
    // A vertical gradient: rows are uniform, top and bottom differ.
    assert_eq!(pixels[..3], pixels[639 * 3..640 * 3]);
    assert_ne!(pixels[..3], pixels[pixels.len() - 3..]);
    // Deterministic, and the seed changes the picture.
    assert_eq!(call(NOVA, text_image(640, 320)).unwrap(), images);
    let mut other = text_image(640, 320);
    other["imageGenerationConfig"]["seed"] = json!(8);
    assert_ne!(call(NOVA, other).unwrap(), images);
}

#[test]
fn defaults_and_several_images() {
    let body = json!({"taskType": "TEXT_IMAGE", "textToImageParams": {"text": "x"}, "imageGenerationConfig": {"numberOfImages": 3}});
    let images = call(TITAN, body).unwrap();
    assert_eq!(images.len(), 3);
    assert!(
        images
            .iter()
            .all(|i| png::dimensions(i) == Some((1024, 1024)))
    );
    assert_ne!(images[0], images[1]);
}

#[test]
fn nova_canvas_size_rules() {
    let cases = [
        (
            text_image(300, 320),
            "#/imageGenerationConfig/width: 300 is not greater or equal to 320",
        ),
        (
            text_image(4112, 1024),
            "#/imageGenerationConfig/width: 4112 is not less or equal to 4096",
        ),
        (
            text_image(1000, 1024),
            "#/imageGenerationConfig/width: 1000 is not a multiple of 16",
        ),
        (
            text_image(320, 1296),
            "#/imageGenerationConfig: the aspect ratio must be between 1:4 and 4:1, found 320x1296",
        ),
        (
            text_image(2048, 2048),
            "#/imageGenerationConfig: the total pixel count must be less than 4194304, found 4194304",
        ),
    ];
    for (body, detail) in cases {
        assert_eq!(
            call(NOVA, body).unwrap_err(),
            format!("Malformed input request: {detail}, please reformat your input and try again.")
        );
    }
    assert!(call(NOVA, text_image(320, 1280)).is_ok());
    assert!(call(NOVA, text_image(4032, 1008)).is_ok());
}

#[test]
fn titan_sizes_and_config_ranges() {
    assert!(call(TITAN, text_image(1173, 640)).is_ok());
    assert!(
        call(TITAN, text_image(640, 320))
            .unwrap_err()
            .contains("640x320 is not a supported image size")
    );
    let mut too_many = text_image(512, 512);
    too_many["imageGenerationConfig"]["numberOfImages"] = json!(6);
    assert!(
        call(TITAN, too_many)
            .unwrap_err()
            .contains("#/imageGenerationConfig/numberOfImages: 6 is not less or equal to 5")
    );
    let mut cfg = text_image(512, 512);
    cfg["imageGenerationConfig"]["cfgScale"] = json!(11);
    assert!(call(TITAN, cfg).unwrap_err().contains("cfgScale"));
    let mut quality = text_image(512, 512);
    quality["imageGenerationConfig"]["quality"] = json!("ultra");
    assert!(
        call(TITAN, quality)
            .unwrap_err()
            .contains("#/imageGenerationConfig/quality: \"ultra\" is not a valid enum value")
    );
    let mut seed = text_image(512, 512);
    seed["imageGenerationConfig"]["seed"] = json!(900_000_000);
    assert!(call(TITAN, seed.clone()).is_ok());
    assert!(
        call(NOVA, seed)
            .unwrap_err()
            .contains("900000000 is not less or equal to 858993459")
    );
}

#[test]
fn editing_tasks_use_the_input_size() {
    let image = input_png(336, 400);
    let inpaint = json!({"taskType": "INPAINTING", "inPaintingParams": {"image": image, "maskPrompt": "the cat", "text": "a dog"}});
    assert_eq!(
        png::dimensions(&call(NOVA, inpaint).unwrap()[0]),
        Some((336, 400))
    );
    let outpaint = json!({"taskType": "OUTPAINTING", "outPaintingParams": {"image": image, "maskImage": input_png(336, 400), "text": "sea"}});
    assert_eq!(
        png::dimensions(&call(TITAN, outpaint).unwrap()[0]),
        Some((336, 400))
    );
    let both = json!({"taskType": "INPAINTING", "inPaintingParams": {"image": image, "maskPrompt": "x", "maskImage": image}});
    assert!(
        call(NOVA, both)
            .unwrap_err()
            .contains("exactly one of [maskPrompt, maskImage] is required")
    );
    // A header claiming a huge image is refused before any pixel is rendered.
    let mut huge = base64::engine::general_purpose::STANDARD
        .decode(input_png(4, 4))
        .unwrap();
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    let huge = base64::engine::general_purpose::STANDARD.encode(huge);
    let body =
        json!({"taskType": "BACKGROUND_REMOVAL", "backgroundRemovalParams": {"image": huge}});
    assert!(
        call(NOVA, body)
            .unwrap_err()
            .contains("the image is 100000x4; at most 4096 pixels per side")
    );
    let garbage = json!({"taskType": "INPAINTING", "inPaintingParams": {"image": "R0lGODlh", "maskPrompt": "x"}});
    assert!(
        call(NOVA, garbage)
            .unwrap_err()
            .contains("#/inPaintingParams/image: the image must be a PNG or JPEG")
    );
}

#[test]
fn background_removal_is_rgba_with_transparent_border() {
    let body = json!({"taskType": "BACKGROUND_REMOVAL", "backgroundRemovalParams": {"image": input_png(8, 8)}});
    let images = call(NOVA, body).unwrap();
    let (w, h, color, pixels) = decode(&images[0]);
    assert_eq!((w, h, color), (8, 8, 6));
    let alpha = |x: usize, y: usize| pixels[(y * 8 + x) * 4 + 3];
    assert_eq!(
        (alpha(0, 0), alpha(4, 4), alpha(7, 4), alpha(2, 2)),
        (0, 255, 0, 255)
    );
}

#[test]
fn variation_and_color_guided() {
    let variation = json!({"taskType": "IMAGE_VARIATION", "imageVariationParams": {"images": [input_png(4, 4)], "text": "more blue"},
        "imageGenerationConfig": {"width": 512, "height": 512}});
    assert_eq!(
        png::dimensions(&call(TITAN, variation).unwrap()[0]),
        Some((512, 512))
    );
    let guided = json!({"taskType": "COLOR_GUIDED_GENERATION", "colorGuidedGenerationParams": {"colors": ["#ff0000", "#0000FF"], "text": "sunset"},
        "imageGenerationConfig": {"width": 320, "height": 320}});
    let (_, _, _, pixels) = decode(&call(NOVA, guided).unwrap()[0]);
    assert_eq!(pixels[..3], [255, 0, 0]);
    assert_eq!(pixels[pixels.len() - 3..], [0, 0, 255]);
    let bad = json!({"taskType": "COLOR_GUIDED_GENERATION", "colorGuidedGenerationParams": {"colors": ["red"], "text": "x"}});
    assert!(
        call(NOVA, bad).unwrap_err().contains(
            "#/colorGuidedGenerationParams/colors/0: string \"red\" does not match pattern"
        )
    );
}

#[test]
fn task_validation() {
    let cases = [
        (json!({}), "#: required key [taskType] not found"),
        (
            json!({"taskType": "DRAW"}),
            "#/taskType: DRAW is not a valid enum value",
        ),
        (
            json!({"taskType": "TEXT_IMAGE"}),
            "#: required key [textToImageParams] not found",
        ),
        (
            json!({"taskType": "TEXT_IMAGE", "textToImageParams": {}}),
            "#/textToImageParams: required key [text] not found",
        ),
        (
            json!({"taskType": "IMAGE_VARIATION", "imageVariationParams": {"images": []}}),
            "#/imageVariationParams/images: expected between 1 and 5 items, found 0",
        ),
    ];
    for (body, detail) in cases {
        assert_eq!(
            call(NOVA, body).unwrap_err(),
            format!("Malformed input request: {detail}, please reformat your input and try again.")
        );
    }
}
