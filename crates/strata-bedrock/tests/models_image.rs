//! Image models against the emulator through the real stack: every task type, checked down to
//! the PNG header of each returned image.

mod it_support;

use bytes::Bytes;
use serde_json::{Value, json};
use strata_bedrock::Bedrock;
use strata_bedrock::image::{ImageGenerationOptions, ImageTaskType, NovaStyle, OutpaintingMode};
use strata_core::image::{GeneratedImage, ImageSize};
use strata_core::prompt::FilePart;
use strata_core::{ImageModel, ImageOptions, Provider};
use strata_emulator::EmulatorHandle;

const NOVA: &str = "amazon.nova-canvas-v1:0";
const TITAN: &str = "amazon.titan-image-generator-v2:0";

async fn start() -> (EmulatorHandle, Bedrock) {
    let emulator = it_support::emulator().await;
    let bedrock = it_support::sigv4(&emulator);
    (emulator, bedrock)
}

/// Width and height from a PNG's IHDR chunk, checking the signature and chunk type.
fn png_size(image: &GeneratedImage) -> (u32, u32) {
    assert_eq!(image.media_type, "image/png");
    let data = &image.data;
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&data[12..16], b"IHDR", "first chunk is IHDR");
    let word = |at: usize| u32::from_be_bytes(data[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

fn with(options: ImageOptions, bedrock: ImageGenerationOptions) -> ImageOptions {
    options.with_provider_options(bedrock.to_provider_options())
}

fn task(task: ImageTaskType) -> ImageGenerationOptions {
    let mut options = ImageGenerationOptions::default();
    options.task_type = Some(task);
    options
}

fn last_body(emulator: &EmulatorHandle) -> Value {
    serde_json::from_slice(&emulator.journal().last().unwrap().body).unwrap()
}

async fn input_png(model: &dyn ImageModel, width: u32, height: u32) -> FilePart {
    let result = model
        .generate(ImageOptions::new("a source picture").with_size(ImageSize::new(width, height)))
        .await
        .unwrap();
    let image = &result.images[0];
    FilePart::from_bytes(image.data.clone(), "image/png")
}

#[tokio::test]
async fn text_to_image_with_settings_and_split_calls() {
    let (emulator, bedrock) = start().await;
    let model = bedrock.image_model(NOVA).unwrap();
    assert_eq!(model.max_images_per_call(), Some(5));
    let mut settings = ImageGenerationOptions::default();
    settings.style = Some(NovaStyle::Photorealism);
    settings.negative_text = Some("fog".into());
    settings.cfg_scale = Some(7.5);
    settings.quality = Some(strata_bedrock::image::ImageQuality::Premium);
    let options = with(
        ImageOptions::new("a lighthouse")
            .with_size(ImageSize::new(640, 384))
            .with_n(7)
            .with_seed(10),
        settings,
    );
    let result = model.generate(options).await.unwrap();
    assert_eq!(result.images.len(), 7);
    for image in &result.images {
        assert_eq!(png_size(image), (640, 384));
    }
    assert_ne!(
        result.images[0].data, result.images[5].data,
        "later calls use other seeds"
    );
    assert!(result.warnings.is_empty());
    assert_eq!(
        result.provider_metadata.value("bedrock", "task_type"),
        Some(&json!("TEXT_IMAGE"))
    );
    let entries = emulator.journal().entries();
    assert_eq!(entries.len(), 2);
    let counts: Vec<u64> = entries
        .iter()
        .map(|e| {
            let body: Value = serde_json::from_slice(&e.body).unwrap();
            assert_eq!(body["textToImageParams"]["style"], "PHOTOREALISM");
            body["imageGenerationConfig"]["numberOfImages"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(counts, [5, 2]);
}

#[tokio::test]
async fn variation_inpainting_outpainting_and_background_removal() {
    let (emulator, bedrock) = start().await;
    let model = bedrock.image_model(NOVA).unwrap();
    let source = input_png(model.as_ref(), 512, 384).await;

    // Input images without a task type: variation.
    let mut similar = ImageGenerationOptions::default();
    similar.similarity_strength = Some(0.8);
    let result = model
        .generate(with(
            ImageOptions::new("brighter")
                .with_input_image(source.clone())
                .with_size(ImageSize::new(320, 320))
                .with_n(2),
            similar,
        ))
        .await
        .unwrap();
    assert_eq!(last_body(&emulator)["taskType"], "IMAGE_VARIATION");
    assert_eq!(
        result.images.iter().map(png_size).collect::<Vec<_>>(),
        [(320, 320); 2]
    );

    // With a mask image: inpainting, at the input image's size.
    let result = model
        .generate(
            ImageOptions::new("a red door")
                .with_input_image(source.clone())
                .with_mask(source.clone()),
        )
        .await
        .unwrap();
    assert_eq!(last_body(&emulator)["taskType"], "INPAINTING");
    assert_eq!(png_size(&result.images[0]), (512, 384));

    // A mask prompt: inpainting too.
    let mut mask_prompt = ImageGenerationOptions::default();
    mask_prompt.mask_prompt = Some("the door".into());
    let result = model
        .generate(with(
            ImageOptions::new("a blue door").with_input_image(source.clone()),
            mask_prompt,
        ))
        .await
        .unwrap();
    assert_eq!(
        last_body(&emulator)["inPaintingParams"]["maskPrompt"],
        "the door"
    );
    assert_eq!(png_size(&result.images[0]), (512, 384));

    // Outpainting, PRECISE.
    let mut outpaint = task(ImageTaskType::Outpainting);
    outpaint.mask_prompt = Some("the house".into());
    outpaint.outpainting_mode = Some(OutpaintingMode::Precise);
    let result = model
        .generate(with(
            ImageOptions::new("a garden around it").with_input_image(source.clone()),
            outpaint,
        ))
        .await
        .unwrap();
    assert_eq!(
        last_body(&emulator)["outPaintingParams"]["outPaintingMode"],
        "PRECISE"
    );
    assert_eq!(png_size(&result.images[0]), (512, 384));

    // Background removal: no prompt, one RGBA image.
    let result = model
        .generate(with(
            ImageOptions::default().with_input_image(source),
            task(ImageTaskType::BackgroundRemoval),
        ))
        .await
        .unwrap();
    assert_eq!(
        last_body(&emulator)
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["backgroundRemovalParams", "taskType"]
    );
    assert_eq!(png_size(&result.images[0]), (512, 384));
    assert_eq!(result.images[0].data[25], 6, "colour type RGBA");
}

#[tokio::test]
async fn titan_image_v2_and_checks_before_sending() {
    let (emulator, bedrock) = start().await;
    let model = bedrock.image_model(TITAN).unwrap();
    let result = model
        .generate(ImageOptions::new("a fox").with_size(ImageSize::new(768, 1152)))
        .await
        .unwrap();
    assert_eq!(png_size(&result.images[0]), (768, 1152));
    let sent = emulator.journal().entries().len();

    let err = model
        .generate(ImageOptions::new("a fox").with_size(ImageSize::new(800, 800)))
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("size"));
    let nova = bedrock.image_model(NOVA).unwrap();
    let err = nova
        .generate(ImageOptions::new("x").with_size(ImageSize::new(4096, 1008)))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `size`: the aspect ratio must be between 1:4 and 4:1, got 4096x1008"
    );
    let err = nova
        .generate(
            ImageOptions::default().with_input_image(FilePart::from_bytes(
                Bytes::from_static(b"not an image"),
                "image/webp",
            )),
        )
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("input_images[0]"));
    assert_eq!(emulator.journal().entries().len(), sent, "nothing was sent");
    assert!(
        bedrock
            .image_model("stability.sd3-large-v1:0")
            .unwrap_err()
            .is_unknown_model()
    );
}
