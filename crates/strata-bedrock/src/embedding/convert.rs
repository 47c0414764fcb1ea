//! Validation, request building and response reading shared by the embedding families.

use serde_json::Value;
use strata_core::embedding::EmbeddingUsage;
use strata_core::{EmbedOptions, EmbedResult, Error};

use super::{EmbeddingFamily, EmbeddingOptions, EmbeddingType, cohere, titan};
use crate::invoke::{InvokeRequest, InvokeResponse};

/// The longest text Cohere Embed v3 takes without `truncate`, in characters.
pub const COHERE_V3_MAX_CHARS: usize = 2048;

/// What a call was planned with: the checked options and the vector type to read back.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Plan {
    pub(super) options: EmbeddingOptions,
    pub(super) kind: EmbeddingType,
}

/// One embedding call, ready to send: the InvokeModel request and what reading its answer needs.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PreparedEmbedding {
    /// The request.
    pub request: InvokeRequest,
    /// How to read the answer.
    pub context: EmbeddingContext,
}

/// What reading an embedding answer needs to know about its request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EmbeddingContext {
    /// The model id.
    pub model_id: String,
    /// The model family.
    pub family: EmbeddingFamily,
    /// How many values were sent.
    pub values: usize,
    /// The vector type read back.
    pub embedding_type: EmbeddingType,
}

fn option_error(name: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(format!("provider_options.bedrock.{name}"), message)
}

/// Checks the options against what `family` takes.
pub(super) fn plan(
    model_id: &str,
    family: EmbeddingFamily,
    options: &EmbedOptions,
) -> Result<Plan, Error> {
    let bedrock = EmbeddingOptions::from_provider_options(&options.provider_options)?;
    let taken = family.options();
    if let Some(name) = bedrock.set_names().into_iter().find(|n| !taken.contains(n)) {
        return Err(option_error(
            name,
            format!(
                "model `{model_id}` ({}) does not take this option",
                family.name()
            ),
        ));
    }
    if let Some(d) = bedrock.dimensions
        && ![256, 512, 1024].contains(&d)
    {
        return Err(option_error(
            "dimensions",
            format!("must be 256, 512 or 1024, got {d}"),
        ));
    }
    if let Some(d) = bedrock.output_dimension
        && ![256, 512, 1024, 1536].contains(&d)
    {
        return Err(option_error(
            "output_dimension",
            format!("must be 256, 512, 1024 or 1536, got {d}"),
        ));
    }
    let kind = match bedrock.embedding_types.as_slice() {
        [] => EmbeddingType::Float,
        [kind] => *kind,
        more => {
            return Err(option_error(
                "embedding_types",
                format!(
                    "give one type: each value gets one vector back, got {}",
                    more.len()
                ),
            ));
        }
    };
    if family.is_titan() && !matches!(kind, EmbeddingType::Float | EmbeddingType::Binary) {
        return Err(option_error(
            "embedding_types",
            format!(
                "model `{model_id}` returns `float` or `binary` vectors, not `{}`",
                kind.as_str()
            ),
        ));
    }
    Ok(Plan {
        options: bedrock,
        kind,
    })
}

/// Builds the InvokeModel request embedding `values` with `family`'s native body.
///
/// # Errors
/// Invalid-argument errors, before anything is sent, for no values, more values than the model
/// takes in one call, an empty text, a Cohere v3 text over 2,048 characters without
/// `truncate`, and options the model does not take or values it does not accept.
pub fn build_request(
    model_id: &str,
    family: EmbeddingFamily,
    values: &[String],
    options: &EmbedOptions,
) -> Result<PreparedEmbedding, Error> {
    if values.is_empty() {
        return Err(Error::invalid_argument(
            "values",
            "at least one value is needed",
        ));
    }
    let max = family.max_embeddings_per_call();
    if values.len() > max {
        return Err(Error::invalid_argument(
            "values",
            format!(
                "model `{model_id}` takes at most {max} values per call, got {}; embed_many splits larger inputs",
                values.len()
            ),
        ));
    }
    if let Some(i) = values.iter().position(String::is_empty) {
        return Err(Error::invalid_argument(
            format!("values[{i}]"),
            "an empty text cannot be embedded",
        ));
    }
    let plan = plan(model_id, family, options)?;
    let truncates = plan
        .options
        .truncate
        .is_some_and(|t| t != super::CohereTruncate::None);
    if family == EmbeddingFamily::CohereV3
        && !truncates
        && let Some((i, text)) = values
            .iter()
            .enumerate()
            .find(|(_, t)| t.chars().count() > COHERE_V3_MAX_CHARS)
    {
        return Err(Error::invalid_argument(
            format!("values[{i}]"),
            format!(
                "{} characters is more than the {COHERE_V3_MAX_CHARS} Cohere Embed v3 takes; set `truncate` to START or END to cut it",
                text.chars().count()
            ),
        ));
    }
    let body = if family.is_titan() {
        titan::body(&plan, &values[0])
    } else {
        cohere::body(&plan, values)
    };
    let request = InvokeRequest::json(model_id, &body).with_headers(options.headers.clone());
    Ok(PreparedEmbedding {
        request,
        context: EmbeddingContext {
            model_id: model_id.to_owned(),
            family,
            values: values.len(),
            embedding_type: plan.kind,
        },
    })
}

impl EmbeddingContext {
    /// Reads an InvokeModel answer into an [`EmbedResult`]: one vector per value, usage from
    /// Titan's `inputTextTokenCount` or the `X-Amzn-Bedrock-Input-Token-Count` header, the
    /// Cohere response id, and the response metadata.
    ///
    /// # Errors
    /// An invalid-response error (with a body excerpt) when the body is not the model's JSON
    /// answer, a vector holds something other than numbers, or the number of vectors differs
    /// from the number of values.
    pub fn parse_response(&self, response: &InvokeResponse) -> Result<EmbedResult, Error> {
        let with_context = |e: Error| {
            let e = e.with_excerpt(&response.body);
            match &response.request_id {
                Some(id) => e.with_request_id(id.clone()),
                None => e,
            }
        };
        let body = response.json()?;
        let (embeddings, tokens, id) = if self.family.is_titan() {
            let (vector, tokens) =
                titan::parse(self.embedding_type, &body).map_err(with_context)?;
            (vec![vector], tokens, None)
        } else {
            let (vectors, id) = cohere::parse(self.embedding_type, &body).map_err(with_context)?;
            (vectors, None, id)
        };
        if embeddings.len() != self.values {
            return Err(with_context(Error::invalid_response(format!(
                "model `{}` returned {} embeddings for {} values",
                self.model_id,
                embeddings.len(),
                self.values
            ))));
        }
        let mut result = EmbedResult::new(embeddings);
        result.usage = EmbeddingUsage::new(tokens.or(response.input_tokens));
        result.response = response.metadata(&self.model_id);
        result.response.id = id;
        Ok(result)
    }
}

/// A JSON array of numbers as a vector.
pub(super) fn vector(value: &Value, what: &str) -> Result<Vec<f32>, Error> {
    let bad = || Error::invalid_response(format!("`{what}` is not an array of numbers"));
    let items = value.as_array().ok_or_else(bad)?;
    items
        .iter()
        .map(|x| x.as_f64().map(|x| x as f32).ok_or_else(bad))
        .collect()
}
