use std::io::Write as _;

use std::time::Duration;

use strata_aws::auth::AwsAuth;
use strata_http::bearer::{Token, token_fn};

use super::*;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn base() -> BedrockBuilder {
    BedrockBuilder::default().env([("AWS_REGION", "us-east-1"), ("HOME", "/nonexistent")])
}

fn with_env(vars: &[(&str, &str)]) -> BedrockBuilder {
    let mut all = vec![("AWS_REGION", "us-east-1"), ("HOME", "/nonexistent")];
    all.extend_from_slice(vars);
    BedrockBuilder::default().env(all)
}

fn auth_of(builder: BedrockBuilder) -> AwsAuth {
    builder.resolve().unwrap().auth
}

/// The provider name of a SigV4 identity.
fn provider_name(auth: &AwsAuth) -> &str {
    auth.credentials_cache()
        .expect("expected SigV4, got bearer")
        .provider_name()
}

async fn static_credentials(auth: &AwsAuth) -> strata_aws::credentials::Credentials {
    let cache = auth
        .credentials_cache()
        .expect("expected SigV4, got bearer");
    cache.credentials().await.expect("static credentials load")
}

#[test]
fn two_explicit_modes_are_ambiguous() {
    let cases: Vec<(BedrockBuilder, &str)> = vec![
        (
            base()
                .access_key_id(KEY)
                .secret_access_key(SECRET)
                .api_key("k"),
            "ambiguous authentication: both static AWS keys and a Bedrock API key were configured; choose one",
        ),
        (
            base()
                .profile("dev")
                .token_provider(token_fn(|| async { Token::new("t") })),
            "ambiguous authentication: both a named profile and a bearer token provider were configured; choose one",
        ),
        (
            base().session_token("only-a-token").profile("dev"),
            "ambiguous authentication: both static AWS keys and a named profile were configured; choose one",
        ),
    ];
    for (builder, message) in cases {
        let error = builder.build().unwrap_err();
        assert!(error.is_ambiguous_auth(), "{error:?}");
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn half_specified_keys_name_the_missing_part() {
    let error = base().access_key_id(KEY).build().unwrap_err();
    assert!(error.is_half_specified_keys());
    assert_eq!(
        error.to_string(),
        "static AWS credentials are half-specified: the secret access key is missing (the access key id was given)"
    );
    let error = base()
        .secret_access_key(SECRET)
        .session_token("t")
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "static AWS credentials are half-specified: the access key id is missing (the secret access key was given)"
    );
    assert!(!format!("{error:?}{error}").contains(SECRET));
}

#[tokio::test]
async fn explicit_keys_take_nothing_from_the_environment() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret-from-env"),
        ("AWS_SESSION_TOKEN", "stray-session-token"),
        ("AWS_BEARER_TOKEN_BEDROCK", "stray-bearer"),
    ];
    let auth = auth_of(with_env(&env).access_key_id(KEY).secret_access_key(SECRET));
    let credentials = static_credentials(&auth).await;
    assert_eq!(credentials.access_key_id(), KEY);
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), None);
    assert_eq!(auth.secret_on_the_wire(), None);

    let auth = auth_of(
        with_env(&env)
            .access_key_id(KEY)
            .secret_access_key(SECRET)
            .session_token("explicit-token"),
    );
    assert_eq!(
        static_credentials(&auth).await.session_token(),
        Some("explicit-token")
    );
    assert_eq!(auth.secret_on_the_wire(), Some("a session token"));
}

#[test]
fn precedence_explicit_then_bearer_env_then_default_chain() {
    // An explicit mode wins over the bearer variable.
    let auth = auth_of(
        with_env(&[("AWS_BEARER_TOKEN_BEDROCK", "from-env")])
            .access_key_id(KEY)
            .secret_access_key(SECRET),
    );
    assert!(!auth.is_bearer());
    // The bearer variable wins over keys in the environment.
    let auth = auth_of(with_env(&[
        ("AWS_BEARER_TOKEN_BEDROCK", "from-env"),
        ("AWS_ACCESS_KEY_ID", KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]));
    assert!(auth.is_bearer());
    // Then the default chain: environment keys.
    let auth = auth_of(with_env(&[
        ("AWS_ACCESS_KEY_ID", KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]));
    assert_eq!(provider_name(&auth), "environment");
}

#[cfg(not(feature = "aws-config"))]
#[test]
fn without_credentials_the_build_fails_and_names_the_aws_config_feature() {
    let error = base().build().unwrap_err();
    assert!(error.is_credentials(), "{error:?}");
    assert_eq!(error.to_string(), "no usable credentials");
    let core = strata_core::Error::from(error);
    assert!(core.is_config());
    assert!(
        core.to_string()
            .contains("no AWS credentials found: set AWS_ACCESS_KEY_ID"),
        "{core}"
    );
    assert!(
        core.to_string().contains("enable the `aws-config` feature"),
        "{core}"
    );
}

#[cfg(feature = "aws-config")]
#[test]
fn without_credentials_the_default_chain_falls_back_to_aws_config() {
    const NAME: &str = "aws-config default chain";

    // Nothing in the environment or the files: aws-config's chain, not a build error.
    let auth = auth_of(base());
    assert_eq!(provider_name(&auth), NAME);
    assert_eq!(auth.secret_on_the_wire(), Some("a session token"));
    // A profile that needs SSO falls back too; the built-in sources still come first.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[default]\nsso_session = corp\n").unwrap();
    let sso = with_env(&[("AWS_CONFIG_FILE", config.to_str().unwrap())]);
    assert_eq!(provider_name(&auth_of(sso)), NAME);
    let keys = auth_of(with_env(&[
        ("AWS_ACCESS_KEY_ID", KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]));
    assert_eq!(provider_name(&keys), "environment");
    // Half-configured sources are still build errors, not silently skipped.
    let error = with_env(&[("AWS_ACCESS_KEY_ID", KEY)]).build().unwrap_err();
    assert!(error.is_credentials(), "{error:?}");
}

#[test]
fn a_named_profile_selects_keys_and_region_over_aws_profile() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::File::create(&config)
        .unwrap()
        .write_all(b"[profile dev]\nregion = eu-west-3\n[default]\nregion = us-west-2\n")
        .unwrap();
    std::fs::File::create(&credentials)
        .unwrap()
        .write_all(b"[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = defaultsecret\n")
        .unwrap();
    let vars = [
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_PROFILE", "default"),
        ("HOME", "/nonexistent"),
    ];
    let resolved = BedrockBuilder::default()
        .env(vars)
        .profile("dev")
        .resolve()
        .unwrap();
    assert_eq!(resolved.endpoints.region().as_str(), "eu-west-3");
    assert_eq!(provider_name(&resolved.auth), "profile dev");
    let error = BedrockBuilder::default()
        .env(vars)
        .profile("missing")
        .region("us-east-1")
        .build()
        .unwrap_err();
    assert!(error.is_credentials());
    assert!(
        error
            .to_string()
            .contains("profile `missing` has no credentials"),
        "{error}"
    );
}

#[test]
fn endpoints_resolve_separately_with_explicit_settings_first() {
    let resolved = with_env(&[
        ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:4000/"),
        ("AWS_ENDPOINT_URL", "https://global.example"),
    ])
    .api_key("k")
    .resolve()
    .unwrap();
    assert_eq!(resolved.endpoints.runtime_url(), "http://127.0.0.1:4000");
    assert_eq!(
        resolved.endpoints.agent_runtime_url(),
        "https://global.example"
    );

    let resolved = with_env(&[("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "https://env.example")])
        .api_key("k")
        .endpoint_url("https://explicit.example")
        .region("eu-central-1")
        .resolve()
        .unwrap();
    assert_eq!(resolved.endpoints.runtime_url(), "https://explicit.example");
    assert_eq!(
        resolved.endpoints.agent_runtime_url(),
        "https://explicit.example"
    );
    assert_eq!(resolved.endpoints.region().as_str(), "eu-central-1");

    // Only the runtime variable: the agent runtime keeps its standard host.
    let resolved = with_env(&[("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "https://env.example")])
        .api_key("k")
        .region("eu-central-1")
        .resolve()
        .unwrap();
    assert_eq!(resolved.endpoints.runtime_url(), "https://env.example");
    assert_eq!(
        resolved.endpoints.agent_runtime_url(),
        "https://bedrock-agent-runtime.eu-central-1.amazonaws.com"
    );

    // An explicit runtime URL wins over the agent-runtime variable, an explicit agent-runtime
    // URL over the explicit runtime URL.
    let resolved = with_env(&[(
        "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME",
        "https://agent-env.example",
    )])
    .api_key("k")
    .endpoint_url("https://explicit.example")
    .resolve()
    .unwrap();
    assert_eq!(
        resolved.endpoints.agent_runtime_url(),
        "https://explicit.example"
    );
    let resolved = base()
        .api_key("k")
        .endpoint_url("https://explicit.example")
        .agent_runtime_endpoint_url("https://agent.example/")
        .resolve()
        .unwrap();
    assert_eq!(resolved.endpoints.runtime_url(), "https://explicit.example");
    assert_eq!(
        resolved.endpoints.agent_runtime_url(),
        "https://agent.example"
    );

    let error = base()
        .api_key("k")
        .endpoint_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(error.is_endpoint(), "{error:?}");
    let error = BedrockBuilder::default()
        .env([("HOME", "/nonexistent")])
        .api_key("k")
        .build()
        .unwrap_err();
    assert!(error.is_region(), "{error:?}");
}

#[test]
fn tokens_never_cross_plain_http_except_to_loopback() {
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
        "https://bedrock.example",
    ] {
        assert!(
            base().api_key("k").endpoint_url(url).build().is_ok(),
            "{url}"
        );
    }
    let error = base()
        .api_key("k")
        .endpoint_url("http://10.0.0.5:8080")
        .build()
        .unwrap_err();
    assert!(error.is_insecure_endpoint());
    assert_eq!(
        error.to_string(),
        "refusing to send a bearer token over plain HTTP to http://10.0.0.5:8080: use https, a \
         loopback address, or allow_insecure_endpoint(true)"
    );
    let error = base()
        .access_key_id(KEY)
        .secret_access_key(SECRET)
        .session_token("t")
        .agent_runtime_endpoint_url("http://proxy.internal")
        .build()
        .unwrap_err();
    assert!(error.is_insecure_endpoint());
    // Keys without a session token never put a secret on the wire.
    assert!(
        base()
            .access_key_id(KEY)
            .secret_access_key(SECRET)
            .endpoint_url("http://proxy.internal")
            .build()
            .is_ok()
    );
    assert!(
        base()
            .api_key("k")
            .endpoint_url("http://proxy.internal")
            .allow_insecure_endpoint(true)
            .build()
            .is_ok()
    );
}

#[test]
fn invalid_headers_tokens_and_timeouts_are_build_errors() {
    let error = base()
        .api_key("k")
        .default_header("bad header", "v")
        .build()
        .unwrap_err();
    assert!(error.is_invalid_header());
    assert_eq!(
        error.to_string(),
        "invalid default header `bad header`: not a valid header name"
    );
    let error = base().api_key("line\nbreak").build().unwrap_err();
    assert!(error.is_credentials());
    assert!(!error.to_string().contains("line"));
    let error = base()
        .api_key("k")
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(error.is_invalid_setting());
    assert_eq!(
        error.to_string(),
        "invalid setting: the timeout must be longer than zero"
    );
    let error = base()
        .api_key("k")
        .user_agent_suffix("bad\u{7f}")
        .build()
        .unwrap_err();
    assert!(error.is_invalid_setting(), "{error:?}");
    let core: strata_core::Error = error.into();
    assert!(core.is_config());
}

#[test]
fn secrets_never_appear_in_debug_or_errors() {
    let builder = base()
        .access_key_id(KEY)
        .secret_access_key(SECRET)
        .session_token("session-secret")
        .api_key("api-key-secret")
        .default_header("x-api-key", "header-secret");
    let debug = format!("{builder:?}");
    for secret in [
        KEY,
        SECRET,
        "session-secret",
        "api-key-secret",
        "header-secret",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    let error = builder.build().unwrap_err();
    let shown = format!("{error} {error:?}");
    for secret in [SECRET, "session-secret", "api-key-secret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let bedrock = with_env(&[("AWS_BEARER_TOKEN_BEDROCK", "env-bearer-secret")])
        .build()
        .unwrap();
    assert!(!format!("{bedrock:?}").contains("env-bearer-secret"));
}
