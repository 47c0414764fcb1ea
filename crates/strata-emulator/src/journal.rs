//! The journal: every API request the emulator received, in order, for assertions.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), strata_emulator::Error> {
//! let emulator = strata_emulator::Emulator::builder().start().await?;
//! assert!(emulator.journal().entries().is_empty());
//! # Ok(())
//! # }
//! ```

use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use serde_json::{Value, json};

/// How a request fared at authentication.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthOutcome {
    /// A SigV4 signature that verified, made with this access key id.
    SigV4 {
        /// The access key id from the credential scope.
        access_key_id: String,
    },
    /// A bearer token (Bedrock API key) that matched the configured one.
    Bearer,
    /// Refused with this error code: the AWS `x-amzn-ErrorType` (e.g.
    /// `InvalidSignatureException`) on Bedrock routes, the `error.code` (e.g.
    /// `invalid_signature`) on OpenAI-compatible routes.
    Rejected {
        /// The error code the emulator answered with.
        error_code: String,
    },
}

impl AuthOutcome {
    /// Whether the request was authenticated.
    pub fn is_accepted(&self) -> bool {
        !matches!(self, Self::Rejected { .. })
    }

    fn to_json(&self) -> Value {
        match self {
            Self::SigV4 { access_key_id } => json!({"type": "sigv4", "accessKeyId": access_key_id}),
            Self::Bearer => json!({"type": "bearer"}),
            Self::Rejected { error_code } => json!({"type": "rejected", "errorCode": error_code}),
        }
    }
}

/// One received API request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalEntry {
    /// The request id the response carried in `x-amzn-RequestId`.
    pub request_id: String,
    /// The HTTP method.
    pub method: http::Method,
    /// The path as received (still percent-encoded).
    pub path: String,
    /// The authentication verdict.
    pub auth: AuthOutcome,
    /// The header names listed in the SigV4 `SignedHeaders` parameter (empty otherwise).
    pub signed_headers: Vec<String>,
    /// The `x-amz-date` header, when present.
    pub amz_date: Option<String>,
    /// The SigV4 `Signature` parameter, when the request carried one (a retried request that
    /// was re-signed shows a different value).
    pub signature: Option<String>,
    /// The signing name (service) of the SigV4 credential scope, e.g. `bedrock` or
    /// `bedrock-mantle`, when the request carried one.
    pub signing_name: Option<String>,
    /// The request body.
    pub body: Bytes,
    /// The response status code.
    pub status: u16,
}

impl JournalEntry {
    /// The entry as JSON, as `GET /_emulator/journal` serves it (a non-UTF-8 body is omitted
    /// and its length given in `bodyLength`).
    pub fn to_json(&self) -> Value {
        json!({
            "requestId": self.request_id,
            "method": self.method.as_str(),
            "path": self.path,
            "auth": self.auth.to_json(),
            "signedHeaders": self.signed_headers,
            "amzDate": self.amz_date,
            "signature": self.signature,
            "signingName": self.signing_name,
            "body": std::str::from_utf8(&self.body).ok(),
            "bodyLength": self.body.len(),
            "status": self.status,
        })
    }
}

/// A shared handle on the journal; clones see the same entries.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    entries: Arc<Mutex<Vec<JournalEntry>>>,
}

impl Journal {
    /// A snapshot of the entries so far, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The most recent entry.
    pub fn last(&self) -> Option<JournalEntry> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .last()
            .cloned()
    }

    /// Forgets all entries.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    pub(crate) fn record(&self, entry: JournalEntry) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(entry);
    }

    pub(crate) fn to_json(&self) -> Value {
        Value::Array(self.entries().iter().map(JournalEntry::to_json).collect())
    }
}
