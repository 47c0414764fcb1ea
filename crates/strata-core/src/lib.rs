//! strata-core (under construction).
#![doc(test(attr(deny(warnings))))]
