//! Reranking through the Bedrock Agent Runtime `Rerank` operation (`POST /rerank`), for
//! Amazon Rerank v1 (`amazon.rerank-v1:0`) and Cohere Rerank v3.5 (`cohere.rerank-v3-5:0`).
//!
//! - The model is named by ARN: [`model_arn`] builds
//!   `arn:<partition>:bedrock:<region>::foundation-model/<model id>`; a full ARN is used as is.
//! - Text documents become `TEXT` sources, JSON documents `JSON` sources.
//! - `top_n` becomes `numberOfResults`; [`RerankingOptions`] (in `provider_options["bedrock"]`)
//!   add `additionalModelRequestFields` and the `nextToken` of a following page. The answer's
//!   `nextToken` is returned in the provider metadata (read it with [`next_token`]).
//! - Results keep the service's order (most relevant first), with the scores and the indices
//!   of the documents as given.
//!
//! ```
//! use bytes::Bytes;
//! use serde_json::json;
//! use strata_bedrock::rerank::{build_request, model_arn, next_token, parse_response};
//! use strata_core::RerankOptions;
//! use strata_core::rerank::RerankDocuments;
//!
//! let arn = model_arn("us-west-2", "amazon.rerank-v1:0");
//! assert_eq!(arn, "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0");
//! let options = RerankOptions::new("red apple", RerankDocuments::texts(["a pear", "an apple"])).with_top_n(1);
//! let body = build_request(&arn, &options)?;
//! assert_eq!(body["rerankingConfiguration"]["bedrockRerankingConfiguration"]["numberOfResults"], 1);
//! assert_eq!(body["sources"][1]["inlineDocumentSource"]["textDocument"]["text"], "an apple");
//!
//! let answer = json!({"results": [{"index": 1, "relevanceScore": 0.9}], "nextToken": "page-2"});
//! let result = parse_response(2, &http::HeaderMap::new(), &Bytes::from(answer.to_string()))?;
//! assert_eq!((result.ranking[0].index, result.ranking[0].relevance_score), (1, 0.9));
//! assert_eq!(next_token(&result), Some("page-2"));
//! # Ok::<(), strata_core::Error>(())
//! ```

mod model;

use bytes::Bytes;
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use strata_core::rerank::{RankedDocument, RerankDocuments};
use strata_core::{Error, ProviderOptions, RerankOptions, RerankResult, ResponseMetadata};

use crate::options::PROVIDER;

pub use model::BedrockRerankModel;

/// The most documents (sources) one call takes.
pub const MAX_DOCUMENTS: usize = 1000;
/// The most characters of a query or a text document.
pub const MAX_TEXT_CHARS: usize = 32_000;

/// Bedrock rerank options, in `provider_options["bedrock"]`.
///
/// ```
/// use serde_json::json;
/// use strata_bedrock::rerank::RerankingOptions;
///
/// let mut options = RerankingOptions::default();
/// options.next_token = Some("page-2".into());
/// let provider_options = options.to_provider_options();
/// assert_eq!(provider_options.value("bedrock", "next_token"), Some(&json!("page-2")));
/// assert_eq!(RerankingOptions::from_provider_options(&provider_options)?, options);
/// # Ok::<(), strata_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RerankingOptions {
    /// Model-specific fields (`modelConfiguration.additionalModelRequestFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_model_request_fields: Option<Map<String, Value>>,
    /// The `nextToken` of the page before, to fetch the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl RerankingOptions {
    /// Reads `provider_options["bedrock"]`; missing means all defaults.
    ///
    /// # Errors
    /// An invalid-argument error naming `provider_options.bedrock` for unknown keys or values
    /// of the wrong shape.
    pub fn from_provider_options(options: &ProviderOptions) -> Result<Self, Error> {
        crate::options::parse_provider_options(options)
    }

    /// These options as `{"bedrock": {...}}`.
    pub fn to_provider_options(&self) -> ProviderOptions {
        crate::options::to_provider_options(self)
    }
}

/// The AWS partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`,
/// `aws-iso` / `aws-iso-b` for `us-iso-*` / `us-isob-*`, `aws` otherwise.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// The foundation-model ARN of `model_id` in `region`; an id that already is an ARN
/// (`arn:…`) is returned unchanged.
///
/// ```
/// use strata_bedrock::rerank::model_arn;
///
/// assert_eq!(model_arn("cn-north-1", "amazon.rerank-v1:0"), "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.rerank-v1:0");
/// let arn = "arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0";
/// assert_eq!(model_arn("us-east-1", arn), arn);
/// ```
pub fn model_arn(region: &str, model_id: &str) -> String {
    if model_id.starts_with("arn:") {
        return model_id.to_owned();
    }
    format!(
        "arn:{}:bedrock:{region}::foundation-model/{model_id}",
        partition(region)
    )
}

fn check_text(argument: String, text: &str) -> Result<(), Error> {
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Error::invalid_argument(argument, "must not be empty"));
    }
    if chars > MAX_TEXT_CHARS {
        return Err(Error::invalid_argument(
            argument,
            format!("{chars} characters is more than the {MAX_TEXT_CHARS} allowed"),
        ));
    }
    Ok(())
}

/// Builds the `Rerank` request body.
///
/// # Errors
/// Invalid-argument errors, before anything is sent, for an empty or too long query, no
/// documents or more than [`MAX_DOCUMENTS`], an empty or too long text document, a `top_n` of 0
/// or above [`MAX_DOCUMENTS`], and malformed `provider_options.bedrock`.
pub fn build_request(model_arn: &str, options: &RerankOptions) -> Result<Value, Error> {
    let bedrock = RerankingOptions::from_provider_options(&options.provider_options)?;
    check_text("query".to_owned(), &options.query)?;
    let count = options.documents.len();
    if count == 0 {
        return Err(Error::invalid_argument(
            "documents",
            "at least one document is needed",
        ));
    }
    if count > MAX_DOCUMENTS {
        return Err(Error::invalid_argument(
            "documents",
            format!("at most {MAX_DOCUMENTS} documents fit one call, got {count}"),
        ));
    }
    let sources: Vec<Value> = match &options.documents {
        RerankDocuments::Text(texts) => texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                check_text(format!("documents[{i}]"), text)?;
                Ok(json!({"type": "INLINE", "inlineDocumentSource":
                    {"type": "TEXT", "textDocument": {"text": text}}}))
            })
            .collect::<Result<_, Error>>()?,
        RerankDocuments::Json(values) => values
            .iter()
            .map(|value| {
                json!({"type": "INLINE", "inlineDocumentSource":
                    {"type": "JSON", "jsonDocument": value}})
            })
            .collect(),
        _ => {
            return Err(Error::unsupported(
                "this kind of rerank document on Amazon Bedrock",
            ));
        }
    };
    let mut model = Map::new();
    model.insert("modelArn".into(), json!(model_arn));
    if let Some(fields) = bedrock.additional_model_request_fields {
        model.insert("additionalModelRequestFields".into(), Value::Object(fields));
    }
    let mut config = Map::new();
    config.insert("modelConfiguration".into(), Value::Object(model));
    if let Some(n) = options.top_n {
        if n == 0 || n > MAX_DOCUMENTS {
            return Err(Error::invalid_argument(
                "top_n",
                format!("must be between 1 and {MAX_DOCUMENTS}, got {n}"),
            ));
        }
        // More results than documents cannot come back; ask for what exists.
        config.insert("numberOfResults".into(), json!(n.min(count)));
    }
    let mut body = json!({
        "queries": [{"type": "TEXT", "textQuery": {"text": options.query}}],
        "sources": sources,
        "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": config},
    });
    if let Some(token) = bedrock.next_token {
        if token.is_empty() {
            return Err(Error::invalid_argument(
                "provider_options.bedrock.next_token",
                "must not be empty",
            ));
        }
        body["nextToken"] = json!(token);
    }
    Ok(body)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResponse {
    results: Vec<WireResult>,
    #[serde(default)]
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResult {
    index: usize,
    relevance_score: f64,
}

/// Reads a `Rerank` answer for a request with `documents` documents: the ranking in the
/// service's order, the response metadata, and `next_token` in the provider metadata.
///
/// # Errors
/// An invalid-response error (with a body excerpt) when the body is not a Rerank answer or a
/// result's index names no document.
pub fn parse_response(
    documents: usize,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<RerankResult, Error> {
    let metadata = response_metadata(headers);
    let bad = |message: String| {
        let error = Error::invalid_response(message).with_excerpt(body);
        match &metadata.request_id {
            Some(id) => error.with_request_id(id.clone()),
            None => error,
        }
    };
    let wire: WireResponse = serde_json::from_slice(body)
        .map_err(|e| bad(format!("the Rerank answer does not parse: {e}")))?;
    let mut ranking = Vec::with_capacity(wire.results.len());
    for result in wire.results {
        if result.index >= documents {
            return Err(bad(format!(
                "a result names document {} of {documents}",
                result.index
            )));
        }
        ranking.push(RankedDocument::new(result.index, result.relevance_score));
    }
    let mut out = RerankResult::new(ranking);
    out.response = metadata;
    if let Some(token) = wire.next_token {
        out.provider_metadata.insert(PROVIDER, "next_token", token);
    }
    Ok(out)
}

/// The `nextToken` of a rerank result, when there are more results to fetch: pass it back in
/// [`RerankingOptions::next_token`].
pub fn next_token(result: &RerankResult) -> Option<&str> {
    result
        .provider_metadata
        .value(PROVIDER, "next_token")
        .and_then(Value::as_str)
}

fn response_metadata(headers: &HeaderMap) -> ResponseMetadata {
    let mut metadata = ResponseMetadata::default().with_headers(headers.clone());
    metadata.request_id = headers
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    metadata
}

#[cfg(test)]
mod tests;
