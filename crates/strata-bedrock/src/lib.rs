//! strata-bedrock (under construction).
#![doc(test(attr(deny(warnings))))]
