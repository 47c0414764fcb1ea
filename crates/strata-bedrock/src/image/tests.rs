use base64::Engine as _;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};
use strata_core::image::{AspectRatio, ImageSize};
use strata_core::prompt::FilePart;
use strata_core::{ImageOptions, Warning};

use super::*;
use crate::invoke::InvokeResponse;

const NOVA: &str = "amazon.nova-canvas-v1:0";
const TITAN: &str = "amazon.titan-image-generator-v2:0";

fn png() -> FilePart {
    FilePart::from_bytes(&b"\x89PNG\r\n\x1a\npixels"[..], "image/png")
}

fn b64(file: &FilePart) -> String {
    match &file.data {
        strata_core::prompt::FileData::Bytes(b) => {
            base64::engine::general_purpose::STANDARD.encode(b)
        }
        _ => unreachable!(),
    }
}

fn bedrock(options: ImageOptions, fields: Value) -> ImageOptions {
    let mut provider = strata_core::ProviderOptions::new();
    for (k, v) in fields.as_object().unwrap() {
        provider.insert("bedrock", k.clone(), v.clone());
    }
    options.with_provider_options(provider)
}

fn bodies(model: &str, options: &ImageOptions) -> (Vec<Value>, Vec<Warning>) {
    let family = ImageFamily::of(model).unwrap();
    let prepared = build_requests(model, family, options).unwrap();
    let bodies = prepared
        .calls
        .iter()
        .map(|(request, n)| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            if let Some(count) = body["imageGenerationConfig"]["numberOfImages"].as_u64() {
                assert_eq!(count, u64::from(*n));
            }
            body
        })
        .collect();
    (bodies, prepared.warnings)
}

fn body(model: &str, options: &ImageOptions) -> Value {
    let (bodies, _) = bodies(model, options);
    assert_eq!(bodies.len(), 1);
    bodies.into_iter().next().unwrap()
}

fn error(model: &str, options: &ImageOptions) -> strata_core::Error {
    build_requests(model, ImageFamily::of(model).unwrap(), options).unwrap_err()
}

#[test]
fn text_image_with_every_setting() {
    let options = bedrock(
        ImageOptions::new("a cat")
            .with_size(ImageSize::new(1024, 512))
            .with_seed(42),
        json!({"quality": "premium", "cfg_scale": 6.5, "negative_text": "dogs", "style": "3D_ANIMATED_FAMILY_FILM", "task_type": "TEXT_IMAGE"}),
    );
    assert_eq!(
        body(NOVA, &options),
        json!({"taskType": "TEXT_IMAGE",
            "textToImageParams": {"text": "a cat", "negativeText": "dogs", "style": "3D_ANIMATED_FAMILY_FILM"},
            "imageGenerationConfig": {"numberOfImages": 1, "width": 1024, "height": 512,
                "quality": "premium", "cfgScale": 6.5, "seed": 42}})
    );
}

#[test]
fn tasks_follow_the_inputs() {
    let variation = bedrock(
        ImageOptions::default()
            .with_input_image(png())
            .with_input_image(png()),
        json!({"similarity_strength": 0.7}),
    );
    assert_eq!(
        body(NOVA, &variation),
        json!({"taskType": "IMAGE_VARIATION",
            "imageVariationParams": {"images": [b64(&png()), b64(&png())], "similarityStrength": 0.7},
            "imageGenerationConfig": {"numberOfImages": 1}})
    );
    let inpaint_mask = ImageOptions::new("a hat")
        .with_input_image(png())
        .with_mask(png());
    assert_eq!(
        body(NOVA, &inpaint_mask),
        json!({"taskType": "INPAINTING",
            "inPaintingParams": {"image": b64(&png()), "text": "a hat", "maskImage": b64(&png())},
            "imageGenerationConfig": {"numberOfImages": 1}})
    );
    let inpaint_prompt = bedrock(
        ImageOptions::default().with_input_image(png()),
        json!({"mask_prompt": "the sky"}),
    );
    assert_eq!(
        body(TITAN, &inpaint_prompt)["inPaintingParams"],
        json!({"image": b64(&png()), "maskPrompt": "the sky"})
    );
}

#[test]
fn outpainting_and_background_removal() {
    let outpaint = bedrock(
        ImageOptions::new("a beach").with_input_image(png()),
        json!({"task_type": "OUTPAINTING", "mask_prompt": "the dog", "outpainting_mode": "PRECISE"}),
    );
    assert_eq!(
        body(NOVA, &outpaint),
        json!({"taskType": "OUTPAINTING",
            "outPaintingParams": {"image": b64(&png()), "text": "a beach", "maskPrompt": "the dog", "outPaintingMode": "PRECISE"},
            "imageGenerationConfig": {"numberOfImages": 1}})
    );
    let removal = bedrock(
        ImageOptions::new("ignored")
            .with_input_image(png())
            .with_seed(3),
        json!({"task_type": "BACKGROUND_REMOVAL"}),
    );
    let (bodies, warnings) = bodies(NOVA, &removal);
    assert_eq!(
        bodies,
        [
            json!({"taskType": "BACKGROUND_REMOVAL", "backgroundRemovalParams": {"image": b64(&png())}})
        ]
    );
    let settings: Vec<String> = warnings
        .iter()
        .map(|w| match w {
            Warning::UnsupportedSetting { setting, .. } => setting.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(settings, ["prompt", "seed"]);
}

#[test]
fn large_n_splits_with_following_seeds() {
    let (bodies, _) = bodies(
        NOVA,
        &ImageOptions::new("x").with_n(11).with_seed(858_993_459),
    );
    let counts: Vec<u64> = bodies
        .iter()
        .map(|b| {
            b["imageGenerationConfig"]["numberOfImages"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(counts, [5, 5, 1]);
    let seeds: Vec<u64> = bodies
        .iter()
        .map(|b| b["imageGenerationConfig"]["seed"].as_u64().unwrap())
        .collect();
    assert_eq!(seeds, [858_993_459, 0, 1]);
}

#[test]
fn ignored_settings_warn() {
    let options = ImageOptions::new("x")
        .with_aspect_ratio(AspectRatio::new(16, 9))
        .with_input_image(png())
        .with_mask(png())
        .with_size(ImageSize::new(1, 1));
    let (_, warnings) = bodies(NOVA, &options);
    let settings: Vec<String> = warnings
        .iter()
        .map(|w| match w {
            Warning::UnsupportedSetting { setting, .. } => setting.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(settings, ["aspect_ratio", "size"]);
}

#[test]
fn nova_size_rules() {
    for (w, h, message) in [
        (304, 512, "the width must be 320 to 4096 pixels, got 304"),
        (512, 4112, "the height must be 320 to 4096 pixels, got 4112"),
        (512, 520, "the height must be divisible by 16, got 520"),
        (
            320,
            1296,
            "the aspect ratio must be between 1:4 and 4:1, got 320x1296",
        ),
        (2048, 2048, "must be fewer than 4194304 pixels, got 4194304"),
    ] {
        let err = error(
            NOVA,
            &ImageOptions::new("x").with_size(ImageSize::new(w, h)),
        );
        assert_eq!(
            err.to_string(),
            format!("invalid argument `size`: {message}")
        );
    }
    for (w, h) in [(320, 1280), (4000, 1008), (2032, 2048), (320, 320)] {
        check_size(ImageFamily::NovaCanvas, w, h).unwrap();
    }
    assert_eq!(
        error(
            TITAN,
            &ImageOptions::new("x").with_size(ImageSize::new(320, 320))
        )
        .to_string(),
        "invalid argument `size`: 320x320 is not a size Titan Image Generator v2 takes"
    );
    check_size(ImageFamily::TitanImageV2, 1173, 640).unwrap();
}

#[test]
fn validation_errors() {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    let jpeg_url = FilePart::from_url("https://example.com/a.png", "image/png");
    let cases: Vec<(&str, ImageOptions, &str, String)> = vec![
        (
            NOVA,
            ImageOptions::new("x").with_n(0),
            "n",
            "at least one image must be asked for".into(),
        ),
        (
            NOVA,
            ImageOptions::default(),
            "prompt",
            "TEXT_IMAGE needs a prompt".into(),
        ),
        (
            NOVA,
            ImageOptions::new(long.clone()),
            "prompt",
            "must be 1 to 1024 characters, got 1025".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::new("x").with_input_image(png()),
                json!({"task_type": "TEXT_IMAGE"}),
            ),
            "input_images",
            "TEXT_IMAGE takes no input images, got 1".into(),
        ),
        (
            NOVA,
            (0..6).fold(ImageOptions::default(), |o, _| o.with_input_image(png())),
            "input_images",
            "IMAGE_VARIATION takes 1 to 5 input images, got 6".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default()
                    .with_input_image(png())
                    .with_input_image(png())
                    .with_mask(png()),
                json!({}),
            ),
            "input_images",
            "INPAINTING takes exactly one input image, got 2".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default().with_input_image(png()),
                json!({"task_type": "OUTPAINTING"}),
            ),
            "mask",
            "OUTPAINTING needs a mask image or a mask prompt".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default()
                    .with_input_image(png())
                    .with_mask(png()),
                json!({"mask_prompt": "m"}),
            ),
            "mask",
            "give a mask image or a mask prompt, not both".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default()
                    .with_input_image(png())
                    .with_mask(png()),
                json!({"task_type": "IMAGE_VARIATION"}),
            ),
            "mask",
            "IMAGE_VARIATION takes no mask".into(),
        ),
        (
            NOVA,
            bedrock(ImageOptions::new("x"), json!({"similarity_strength": 0.5})),
            "provider_options.bedrock.similarity_strength",
            "TEXT_IMAGE does not take this option".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default().with_input_image(png()),
                json!({"similarity_strength": 0.1}),
            ),
            "provider_options.bedrock.similarity_strength",
            "must be between 0.2 and 1.0, got 0.1".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::new("x"),
                json!({"outpainting_mode": "DEFAULT"}),
            ),
            "provider_options.bedrock.outpainting_mode",
            "TEXT_IMAGE does not take this option".into(),
        ),
        (
            TITAN,
            bedrock(ImageOptions::new("x"), json!({"style": "PHOTOREALISM"})),
            "provider_options.bedrock.style",
            "model `amazon.titan-image-generator-v2:0` has no named styles (Nova Canvas has)"
                .into(),
        ),
        (
            NOVA,
            bedrock(ImageOptions::new("x"), json!({"cfg_scale": 11.0})),
            "provider_options.bedrock.cfg_scale",
            "must be between 1.1 and 10, got 11".into(),
        ),
        (
            NOVA,
            bedrock(ImageOptions::new("x"), json!({"negative_text": ""})),
            "provider_options.bedrock.negative_text",
            "must be 1 to 1024 characters, got 0".into(),
        ),
        (
            NOVA,
            ImageOptions::new("x").with_seed(858_993_460),
            "seed",
            "must be at most 858993459, got 858993460".into(),
        ),
        (
            TITAN,
            ImageOptions::new("x").with_seed(2_147_483_647),
            "seed",
            "must be at most 2147483646, got 2147483647".into(),
        ),
        (
            NOVA,
            bedrock(
                ImageOptions::default().with_input_image(png()),
                json!({"task_type": "BACKGROUND_REMOVAL"}),
            )
            .with_n(2),
            "n",
            "BACKGROUND_REMOVAL gives one image, 2 were asked for".into(),
        ),
        (
            TITAN,
            bedrock(
                ImageOptions::default().with_input_image(png()),
                json!({"task_type": "OUTPAINTING", "mask_prompt": "m"}),
            ),
            "prompt",
            "OUTPAINTING needs a prompt".into(),
        ),
        (
            NOVA,
            ImageOptions::default()
                .with_input_image(FilePart::from_bytes(&b"GIF8"[..], "image/gif")),
            "input_images[0]",
            "must be image/png or image/jpeg, got image/gif".into(),
        ),
        (
            NOVA,
            ImageOptions::default()
                .with_input_image(FilePart::from_bytes(Bytes::new(), "image/png")),
            "input_images[0]",
            "the image is empty".into(),
        ),
    ];
    for (model, options, argument, message) in cases {
        let err = error(model, &options);
        assert_eq!(
            err.to_string(),
            format!("invalid argument `{argument}`: {message}")
        );
    }
    let err = error(NOVA, &ImageOptions::default().with_input_image(jpeg_url));
    assert!(err.is_unsupported(), "{err}");
    let err = error(
        NOVA,
        &bedrock(ImageOptions::new("x"), json!({"styles": "x"})),
    );
    assert_eq!(err.argument(), Some("provider_options.bedrock"));
}

fn answer(body: Value) -> InvokeResponse {
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-requestid", "r-3".parse().unwrap());
    InvokeResponse::from_parts(headers.clone(), Bytes::from(body.to_string()))
}

#[test]
fn answers_and_content_filters() {
    let jpeg = base64::engine::general_purpose::STANDARD.encode(b"\xff\xd8\xff\xdbdata");
    let (images, warnings) = parse_response(&answer(json!({"images": [jpeg, jpeg]})), 2).unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0].media_type, "image/jpeg");
    assert!(warnings.is_empty());

    let (images, warnings) = parse_response(
        &answer(json!({"images": [jpeg], "error": "blocked one"})),
        3,
    )
    .unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(
        warnings,
        [Warning::other(
            "2 of 3 images were blocked by content filters: blocked one"
        )]
    );
    let (_, warnings) = parse_response(&answer(json!({"images": [jpeg]})), 2).unwrap();
    assert_eq!(warnings, [Warning::other("1 of 2 images came back")]);

    let err =
        parse_response(&answer(json!({"images": [], "error": "all blocked"})), 1).unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some(CONTENT_FILTERED));
    assert_eq!(
        api.message,
        "the images were blocked by content filters: all blocked"
    );
    assert_eq!(err.request_id(), Some("r-3"));
    assert!(!err.is_retryable());
    let moderated = json!({"status": "Request Moderated", "details": {"Moderation Reasons": ["Derivative Works Filter"]}});
    let err = parse_response(&answer(moderated), 1).unwrap_err();
    assert_eq!(
        err.api_error().unwrap().message,
        "the images were blocked by content filters: the request was moderated (Derivative Works Filter)"
    );
}

#[test]
fn bad_answers() {
    for (body, message) in [
        (
            json!({"images": []}),
            "the image answer holds no image and no reason",
        ),
        (json!({}), "the image answer holds no image and no reason"),
        (
            json!({"images": "x"}),
            "the image answer's `images` is not an array",
        ),
        (json!({"images": [1]}), "`images[0]` is not a string"),
    ] {
        let err = parse_response(&answer(body.clone()), 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("could not decode the response: {message} (request id r-3)")
        );
        assert_eq!(err.excerpt(), Some(body.to_string().as_str()));
    }
    let err = parse_response(&answer(json!({"images": ["%%"]})), 1).unwrap_err();
    assert!(
        err.to_string().contains("`images[0]` is not base64"),
        "{err}"
    );
}
