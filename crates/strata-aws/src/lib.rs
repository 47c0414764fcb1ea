//! # strata-aws
//!
//! The AWS half of strata's tower stack:
//!
//! - [`sign`]: the SigV4 signing layer ([`SigV4Layer`](sign::SigV4Layer)), signing every
//!   attempt at the last moment and correcting for clock skew;
//! - [`credentials`]: the credentials layer with a refresh-ahead, single-flight cache, and
//!   built-in providers (static keys, environment, shared config files, `credential_process`,
//!   a default chain; `aws-config`'s chain behind the `aws-config` feature);
//! - [`error`]: AWS JSON error parsing and retry classification;
//! - [`region`] and [`endpoint`]: region and endpoint resolution, once, at build time, from an
//!   explicit [`Env`](env::Env).
//!
//! # Order
//! Outermost first: retry, [`CredentialsLayer`](credentials::CredentialsLayer),
//! [`SigV4Layer`](sign::SigV4Layer), then the HTTP client — so every attempt gets fresh
//! credentials and a fresh signature.
#![doc(test(attr(deny(warnings))))]

pub mod credentials;
pub mod endpoint;
pub mod env;
pub mod error;
pub mod event_stream;
pub mod profile;
pub mod region;
pub mod sign;
