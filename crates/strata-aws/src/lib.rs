//! strata-aws (under construction).
#![doc(test(attr(deny(warnings))))]
