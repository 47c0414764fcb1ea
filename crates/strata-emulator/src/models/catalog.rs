//! The emulator's model catalog and model-id resolution.
//!
//! [`resolve`] accepts what Bedrock accepts in the `{modelId}` path label (after URL decoding):
//! - a foundation-model id, e.g. `amazon.nova-lite-v1:0`;
//! - an OpenAI-style id as Bedrock mantle serves them, e.g. `openai.gpt-oss-120b-1:0` and
//!   `openai.gpt-oss-20b-1:0` (on demand only);
//! - an inference-profile id: a geography prefix (`us.`, `eu.`, `apac.`, `global.`, `us-gov.`,
//!   `jp.`, `au.`, `ca.`) before the foundation id, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`;
//! - a foundation-model ARN (`arn:aws:bedrock:us-east-1::foundation-model/<id>`) or an
//!   inference-profile ARN (`arn:aws:bedrock:us-east-1:123456789012:inference-profile/<profile id>`).
//!
//! Errors are Bedrock's 400 `ValidationException`s: `The provided model identifier is invalid.`
//! for anything unknown (including a profile id for a model that has no profiles), and
//! `Invocation of model ID <id> with on-demand throughput isn’t supported. Retry your request
//! with the ID or ARN of an inference profile that contains this model.` for the base id of a
//! model that Bedrock serves only through inference profiles (Claude 3.7 Sonnet and the Claude 4
//! family, Nova Premier, Nova 2 Lite, Llama 3.2/3.3/4).
//!
//! ```
//! use strata_emulator::models::catalog::{self, Family, Kind};
//!
//! let model = catalog::resolve("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0").unwrap();
//! assert_eq!(model.id, "amazon.titan-embed-text-v2:0");
//! assert_eq!(model.kind, Kind::Embedding);
//! assert_eq!(model.family, Family::TitanEmbed);
//!
//! let err = catalog::resolve("anthropic.claude-sonnet-4-20250514-v1:0").unwrap_err();
//! assert!(err.message().contains("with on-demand throughput isn’t supported"));
//! assert!(catalog::resolve("global.anthropic.claude-sonnet-4-20250514-v1:0").is_ok());
//! ```

use super::ModelError;

/// What a model does, which decides the operations it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// Text generation: Converse, ConverseStream, native chat bodies, CountTokens.
    Chat,
    /// Text embeddings through InvokeModel.
    Embedding,
    /// Image generation through InvokeModel.
    Image,
    /// Reranking through Rerank (agent runtime) or InvokeModel.
    Rerank,
}

/// The provider family, which decides the native InvokeModel body format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// Anthropic Claude: Messages API bodies (`anthropic_version`).
    Anthropic,
    /// Amazon Nova understanding models: `messages` + `inferenceConfig` bodies.
    Nova,
    /// Meta Llama: `prompt` + `max_gen_len` bodies.
    Llama,
    /// Mistral: `prompt` + `max_tokens` bodies.
    Mistral,
    /// Amazon Titan text embeddings (v1, v2).
    TitanEmbed,
    /// Cohere Embed (v3, v4).
    CohereEmbed,
    /// Amazon Nova Canvas.
    NovaCanvas,
    /// Amazon Titan Image Generator (v1, v2).
    TitanImage,
    /// Amazon Rerank.
    AmazonRerank,
    /// Cohere Rerank.
    CohereRerank,
    /// OpenAI open-weight models (gpt-oss), served by Bedrock mantle's OpenAI-compatible API
    /// and by Converse.
    OpenAi,
}

/// Optional features of a model. Requests using a feature the model lacks get a validation
/// error (tools, reasoning) or are answered without it (citations, see [`crate::models::chat`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Capabilities {
    /// Tool use (`toolConfig`).
    pub tools: bool,
    /// Extended thinking / reasoning content.
    pub reasoning: bool,
    /// Document citations.
    pub citations: bool,
    /// Image input in messages.
    pub vision: bool,
    /// Prompt caching (`cachePoint` blocks).
    pub prompt_cache: bool,
}

/// A resolved model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelInfo {
    /// The foundation-model id, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`.
    pub id: &'static str,
    /// The identifier as the caller gave it (profile id, ARN or foundation id).
    pub requested: String,
    /// The provider family.
    pub family: Family,
    /// What the model does.
    pub kind: Kind,
    /// Optional features.
    pub capabilities: Capabilities,
    /// The largest `maxTokens` the model accepts.
    pub max_output_tokens: u64,
}

/// How Bedrock serves a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Serving {
    /// Base id only.
    OnDemand,
    /// Base id and inference profiles.
    Both,
    /// Inference profiles only.
    ProfileOnly,
}

struct Entry {
    id: &'static str,
    family: Family,
    kind: Kind,
    serving: Serving,
    caps: Capabilities,
    max_output: u64,
}

const fn caps(
    tools: bool,
    reasoning: bool,
    citations: bool,
    vision: bool,
    cache: bool,
) -> Capabilities {
    Capabilities {
        tools,
        reasoning,
        citations,
        vision,
        prompt_cache: cache,
    }
}

const NONE: Capabilities = caps(false, false, false, false, false);
const CLAUDE: Capabilities = caps(true, false, true, true, true);
const CLAUDE_THINKING: Capabilities = caps(true, true, true, true, true);
const NOVA: Capabilities = caps(true, false, false, true, true);
const NOVA_TEXT: Capabilities = caps(true, false, false, false, true);
const NOVA_REASONING: Capabilities = caps(true, true, false, true, true);
const LLAMA: Capabilities = caps(false, false, false, false, false);
const LLAMA_TOOLS: Capabilities = caps(true, false, false, false, false);
const GPT_OSS: Capabilities = caps(true, true, false, false, true);

macro_rules! entry {
    ($id:literal, $family:ident, $kind:ident, $serving:ident, $caps:expr, $max:literal) => {
        Entry {
            id: $id,
            family: Family::$family,
            kind: Kind::$kind,
            serving: Serving::$serving,
            caps: $caps,
            max_output: $max,
        }
    };
}

#[rustfmt::skip]
const CATALOG: &[Entry] = &[
    entry!("anthropic.claude-3-haiku-20240307-v1:0", Anthropic, Chat, Both, CLAUDE, 4096),
    entry!("anthropic.claude-3-5-haiku-20241022-v1:0", Anthropic, Chat, Both, CLAUDE, 8192),
    entry!("anthropic.claude-3-5-sonnet-20240620-v1:0", Anthropic, Chat, Both, CLAUDE, 8192),
    entry!("anthropic.claude-3-5-sonnet-20241022-v2:0", Anthropic, Chat, Both, CLAUDE, 8192),
    entry!("anthropic.claude-3-7-sonnet-20250219-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 64000),
    entry!("anthropic.claude-sonnet-4-20250514-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 64000),
    entry!("anthropic.claude-sonnet-4-5-20250929-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 64000),
    entry!("anthropic.claude-haiku-4-5-20251001-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 64000),
    entry!("anthropic.claude-opus-4-20250514-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 32000),
    entry!("anthropic.claude-opus-4-1-20250805-v1:0", Anthropic, Chat, ProfileOnly, CLAUDE_THINKING, 32000),
    entry!("amazon.nova-micro-v1:0", Nova, Chat, Both, NOVA_TEXT, 10000),
    entry!("amazon.nova-lite-v1:0", Nova, Chat, Both, NOVA, 10000),
    entry!("amazon.nova-pro-v1:0", Nova, Chat, Both, NOVA, 10000),
    entry!("amazon.nova-premier-v1:0", Nova, Chat, ProfileOnly, NOVA, 32000),
    entry!("amazon.nova-2-lite-v1:0", Nova, Chat, ProfileOnly, NOVA_REASONING, 65536),
    entry!("meta.llama3-8b-instruct-v1:0", Llama, Chat, OnDemand, LLAMA, 2048),
    entry!("meta.llama3-70b-instruct-v1:0", Llama, Chat, OnDemand, LLAMA, 2048),
    entry!("meta.llama3-1-8b-instruct-v1:0", Llama, Chat, Both, LLAMA_TOOLS, 2048),
    entry!("meta.llama3-1-70b-instruct-v1:0", Llama, Chat, Both, LLAMA_TOOLS, 2048),
    entry!("meta.llama3-2-3b-instruct-v1:0", Llama, Chat, ProfileOnly, LLAMA, 2048),
    entry!("meta.llama3-3-70b-instruct-v1:0", Llama, Chat, ProfileOnly, LLAMA_TOOLS, 2048),
    entry!("meta.llama4-maverick-17b-instruct-v1:0", Llama, Chat, ProfileOnly, LLAMA_TOOLS, 8192),
    entry!("mistral.mistral-7b-instruct-v0:2", Mistral, Chat, OnDemand, NONE, 8192),
    entry!("mistral.mistral-large-2402-v1:0", Mistral, Chat, OnDemand, LLAMA_TOOLS, 8192),
    entry!("openai.gpt-oss-120b-1:0", OpenAi, Chat, OnDemand, GPT_OSS, 32768),
    entry!("openai.gpt-oss-20b-1:0", OpenAi, Chat, OnDemand, GPT_OSS, 32768),
    entry!("amazon.titan-embed-text-v1", TitanEmbed, Embedding, OnDemand, NONE, 0),
    entry!("amazon.titan-embed-g1-text-02", TitanEmbed, Embedding, OnDemand, NONE, 0),
    entry!("amazon.titan-embed-text-v2:0", TitanEmbed, Embedding, OnDemand, NONE, 0),
    entry!("cohere.embed-english-v3", CohereEmbed, Embedding, OnDemand, NONE, 0),
    entry!("cohere.embed-multilingual-v3", CohereEmbed, Embedding, OnDemand, NONE, 0),
    entry!("cohere.embed-v4:0", CohereEmbed, Embedding, Both, NONE, 0),
    entry!("amazon.nova-canvas-v1:0", NovaCanvas, Image, OnDemand, NONE, 0),
    entry!("amazon.titan-image-generator-v1", TitanImage, Image, OnDemand, NONE, 0),
    entry!("amazon.titan-image-generator-v2:0", TitanImage, Image, OnDemand, NONE, 0),
    entry!("amazon.rerank-v1:0", AmazonRerank, Rerank, OnDemand, NONE, 0),
    entry!("cohere.rerank-v3-5:0", CohereRerank, Rerank, OnDemand, NONE, 0),
];

/// Inference-profile geography prefixes.
const PROFILE_PREFIXES: &[&str] = &[
    "us-gov.", "global.", "apac.", "us.", "eu.", "jp.", "au.", "ca.",
];

const INVALID: &str = "The provided model identifier is invalid.";

/// Every foundation-model id the emulator knows, in catalog order.
pub fn model_ids() -> impl Iterator<Item = &'static str> {
    CATALOG.iter().map(|e| e.id)
}

/// Resolves a (URL-decoded) model identifier; see the [module docs](self) for the accepted forms.
///
/// # Errors
/// A 400 `ValidationException` with Bedrock's message for unknown ids and for on-demand use
/// of a model served only through inference profiles.
pub fn resolve(model_id: &str) -> Result<ModelInfo, ModelError> {
    lookup(model_id).map_err(|unresolved| match unresolved {
        Unresolved::Unknown => ModelError::validation(INVALID),
        Unresolved::ProfileOnly(id) => ModelError::validation(format!(
            "Invocation of model ID {id} with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
        )),
    })
}

/// Why an identifier did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// No such model (or no such profile for it).
    Unknown,
    /// The base id of a model served only through inference profiles.
    ProfileOnly(&'static str),
}

/// [`resolve`] with the reason for a failure, for callers that answer in their own words.
pub(crate) fn lookup(model_id: &str) -> Result<ModelInfo, Unresolved> {
    let (id, via_profile) = split_identifier(model_id).ok_or(Unresolved::Unknown)?;
    let entry = CATALOG
        .iter()
        .find(|e| e.id == id)
        .ok_or(Unresolved::Unknown)?;
    match (entry.serving, via_profile) {
        (Serving::OnDemand, true) => return Err(Unresolved::Unknown),
        (Serving::ProfileOnly, false) => return Err(Unresolved::ProfileOnly(entry.id)),
        _ => {}
    }
    Ok(ModelInfo {
        id: entry.id,
        requested: model_id.to_owned(),
        family: entry.family,
        kind: entry.kind,
        capabilities: entry.caps,
        max_output_tokens: entry.max_output,
    })
}

/// Whether Bedrock serves the model on demand under its base id (else only through
/// inference profiles).
pub(crate) fn on_demand(id: &str) -> bool {
    CATALOG
        .iter()
        .any(|e| e.id == id && e.serving != Serving::ProfileOnly)
}

/// The kind of a catalog model.
pub(crate) fn kind_of(id: &str) -> Option<Kind> {
    CATALOG.iter().find(|e| e.id == id).map(|e| e.kind)
}

/// Splits an identifier into the foundation id and whether it named an inference profile.
fn split_identifier(model_id: &str) -> Option<(&str, bool)> {
    if let Some(rest) = model_id.strip_prefix("arn:") {
        // arn:<partition>:bedrock:<region>:<account>:<resource-type>/<resource-id>
        let mut parts = rest.splitn(5, ':');
        let partition = parts.next()?;
        let service = parts.next()?;
        let region = parts.next()?;
        let account = parts.next()?;
        let resource = parts.next()?;
        let known_partition = matches!(partition, "aws" | "aws-us-gov" | "aws-cn");
        if !known_partition || service != "bedrock" || region.is_empty() {
            return None;
        }
        let (kind, id) = resource.split_once('/')?;
        return match kind {
            "foundation-model" if account.is_empty() => Some((id, false)),
            "inference-profile" if is_account(account) => {
                split_profile(id).map(|base| (base, true))
            }
            _ => None,
        };
    }
    match split_profile(model_id) {
        Some(base) => Some((base, true)),
        None => Some((model_id, false)),
    }
}

fn split_profile(id: &str) -> Option<&str> {
    PROFILE_PREFIXES
        .iter()
        .find_map(|prefix| id.strip_prefix(prefix))
}

fn is_account(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foundation_ids_resolve() {
        for id in model_ids() {
            let entry = CATALOG.iter().find(|e| e.id == id).unwrap();
            if entry.serving != Serving::ProfileOnly {
                let info = resolve(id).unwrap();
                assert_eq!(info.id, id);
                assert_eq!(info.requested, id);
            }
        }
        let haiku = resolve("anthropic.claude-3-5-haiku-20241022-v1:0").unwrap();
        assert_eq!(haiku.family, Family::Anthropic);
        assert_eq!(haiku.kind, Kind::Chat);
        assert!(
            haiku.capabilities.tools
                && haiku.capabilities.citations
                && !haiku.capabilities.reasoning
        );
        assert_eq!(resolve("cohere.rerank-v3-5:0").unwrap().kind, Kind::Rerank);
        assert_eq!(
            resolve("amazon.nova-canvas-v1:0").unwrap().family,
            Family::NovaCanvas
        );
    }

    #[test]
    fn profiles_and_arns_resolve() {
        for id in [
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "eu.anthropic.claude-sonnet-4-20250514-v1:0",
            "apac.anthropic.claude-sonnet-4-20250514-v1:0",
            "global.anthropic.claude-sonnet-4-20250514-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
        ] {
            let info = resolve(id).unwrap();
            assert_eq!(info.id, "anthropic.claude-sonnet-4-20250514-v1:0");
            assert_eq!(info.requested, id);
            assert!(info.capabilities.reasoning);
        }
        assert_eq!(
            resolve("us.amazon.nova-pro-v1:0").unwrap().id,
            "amazon.nova-pro-v1:0"
        );
        assert_eq!(
            resolve("arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-8b-instruct-v1:0")
                .unwrap()
                .id,
            "meta.llama3-8b-instruct-v1:0"
        );
        assert_eq!(
            resolve(
                "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/amazon.titan-embed-text-v1"
            )
            .unwrap()
            .id,
            "amazon.titan-embed-text-v1"
        );
    }

    #[test]
    fn invalid_identifiers() {
        for id in [
            "",
            "amazon.nova-lite",
            "openai.gpt-5",
            "us.openai.gpt-oss-20b-1:0",
            "us.amazon.titan-embed-text-v2:0",
            "xx.amazon.nova-lite-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-lite-v1:0",
            "arn:aws:s3:us-east-1::foundation-model/amazon.nova-lite-v1:0",
            "arn:aws:bedrock:us-east-1:123:inference-profile/us.amazon.nova-lite-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
            "arn:aws:bedrock:us-east-1::foundation-model",
        ] {
            let err = resolve(id).unwrap_err();
            assert_eq!(err.status(), 400, "{id}");
            assert_eq!(err.code(), "ValidationException");
            assert_eq!(
                err.message(),
                "The provided model identifier is invalid.",
                "{id}"
            );
        }
    }

    #[test]
    fn gpt_oss_models_resolve_on_demand() {
        for id in ["openai.gpt-oss-120b-1:0", "openai.gpt-oss-20b-1:0"] {
            let info = resolve(id).unwrap();
            assert_eq!(info.family, Family::OpenAi);
            assert_eq!(info.kind, Kind::Chat);
            assert!(info.capabilities.tools && info.capabilities.reasoning);
            assert!(on_demand(id));
        }
        assert_eq!(lookup("openai.gpt-5"), Err(Unresolved::Unknown));
        assert_eq!(
            lookup("amazon.nova-premier-v1:0"),
            Err(Unresolved::ProfileOnly("amazon.nova-premier-v1:0"))
        );
        assert_eq!(kind_of("cohere.embed-v4:0"), Some(Kind::Embedding));
    }

    #[test]
    fn profile_only_models_refuse_on_demand() {
        for id in [
            "anthropic.claude-sonnet-4-20250514-v1:0",
            "amazon.nova-premier-v1:0",
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
        ] {
            let err = resolve(id).unwrap_err();
            assert!(err.is_validation());
            let base = id.rsplit('/').next().unwrap();
            assert_eq!(
                err.message(),
                format!(
                    "Invocation of model ID {base} with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
                )
            );
        }
    }
}
