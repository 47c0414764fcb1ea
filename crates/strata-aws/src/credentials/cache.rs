//! A refresh-ahead, single-flight credentials cache.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use super::error::CredentialsError;
use crate::sign::{Clock, SystemClock};

/// Credentials are treated as expired this long before their stated expiry, so a request
/// signed now still carries valid credentials when it reaches the service.
pub const EXPIRY_BUFFER: Duration = Duration::from_secs(10);

/// Caches credentials from a provider.
///
/// - **Single flight**: however many requests find the cache empty or expired at once, the
///   provider is called once; the others wait for that call and share its result (or error).
/// - **Refresh ahead**: within the refresh window before expiry (default 5 minutes), the first
///   request starts one background refresh (on the current tokio runtime) and every request
///   keeps using the still-valid credentials.
/// - **Failure**: a failed background refresh keeps the valid credentials in use and is retried
///   after [`failure_backoff`](CredentialsCacheBuilder::failure_backoff) (default 10 s), which
///   is also the least time between two background refreshes. Only
///   when nothing valid is left does a request fail, with a [`CredentialsError`] naming the
///   provider.
///
/// Provider calls run under a timeout ([`load_timeout`](CredentialsCacheBuilder::load_timeout)),
/// so the cache must be used inside a tokio runtime with its time driver enabled.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    provider: SharedCredentialsProvider,
    name: Cow<'static, str>,
    refresh_window: Duration,
    failure_backoff: Duration,
    load_timeout: Duration,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
    refresh_lock: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Default)]
struct State {
    current: Option<Credentials>,
    /// Bumped by every finished provider call.
    generation: u64,
    last_error: Option<CredentialsError>,
    /// No background refresh before this time (set after a failed one).
    not_before: Option<SystemTime>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.inner.name)
            .field("refresh_window", &self.inner.refresh_window)
            .field("failure_backoff", &self.inner.failure_backoff)
            .field("load_timeout", &self.inner.load_timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`CredentialsCache`].
pub struct CredentialsCacheBuilder {
    provider: SharedCredentialsProvider,
    name: Cow<'static, str>,
    refresh_window: Duration,
    failure_backoff: Duration,
    load_timeout: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for CredentialsCacheBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCacheBuilder")
            .field("provider", &self.name)
            .finish_non_exhaustive()
    }
}

impl CredentialsCacheBuilder {
    /// The provider's name in errors and logs (default: the provider's type name).
    pub fn provider_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = name.into();
        self
    }

    /// How long before expiry a background refresh starts (default 5 minutes).
    pub fn refresh_window(mut self, window: Duration) -> Self {
        self.refresh_window = window;
        self
    }

    /// How long to wait after a background refresh (failed or not) before starting another
    /// (default 10 s).
    pub fn failure_backoff(mut self, backoff: Duration) -> Self {
        self.failure_backoff = backoff;
        self
    }

    /// How long one provider call may take (default 5 s).
    pub fn load_timeout(mut self, timeout: Duration) -> Self {
        self.load_timeout = timeout;
        self
    }

    /// The clock used to judge expiry (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The cache.
    pub fn build(self) -> CredentialsCache {
        CredentialsCache {
            inner: Arc::new(Inner {
                provider: self.provider,
                name: self.name,
                refresh_window: self.refresh_window,
                failure_backoff: self.failure_backoff,
                load_timeout: self.load_timeout,
                clock: self.clock,
                state: Mutex::new(State::default()),
                refresh_lock: Arc::new(tokio::sync::Mutex::new(())),
            }),
        }
    }
}

impl CredentialsCache {
    /// A cache in front of `provider`, with default settings.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::builder(provider).build()
    }

    /// A builder for a cache in front of `provider`.
    pub fn builder<P: ProvideCredentials + 'static>(provider: P) -> CredentialsCacheBuilder {
        CredentialsCacheBuilder {
            provider: SharedCredentialsProvider::new(provider),
            name: Cow::Borrowed(std::any::type_name::<P>()),
            refresh_window: Duration::from_secs(300),
            failure_backoff: Duration::from_secs(10),
            load_timeout: Duration::from_secs(5),
            clock: Arc::new(SystemClock),
        }
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        &self.inner.name
    }

    /// Valid cached credentials, without waiting; starts a background refresh when they are
    /// within the refresh window. `None` when the cache is empty or expired.
    pub fn cached(&self) -> Option<Credentials> {
        let now = self.inner.clock.now();
        let (credentials, refresh) = {
            let state = self.lock_state();
            let credentials = state.current.as_ref().filter(|c| is_valid(c, now))?.clone();
            let refresh = in_refresh_window(&credentials, now, self.inner.refresh_window)
                && state.not_before.is_none_or(|t| now >= t);
            (credentials, refresh)
        };
        if refresh {
            self.spawn_refresh();
        }
        Some(credentials)
    }

    /// Valid credentials: cached ones, else from one (shared) provider call.
    ///
    /// # Errors
    /// The provider failed (or timed out, or returned expired credentials) and nothing valid
    /// is cached.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.cached() {
            return Ok(credentials);
        }
        let seen = self.lock_state().generation;
        let _flight = self.inner.refresh_lock.lock().await;
        {
            let state = self.lock_state();
            if state.generation != seen {
                // A provider call finished while we waited: share its outcome.
                let now = self.inner.clock.now();
                if let Some(c) = state.current.as_ref().filter(|c| is_valid(c, now)) {
                    return Ok(c.clone());
                }
                if let Some(error) = &state.last_error {
                    return Err(error.clone());
                }
            }
        }
        self.inner.load().await
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn spawn_refresh(&self) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Ok(flight) = self.inner.refresh_lock.clone().try_lock_owned() else {
            return; // a refresh is already running
        };
        let inner = self.inner.clone();
        handle.spawn(async move {
            let _flight = flight;
            if let Err(error) = inner.load().await {
                tracing::warn!(error = %error, "background credentials refresh failed; still using the cached credentials");
            }
        });
    }
}

impl Inner {
    /// Calls the provider once and records the outcome. Callers hold `refresh_lock`.
    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let provider = self.provider.clone();
        let result =
            match tokio::time::timeout(self.load_timeout, provider.provide_credentials()).await {
                Err(_) => Err(CredentialsError::timeout(self.name.clone())),
                Ok(Err(e)) => Err(CredentialsError::provider_failed(self.name.clone(), e)),
                Ok(Ok(c)) if !is_valid(&c, self.clock.now()) => {
                    Err(CredentialsError::expired(self.name.clone()))
                }
                Ok(Ok(c)) => Ok(c),
            };
        let now = self.clock.now();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.generation += 1;
        match &result {
            Ok(c) => {
                state.current = Some(c.clone());
                state.last_error = None;
                // Credentials that live shorter than the window would otherwise be refreshed
                // on every request.
                state.not_before = now.checked_add(self.failure_backoff);
            }
            Err(e) => {
                state.last_error = Some(e.clone());
                state.not_before = now.checked_add(self.failure_backoff);
            }
        }
        result
    }
}

fn is_valid(credentials: &Credentials, now: SystemTime) -> bool {
    credentials
        .expiry()
        .is_none_or(|expiry| now.checked_add(EXPIRY_BUFFER).is_some_and(|t| t < expiry))
}

fn in_refresh_window(credentials: &Credentials, now: SystemTime, window: Duration) -> bool {
    credentials
        .expiry()
        .is_some_and(|expiry| now.checked_add(window).is_none_or(|t| t >= expiry))
}
