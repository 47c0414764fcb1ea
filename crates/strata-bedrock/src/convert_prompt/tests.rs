use serde_json::json;
use strata_core::prompt::{
    FilePart, ReasoningPart, TextPart, ToolCallPart, ToolResultContent, ToolResultOutput,
    ToolResultPart,
};
use strata_core::{Message, Part};

use super::*;
use crate::wire::CacheTtl;

fn body(prompt: &[Message]) -> serde_json::Value {
    let converted = convert_prompt(prompt).unwrap();
    json!({
        "system": serde_json::to_value(&converted.system).unwrap(),
        "messages": serde_json::to_value(&converted.messages).unwrap(),
    })
}

fn cache(ttl: Option<CacheTtl>) -> ProviderOptions {
    PartOptions::cache_point(ttl).to_provider_options()
}

#[test]
fn system_user_assistant_and_tools_with_merging_and_cache_points() {
    let prompt = vec![
        Message::system("A").with_provider_options(cache(None)),
        Message::new(
            Role::System,
            vec![
                TextPart::new("B")
                    .with_provider_options(cache(Some(CacheTtl::OneHour)))
                    .into(),
            ],
        ),
        Message::user(vec![
            Part::text("Hi"),
            TextPart::new("cached")
                .with_provider_options(cache(None))
                .into(),
        ]),
        Message::assistant(vec![
            ReasoningPart::new("think")
                .with_provider_options(
                    PartOptions {
                        signature: Some("sig".into()),
                        ..Default::default()
                    }
                    .to_provider_options(),
                )
                .into(),
            ReasoningPart::new("")
                .with_provider_options(
                    PartOptions {
                        redacted_data: Some("AQI=".into()),
                        ..Default::default()
                    }
                    .to_provider_options(),
                )
                .into(),
            Part::text("Calling"),
            ToolCallPart::new("c1", "weather", json!({"city": "Paris"})).into(),
        ]),
        Message::tool(vec![ToolResultPart::new(
            "c1",
            "weather",
            ToolResultOutput::json(json!({"t": 21})),
        )]),
        Message::user_text("Thanks").with_provider_options(cache(Some(CacheTtl::FiveMinutes))),
    ];
    assert_eq!(
        body(&prompt),
        json!({
            "system": [
                {"text": "A"}, {"cachePoint": {"type": "default"}},
                {"text": "B"}, {"cachePoint": {"type": "default", "ttl": "1h"}}
            ],
            "messages": [
                {"role": "user", "content": [{"text": "Hi"}, {"text": "cached"}, {"cachePoint": {"type": "default"}}]},
                {"role": "assistant", "content": [
                    {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
                    {"reasoningContent": {"redactedContent": "AQI="}},
                    {"text": "Calling"},
                    {"toolUse": {"toolUseId": "c1", "name": "weather", "input": {"city": "Paris"}}}
                ]},
                {"role": "user", "content": [
                    {"toolResult": {"toolUseId": "c1", "content": [{"json": {"t": 21}}]}},
                    {"text": "Thanks"},
                    {"cachePoint": {"type": "default", "ttl": "5m"}}
                ]}
            ]
        })
    );
}

#[test]
fn files_become_images_documents_and_videos() {
    let pdf = FilePart::from_bytes(&b"%PDF"[..], "application/pdf")
        .with_filename("Annual report.pdf")
        .with_provider_options(PartOptions::citations(true).to_provider_options());
    let prompt = vec![Message::user(vec![
        FilePart::from_bytes(&b"img"[..], "image/png").into(),
        FilePart::from_url("s3://bucket/pic.jpg", "image/jpeg").into(),
        pdf.into(),
        FilePart::from_url("data:text/csv;base64,YSxi", "text/csv").into(),
        FilePart::from_url("s3://bucket/clip.mov", "video/quicktime").into(),
        FilePart::from_bytes(&b"<p>"[..], "text/html")
            .with_filename("Annual report.html")
            .into(),
    ])];
    let converted = convert_prompt(&prompt).unwrap();
    assert_eq!(
        serde_json::to_value(&converted.messages[0].content).unwrap(),
        json!([
            {"image": {"format": "png", "source": {"bytes": "aW1n"}}},
            {"image": {"format": "jpeg", "source": {"s3Location": {"uri": "s3://bucket/pic.jpg"}}}},
            {"document": {"format": "pdf", "name": "Annual report", "source": {"bytes": "JVBERg=="}, "citations": {"enabled": true}}},
            {"document": {"format": "csv", "name": "document-2", "source": {"bytes": "YSxi"}}},
            {"video": {"format": "mov", "source": {"s3Location": {"uri": "s3://bucket/clip.mov"}}}},
            {"document": {"format": "html", "name": "Annual report (2)", "source": {"bytes": "PHA+"}}}
        ])
    );
    assert_eq!(converted.documents.len(), 3);
    assert_eq!(converted.documents[0].media_type, "application/pdf");
    assert_eq!(
        converted.documents[0].filename.as_deref(),
        Some("Annual report.pdf")
    );
}

#[test]
fn unsupported_media_and_urls_are_errors_before_sending() {
    let err = convert_prompt(&[Message::user(vec![
        FilePart::from_bytes(&b"x"[..], "image/tiff").into(),
    ])])
    .unwrap_err();
    assert!(err.is_unsupported(), "{err}");
    assert!(
        err.to_string()
            .contains("prompt[0].content[0]: media type `image/tiff`"),
        "{err}"
    );
    let err = convert_prompt(&[Message::user(vec![
        FilePart::from_url("https://example.com/a.png", "image/png").into(),
    ])])
    .unwrap_err();
    assert!(err.is_unsupported());
    assert!(err.to_string().contains("not a web URL"), "{err}");
    let err = convert_prompt(&[Message::user(vec![
        FilePart::from_url("data:image/png,abc", "image/png").into(),
    ])])
    .unwrap_err();
    assert_eq!(err.argument(), Some("prompt[0].content[0]"));
}

#[test]
fn tool_results_with_errors_and_content() {
    let prompt = vec![Message::tool(vec![
        ToolResultPart::new("a", "t", ToolResultOutput::error_text("boom")),
        ToolResultPart::new("b", "t", ToolResultOutput::ErrorJson(json!({"code": 1}))),
        ToolResultPart::new("c", "t", ToolResultOutput::text("ok")),
        ToolResultPart::new(
            "d",
            "t",
            ToolResultOutput::Content(vec![
                ToolResultContent::Text(TextPart::new("chart:")),
                ToolResultContent::File(FilePart::from_bytes(&b"g"[..], "image/gif")),
                ToolResultContent::File(
                    FilePart::from_bytes(&b"m"[..], "text/markdown").with_filename("notes.md"),
                ),
            ]),
        ),
    ])];
    assert_eq!(
        body(&prompt)["messages"],
        json!([{"role": "user", "content": [
            {"toolResult": {"toolUseId": "a", "content": [{"text": "boom"}], "status": "error"}},
            {"toolResult": {"toolUseId": "b", "content": [{"json": {"code": 1}}], "status": "error"}},
            {"toolResult": {"toolUseId": "c", "content": [{"text": "ok"}]}},
            {"toolResult": {"toolUseId": "d", "content": [
                {"text": "chart:"},
                {"image": {"format": "gif", "source": {"bytes": "Zw=="}}},
                {"document": {"format": "md", "name": "notes", "source": {"bytes": "bQ=="}}}
            ]}}
        ]}])
    );
}

#[test]
fn ordering_and_validation_errors() {
    let err = convert_prompt(&[Message::user_text("a"), Message::system("late")]).unwrap_err();
    assert!(err.is_invalid_prompt());
    assert_eq!(
        err.to_string(),
        "invalid prompt: prompt[1]: system messages must come before user, assistant and tool messages"
    );
    assert!(
        convert_prompt(&[Message::user(vec![])])
            .unwrap_err()
            .is_invalid_prompt()
    );
    let bad = Message::user_text("x").with_provider_options(ProviderOptions::new().with(
        "bedrock",
        "cache_point",
        5,
    ));
    let err = convert_prompt(&[bad]).unwrap_err();
    assert_eq!(err.argument(), Some("prompt[0].provider_options.bedrock"));
}

#[test]
fn final_assistant_prefill_is_trimmed_and_blank_text_dropped() {
    let prompt = vec![
        Message::user_text("Write JSON"),
        Message::assistant(vec![Part::text("  "), Part::text("{\n  ")]),
    ];
    assert_eq!(
        body(&prompt)["messages"][1],
        json!({"role": "assistant", "content": [{"text": "{"}]})
    );
}
