//! strata in five minutes with Amazon Bedrock: generate text, stream it, run a tool call,
//! embed two texts, rerank three documents and draw one image.
//!
//! ```text
//! cargo run --example quickstart                        # offline, against the embedded emulator
//! cargo run --example quickstart -- --live              # real Bedrock (or AWS_ENDPOINT_URL_BEDROCK_RUNTIME)
//! cargo run --example quickstart -- --live --model us.anthropic.claude-sonnet-4-5-20250929-v1:0
//! cargo run --example quickstart -- --image-out lighthouse.png
//! ```
//!
//! With `--live`, credentials, region and endpoint come from the usual places: an API key in
//! `AWS_BEARER_TOKEN_BEDROCK`, or AWS keys / a profile, and `AWS_REGION`. The image goes to
//! `strata-quickstart.png` in the system's temporary directory unless `--image-out` names a file.

use std::error::Error;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::StreamExt as _;
use serde_json::json;
use strata::bedrock::Bedrock;
use strata::image::ImageSize;
use strata::prompt::{ToolResultOutput, ToolResultPart};
use strata::rerank::RerankDocuments;
use strata::tool::FunctionTool;
use strata::{
    CallOptions, EmbedOptions, ImageOptions, LanguageModel, Message, Provider, RerankOptions,
    StreamPart, embed_many,
};
use strata_emulator::Emulator;

const DEFAULT_MODEL: &str = "us.amazon.nova-lite-v1:0";
const EMBEDDING_MODEL: &str = "amazon.titan-embed-text-v2:0";
const RERANK_MODEL: &str = "amazon.rerank-v1:0";
const IMAGE_MODEL: &str = "amazon.nova-canvas-v1:0";

/// What the command line asked for.
struct Args {
    live: bool,
    model: String,
    image_out: PathBuf,
}

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
    let args = parse_args()?;

    // Offline, a Bedrock emulator runs inside this process; keep it alive until the end.
    let (bedrock, _emulator) = if args.live {
        (Bedrock::from_env()?, None)
    } else {
        let emulator = Emulator::builder().start().await?;
        println!(
            "Started the embedded Bedrock emulator at {} (pass --live for real Bedrock).",
            emulator.url()
        );
        let bedrock = Bedrock::builder()
            .env(std::iter::empty::<(String, String)>()) // ignore your AWS settings
            .region(emulator.region())
            .endpoint_url(emulator.url())
            .credentials_provider(emulator.credentials().clone())
            .build()?;
        (bedrock, Some(emulator))
    };
    let model = bedrock.language_model(args.model);

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

    // 4. Embed two texts (Titan v2 takes one text per call; `embed_many` fans out).
    let embedder = bedrock.embedding_model(EMBEDDING_MODEL)?;
    let texts = vec![
        "The cat sat on the mat.".to_owned(),
        "A kitten naps on a rug.".to_owned(),
    ];
    let embedded = embed_many(&embedder, texts, EmbedOptions::default(), 2).await?;
    let [a, b] = &embedded.embeddings[..] else {
        return Err("expected two embeddings".into());
    };
    println!(
        "embed:    2 vectors of {} dimensions, cosine similarity {:.3}",
        a.len(),
        cosine(a, b)
    );

    // 5. Rerank three documents against a query.
    let reranker = bedrock.rerank_model(RERANK_MODEL)?;
    let documents = [
        "Berlin is the capital of Germany.",
        "Paris is the capital of France.",
        "The Seine flows through Paris.",
    ];
    let ranked = reranker
        .rerank(RerankOptions::new(
            "the capital of France",
            RerankDocuments::texts(documents),
        ))
        .await?;
    let best = ranked
        .ranking
        .first()
        .ok_or("the reranker returned no documents")?;
    println!(
        "rerank:   best match \"{}\" (score {:.3})",
        documents[best.index], best.relevance_score
    );

    // 6. Draw one small image and write it to a file.
    let painter = bedrock.image_model(IMAGE_MODEL)?;
    let options = ImageOptions::new("a lighthouse at dawn").with_size(ImageSize::new(320, 320));
    let drawn = painter.generate(options).await?;
    let image = drawn.images.first().ok_or("the model returned no image")?;
    std::fs::write(&args.image_out, &image.data)
        .map_err(|e| format!("cannot write {}: {e}", args.image_out.display()))?;
    println!(
        "image:    wrote {} bytes of {} to {}",
        image.data.len(),
        image.media_type,
        args.image_out.display()
    );
    Ok(())
}

/// The cosine of the angle between two vectors (1 = same direction).
fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

/// `--live`, `--model ID` and `--image-out PATH`.
fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut parsed = Args {
        live: false,
        model: DEFAULT_MODEL.to_owned(),
        image_out: std::env::temp_dir().join("strata-quickstart.png"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--live" => parsed.live = true,
            "--model" => parsed.model = args.next().ok_or("--model needs a model id")?,
            "--image-out" => {
                parsed.image_out = args.next().ok_or("--image-out needs a file path")?.into();
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (expected --live, --model ID, --image-out PATH)"
                )
                .into());
            }
        }
    }
    Ok(parsed)
}
