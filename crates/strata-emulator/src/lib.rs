//! strata-emulator: a local Bedrock-compatible server.
#![doc(test(attr(deny(warnings))))]

mod api_error;
mod auth;
mod body;
mod control;
mod emulator;
mod error;
mod eventstream;
pub mod faults;
pub mod journal;
pub mod models;
mod routes;
mod server;
mod shapes;

pub use emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, Emulator, EmulatorBuilder,
    EmulatorHandle,
};
pub use error::Error;
pub use faults::{Fault, Faults};
pub use journal::{AuthOutcome, Journal, JournalEntry};
