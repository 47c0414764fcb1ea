//! The Amazon Bedrock provider for strata.
//!
//! This crate holds the Converse wire types ([`wire`]) and the pure conversion modules between
//! them and the strata-core types.
#![doc(test(attr(deny(warnings))))]

pub mod wire;
