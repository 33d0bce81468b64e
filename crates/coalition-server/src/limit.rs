//! Rate limits (GCRA, from `governor`): on authentication failures per client address, and on
//! writes per token and per client address. A client over its limit is answered `429` with
//! `Retry-After`.
//!
//! An address that has used up its authentication failures is refused every token it presents
//! until it may try again, before the token is even looked at — so a loop guessing tokens learns
//! nothing from the answers it gets while limited, a right guess included. Requests without a
//! token (the public) are not affected: a limited address still reads what the public may.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use governor::clock::{Clock as _, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{NotUntil, Quota, RateLimiter};

use crate::error::ApiError;

/// How many requests of a kind a client may make: `burst` at once, then one more every
/// `60 / per_minute` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed at once.
    pub burst: u32,
    /// Requests allowed per minute once the burst is used.
    pub per_minute: u32,
}

/// The server's rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Failed authentications (bad, revoked or expired tokens) per client address.
    pub auth_failures: Rate,
    /// Writes per token.
    pub writes_per_token: Rate,
    /// Writes per client address (all its tokens together).
    pub writes_per_address: Rate,
}

impl Default for Limits {
    /// Ten wrong tokens, then one a minute; sixty writes at once and ten a second per token,
    /// twice that per address — far above what a person or a script recording facts needs.
    fn default() -> Limits {
        Limits {
            auth_failures: Rate {
                burst: 10,
                per_minute: 1,
            },
            writes_per_token: Rate {
                burst: 60,
                per_minute: 600,
            },
            writes_per_address: Rate {
                burst: 120,
                per_minute: 1200,
            },
        }
    }
}

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// The most keys a limiter keeps before it forgets those whose limit has fully recovered.
const KEPT_KEYS: usize = 10_000;

/// The limiters every request shares.
pub(crate) struct Limiter {
    failures: Keyed<IpAddr>,
    /// Addresses refused every token until the instant given.
    barred: Mutex<BTreeMap<IpAddr, Instant>>,
    writes_by_token: Keyed<String>,
    writes_by_address: Keyed<IpAddr>,
}

fn quota(rate: Rate) -> Quota {
    let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
    let period = Duration::from_secs(60) / rate.per_minute.max(1);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Limiter {
        Limiter {
            failures: RateLimiter::keyed(quota(limits.auth_failures)),
            barred: Mutex::new(BTreeMap::new()),
            writes_by_token: RateLimiter::keyed(quota(limits.writes_per_token)),
            writes_by_address: RateLimiter::keyed(quota(limits.writes_per_address)),
        }
    }

    /// Refuses an address still barred for its authentication failures.
    pub(crate) fn may_authenticate(&self, address: IpAddr) -> Result<(), ApiError> {
        let now = Instant::now();
        let Ok(mut barred) = self.barred.lock() else {
            return Ok(());
        };
        match barred.get(&address) {
            Some(until) if *until > now => Err(limited(
                "rate.auth_failures",
                "too many failed authentications from this address",
                *until - now,
            )),
            Some(_) => {
                barred.remove(&address);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a failed authentication: `401` while the address has failures left, `429`
    /// (and the address barred) once it has none.
    pub(crate) fn failed(&self, address: IpAddr, refusal: ApiError) -> ApiError {
        forget_recovered(&self.failures);
        match self.failures.check_key(&address) {
            Ok(()) => refusal,
            Err(not_until) => {
                let wait = wait(&not_until);
                if let Ok(mut barred) = self.barred.lock() {
                    let now = Instant::now();
                    if barred.len() >= KEPT_KEYS {
                        barred.retain(|_, until| *until > now);
                    }
                    barred.insert(address, now + wait);
                }
                tracing::warn!(
                    client = %address,
                    retry_after_s = seconds(wait),
                    "repeated authentication failures from this address: its tokens are refused until then"
                );
                limited(
                    "rate.auth_failures",
                    "too many failed authentications from this address",
                    wait,
                )
            }
        }
    }

    /// Counts a write by `token` from `address`.
    pub(crate) fn write(&self, token: &str, address: IpAddr) -> Result<(), ApiError> {
        forget_recovered(&self.writes_by_token);
        forget_recovered(&self.writes_by_address);
        if let Err(not_until) = self.writes_by_token.check_key(&token.to_owned()) {
            tracing::warn!(token_id = %token, "writes by this token are rate limited");
            return Err(limited(
                "rate.writes",
                "too many writes with this token",
                wait(&not_until),
            ));
        }
        if let Err(not_until) = self.writes_by_address.check_key(&address) {
            tracing::warn!(client = %address, "writes from this address are rate limited");
            return Err(limited(
                "rate.writes",
                "too many writes from this address",
                wait(&not_until),
            ));
        }
        Ok(())
    }
}

fn forget_recovered<K: std::hash::Hash + Eq + Clone>(limiter: &Keyed<K>) {
    if limiter.len() >= KEPT_KEYS {
        limiter.retain_recent();
    }
}

fn wait(not_until: &NotUntil<governor::clock::QuantaInstant>) -> Duration {
    not_until.wait_time_from(DefaultClock::default().now())
}

/// Whole seconds, rounded up and at least one, as `Retry-After` wants them.
fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn limited(code: &str, message: &str, wait: Duration) -> ApiError {
    let after = seconds(wait).max(1);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        code,
        format!("{message}; try again in {after} s"),
    )
    .retry_after(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_out_of_failures_is_barred_and_others_are_not() {
        let limiter = Limiter::new(Limits {
            auth_failures: Rate {
                burst: 2,
                per_minute: 1,
            },
            ..Limits::default()
        });
        let (one, two) = (IpAddr::from([127, 0, 0, 1]), IpAddr::from([127, 0, 0, 2]));
        let refusal = || ApiError::new(StatusCode::UNAUTHORIZED, "token.invalid", "no");
        assert_eq!(limiter.failed(one, refusal()).status(), 401);
        assert_eq!(limiter.failed(one, refusal()).status(), 401);
        assert!(limiter.may_authenticate(one).is_ok());
        let limited = limiter.failed(one, refusal());
        assert_eq!(limited.status(), 429);
        let barred = limiter.may_authenticate(one).expect_err("barred");
        assert_eq!(barred.status(), 429);
        assert!(limiter.may_authenticate(two).is_ok());
        assert_eq!(limiter.failed(two, refusal()).status(), 401);
    }

    #[test]
    fn a_wait_is_whole_seconds_rounded_up() {
        assert_eq!(seconds(Duration::from_millis(1)), 1);
        assert_eq!(seconds(Duration::from_secs(6)), 6);
        assert_eq!(seconds(Duration::from_millis(5_900)), 6);
    }
}
