//! strata-openai (under construction).
#![doc(test(attr(deny(warnings))))]
