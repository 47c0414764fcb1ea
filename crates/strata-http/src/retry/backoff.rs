//! Backoff arithmetic and server-sent retry hints; pure functions.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// The largest delay full-jitter backoff may choose before retry number `retry` (0 for the
/// first retry): `min(cap, base * 2^retry)`.
pub(crate) fn ceiling(base: Duration, cap: Duration, retry: u32) -> Duration {
    let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(cap)
}

/// Full jitter: a delay in `[0, ceiling(base, cap, retry)]`, picked by `random` (uniform over
/// all `u64` values) without floating point, so it never exceeds the ceiling.
pub(crate) fn full_jitter(base: Duration, cap: Duration, retry: u32, random: u64) -> Duration {
    let ceiling = ceiling(base, cap, retry)
        .as_nanos()
        .min(u128::from(u64::MAX));
    let nanos = (ceiling * u128::from(random)) >> 64;
    // `nanos < ceiling <= u64::MAX`, so the conversion cannot fail.
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// How long the server asked us to wait, from `retry-after-ms`, `x-amz-retry-after` (both
/// milliseconds) or `Retry-After` (seconds or an HTTP date, measured from `now`), in that
/// order. Unparseable values are ignored; a date in the past means no wait.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let millis = |name: &str| text(name)?.parse::<u64>().ok().map(Duration::from_millis);
    if let Some(delay) = millis("retry-after-ms").or_else(|| millis("x-amz-retry-after")) {
        return Some(delay);
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;
    use proptest::prelude::*;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    proptest! {
        #[test]
        fn jittered_delay_stays_within_zero_and_the_ceiling(
            base_ms in 0u64..100_000,
            cap_ms in 0u64..10_000_000,
            retry in 0u32..80,
            random in any::<u64>(),
        ) {
            let base = Duration::from_millis(base_ms);
            let cap = Duration::from_millis(cap_ms);
            let delay = full_jitter(base, cap, retry, random);
            let exact = u128::from(base_ms) * 1_000_000 * (1u128 << retry.min(100));
            let bound = exact.min(u128::from(cap_ms) * 1_000_000);
            prop_assert!(delay.as_nanos() <= bound, "{delay:?} > {bound}ns");
            prop_assert!(delay <= cap);
        }

        #[test]
        fn extreme_durations_never_overflow(
            base_s in any::<u64>(),
            cap_s in any::<u64>(),
            retry in any::<u32>(),
            random in any::<u64>(),
        ) {
            let cap = Duration::from_secs(cap_s);
            prop_assert!(full_jitter(Duration::from_secs(base_s), cap, retry, random) <= cap);
        }
    }

    #[test]
    fn ceiling_doubles_until_the_cap() {
        let (base, cap) = (Duration::from_secs(1), Duration::from_secs(20));
        let ceilings: Vec<u64> = (0..7).map(|n| ceiling(base, cap, n).as_secs()).collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 20, 20]);
        assert_eq!(
            full_jitter(base, cap, 3, u64::MAX),
            Duration::from_nanos(7_999_999_999)
        );
        assert_eq!(full_jitter(base, cap, 3, 0), Duration::ZERO);
        assert_eq!(full_jitter(base, cap, 3, 1 << 63), Duration::from_secs(4));
    }

    #[test]
    fn retry_after_headers_in_priority_order() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ms = headers(&[("retry-after-ms", "1500"), ("retry-after", "9")]);
        assert_eq!(retry_after(&ms, now), Some(Duration::from_millis(1500)));
        let amz = headers(&[("x-amz-retry-after", "250")]);
        assert_eq!(retry_after(&amz, now), Some(Duration::from_millis(250)));
        let secs = headers(&[("retry-after", " 7 ")]);
        assert_eq!(retry_after(&secs, now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(42));
        let dated = headers(&[("retry-after", &date)]);
        assert_eq!(retry_after(&dated, now), Some(Duration::from_secs(42)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(42));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn malformed_retry_after_is_ignored() {
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "-5")]), now),
            None
        );
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
