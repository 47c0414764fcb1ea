//! The retry budget: a token bucket shared by every clone of a retry layer.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::RetryClass;

/// A token bucket that every retry draws on, shared by all clones (and by every service
/// built from the same [`RetryLayer`](super::RetryLayer)), so a failing upstream cannot be
/// stormed with retries.
///
/// A retry costs [`retry_cost`](Self::retry_cost) tokens, or
/// [`timeout_cost`](Self::timeout_cost) after a timeout; with too few tokens left the failure
/// is returned instead of retried. A request that succeeds at the first attempt adds
/// [`success_refund`](Self::success_refund) tokens; one that succeeds after retries gives
/// back the cost of its last retry. The balance never exceeds the capacity and never goes
/// below zero.
///
/// The defaults are those of the AWS SDKs' standard retry mode: capacity 500, retry cost 5,
/// timeout cost 10, refund 1.
#[derive(Clone)]
pub struct RetryBudget {
    inner: Arc<Bucket>,
}

struct Bucket {
    tokens: AtomicU32,
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
}

impl RetryBudget {
    /// A full bucket with the given capacity and costs.
    pub fn new(capacity: u32, retry_cost: u32, timeout_cost: u32, success_refund: u32) -> Self {
        Self {
            inner: Arc::new(Bucket {
                tokens: AtomicU32::new(capacity),
                capacity,
                retry_cost,
                timeout_cost,
                success_refund,
            }),
        }
    }

    /// The AWS SDK standard-mode bucket: capacity 500, retry cost 5, timeout cost 10, refund 1.
    pub fn standard() -> Self {
        Self::new(500, 5, 10, 1)
    }

    /// Tokens left now.
    pub fn available(&self) -> u32 {
        self.inner.tokens.load(Ordering::Acquire)
    }

    /// The most tokens the bucket holds.
    pub fn capacity(&self) -> u32 {
        self.inner.capacity
    }

    /// Tokens a retry costs.
    pub fn retry_cost(&self) -> u32 {
        self.inner.retry_cost
    }

    /// Tokens a retry after a timeout costs.
    pub fn timeout_cost(&self) -> u32 {
        self.inner.timeout_cost
    }

    /// Tokens added when a request succeeds at its first attempt.
    pub fn success_refund(&self) -> u32 {
        self.inner.success_refund
    }

    /// The cost of retrying a failure of this class.
    pub fn cost_of(&self, class: RetryClass) -> u32 {
        match class {
            RetryClass::Timeout => self.inner.timeout_cost,
            _ => self.inner.retry_cost,
        }
    }

    /// Takes `cost` tokens if that many are left; returns whether it did.
    pub fn try_withdraw(&self, cost: u32) -> bool {
        self.inner
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(cost)
            })
            .is_ok()
    }

    /// Adds `amount` tokens, up to the capacity.
    pub fn deposit(&self, amount: u32) {
        let capacity = self.inner.capacity;
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self
            .inner
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                Some(tokens.saturating_add(amount).min(capacity))
            });
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryBudget")
            .field("available", &self.available())
            .field("capacity", &self.inner.capacity)
            .field("retry_cost", &self.inner.retry_cost)
            .field("timeout_cost", &self.inner.timeout_cost)
            .field("success_refund", &self.inner.success_refund)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU64;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn standard_defaults_match_the_aws_sdk() {
        let budget = RetryBudget::default();
        assert_eq!(
            (
                budget.capacity(),
                budget.retry_cost(),
                budget.timeout_cost()
            ),
            (500, 5, 10)
        );
        assert_eq!(budget.success_refund(), 1);
        assert_eq!(budget.cost_of(RetryClass::Timeout), 10);
        assert_eq!(budget.cost_of(RetryClass::Throttling), 5);
    }

    #[test]
    fn withdraw_stops_at_zero_and_deposit_at_capacity() {
        let budget = RetryBudget::new(12, 5, 10, 1);
        assert!(budget.try_withdraw(5));
        assert!(budget.try_withdraw(5));
        assert!(!budget.try_withdraw(5));
        assert_eq!(budget.available(), 2);
        budget.deposit(100);
        assert_eq!(budget.available(), 12);
        let clone = budget.clone();
        assert!(clone.try_withdraw(10));
        assert_eq!(budget.available(), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn balance_stays_in_bounds_under_concurrent_use(
            capacity in 0u32..200,
            ops in prop::collection::vec(prop::collection::vec((any::<bool>(), 0u32..40), 1..60), 2..6),
        ) {
            let budget = RetryBudget::new(capacity, 5, 10, 1);
            let withdrawn = Arc::new(AtomicU64::new(0));
            let deposited = Arc::new(AtomicU64::new(0));
            let threads: Vec<_> = ops
                .into_iter()
                .map(|thread_ops| {
                    let (budget, withdrawn, deposited) =
                        (budget.clone(), withdrawn.clone(), deposited.clone());
                    std::thread::spawn(move || {
                        for (take, amount) in thread_ops {
                            if take {
                                if budget.try_withdraw(amount) {
                                    withdrawn.fetch_add(u64::from(amount), Ordering::SeqCst);
                                }
                            } else {
                                budget.deposit(amount);
                                deposited.fetch_add(u64::from(amount), Ordering::SeqCst);
                            }
                            let now = budget.available();
                            assert!(now <= capacity, "{now} tokens > capacity {capacity}");
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            let (out, added) = (withdrawn.load(Ordering::SeqCst), deposited.load(Ordering::SeqCst));
            // Nothing can be withdrawn that was never there: the balance never went negative.
            prop_assert!(out <= u64::from(capacity) + added);
            let end = u64::from(budget.available());
            prop_assert!(end <= u64::from(capacity));
            prop_assert!(end + out <= u64::from(capacity) + added);
        }
    }
}
