use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};
use strata_core::RerankOptions;
use strata_core::rerank::RerankDocuments;

use super::*;

const ARN: &str = "arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0";

#[test]
fn arns_per_partition() {
    for (region, partition) in [
        ("us-east-1", "aws"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
    ] {
        assert_eq!(
            model_arn(region, "amazon.rerank-v1:0"),
            format!("arn:{partition}:bedrock:{region}::foundation-model/amazon.rerank-v1:0")
        );
    }
    assert_eq!(model_arn("us-east-1", ARN), ARN);
}

#[test]
fn text_request_shape() {
    let options = RerankOptions::new("q", RerankDocuments::texts(["a", "b"]));
    assert_eq!(
        build_request(ARN, &options).unwrap(),
        json!({
            "queries": [{"type": "TEXT", "textQuery": {"text": "q"}}],
            "sources": [
                {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "a"}}},
                {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "b"}}}
            ],
            "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL",
                "bedrockRerankingConfiguration": {"modelConfiguration": {"modelArn": ARN}}}
        })
    );
}

#[test]
fn json_documents_top_n_fields_and_token() {
    let bedrock = RerankingOptions {
        additional_model_request_fields: Some(
            json!({"max_tokens_per_doc": 512})
                .as_object()
                .unwrap()
                .clone(),
        ),
        next_token: Some("t-1".into()),
    };
    let options = RerankOptions::new(
        "q",
        RerankDocuments::Json(vec![json!({"title": "x"}), json!({"title": "y"})]),
    )
    .with_top_n(5)
    .with_provider_options(bedrock.to_provider_options());
    let body = build_request(ARN, &options).unwrap();
    assert_eq!(
        body["sources"][0],
        json!({"type": "INLINE", "inlineDocumentSource": {"type": "JSON", "jsonDocument": {"title": "x"}}})
    );
    assert_eq!(
        body["rerankingConfiguration"]["bedrockRerankingConfiguration"],
        json!({"numberOfResults": 2, "modelConfiguration": {"modelArn": ARN,
            "additionalModelRequestFields": {"max_tokens_per_doc": 512}}})
    );
    assert_eq!(body["nextToken"], "t-1");
}

#[test]
fn validation_errors() {
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    let too_many: Vec<String> = vec!["d".into(); MAX_DOCUMENTS + 1];
    let cases: Vec<(RerankOptions, &str, String)> = vec![
        (
            RerankOptions::new("", RerankDocuments::texts(["a"])),
            "query",
            "must not be empty".into(),
        ),
        (
            RerankOptions::new(long.clone(), RerankDocuments::texts(["a"])),
            "query",
            format!(
                "{} characters is more than the 32000 allowed",
                MAX_TEXT_CHARS + 1
            ),
        ),
        (
            RerankOptions::new("q", RerankDocuments::Text(vec![])),
            "documents",
            "at least one document is needed".into(),
        ),
        (
            RerankOptions::new("q", RerankDocuments::Text(too_many)),
            "documents",
            "at most 1000 documents fit one call, got 1001".into(),
        ),
        (
            RerankOptions::new("q", RerankDocuments::texts(["a", ""])),
            "documents[1]",
            "must not be empty".into(),
        ),
        (
            RerankOptions::new("q", RerankDocuments::texts([long])),
            "documents[0]",
            format!(
                "{} characters is more than the 32000 allowed",
                MAX_TEXT_CHARS + 1
            ),
        ),
        (
            RerankOptions::new("q", RerankDocuments::texts(["a"])).with_top_n(0),
            "top_n",
            "must be between 1 and 1000, got 0".into(),
        ),
        (
            RerankOptions::new("q", RerankDocuments::texts(["a"])).with_top_n(1001),
            "top_n",
            "must be between 1 and 1000, got 1001".into(),
        ),
    ];
    for (options, argument, message) in cases {
        let err = build_request(ARN, &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("invalid argument `{argument}`: {message}")
        );
    }
    let bad = RerankOptions::new("q", RerankDocuments::texts(["a"])).with_provider_options(
        strata_core::ProviderOptions::new().with("bedrock", "nextToken", "camel"),
    );
    assert_eq!(
        build_request(ARN, &bad).unwrap_err().argument(),
        Some("provider_options.bedrock")
    );
    let empty_token = RerankOptions::new("q", RerankDocuments::texts(["a"])).with_provider_options(
        strata_core::ProviderOptions::new().with("bedrock", "next_token", ""),
    );
    assert_eq!(
        build_request(ARN, &empty_token).unwrap_err().argument(),
        Some("provider_options.bedrock.next_token")
    );
}

fn parse(documents: usize, body: Value) -> Result<strata_core::RerankResult, strata_core::Error> {
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-requestid", "r-5".parse().unwrap());
    parse_response(documents, &headers, &Bytes::from(body.to_string()))
}

#[test]
fn answers_keep_order_scores_and_indices() {
    let result = parse(
        3,
        json!({"results": [
            {"index": 2, "relevanceScore": 0.75, "document": {"type": "TEXT", "textDocument": {"text": "c"}}},
            {"index": 0, "relevanceScore": 0.25}
        ]}),
    )
    .unwrap();
    let ranking: Vec<(usize, f64)> = result
        .ranking
        .iter()
        .map(|r| (r.index, r.relevance_score))
        .collect();
    assert_eq!(ranking, [(2, 0.75), (0, 0.25)]);
    assert_eq!(result.response.request_id.as_deref(), Some("r-5"));
    assert_eq!(next_token(&result), None);
    assert!(result.provider_metadata.is_empty());
}

#[test]
fn bad_answers() {
    let err = parse(2, json!({"results": [{"index": 2, "relevanceScore": 0.5}]})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response: a result names document 2 of 2 (request id r-5)"
    );
    let err = parse(2, json!({"result": []})).unwrap_err();
    assert!(err.is_invalid_response());
    assert!(
        err.to_string().contains("the Rerank answer does not parse"),
        "{err}"
    );
    assert_eq!(err.excerpt(), Some(r#"{"result":[]}"#));
}
