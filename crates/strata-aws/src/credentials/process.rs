//! `credential_process`: credentials printed as JSON by an external command.

use std::fmt;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use aws_smithy_types::date_time::{DateTime, Format};

use super::error::CredentialsError;

const NAME: &str = "credential_process";

/// Runs a `credential_process` command (through `sh -c`, or `cmd /C` on Windows) and reads the
/// JSON it prints: `Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and
/// `Expiration` (RFC 3339).
///
/// `Debug` shows only the program, not its arguments (they may carry secrets); errors never
/// include the command's output.
#[derive(Clone)]
pub struct CredentialProcess {
    command: String,
}

impl CredentialProcess {
    /// A provider running `command`.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }

    /// Runs the command once and parses its output.
    ///
    /// # Errors
    /// The command cannot start, exits unsuccessfully, or prints something other than the
    /// expected JSON.
    pub async fn run(&self) -> Result<Credentials, CredentialsError> {
        let mut command = if cfg!(windows) {
            let mut c = tokio::process::Command::new("cmd.exe");
            c.arg("/C").arg(&self.command);
            c
        } else {
            let mut c = tokio::process::Command::new("sh");
            c.arg("-c").arg(&self.command);
            c
        };
        command
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let output = command
            .output()
            .await
            .map_err(|e| CredentialsError::provider_failed(NAME, e))?;
        if !output.status.success() {
            return Err(CredentialsError::invalid(
                NAME,
                format!(
                    "the command `{}` exited with {}",
                    self.program(),
                    output.status
                ),
            ));
        }
        parse_output(&output.stdout)
    }

    fn program(&self) -> &str {
        self.command.split_whitespace().next().unwrap_or("")
    }
}

impl fmt::Debug for CredentialProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcess")
            .field("program", &self.program())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CredentialProcess {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.run()
                .await
                .map_err(provider::error::CredentialsError::provider_error)
        })
    }
}

/// Parses `credential_process` JSON output.
pub(crate) fn parse_output(stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let invalid = |reason: String| CredentialsError::invalid(NAME, reason);
    let value: serde_json::Value = serde_json::from_slice(stdout)
        .map_err(|e| invalid(format!("the output is not JSON ({})", e.classify_name())))?;
    let map = value
        .as_object()
        .ok_or_else(|| invalid("the output is not a JSON object".to_owned()))?;
    match map.get("Version").and_then(serde_json::Value::as_u64) {
        Some(1) => {}
        Some(_) => {
            return Err(invalid(
                "unsupported `Version` (only 1 is supported)".to_owned(),
            ));
        }
        None => return Err(invalid("`Version` is missing or not a number".to_owned())),
    }
    let field = |name: &str| -> Result<Option<String>, CredentialsError> {
        match map.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("`{name}` is not a string"))),
        }
    };
    let access_key_id =
        field("AccessKeyId")?.ok_or_else(|| invalid("`AccessKeyId` is missing".to_owned()))?;
    let secret_access_key = field("SecretAccessKey")?
        .ok_or_else(|| invalid("`SecretAccessKey` is missing".to_owned()))?;
    let session_token = field("SessionToken")?;
    let expiry = match field("Expiration")? {
        None => None,
        Some(text) => Some(
            parse_expiration(&text)
                .ok_or_else(|| invalid("`Expiration` is not an RFC 3339 timestamp".to_owned()))?,
        ),
    };
    Ok(Credentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        expiry,
        NAME,
    ))
}

fn parse_expiration(text: &str) -> Option<SystemTime> {
    let parsed = DateTime::from_str(text, Format::DateTime).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// serde_json error categories, without any of the input.
trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "data error",
            serde_json::error::Category::Eof => "unexpected end",
        }
    }
}
