use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use http::{Request, Response};
use strata_http::body::ReplayableBody;
use tower::{Layer, ServiceExt, service_fn};

use super::*;
use crate::sign::Clock;

const T0: u64 = 1_700_000_000;

#[derive(Debug, Clone)]
struct FakeClock(Arc<Mutex<SystemTime>>);

impl FakeClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(T0),
        )))
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// A provider counting its calls; each call yields to the scheduler first (so concurrent
/// callers really overlap), then returns credentials expiring `lifetime` after the fake
/// clock's now, or fails when `fail` is set.
#[derive(Debug, Clone)]
struct Counting {
    calls: Arc<AtomicUsize>,
    clock: FakeClock,
    lifetime: Duration,
    fail: Arc<Mutex<bool>>,
}

impl Counting {
    fn new(clock: &FakeClock, lifetime: Duration) -> Self {
        Self {
            calls: Arc::default(),
            clock: clock.clone(),
            lifetime,
            fail: Arc::default(),
        }
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            if *self.fail.lock().unwrap() {
                return Err(provider::error::CredentialsError::provider_error(
                    "sts is down",
                ));
            }
            let expiry = self.clock.now() + self.lifetime;
            Ok(Credentials::new(
                format!("AKID{n}"),
                "SECRET-VALUE",
                None,
                Some(expiry),
                "counting",
            ))
        })
    }
}

fn cache(provider: &Counting, clock: &FakeClock) -> CredentialsCache {
    CredentialsCache::builder(provider.clone())
        .provider_name("counting")
        .clock(clock.clone())
        .build()
}

#[tokio::test(start_paused = true)]
async fn a_thousand_concurrent_requests_cause_one_provider_call() {
    let clock = FakeClock::new();
    let provider = Counting::new(&clock, Duration::from_secs(3600));
    let cache = cache(&provider, &clock);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "AKID1");
    }
    assert_eq!(provider.calls(), 1);

    // Expired: again a thousand requests, one call.
    clock.advance(Duration::from_secs(3600));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "AKID2");
    }
    assert_eq!(provider.calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn refresh_ahead_runs_once_in_the_background_while_valid_credentials_serve() {
    let clock = FakeClock::new();
    let provider = Counting::new(&clock, Duration::from_secs(3600));
    let cache = cache(&provider, &clock);
    assert_eq!(cache.credentials().await.unwrap().access_key_id(), "AKID1");
    // Four minutes before expiry: inside the five-minute window.
    clock.advance(Duration::from_secs(3600 - 240));
    for _ in 0..50 {
        assert_eq!(cache.cached().unwrap().access_key_id(), "AKID1");
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(provider.calls(), 2);
    assert_eq!(cache.cached().unwrap().access_key_id(), "AKID2");
}

#[tokio::test(start_paused = true)]
async fn short_lived_credentials_are_not_refreshed_on_every_request() {
    let clock = FakeClock::new();
    // Four minutes of life: always inside the five-minute window.
    let provider = Counting::new(&clock, Duration::from_secs(240));
    let cache = cache(&provider, &clock);
    cache.credentials().await.unwrap();
    for _ in 0..20 {
        cache.cached().unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(provider.calls(), 1);
    clock.advance(Duration::from_secs(10));
    cache.cached().unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(provider.calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn failed_refresh_keeps_valid_credentials_and_retries_after_the_backoff() {
    let clock = FakeClock::new();
    let provider = Counting::new(&clock, Duration::from_secs(3600));
    let cache = cache(&provider, &clock);
    cache.credentials().await.unwrap();
    *provider.fail.lock().unwrap() = true;
    clock.advance(Duration::from_secs(3600 - 240));
    assert_eq!(cache.cached().unwrap().access_key_id(), "AKID1");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(provider.calls(), 2);
    // Within the 10 s back-off: no new attempt, still serving.
    clock.advance(Duration::from_secs(5));
    assert_eq!(cache.cached().unwrap().access_key_id(), "AKID1");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(provider.calls(), 2);
    // After it: one more attempt, which succeeds.
    *provider.fail.lock().unwrap() = false;
    clock.advance(Duration::from_secs(6));
    assert_eq!(cache.cached().unwrap().access_key_id(), "AKID1");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(provider.calls(), 3);
    assert_eq!(cache.cached().unwrap().access_key_id(), "AKID3");
}

#[tokio::test(start_paused = true)]
async fn nothing_valid_is_a_typed_error_naming_the_provider() {
    let clock = FakeClock::new();
    let provider = Counting::new(&clock, Duration::from_secs(3600));
    *provider.fail.lock().unwrap() = true;
    let layer = CredentialsLayer::new(cache(&provider, &clock));
    let svc = layer.layer(service_fn(|_req: Request<ReplayableBody>| async {
        Ok::<_, Infallible>(Response::new(()))
    }));
    let req = Request::get("https://x.amazonaws.com/")
        .body(ReplayableBody::empty())
        .unwrap();
    let err = svc.oneshot(req).await.unwrap_err();
    assert_eq!(err.kind(), strata_http::ErrorKind::Credentials);
    assert_eq!(err.credentials_provider(), Some("counting"));
    let creds = std::error::Error::source(&err)
        .and_then(|source| source.downcast_ref::<CredentialsError>())
        .unwrap();
    assert!(creds.is_provider_failure());
    assert_eq!(creds.to_string(), "credentials provider `counting` failed");
    assert_eq!(
        err.to_string(),
        "no credentials from `counting`; the request was not sent"
    );
}

#[tokio::test(start_paused = true)]
async fn waiters_share_a_failed_call_and_expired_or_slow_providers_are_errors() {
    let clock = FakeClock::new();
    let provider = Counting::new(&clock, Duration::from_secs(3600));
    *provider.fail.lock().unwrap() = true;
    let cache = cache(&provider, &clock);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.credentials().await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().unwrap_err().is_provider_failure());
    }
    assert_eq!(provider.calls(), 1);

    let expired = Counting::new(&clock, Duration::from_secs(5));
    let err = cache_of(&expired, &clock).credentials().await.unwrap_err();
    assert!(err.is_expired(), "{err:?}");

    #[derive(Debug)]
    struct Hang;
    impl ProvideCredentials for Hang {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(std::future::pending())
        }
    }
    let err = CredentialsCache::builder(Hang)
        .provider_name("hang")
        .build()
        .credentials()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(
        err.to_string(),
        "credentials provider `hang` did not answer in time"
    );
}

fn cache_of(provider: &Counting, clock: &FakeClock) -> CredentialsCache {
    cache(provider, clock)
}

#[tokio::test]
async fn layer_puts_cached_credentials_in_extensions() {
    let provider = StaticCredentials::builder()
        .access_key_id("AKIDEXAMPLE")
        .secret_access_key("SECRET-VALUE")
        .build()
        .unwrap();
    let svc = CredentialsLayer::new(CredentialsCache::new(provider)).layer(service_fn(
        |req: Request<ReplayableBody>| async move {
            let c = req.extensions().get::<Credentials>().unwrap().clone();
            Ok::<_, Infallible>(Response::new(c.access_key_id().to_owned()))
        },
    ));
    for _ in 0..2 {
        let req = Request::get("https://x.amazonaws.com/")
            .body(ReplayableBody::empty())
            .unwrap();
        let response = svc.clone().oneshot(req).await.unwrap();
        assert_eq!(response.body(), "AKIDEXAMPLE");
    }
}

mod providers {
    use super::*;
    use crate::env::Env;

    #[test]
    fn static_keys_name_the_missing_part() {
        let err = StaticCredentials::builder()
            .access_key_id("AKID")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "static AWS credentials are half-specified: the secret access key is missing (the access key id was given)"
        );
        let err = StaticCredentials::builder()
            .secret_access_key("SECRET-VALUE")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "static AWS credentials are half-specified: the access key id is missing (the secret access key was given)"
        );
        let err = StaticCredentials::builder()
            .session_token("TOKEN-VALUE")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "static AWS credentials are half-specified: the access key id and the secret access key are missing (a session token was given)"
        );
        let err = StaticCredentials::builder().build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "static AWS credentials: the access key id and the secret access key are missing"
        );
    }

    #[test]
    fn environment_keys_are_read_once_and_half_specified_is_an_error() {
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET-VALUE"),
            ("AWS_SESSION_TOKEN", "TOKEN-VALUE"),
        ]);
        let provider = EnvironmentCredentials::from_env(&env).unwrap().unwrap();
        let c = futures_util::FutureExt::now_or_never(provider.provide_credentials())
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "SECRET-VALUE", Some("TOKEN-VALUE"))
        );
        assert!(
            EnvironmentCredentials::from_env(&Env::default())
                .unwrap()
                .is_none()
        );
        let err =
            EnvironmentCredentials::from_env(&Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]))
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS credentials in the environment are half-specified: AWS_SECRET_ACCESS_KEY is missing (AWS_ACCESS_KEY_ID was given)"
        );
    }

    fn files_env(
        dir: &std::path::Path,
        config: &str,
        credentials: &str,
        profile: Option<&str>,
    ) -> Env {
        let c = dir.join("config");
        let k = dir.join("credentials");
        std::fs::write(&c, config).unwrap();
        std::fs::write(&k, credentials).unwrap();
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_owned(), c.to_str().unwrap().to_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                k.to_str().unwrap().to_owned(),
            ),
        ];
        if let Some(p) = profile {
            vars.push(("AWS_PROFILE".to_owned(), p.to_owned()));
        }
        Env::from_vars(vars)
    }

    #[tokio::test]
    async fn profile_static_keys_with_session_token() {
        let dir = tempfile::tempdir().unwrap();
        let env = files_env(
            dir.path(),
            "[profile dev]\nregion = eu-west-1\n",
            "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n\
             [dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET-VALUE\naws_session_token = TOKEN-VALUE\n",
            Some("dev"),
        );
        assert_eq!(default_cache(&env).unwrap().provider_name(), "profile dev");
        let provider = default_provider(&env).unwrap();
        assert_eq!(provider.name(), "profile dev");
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("AKID", Some("TOKEN-VALUE"))
        );
        let debug = format!("{provider:?}");
        assert!(
            !debug.contains("SECRET-VALUE") && !debug.contains("TOKEN-VALUE"),
            "{debug}"
        );
    }

    #[tokio::test]
    async fn profile_half_specified_keys_are_a_build_error() {
        let dir = tempfile::tempdir().unwrap();
        let env = files_env(
            dir.path(),
            "",
            "[default]\naws_secret_access_key = SECRET-VALUE\n",
            None,
        );
        let err = default_provider(&env).unwrap_err();
        assert!(err.is_invalid());
        assert_eq!(err.provider(), "profile `default`");
        let chain = format!("{err} / {}", std::error::Error::source(&err).unwrap());
        assert_eq!(
            chain,
            "credentials provider `profile `default`` is misconfigured or returned invalid output / \
             AWS credentials in the profile are half-specified: aws_access_key_id is missing (aws_secret_access_key was given)"
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn credential_process_output_with_expiration() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("creds.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": \"SECRET-VALUE\", \
             \"SessionToken\": \"TOKEN-VALUE\", \"Expiration\": \"2030-01-02T03:04:05Z\"}'\n",
        )
        .unwrap();
        let env = files_env(
            dir.path(),
            &format!(
                "[profile p]\ncredential_process = sh {}\n",
                script.display()
            ),
            "",
            Some("p"),
        );
        let provider = default_provider(&env).unwrap();
        assert_eq!(provider.name(), "credential_process (profile p)");
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "AKIDP");
        assert_eq!(c.secret_access_key(), "SECRET-VALUE");
        assert_eq!(c.session_token(), Some("TOKEN-VALUE"));
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_553_445))
        );
        let debug = format!("{provider:?}");
        assert!(!debug.contains(script.to_str().unwrap()), "{debug}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn credential_process_failures_never_show_output() {
        let err = CredentialProcess::new("echo SECRET-VALUE; exit 3")
            .run()
            .await
            .unwrap_err();
        assert!(err.is_invalid());
        let text = format!("{err} {err:?} {}", std::error::Error::source(&err).unwrap());
        assert!(!text.contains("SECRET-VALUE"), "{text}");
        assert!(text.contains("exit status: 3"), "{text}");
        let err = CredentialProcess::new("echo SECRET-VALUE")
            .run()
            .await
            .unwrap_err();
        let text = format!("{err:?}");
        assert!(!text.contains("SECRET-VALUE"), "{text}");
    }

    #[test]
    fn credential_process_json_errors() {
        let reason = |json: &str| {
            let err = process::parse_output(json.as_bytes()).unwrap_err();
            std::error::Error::source(&err).unwrap().to_string()
        };
        assert_eq!(
            reason("{\"Version\": 2}"),
            "unsupported `Version` (only 1 is supported)"
        );
        assert_eq!(reason("{}"), "`Version` is missing or not a number");
        assert_eq!(
            reason("{\"Version\":1,\"SecretAccessKey\":\"S\"}"),
            "`AccessKeyId` is missing"
        );
        assert_eq!(
            reason("{\"Version\":1,\"AccessKeyId\":\"A\"}"),
            "`SecretAccessKey` is missing"
        );
        assert_eq!(
            reason(
                "{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Expiration\":\"soon\"}"
            ),
            "`Expiration` is not an RFC 3339 timestamp"
        );
        assert_eq!(reason("[1]"), "the output is not a JSON object");
        assert_eq!(reason("SECRET"), "the output is not JSON (syntax error)");
        let c = process::parse_output(br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}"#)
            .unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token(), c.expiry()),
            ("A", None, None)
        );
    }

    #[test]
    fn assume_role_profiles_point_to_the_aws_config_feature() {
        let dir = tempfile::tempdir().unwrap();
        let env = files_env(
            dir.path(),
            "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n",
            "",
            Some("admin"),
        );
        let err = default_provider(&env).unwrap_err();
        assert!(err.is_not_configured());
        assert_eq!(err.provider(), "profile `admin`");
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert!(
            source.starts_with("the profile uses `role_arn`"),
            "{source}"
        );
        assert!(source.contains("`aws-config` feature"), "{source}");
    }

    #[test]
    fn nothing_configured_says_how_to_configure() {
        let dir = tempfile::tempdir().unwrap();
        let env = files_env(dir.path(), "", "", None);
        let err = default_provider(&env).unwrap_err();
        assert!(err.is_not_configured());
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert!(
            source.starts_with(
                "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ),
            "{source}"
        );
    }

    #[test]
    fn environment_wins_over_profile() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = files_env(
            dir.path(),
            "",
            "[default]\naws_access_key_id = P\naws_secret_access_key = PS\n",
            None,
        );
        let mut vars: Vec<(String, String)> = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]
            .iter()
            .map(|k| (k.to_string(), env.get(k).unwrap().to_owned()))
            .collect();
        vars.push(("AWS_ACCESS_KEY_ID".into(), "E".into()));
        vars.push(("AWS_SECRET_ACCESS_KEY".into(), "ES".into()));
        env = Env::from_vars(vars);
        assert_eq!(default_provider(&env).unwrap().name(), "environment");
    }

    #[test]
    fn no_secret_in_any_debug_or_display() {
        let s = StaticCredentials::builder()
            .access_key_id("AKID")
            .secret_access_key("SECRET-VALUE")
            .session_token("TOKEN-VALUE")
            .build()
            .unwrap();
        let b = StaticCredentials::builder()
            .secret_access_key("SECRET-VALUE")
            .session_token("TOKEN-VALUE");
        let e = EnvironmentCredentials::from_env(&Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET-VALUE"),
            ("AWS_SESSION_TOKEN", "TOKEN-VALUE"),
        ]))
        .unwrap()
        .unwrap();
        let cache = CredentialsCache::new(s.clone());
        let layer = CredentialsLayer::new(cache.clone());
        let texts = [
            format!("{s:?}"),
            format!("{b:?}"),
            format!("{e:?}"),
            format!("{cache:?}"),
            format!("{layer:?}"),
            format!("{:?}", s.credentials()),
            format!(
                "{:?}",
                CredentialProcess::new("get-creds --secret SECRET-VALUE")
            ),
        ];
        for text in texts {
            assert!(
                !text.contains("SECRET-VALUE") && !text.contains("TOKEN-VALUE"),
                "{text}"
            );
        }
    }
}
