//! One conversation, two providers: the same tool round trip through a Bedrock Converse model
//! and through Bedrock's OpenAI-compatible "mantle" endpoint, both behind
//! `Arc<dyn LanguageModel>`.
//!
//! ```text
//! cargo run --example swap_providers
//! ```
//!
//! Offline: both providers talk to a Bedrock emulator running inside this process (Converse
//! at its root, the OpenAI-compatible API under `/openai/v1`), signing with its credentials.

use std::error::Error;
use std::sync::Arc;

use serde_json::json;
use strata::bedrock::Bedrock;
use strata::openai::OpenAi;
use strata::prompt::{ToolResultOutput, ToolResultPart};
use strata::tool::FunctionTool;
use strata::{CallOptions, LanguageModel, Message, Provider, Usage};
use strata_emulator::Emulator;

const CONVERSE_MODEL: &str = "us.amazon.nova-lite-v1:0";
const MANTLE_MODEL: &str = "openai.gpt-oss-120b-1:0";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder().start().await?;
    let no_env = std::iter::empty::<(String, String)>(); // ignore your AWS settings
    let bedrock = Bedrock::builder()
        .env(no_env.clone())
        .region(emulator.region())
        .endpoint_url(emulator.url())
        .credentials_provider(emulator.credentials().clone())
        .build()?;
    let mantle = OpenAi::bedrock_mantle()
        .env(no_env)
        .region(emulator.region())
        .base_url(format!("{}/openai/v1", emulator.url()))
        .credentials_provider(emulator.credentials().clone())
        .build()?;

    let models: Vec<Arc<dyn LanguageModel>> = vec![
        Provider::language_model(&bedrock, CONVERSE_MODEL)?,
        Provider::language_model(&mantle, MANTLE_MODEL)?,
    ];
    for model in &models {
        let (answer, usage) = converse(model.as_ref()).await?;
        println!("{} / {}", model.provider(), model.model_id());
        println!("  answer: {answer}");
        println!(
            "  usage:  {} input + {} output tokens over both calls",
            usage.input_tokens.total.unwrap_or(0),
            usage.output_tokens.total.unwrap_or(0),
        );
    }
    Ok(())
}

/// Asks for the weather, answers the model's tool call, and returns its final answer and the
/// usage of both calls. Only the `LanguageModel` trait is used: any provider fits.
async fn converse(model: &dyn LanguageModel) -> Result<(String, Usage), Box<dyn Error>> {
    let weather = FunctionTool::new(
        "get_weather",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    )
    .with_description("The current weather in a city");
    let mut prompt = vec![Message::user_text(
        "What is the weather in Paris? Use get_weather.",
    )];

    let first = model
        .generate(CallOptions::new(prompt.clone()).with_tool(weather.clone()))
        .await?;
    let call = first
        .tool_calls()
        .next()
        .ok_or("the model did not call the tool")?
        .clone();
    prompt.push(first.to_message());
    prompt.push(Message::tool(vec![ToolResultPart::new(
        call.tool_call_id,
        call.tool_name,
        ToolResultOutput::text("sunny, 21 °C"),
    )]));

    let second = model
        .generate(CallOptions::new(prompt).with_tool(weather))
        .await?;
    Ok((second.text(), first.usage + second.usage))
}
