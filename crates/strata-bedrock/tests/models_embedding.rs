//! Embedding models against the emulator through the real stack (SigV4, retries, endpoints).

mod it_support;

use std::sync::Arc;

use strata_bedrock::Bedrock;
use strata_bedrock::embedding::{CohereInputType, EmbeddingOptions, EmbeddingType};
use strata_core::{EmbedOptions, EmbeddingModel, Provider, embed_many};
use strata_emulator::EmulatorHandle;

async fn start() -> (EmulatorHandle, Bedrock) {
    let emulator = it_support::emulator().await;
    let bedrock = it_support::sigv4(&emulator);
    (emulator, bedrock)
}

fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("text number {i} about topic {}", i % 7))
        .collect()
}

fn options(bedrock: EmbeddingOptions) -> EmbedOptions {
    EmbedOptions::default().with_provider_options(bedrock.to_provider_options())
}

#[tokio::test]
async fn titan_fans_out_and_keeps_input_order() {
    let (emulator, bedrock) = start().await;
    let model = bedrock
        .embedding_model("amazon.titan-embed-text-v2:0")
        .unwrap();
    assert_eq!(model.max_embeddings_per_call(), Some(1));
    assert!(model.supports_parallel_calls());
    let mut bedrock_options = EmbeddingOptions::default();
    bedrock_options.dimensions = Some(256);
    let values = texts(9);
    let many = embed_many(&model, values.clone(), options(bedrock_options.clone()), 4)
        .await
        .unwrap();
    assert_eq!(many.embeddings.len(), 9);
    assert_eq!(many.responses.len(), 9);
    assert_eq!(emulator.journal().entries().len(), 9);
    // Each position holds that value's own vector, whatever order the calls finished in.
    for (i, value) in values.iter().enumerate() {
        let single = model
            .embed(vec![value.clone()], options(bedrock_options.clone()))
            .await
            .unwrap();
        assert_eq!(single.embeddings[0].len(), 256);
        assert_eq!(many.embeddings[i], single.embeddings[0], "value {i}");
    }
    // Tokens: "text number N about topic M" is 6 tokens, summed over the calls.
    assert_eq!(many.usage.tokens, Some(54));
    assert!(many.responses.iter().all(|r| r.request_id.is_some()));
}

#[tokio::test]
async fn titan_v1_has_1536_dimensions_and_refuses_options_before_sending() {
    let (emulator, bedrock) = start().await;
    let model = bedrock
        .embedding_model("amazon.titan-embed-text-v1")
        .unwrap();
    let result = model
        .embed(vec!["hello world".into()], EmbedOptions::default())
        .await
        .unwrap();
    assert_eq!(result.embeddings[0].len(), 1536);
    assert_eq!(result.usage.tokens, Some(2));
    let mut bad = EmbeddingOptions::default();
    bad.normalize = Some(false);
    let err = model
        .embed(vec!["x".into()], options(bad))
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("provider_options.bedrock.normalize"));
    let err = model
        .embed(vec!["a".into(), "b".into()], EmbedOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("values"));
    assert_eq!(emulator.journal().entries().len(), 1);
}

#[tokio::test]
async fn cohere_batches_by_96() {
    let (emulator, bedrock) = start().await;
    let model = bedrock.embedding_model("cohere.embed-english-v3").unwrap();
    assert_eq!(model.max_embeddings_per_call(), Some(96));
    let mut cohere = EmbeddingOptions::default();
    cohere.input_type = Some(CohereInputType::SearchDocument);
    let values = texts(200);
    let many = embed_many(&model, values.clone(), options(cohere.clone()), 2)
        .await
        .unwrap();
    assert_eq!(many.embeddings.len(), 200);
    let batch_sizes: Vec<usize> = emulator
        .journal()
        .entries()
        .iter()
        .map(|entry| {
            let body: serde_json::Value = serde_json::from_slice(&entry.body).unwrap();
            assert_eq!(body["input_type"], "search_document");
            body["texts"].as_array().unwrap().len()
        })
        .collect();
    let mut sorted = batch_sizes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [8, 96, 96]);
    // Batching does not change a text's vector.
    let single = model
        .embed(vec![values[150].clone()], options(cohere))
        .await
        .unwrap();
    assert_eq!(many.embeddings[150], single.embeddings[0]);
    assert_eq!(many.embeddings[0].len(), 1024);
    assert_eq!(many.responses.len(), 3);
    assert!(many.responses.iter().all(|r| r.id.is_some()));
}

#[tokio::test]
async fn cohere_v4_output_dimension_and_types() {
    let (_emulator, bedrock) = start().await;
    let model: Arc<dyn EmbeddingModel> = bedrock.embedding_model("cohere.embed-v4:0").unwrap();
    let mut v4 = EmbeddingOptions::default();
    v4.output_dimension = Some(512);
    v4.embedding_types = vec![EmbeddingType::Int8];
    let result = model
        .embed(vec!["alpha beta".into(), "gamma".into()], options(v4))
        .await
        .unwrap();
    assert_eq!(result.embeddings.len(), 2);
    assert_eq!(result.embeddings[0].len(), 512);
    assert!(
        result.embeddings[0]
            .iter()
            .all(|x| x.fract() == 0.0 && (-127.0..=127.0).contains(x))
    );
    assert!(result.embeddings[0].contains(&127.0) || result.embeddings[0].contains(&-127.0));
}

#[tokio::test]
async fn unknown_models_and_api_errors() {
    let (_emulator, bedrock) = start().await;
    let err = bedrock
        .embedding_model("amazon.nova-lite-v1:0")
        .unwrap_err();
    assert!(err.is_unknown_model(), "{err}");
    // The emulator refuses Cohere v3 texts over 2,048 characters only without truncation;
    // strata refuses them first, so no request is made. An API error comes from a bad id.
    let model = strata_bedrock::embedding::BedrockEmbeddingModel::with_family(
        bedrock.client().clone(),
        "amazon.titan-embed-text-v9:0",
        strata_bedrock::embedding::EmbeddingFamily::TitanV2,
    );
    let err = model
        .embed(vec!["x".into()], EmbedOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_api(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(err.request_id().is_some());
}
