use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};
use strata_core::{EmbedOptions, ProviderOptions};

use super::*;
use crate::invoke::InvokeResponse;

const TITAN_V1: &str = "amazon.titan-embed-text-v1";
const TITAN_V2: &str = "amazon.titan-embed-text-v2:0";
const COHERE_V3: &str = "cohere.embed-english-v3";
const COHERE_V4: &str = "us.cohere.embed-v4:0";

fn texts(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn with(options: serde_json::Value) -> EmbedOptions {
    let mut provider = ProviderOptions::new();
    for (k, v) in options.as_object().unwrap() {
        provider.insert("bedrock", k.clone(), v.clone());
    }
    EmbedOptions::default().with_provider_options(provider)
}

fn body_of(model: &str, values: &[&str], options: Value) -> Value {
    let family = EmbeddingFamily::of(model).unwrap();
    let prepared = build_request(model, family, &texts(values), &with(options)).unwrap();
    assert_eq!(prepared.request.model_id, model);
    serde_json::from_slice(&prepared.request.body).unwrap()
}

fn answer(body: Value, headers: &[(&'static str, &str)]) -> InvokeResponse {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, v.parse().unwrap());
    }
    InvokeResponse::from_parts(map.clone(), Bytes::from(body.to_string()))
}

fn error_of(model: &str, values: &[&str], options: Value) -> strata_core::Error {
    let family = EmbeddingFamily::of(model).unwrap();
    build_request(model, family, &texts(values), &with(options)).unwrap_err()
}

#[test]
fn families_from_ids_profiles_and_arns() {
    for (id, family) in [
        (TITAN_V1, EmbeddingFamily::TitanV1),
        ("amazon.titan-embed-g1-text-02", EmbeddingFamily::TitanV1),
        (TITAN_V2, EmbeddingFamily::TitanV2),
        (
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
            EmbeddingFamily::TitanV2,
        ),
        ("cohere.embed-multilingual-v3", EmbeddingFamily::CohereV3),
        (COHERE_V3, EmbeddingFamily::CohereV3),
        (COHERE_V4, EmbeddingFamily::CohereV4),
    ] {
        assert_eq!(EmbeddingFamily::of(id), Some(family), "{id}");
    }
    assert_eq!(EmbeddingFamily::of("anthropic.claude-3"), None);
    assert_eq!(EmbeddingFamily::TitanV2.max_embeddings_per_call(), 1);
    assert_eq!(EmbeddingFamily::CohereV4.max_embeddings_per_call(), 96);
}

#[test]
fn titan_bodies() {
    assert_eq!(
        body_of(TITAN_V1, &["hi"], json!({})),
        json!({"inputText": "hi"})
    );
    assert_eq!(
        body_of(
            TITAN_V2,
            &["hi"],
            json!({"dimensions": 512, "normalize": false, "embedding_types": ["binary"]})
        ),
        json!({"inputText": "hi", "dimensions": 512, "normalize": false, "embeddingTypes": ["binary"]})
    );
}

#[test]
fn cohere_bodies() {
    assert_eq!(
        body_of(COHERE_V3, &["a", "b"], json!({})),
        json!({"texts": ["a", "b"], "input_type": "search_query"})
    );
    assert_eq!(
        body_of(
            COHERE_V4,
            &["a"],
            json!({"input_type": "clustering", "truncate": "END", "embedding_types": ["int8"], "output_dimension": 256})
        ),
        json!({"texts": ["a"], "input_type": "clustering", "truncate": "END",
               "embedding_types": ["int8"], "output_dimension": 256})
    );
    for (input_type, wire) in [
        ("search_document", "search_document"),
        ("classification", "classification"),
    ] {
        assert_eq!(
            body_of(COHERE_V3, &["a"], json!({"input_type": input_type}))["input_type"],
            wire
        );
    }
}

#[test]
fn headers_pass_through() {
    let mut options = EmbedOptions::default();
    options.headers.insert("x-trace", "7".parse().unwrap());
    let prepared =
        build_request(TITAN_V1, EmbeddingFamily::TitanV1, &texts(&["a"]), &options).unwrap();
    assert_eq!(
        prepared.request.http_headers(false).unwrap()["x-trace"],
        "7"
    );
}

#[test]
fn count_and_text_errors() {
    let err = error_of(TITAN_V2, &[], json!({}));
    assert_eq!(
        err.to_string(),
        "invalid argument `values`: at least one value is needed"
    );
    let err = error_of(TITAN_V2, &["a", "b"], json!({}));
    assert_eq!(
        err.to_string(),
        "invalid argument `values`: model `amazon.titan-embed-text-v2:0` takes at most 1 values per call, got 2; embed_many splits larger inputs"
    );
    let many: Vec<&str> = vec!["x"; 97];
    assert_eq!(
        error_of(COHERE_V4, &many, json!({})).argument(),
        Some("values")
    );
    assert_eq!(
        error_of(COHERE_V3, &["a", ""], json!({})).argument(),
        Some("values[1]")
    );
    let long = "a".repeat(COHERE_V3_MAX_CHARS + 1);
    let err = error_of(COHERE_V3, &["ok", &long], json!({}));
    assert_eq!(err.argument(), Some("values[1]"));
    let err2 = error_of(COHERE_V3, &[&long], json!({"truncate": "NONE"}));
    assert!(err2.is_invalid_argument());
    // Truncation, or v4, lets long texts through.
    assert_eq!(
        body_of(COHERE_V3, &[&long], json!({"truncate": "START"}))["texts"][0]
            .as_str()
            .unwrap()
            .len(),
        COHERE_V3_MAX_CHARS + 1
    );
    body_of(COHERE_V4, &[&long], json!({}));
}

#[test]
fn option_errors() {
    let cases = [
        (
            TITAN_V1,
            json!({"normalize": true}),
            "provider_options.bedrock.normalize",
            "model `amazon.titan-embed-text-v1` (Titan Text Embeddings v1) does not take this option",
        ),
        (
            TITAN_V2,
            json!({"input_type": "clustering"}),
            "provider_options.bedrock.input_type",
            "model `amazon.titan-embed-text-v2:0` (Titan Text Embeddings v2) does not take this option",
        ),
        (
            COHERE_V3,
            json!({"output_dimension": 512}),
            "provider_options.bedrock.output_dimension",
            "model `cohere.embed-english-v3` (Cohere Embed v3) does not take this option",
        ),
        (
            COHERE_V4,
            json!({"dimensions": 512}),
            "provider_options.bedrock.dimensions",
            "model `us.cohere.embed-v4:0` (Cohere Embed v4) does not take this option",
        ),
        (
            TITAN_V2,
            json!({"dimensions": 300}),
            "provider_options.bedrock.dimensions",
            "must be 256, 512 or 1024, got 300",
        ),
        (
            COHERE_V4,
            json!({"output_dimension": 100}),
            "provider_options.bedrock.output_dimension",
            "must be 256, 512, 1024 or 1536, got 100",
        ),
        (
            COHERE_V4,
            json!({"embedding_types": ["float", "int8"]}),
            "provider_options.bedrock.embedding_types",
            "give one type: each value gets one vector back, got 2",
        ),
        (
            TITAN_V2,
            json!({"embedding_types": ["int8"]}),
            "provider_options.bedrock.embedding_types",
            "model `amazon.titan-embed-text-v2:0` returns `float` or `binary` vectors, not `int8`",
        ),
    ];
    for (model, options, argument, message) in cases {
        let err = error_of(model, &["a"], options);
        assert_eq!(err.argument(), Some(argument), "{err}");
        assert_eq!(
            err.to_string(),
            format!("invalid argument `{argument}`: {message}")
        );
    }
    // Unknown keys and wrong shapes name the provider's options.
    for options in [json!({"dimension": 256}), json!({"input_type": "poems"})] {
        assert_eq!(
            error_of(COHERE_V4, &["a"], options).argument(),
            Some("provider_options.bedrock")
        );
    }
}

fn context(model: &str, values: usize, options: Value) -> EmbeddingContext {
    let family = EmbeddingFamily::of(model).unwrap();
    let values: Vec<String> = (0..values).map(|i| format!("t{i}")).collect();
    build_request(model, family, &values, &with(options))
        .unwrap()
        .context
}

#[test]
fn titan_answers() {
    let result = context(TITAN_V1, 1, json!({}))
        .parse_response(&answer(
            json!({"embedding": [1.0, 2.5], "inputTextTokenCount": 3}),
            &[
                ("x-amzn-requestid", "r-1"),
                ("x-amzn-bedrock-input-token-count", "99"),
            ],
        ))
        .unwrap();
    assert_eq!(result.embeddings, vec![vec![1.0, 2.5]]);
    assert_eq!(result.usage.tokens, Some(3));
    assert_eq!(result.response.request_id.as_deref(), Some("r-1"));
    assert_eq!(result.response.model_id.as_deref(), Some(TITAN_V1));
    assert_eq!(result.response.headers["x-amzn-requestid"], "r-1");

    let binary = context(TITAN_V2, 1, json!({"embedding_types": ["binary"]}))
        .parse_response(&answer(
            json!({"embedding": [0.3, -0.2], "embeddingsByType": {"binary": [1, 0]}}),
            &[("x-amzn-bedrock-input-token-count", "4")],
        ))
        .unwrap();
    assert_eq!(binary.embeddings, vec![vec![1.0, 0.0]]);
    assert_eq!(binary.usage.tokens, Some(4));
}

#[test]
fn cohere_answers() {
    let floats = context(COHERE_V3, 2, json!({}))
        .parse_response(&answer(
            json!({"id": "c-1", "embeddings": [[0.1], [0.2]], "response_type": "embeddings_floats", "texts": ["t0", "t1"]}),
            &[("x-amzn-bedrock-input-token-count", "6")],
        ))
        .unwrap();
    assert_eq!(floats.embeddings, vec![vec![0.1], vec![0.2]]);
    assert_eq!(floats.response.id.as_deref(), Some("c-1"));
    assert_eq!(floats.usage.tokens, Some(6));

    let by_type = context(COHERE_V4, 1, json!({"embedding_types": ["uint8"]}))
        .parse_response(&answer(
            json!({"id": "c-2", "embeddings": {"uint8": [[200, 3]]}, "response_type": "embeddings_by_type"}),
            &[],
        ))
        .unwrap();
    assert_eq!(by_type.embeddings, vec![vec![200.0, 3.0]]);
    assert_eq!(by_type.usage.tokens, None);
    // v4 answers by type even for floats.
    let v4 = context(COHERE_V4, 1, json!({}))
        .parse_response(&answer(json!({"embeddings": {"float": [[0.5]]}}), &[]))
        .unwrap();
    assert_eq!(v4.embeddings, vec![vec![0.5]]);
}

#[test]
fn bad_answers_are_invalid_responses() {
    let cases = [
        (
            context(TITAN_V1, 1, json!({})),
            json!({"inputTextTokenCount": 1}),
            "the Titan answer has no `float` embedding",
        ),
        (
            context(TITAN_V1, 1, json!({})),
            json!({"embedding": [1, "x"]}),
            "`embedding` is not an array of numbers",
        ),
        (
            context(COHERE_V3, 2, json!({})),
            json!({"embeddings": [[0.1]]}),
            "model `cohere.embed-english-v3` returned 1 embeddings for 2 values",
        ),
        (
            context(COHERE_V4, 1, json!({"embedding_types": ["int8"]})),
            json!({"embeddings": {"float": [[0.1]]}}),
            "the Cohere answer has no `int8` embeddings",
        ),
        (
            context(COHERE_V3, 1, json!({})),
            json!({"embeddings": [{"a": 1}]}),
            "`embeddings[0]` is not an array of numbers",
        ),
    ];
    for (context, body, message) in cases {
        let err = context
            .parse_response(&answer(body.clone(), &[("x-amzn-requestid", "r-2")]))
            .unwrap_err();
        assert!(err.is_invalid_response(), "{err}");
        assert_eq!(
            err.to_string(),
            format!("could not decode the response: {message} (request id r-2)")
        );
        assert_eq!(err.excerpt(), Some(body.to_string().as_str()));
    }
    let err = context(TITAN_V1, 1, json!({}))
        .parse_response(&InvokeResponse::from_parts(
            HeaderMap::new(),
            Bytes::from("<html>"),
        ))
        .unwrap_err();
    assert!(err.is_invalid_response());
}
