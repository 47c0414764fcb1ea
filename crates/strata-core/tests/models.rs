//! The model traits are object safe and `Send + Sync`; providers, registries and mocks.

use std::sync::Arc;

use futures_util::StreamExt as _;
use serde_json::json;
use strata_core::image::{GeneratedImage, ImageModel};
use strata_core::rerank::{RankedDocument, RerankDocuments};
use strata_core::testing::{MockImageModel, MockLanguageModel, MockProvider, MockRerankModel};
use strata_core::{
    BoxFuture, CallOptions, Content, EmbeddingModel, Error, FinishReason, GenerateResult,
    ImageOptions, ImageResult, LanguageModel, Message, Provider, Registry, RerankModel,
    RerankOptions, RerankResult, StreamPart, StreamResult, Usage,
};

/// A second, hand-written model type: echoes the last user message.
struct Echo;

impl LanguageModel for Echo {
    fn provider(&self) -> &str {
        "echo"
    }

    fn model_id(&self) -> &str {
        "echo-1"
    }

    fn generate(&self, options: CallOptions) -> BoxFuture<'_, Result<GenerateResult, Error>> {
        Box::pin(async move {
            let text = options.prompt.last().map(Message::text).unwrap_or_default();
            Ok(GenerateResult::new(
                vec![Content::text(text)],
                FinishReason::Stop,
            ))
        })
    }

    fn stream(&self, options: CallOptions) -> BoxFuture<'_, Result<StreamResult, Error>> {
        Box::pin(async move {
            let text = options.prompt.last().map(Message::text).unwrap_or_default();
            let parts = vec![
                StreamPart::text_start("0"),
                StreamPart::text_delta("0", text),
                StreamPart::text_end("0"),
                StreamPart::finish(FinishReason::Stop, Usage::default()),
            ];
            Ok(StreamResult::new(futures_util::stream::iter(parts)))
        })
    }
}

fn assert_send_sync<T: Send + Sync + ?Sized>() {}

#[test]
fn traits_are_object_safe_send_and_sync() {
    assert_send_sync::<dyn LanguageModel>();
    assert_send_sync::<dyn EmbeddingModel>();
    assert_send_sync::<dyn ImageModel>();
    assert_send_sync::<dyn RerankModel>();
    assert_send_sync::<dyn Provider>();
    fn assert_send<T: Send>() {}
    assert_send::<StreamResult>();
}

#[tokio::test]
async fn a_vec_of_different_models_generates_and_streams() {
    let mock = Arc::new(
        MockLanguageModel::new("mock", "m1").with_result(GenerateResult::new(
            vec![Content::text("scripted answer")],
            FinishReason::Stop,
        )),
    );
    let models: Vec<Arc<dyn LanguageModel>> = vec![mock.clone(), Arc::new(Echo)];
    let options = CallOptions::new(vec![Message::user_text("ping")]).with_seed(42);

    let mut texts = Vec::new();
    for model in &models {
        let generated = model.generate(options.clone()).await.unwrap();
        let mut stream = model.stream(options.clone()).await.unwrap().stream;
        let mut streamed = String::new();
        while let Some(part) = stream.next().await {
            if let StreamPart::TextDelta { delta, .. } = part {
                streamed.push_str(&delta);
            }
        }
        assert_eq!(streamed, generated.text(), "{model:?}");
        texts.push((model.provider().to_owned(), generated.text()));
    }
    assert_eq!(
        texts,
        [
            ("mock".to_owned(), "scripted answer".to_owned()),
            ("echo".to_owned(), "ping".to_owned())
        ]
    );
    assert_eq!(mock.calls(), vec![options.clone(), options]);
    // Tasks can own models.
    let model = models[1].clone();
    let handle = tokio::spawn(async move {
        model
            .generate(CallOptions::new(vec![Message::user_text("x")]))
            .await
    });
    assert_eq!(handle.await.unwrap().unwrap().text(), "x");
}

#[tokio::test]
async fn mocks_replay_scripts_in_order_and_repeat_the_last() {
    let model = MockLanguageModel::new("mock", "m")
        .with_generate(Err(Error::timeout("first call")))
        .with_generate(Ok(GenerateResult::new(
            vec![Content::text("ok")],
            FinishReason::Stop,
        )))
        .with_stream_error(Error::unsupported("streaming"));
    let options = CallOptions::default();
    assert!(
        model
            .generate(options.clone())
            .await
            .unwrap_err()
            .is_timeout()
    );
    assert_eq!(model.generate(options.clone()).await.unwrap().text(), "ok");
    assert_eq!(model.generate(options.clone()).await.unwrap().text(), "ok");
    assert!(
        model
            .stream(options.clone())
            .await
            .unwrap_err()
            .is_unsupported()
    );
    assert_eq!(model.calls().len(), 4);

    let empty = MockLanguageModel::new("mock", "empty");
    let err = empty.generate(options).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "mock language model `empty` (generate) has nothing scripted"
    );
}

#[tokio::test]
async fn image_and_rerank_mocks_record_options() {
    let image = MockImageModel::new("mock", "painter")
        .with_max_images_per_call(2)
        .with_result(Ok(ImageResult::new(vec![GeneratedImage::new(
            &b"png"[..],
            "image/png",
        )])));
    let options = ImageOptions::new("a cat").with_n(1).with_seed(3);
    let result = image.generate(options.clone()).await.unwrap();
    assert_eq!(result.images[0].data.as_ref(), b"png");
    assert_eq!(image.calls(), vec![options]);
    assert_eq!(image.max_images_per_call(), Some(2));

    let rerank = MockRerankModel::new("mock", "ranker").with_result(Ok(RerankResult::new(vec![
        RankedDocument::new(1, 0.9),
        RankedDocument::new(0, 0.1),
    ])));
    let options = RerankOptions::new(
        "q",
        RerankDocuments::Json(vec![json!({"a": 1}), json!({"b": 2})]),
    )
    .with_top_n(2);
    let ranking = rerank.rerank(options.clone()).await.unwrap().ranking;
    assert_eq!(ranking.iter().map(|r| r.index).collect::<Vec<_>>(), [1, 0]);
    assert_eq!(rerank.calls(), vec![options]);
}

#[test]
fn registry_resolves_prefixed_ids_and_reports_typed_errors() {
    let bedrock = MockProvider::new("bedrock")
        .with_language_model(Arc::new(MockLanguageModel::new(
            "bedrock",
            "anthropic.claude-v2:1",
        )))
        .with_rerank_model(Arc::new(MockRerankModel::new(
            "bedrock",
            "cohere.rerank-v3-5:0",
        )));
    let registry = Registry::new()
        .with_provider("bedrock", Arc::new(bedrock))
        .with_provider("echo", Arc::new(MockProvider::new("echo")));
    assert_eq!(registry.prefixes().collect::<Vec<_>>(), ["bedrock", "echo"]);

    let model = registry
        .language_model("bedrock:anthropic.claude-v2:1")
        .unwrap();
    assert_eq!(
        (model.provider(), model.model_id()),
        ("bedrock", "anthropic.claude-v2:1")
    );
    assert_eq!(
        registry
            .rerank_model("bedrock:cohere.rerank-v3-5:0")
            .unwrap()
            .model_id(),
        "cohere.rerank-v3-5:0"
    );

    let err = registry.language_model("bedrock:nope").unwrap_err();
    assert!(err.is_unknown_model());
    assert_eq!(
        (err.provider(), err.model_id()),
        (Some("bedrock"), Some("nope"))
    );

    let err = registry.embedding_model("bedrock:anything").unwrap_err();
    assert!(err.is_unsupported());
    assert_eq!(
        err.to_string(),
        "unsupported functionality: provider `bedrock` has no embedding models"
    );

    let err = registry.language_model("openai:gpt").unwrap_err();
    assert!(err.is_unknown_provider());
    assert_eq!(err.to_string(), "no provider is registered under `openai`");

    for bad in ["no-separator", ":model", "bedrock:"] {
        let err = registry.language_model(bad).unwrap_err();
        assert_eq!(err.argument(), Some("model id"), "{bad}");
    }
    let slash = Registry::new().with_separator('/').with_provider(
        "b",
        Arc::new(
            MockProvider::new("b")
                .with_language_model(Arc::new(MockLanguageModel::new("b", "m:1"))),
        ),
    );
    assert_eq!(slash.language_model("b/m:1").unwrap().model_id(), "m:1");
    assert_eq!(
        format!("{slash:?}"),
        "Registry { prefixes: [\"b\"], separator: '/' }"
    );
}

#[test]
fn providers_without_a_kind_report_unsupported_by_default() {
    struct Bare;
    impl Provider for Bare {
        fn name(&self) -> &str {
            "bare"
        }
    }
    let provider: Arc<dyn Provider> = Arc::new(Bare);
    assert!(provider.language_model("x").unwrap_err().is_unsupported());
    assert!(provider.image_model("x").unwrap_err().is_unsupported());
    assert_eq!(format!("{provider:?}"), "Provider { name: \"bare\" }");
}
