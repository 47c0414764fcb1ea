//! The per-request retry policy plugged into tower's retry machinery.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{Request, Response};
use tokio::time::Sleep;

use super::backoff::{full_jitter, retry_after};
use super::{Attempts, Classifier, RetryBudget, RetryConfig};
use crate::body::ReplayableBody;
use crate::error::Error;

/// What all requests through one layer share.
pub(crate) struct Shared {
    pub(crate) config: RetryConfig,
    pub(crate) budget: RetryBudget,
    pub(crate) classifier: Arc<dyn Classifier>,
}

/// Cloned for every request: counts that request's attempts.
#[derive(Clone)]
pub(crate) struct Policy {
    shared: Arc<Shared>,
    attempts: u32,
    last_cost: Option<u32>,
}

impl Policy {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            attempts: 1,
            last_cost: None,
        }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Settles the budget for a request that is done.
    fn finish<B>(&self, result: &mut Result<Response<B>, Error>) {
        if let Ok(response) = result {
            response.extensions_mut().insert(Attempts(self.attempts));
            if response.status().as_u16() < 400 {
                let budget = &self.shared.budget;
                budget.deposit(self.last_cost.unwrap_or(budget.success_refund()));
            }
        }
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("config", &self.shared.config)
            .field("budget", &self.shared.budget)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl<B> tower::retry::Policy<Request<ReplayableBody>, Response<B>, Error> for Policy {
    type Future = Sleep;

    fn retry(
        &mut self,
        _request: &mut Request<ReplayableBody>,
        result: &mut Result<Response<B>, Error>,
    ) -> Option<Sleep> {
        let Shared {
            config,
            budget,
            classifier,
        } = &*self.shared;
        let class = match result {
            Ok(response) => classifier.classify_response(response.status(), response.headers()),
            Err(error) => classifier.classify_error(error),
        };
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        if !class.is_retryable() {
            self.finish(result);
            return None;
        }
        if self.attempts >= config.max_attempts {
            tracing::debug!(
                attempts = self.attempts,
                reason = class.as_str(),
                status,
                "not retrying: attempts exhausted"
            );
            self.finish(result);
            return None;
        }
        let cost = budget.cost_of(class);
        if !budget.try_withdraw(cost) {
            tracing::warn!(
                attempts = self.attempts,
                reason = class.as_str(),
                status,
                cost,
                available = budget.available(),
                "not retrying: retry budget exhausted"
            );
            if let Err(error) = result {
                error.mark_budget_exhausted();
            }
            self.finish(result);
            return None;
        }
        self.last_cost = Some(cost);
        let delay = self.delay(result.as_ref().ok().map(Response::headers));
        tracing::info!(
            attempt = self.attempts,
            reason = class.as_str(),
            status,
            error = result.as_ref().err().map(tracing::field::display),
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying request"
        );
        self.attempts += 1;
        Some(tokio::time::sleep(delay))
    }

    fn clone_request(
        &mut self,
        request: &Request<ReplayableBody>,
    ) -> Option<Request<ReplayableBody>> {
        Some(request.clone())
    }
}

impl Policy {
    /// The wait before the next attempt: the server's hint (bounded), or jittered backoff.
    fn delay(&self, headers: Option<&http::HeaderMap>) -> Duration {
        let config = &self.shared.config;
        let hint = headers.and_then(|headers| retry_after(headers, SystemTime::now()));
        match hint {
            Some(hint) => hint.min(config.max_retry_after),
            None => {
                let retry = self.attempts.saturating_sub(1);
                full_jitter(
                    config.base_delay,
                    config.max_delay,
                    retry,
                    fastrand::u64(..),
                )
            }
        }
    }
}
