//! `strata-emulator`: run the Bedrock emulator as a standalone server.
//!
//! ```text
//! strata-emulator [--bind 127.0.0.1:PORT] [--region us-east-1]
//!                 [--access-key-id ID --secret-access-key SECRET [--session-token T]]
//!                 [--bearer-token TOKEN]
//! ```
//!
//! The first line on stdout is `strata-emulator listening on http://127.0.0.1:PORT`.

use std::fmt;
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use aws_credential_types::Credentials;
use strata_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, Emulator};

const USAGE: &str = "\
strata-emulator: a local Bedrock-compatible server (Bedrock Runtime and Agent Runtime Rerank)

USAGE:
    strata-emulator [OPTIONS]

OPTIONS:
    --bind ADDR                 address to listen on [default: 127.0.0.1:0, a free port]
    --region REGION             region requests must be signed for [default: us-east-1]
    --access-key-id ID          access key id to accept [default: AKIDEXAMPLE]
    --secret-access-key SECRET  its secret access key (required with --access-key-id)
    --session-token TOKEN       session token requests must carry (x-amz-security-token)
    --bearer-token TOKEN        also accept `Authorization: Bearer TOKEN` (Bedrock API keys, OpenAI-style keys)
    -h, --help                  print this help

The first stdout line is `strata-emulator listening on http://HOST:PORT`.
Control endpoints (no auth): POST /_emulator/faults, GET /_emulator/journal, POST /_emulator/reset.
Stops on Ctrl-C or SIGTERM.
";

/// Parsed command line.
#[derive(PartialEq, Eq)]
struct Options {
    bind: SocketAddr,
    region: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    bearer_token: Option<String>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("bind", &self.bind)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Run(Options),
    Help,
}

/// A command-line error.
#[derive(Debug, PartialEq, Eq)]
enum ArgError {
    UnknownOption(String),
    MissingValue(&'static str),
    InvalidBind(String),
    Duplicate(&'static str),
    SecretWithoutKey,
    KeyWithoutSecret,
    TokenWithoutKeys,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownOption(option) => write!(f, "unknown option `{option}`"),
            Self::MissingValue(option) => write!(f, "option `{option}` needs a value"),
            Self::InvalidBind(value) => {
                write!(f, "`--bind {value}` is not an address like 127.0.0.1:8080")
            }
            Self::Duplicate(option) => write!(f, "option `{option}` was given twice"),
            Self::SecretWithoutKey => {
                f.write_str("`--secret-access-key` needs `--access-key-id` as well")
            }
            Self::KeyWithoutSecret => {
                f.write_str("`--access-key-id` needs `--secret-access-key` as well")
            }
            Self::TokenWithoutKeys => f.write_str(
                "`--session-token` needs `--access-key-id` and `--secret-access-key` as well",
            ),
        }
    }
}

impl std::error::Error for ArgError {}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, ArgError> {
    const NAMES: [&str; 6] = [
        "--bind",
        "--region",
        "--access-key-id",
        "--secret-access-key",
        "--session-token",
        "--bearer-token",
    ];
    let mut values: [Option<String>; 6] = Default::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let Some(index) = NAMES.iter().position(|n| *n == name) else {
            return Err(ArgError::UnknownOption(arg));
        };
        let value = match inline {
            Some(value) => value,
            None => args.next().ok_or(ArgError::MissingValue(NAMES[index]))?,
        };
        if values[index].replace(value).is_some() {
            return Err(ArgError::Duplicate(NAMES[index]));
        }
    }
    let [bind, region, key, secret, token, bearer] = values;
    let bind = match bind {
        Some(value) => value.parse().map_err(|_| ArgError::InvalidBind(value))?,
        None => SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    let (access_key_id, secret_access_key) = match (key, secret, &token) {
        (Some(key), Some(secret), _) => (key, secret),
        (None, None, None) => (
            DEFAULT_ACCESS_KEY_ID.to_owned(),
            DEFAULT_SECRET_ACCESS_KEY.to_owned(),
        ),
        (None, None, Some(_)) => return Err(ArgError::TokenWithoutKeys),
        (Some(_), None, _) => return Err(ArgError::KeyWithoutSecret),
        (None, Some(_), _) => return Err(ArgError::SecretWithoutKey),
    };
    Ok(Command::Run(Options {
        bind,
        region: region.unwrap_or_else(|| DEFAULT_REGION.to_owned()),
        access_key_id,
        secret_access_key,
        session_token: token,
        bearer_token: bearer,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let credentials = Credentials::new(
        options.access_key_id,
        options.secret_access_key,
        options.session_token,
        None,
        "strata-emulator",
    );
    let mut builder = Emulator::builder()
        .bind(options.bind)
        .region(options.region)
        .credentials(credentials);
    if let Some(token) = options.bearer_token {
        builder = builder.bearer_token(token);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            return ExitCode::FAILURE;
        }
    };
    println!("strata-emulator listening on {}", emulator.url());
    let _ = std::io::stdout().flush();
    wait_for_signal().await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, ArgError> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults() {
        let Ok(Command::Run(options)) = parse(&[]) else {
            panic!("expected options")
        };
        assert_eq!(options.bind, "127.0.0.1:0".parse().unwrap());
        assert_eq!(options.region, "us-east-1");
        assert_eq!(options.access_key_id, "AKIDEXAMPLE");
        assert_eq!(
            options.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        );
        assert_eq!(options.session_token, None);
        assert_eq!(options.bearer_token, None);
    }

    #[test]
    fn every_option() {
        let Ok(Command::Run(options)) = parse(&[
            "--bind",
            "127.0.0.1:8080",
            "--region=eu-west-1",
            "--access-key-id",
            "AKID",
            "--secret-access-key",
            "SECRET",
            "--session-token",
            "TOKEN",
            "--bearer-token",
            "BT",
        ]) else {
            panic!("expected options")
        };
        assert_eq!(options.bind, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(options.region, "eu-west-1");
        assert_eq!(
            (
                options.access_key_id.as_str(),
                options.secret_access_key.as_str()
            ),
            ("AKID", "SECRET")
        );
        assert_eq!(options.session_token.as_deref(), Some("TOKEN"));
        assert_eq!(options.bearer_token.as_deref(), Some("BT"));
        let printed = format!("{options:?}");
        assert!(
            !printed.contains("SECRET")
                && !printed.contains("TOKEN")
                && !printed.contains("\"BT\"")
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
        assert_eq!(
            parse(&["--port", "1"]),
            Err(ArgError::UnknownOption("--port".into()))
        );
        assert_eq!(parse(&["--bind"]), Err(ArgError::MissingValue("--bind")));
        assert_eq!(
            parse(&["--bind", "localhost"]),
            Err(ArgError::InvalidBind("localhost".into()))
        );
        assert_eq!(
            parse(&["--region", "a", "--region", "b"]),
            Err(ArgError::Duplicate("--region"))
        );
        assert_eq!(
            parse(&["--access-key-id", "A"]),
            Err(ArgError::KeyWithoutSecret)
        );
        assert_eq!(
            parse(&["--secret-access-key", "S"]),
            Err(ArgError::SecretWithoutKey)
        );
        assert_eq!(
            parse(&["--session-token", "T"]),
            Err(ArgError::TokenWithoutKeys)
        );
        assert_eq!(
            ArgError::InvalidBind("x".into()).to_string(),
            "`--bind x` is not an address like 127.0.0.1:8080"
        );
    }
}
