//! # strata-http
//!
//! Generic `tower` middleware over `http` 1.x for strata's request path: replayable bodies,
//! retry with backoff and a shared budget, redirect refusal, bearer auth, timeouts, user agent
//! and tracing, and the HTTP client. Nothing here knows about AWS.
#![doc(test(attr(deny(warnings))))]

pub mod bearer;
pub mod body;
pub mod client;
pub mod error;
pub mod redirect;
pub mod retry;
pub mod timeout;
mod util;

#[cfg(test)]
mod test_util;
#[cfg(test)]
mod test_util_tracing;

pub use error::{BoxError, Error};
