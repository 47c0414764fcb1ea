//! `embed_many` batching, ordering and concurrency.

use strata_core::embedding::{EmbedResult, EmbeddingUsage};
use strata_core::testing::MockEmbeddingModel;
use strata_core::{EmbedOptions, Error, ProviderOptions, Warning, embed_many};

fn values(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}{}", char::from(b'a' + (i % 26) as u8), "x".repeat(i)))
        .collect()
}

#[tokio::test]
async fn keeps_order_and_respects_batch_limit_and_concurrency_bound() {
    let model = MockEmbeddingModel::new("mock", "e").with_max_embeddings_per_call(3);
    let input = values(20);
    let options = EmbedOptions::default()
        .with_provider_options(ProviderOptions::new().with("mock", "dims", 2));
    let result = embed_many(&model, input.clone(), options.clone(), 2)
        .await
        .unwrap();

    let expected: Vec<Vec<f32>> = input
        .iter()
        .map(|v| MockEmbeddingModel::embedding_of(v))
        .collect();
    assert_eq!(result.embeddings, expected);
    assert_eq!(model.batch_sizes(), vec![3, 3, 3, 3, 3, 3, 2]);
    assert_eq!(model.peak_concurrency(), 2);
    let calls = model.calls();
    assert!(calls.iter().all(|(_, o)| *o == options));
    let sent: Vec<String> = calls.into_iter().flat_map(|(values, _)| values).collect();
    assert_eq!(sent, input);
    let chars: u64 = input.iter().map(|v| v.chars().count() as u64).sum();
    assert_eq!(result.usage, EmbeddingUsage::new(Some(chars)));
    assert_eq!(result.responses.len(), 7);
}

#[tokio::test]
async fn concurrency_reaches_the_bound_but_not_beyond() {
    let model = MockEmbeddingModel::new("mock", "e").with_max_embeddings_per_call(1);
    embed_many(&model, values(10), EmbedOptions::default(), 4)
        .await
        .unwrap();
    assert_eq!(model.peak_concurrency(), 4);
    assert_eq!(model.batch_sizes(), vec![1; 10]);
}

#[tokio::test]
async fn models_without_parallel_calls_run_one_batch_at_a_time() {
    let model = MockEmbeddingModel::new("mock", "e")
        .with_max_embeddings_per_call(2)
        .with_parallel_calls(false);
    let result = embed_many(&model, values(7), EmbedOptions::default(), 8)
        .await
        .unwrap();
    assert_eq!(result.embeddings.len(), 7);
    assert_eq!(model.peak_concurrency(), 1);
    assert_eq!(model.batch_sizes(), vec![2, 2, 2, 1]);
}

#[tokio::test]
async fn no_limit_means_one_call_and_no_values_means_no_call() {
    let model = MockEmbeddingModel::new("mock", "e");
    embed_many(&model, values(50), EmbedOptions::default(), 3)
        .await
        .unwrap();
    assert_eq!(model.batch_sizes(), vec![50]);

    let model = MockEmbeddingModel::new("mock", "e");
    let result = embed_many(&model, Vec::new(), EmbedOptions::default(), 3)
        .await
        .unwrap();
    assert!(result.embeddings.is_empty() && model.calls().is_empty());
}

#[tokio::test]
async fn bad_arguments_and_bad_batches_are_errors() {
    let model = MockEmbeddingModel::new("mock", "e");
    let err = embed_many(&model, values(1), EmbedOptions::default(), 0)
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("max_concurrency"));

    let model = MockEmbeddingModel::new("mock", "e").with_max_embeddings_per_call(0);
    let err = embed_many(&model, values(1), EmbedOptions::default(), 1)
        .await
        .unwrap_err();
    assert_eq!(err.argument(), Some("max_embeddings_per_call"));

    let model =
        MockEmbeddingModel::new("mock", "short").with_result(Ok(EmbedResult::new(vec![vec![1.0]])));
    let err = embed_many(&model, values(2), EmbedOptions::default(), 1)
        .await
        .unwrap_err();
    assert!(err.is_invalid_response());
    assert_eq!(
        err.to_string(),
        "could not decode the response: model `short` returned 1 embeddings for 2 values"
    );

    let model = MockEmbeddingModel::new("mock", "e")
        .with_max_embeddings_per_call(1)
        .with_result(Ok(EmbedResult::new(vec![vec![1.0]])))
        .with_result(Err(Error::timeout("slow batch")));
    let err = embed_many(&model, values(3), EmbedOptions::default(), 1)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
}

#[tokio::test]
async fn warnings_and_metadata_of_every_batch_are_kept() {
    let mut batch = EmbedResult::new(vec![vec![0.5]]);
    batch.warnings = vec![Warning::unsupported_setting("dims")];
    batch.provider_metadata = ProviderOptions::new().with("mock", "n", 1);
    let model = MockEmbeddingModel::new("mock", "e")
        .with_max_embeddings_per_call(1)
        .with_result(Ok(batch));
    let result = embed_many(&model, values(2), EmbedOptions::default(), 2)
        .await
        .unwrap();
    assert_eq!(result.embeddings, vec![vec![0.5], vec![0.5]]);
    assert_eq!(result.warnings.len(), 2);
    assert_eq!(result.usage.tokens, None);
    assert_eq!(
        result.provider_metadata,
        ProviderOptions::new().with("mock", "n", 1)
    );
}
