//! strata-emulator (under construction).
#![doc(test(attr(deny(warnings))))]
