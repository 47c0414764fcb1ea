//! Time for signing: a [`Clock`] plus the skew learned from the service.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// A source of the current time, so tests can sign with a fixed or moving fake clock.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> SystemTime {
        (**self).now()
    }
}

/// The offset between the service's clock and ours, in milliseconds (service minus local).
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    offset_ms: AtomicI64,
}

/// How far our corrected clock may drift from a service's `Date` before a skew error makes us
/// adopt the service's time. `Date` has one-second resolution and SigV4 allows five minutes.
pub(crate) const SKEW_THRESHOLD: Duration = Duration::from_secs(60);

impl ClockSkew {
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// `now` corrected by the learned offset.
    pub(crate) fn apply(&self, now: SystemTime) -> SystemTime {
        shift(now, self.offset_ms())
    }

    /// Learns the offset from a service `Date`, if our corrected clock is off by more than
    /// [`SKEW_THRESHOLD`]. Returns whether the offset changed.
    pub(crate) fn learn(&self, local_now: SystemTime, server_date: SystemTime) -> bool {
        let corrected = self.apply(local_now);
        let drift_ms = signed_ms(server_date, corrected);
        if drift_ms.unsigned_abs() < SKEW_THRESHOLD.as_millis() as u64 {
            return false;
        }
        let offset = signed_ms(server_date, local_now);
        self.offset_ms.store(offset, Ordering::Relaxed);
        tracing::debug!(
            offset_ms = offset,
            "corrected SigV4 clock skew from service Date"
        );
        true
    }
}

/// `a - b` in milliseconds, saturating.
fn signed_ms(a: SystemTime, b: SystemTime) -> i64 {
    match a.duration_since(b) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

fn shift(t: SystemTime, offset_ms: i64) -> SystemTime {
    let magnitude = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 {
        t.checked_add(magnitude)
    } else {
        t.checked_sub(magnitude)
    };
    shifted.unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_only_beyond_the_threshold_and_applies_both_signs() {
        let skew = ClockSkew::default();
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(!skew.learn(local, local + Duration::from_secs(59)));
        assert_eq!(skew.offset_ms(), 0);
        assert!(skew.learn(local, local + Duration::from_secs(600)));
        assert_eq!(skew.offset_ms(), 600_000);
        assert_eq!(skew.apply(local), local + Duration::from_secs(600));
        // Already corrected: the same service time teaches nothing new.
        assert!(!skew.learn(local, local + Duration::from_secs(601)));
        assert!(skew.learn(local, local - Duration::from_secs(300)));
        assert_eq!(skew.apply(local), local - Duration::from_secs(300));
    }

    proptest::proptest! {
        #[test]
        fn learned_offset_reproduces_the_service_time(
            local_secs in 0u64..4_000_000_000,
            offset_ms in -400_000_000_000i64..400_000_000_000,
        ) {
            let local = SystemTime::UNIX_EPOCH + Duration::from_secs(local_secs);
            let server = shift(local, offset_ms);
            let skew = ClockSkew::default();
            let learned = skew.learn(local, server);
            let drift = signed_ms(server, local);
            proptest::prop_assert_eq!(learned, drift.unsigned_abs() >= 60_000);
            if learned {
                proptest::prop_assert_eq!(skew.apply(local), server);
                // Learning the same time again changes nothing.
                proptest::prop_assert!(!skew.learn(local, server));
            } else {
                proptest::prop_assert_eq!(skew.apply(local), local);
            }
        }
    }
}
