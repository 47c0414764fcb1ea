//! Starting the emulator: [`Emulator::builder`] → [`EmulatorBuilder::start`] →
//! [`EmulatorHandle`].

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use aws_credential_types::Credentials;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::auth::{AuthConfig, Secret};
use crate::faults::Faults;
use crate::journal::Journal;
use crate::server::{self, Shared};
use crate::{Error, routes};

/// The access key id the emulator accepts by default (the SigV4 test suite's example key).
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The secret access key the emulator accepts by default (the SigV4 test suite's example).
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The region the emulator serves by default.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The emulator's entry point.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: `127.0.0.1:0`, `us-east-1`, the example credentials, no
    /// bearer token.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    bind: SocketAddr,
    region: String,
    credentials: Credentials,
    bearer_token: Option<Secret>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            region: DEFAULT_REGION.to_owned(),
            credentials: Credentials::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_SECRET_ACCESS_KEY,
                None,
                None,
                "strata-emulator",
            ),
            bearer_token: None,
        }
    }
}

impl EmulatorBuilder {
    /// The address to listen on (port 0 picks a free port). Default `127.0.0.1:0`.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The region requests must be signed for. Default `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The only credentials SigV4 requests may be signed with. With a session token,
    /// requests must carry it in `x-amz-security-token`.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Accepts `Authorization: Bearer <token>` with this token (Bedrock API keys). Off by
    /// default.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(Secret::new(token));
        self
    }

    /// Binds the socket and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// [`Error::is_config`] for an empty or malformed region, empty key or empty bearer token;
    /// [`Error::is_bind`] when the address cannot be bound.
    pub async fn start(self) -> Result<EmulatorHandle, Error> {
        self.validate()?;
        let listener = TcpListener::bind(self.bind)
            .await
            .map_err(|e| Error::bind(self.bind, e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::bind(self.bind, e))?;
        let shared = Arc::new(Shared {
            auth: AuthConfig {
                credentials: self.credentials.clone(),
                region: self.region.clone(),
                bearer_token: self.bearer_token,
            },
            faults: Faults::default(),
            journal: Journal::default(),
            routes: routes::State::default(),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(EmulatorHandle {
            addr,
            region: self.region,
            credentials: self.credentials,
            faults: shared.faults.clone(),
            journal: shared.journal.clone(),
            stop,
            task: Some(task),
        })
    }

    fn validate(&self) -> Result<(), Error> {
        let region_ok = !self.region.is_empty()
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok {
            return Err(Error::config(
                "the region must be non-empty lowercase letters, digits and dashes",
            ));
        }
        if self.credentials.access_key_id().is_empty()
            || self.credentials.secret_access_key().is_empty()
        {
            return Err(Error::config(
                "the access key id and secret access key must be non-empty",
            ));
        }
        if self
            .bearer_token
            .as_ref()
            .is_some_and(|t| t.expose().is_empty())
        {
            return Err(Error::config("the bearer token must be non-empty"));
        }
        Ok(())
    }
}

/// A running emulator. Dropping it stops the server (without waiting); call
/// [`shutdown`](Self::shutdown) to wait until it has stopped.
#[derive(Debug)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    region: String,
    credentials: Credentials,
    faults: Faults,
    journal: Journal,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl EmulatorHandle {
    /// The base URL, e.g. `http://127.0.0.1:49152`: use it as the endpoint override of a
    /// Bedrock Runtime or Agent Runtime client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credentials requests must be signed with (their `Debug` hides the secret).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Fault injection and the server clock.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The requests received so far.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Stops accepting connections, lets open ones finish (up to two seconds), and waits for
    /// the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[tokio::test]
    async fn invalid_settings_are_config_errors() {
        for builder in [
            Emulator::builder().region(""),
            Emulator::builder().region("US East"),
            Emulator::builder().bearer_token(""),
            Emulator::builder().credentials(Credentials::new("", "s", None, None, "t")),
        ] {
            let err = builder.start().await.unwrap_err();
            assert!(err.is_config(), "{err}");
        }
    }

    #[tokio::test]
    async fn a_taken_port_is_a_bind_error() {
        let first = Emulator::builder().start().await.unwrap();
        let err = Emulator::builder()
            .bind(first.addr())
            .start()
            .await
            .unwrap_err();
        assert!(err.is_bind());
        assert_eq!(
            err.to_string(),
            format!("could not bind the emulator to {}", first.addr())
        );
        assert!(err.source().is_some());
    }

    #[tokio::test]
    async fn the_handle_reports_its_address_and_settings() {
        let emulator = Emulator::builder()
            .region("eu-central-1")
            .start()
            .await
            .unwrap();
        assert_eq!(
            emulator.url(),
            format!("http://127.0.0.1:{}", emulator.addr().port())
        );
        assert_ne!(emulator.addr().port(), 0);
        assert_eq!(emulator.region(), "eu-central-1");
        assert_eq!(
            emulator.credentials().access_key_id(),
            DEFAULT_ACCESS_KEY_ID
        );
    }
}
