//! strata-emulator (under construction).
#![doc(test(attr(deny(warnings))))]

pub mod models;
pub mod shapes;
