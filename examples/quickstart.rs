//! strata in five minutes: generate text, stream it, and run a tool call with Amazon Bedrock.
//!
//! ```text
//! cargo run --example quickstart                        # offline, against the embedded emulator
//! cargo run --example quickstart -- --live              # real Bedrock (or AWS_ENDPOINT_URL_BEDROCK_RUNTIME)
//! cargo run --example quickstart -- --live --model us.anthropic.claude-sonnet-4-5-20250929-v1:0
//! ```
//!
//! With `--live`, credentials, region and endpoint come from the usual places: an API key in
//! `AWS_BEARER_TOKEN_BEDROCK`, or AWS keys / a profile, and `AWS_REGION`.

use std::error::Error;
use std::io::Write as _;
use std::process::ExitCode;

use futures_util::StreamExt as _;
use serde_json::json;
use strata::bedrock::Bedrock;
use strata::prompt::{ToolResultOutput, ToolResultPart};
use strata::tool::FunctionTool;
use strata::{CallOptions, LanguageModel, Message, StreamPart};
use strata_emulator::Emulator;

const DEFAULT_MODEL: &str = "us.amazon.nova-lite-v1:0";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprint!(": {cause}");
                source = cause.source();
            }
            eprintln!();
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let (live, model_id) = parse_args()?;

    // Offline, a Bedrock emulator runs inside this process; keep it alive until the end.
    let (bedrock, _emulator) = if live {
        (Bedrock::from_env()?, None)
    } else {
        let emulator = Emulator::builder().start().await?;
        println!(
            "Started the embedded Bedrock emulator at {} (pass --live for real Bedrock).",
            emulator.url()
        );
        let bedrock = Bedrock::builder()
            .env_vars(std::iter::empty::<(String, String)>()) // ignore your AWS settings
            .region(emulator.region())
            .endpoint_url(emulator.url())
            .credentials_provider(emulator.credentials().clone())
            .build()?;
        (bedrock, Some(emulator))
    };
    let model = bedrock.language_model(model_id);

    // 1. Generate text.
    let options = CallOptions::new(vec![Message::user_text("Say hello in French.")]);
    let result = model.generate(options).await?;
    println!("generate: {}", result.text());

    // 2. Stream text as it arrives.
    let options = CallOptions::new(vec![Message::user_text("Write a haiku about the sea.")]);
    let mut stream = model.stream(options).await?.stream;
    print!("stream:   ");
    while let Some(part) = stream.next().await {
        match part {
            StreamPart::TextDelta { delta, .. } => {
                print!("{delta}");
                std::io::stdout().flush()?;
            }
            StreamPart::Error(error) => return Err(error.into()),
            _ => {}
        }
    }
    println!();

    // 3. A tool call round trip: the model asks for the weather, we answer, it replies.
    let weather = FunctionTool::new(
        "get_weather",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    )
    .with_description("The current weather in a city");
    let mut prompt = vec![Message::user_text(
        "What is the weather in Paris? Use get_weather.",
    )];
    let result = model
        .generate(CallOptions::new(prompt.clone()).with_tool(weather.clone()))
        .await?;
    let call = result
        .tool_calls()
        .next()
        .ok_or("the model did not call the tool")?
        .clone();
    println!("tool call: {}({})", call.tool_name, call.input);
    prompt.push(result.to_message());
    prompt.push(Message::tool(vec![ToolResultPart::new(
        call.tool_call_id,
        call.tool_name,
        ToolResultOutput::text("sunny, 21 °C"),
    )]));
    let result = model
        .generate(CallOptions::new(prompt).with_tool(weather))
        .await?;
    println!("answer:   {}", result.text());
    Ok(())
}

/// `--live` and `--model ID`.
fn parse_args() -> Result<(bool, String), Box<dyn Error>> {
    let (mut live, mut model) = (false, DEFAULT_MODEL.to_owned());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--live" => live = true,
            "--model" => model = args.next().ok_or("--model needs a model id")?,
            other => {
                return Err(
                    format!("unknown argument `{other}` (expected --live, --model ID)").into(),
                );
            }
        }
    }
    Ok((live, model))
}
