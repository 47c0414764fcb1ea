use strata_http::bearer::{Token, token_fn};
use strata_http::env::Env;

use super::*;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn env(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![("HOME", "/nonexistent")];
    all.extend_from_slice(vars);
    Env::from_vars(all)
}

fn region() -> Region {
    Region::new("us-east-1").unwrap()
}

#[test]
fn every_pair_of_explicit_modes_is_ambiguous_and_named() {
    type SetMode = fn(AwsSettings) -> AwsSettings;
    let modes: Vec<(&str, SetMode)> = vec![
        ("static AWS keys", |s| s.access_key_id(KEY)),
        ("a credentials provider", |s| {
            s.credentials_provider(crate::credentials::Credentials::new(
                KEY, SECRET, None, None, "t",
            ))
        }),
        ("a named profile", |s| s.profile("dev")),
        ("a Bedrock API key", |s| s.api_key("k")),
        ("a bearer token provider", |s| {
            s.token_provider(token_fn(|| async { Token::new("t") }))
        }),
    ];
    for (i, (first, set_first)) in modes.iter().enumerate() {
        for (second, set_second) in &modes[i + 1..] {
            let settings = set_second(set_first(AwsSettings::default()));
            let error = settings.resolve(&env(&[]), Some(&region())).unwrap_err();
            assert!(error.is_ambiguous_auth(), "{error:?}");
            assert_eq!(
                error.to_string(),
                format!(
                    "ambiguous authentication: both {first} and {second} were configured; choose one"
                )
            );
        }
    }
}

#[test]
fn bearer_from_the_environment_then_the_default_chain() {
    let auth = AwsSettings::default()
        .resolve(&env(&[(BEARER_TOKEN_ENV_VAR, "from-env")]), Some(&region()))
        .unwrap();
    assert!(auth.is_bearer() && auth.credentials_cache().is_none());
    let auth = AwsSettings::default()
        .resolve(
            &env(&[
                ("AWS_ACCESS_KEY_ID", KEY),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
            ]),
            Some(&region()),
        )
        .unwrap();
    assert_eq!(
        auth.credentials_cache().unwrap().provider_name(),
        "environment"
    );
    assert_eq!(format!("{auth:?}"), r#"SigV4 { provider: "environment" }"#);
    let error = AwsSettings::default()
        .api_key("line\nbreak")
        .resolve(&env(&[]), Some(&region()))
        .unwrap_err();
    assert!(error.is_invalid_api_key() && error.is_credentials());
    assert!(!format!("{error} {error:?}").contains("line"));
}

#[test]
fn a_named_profile_is_put_in_the_environment() {
    let settings = AwsSettings::default().profile("dev");
    let seen = settings.environment(env(&[("AWS_PROFILE", "default")]));
    assert_eq!(seen.get("AWS_PROFILE"), Some("dev"));
    let region = AwsSettings::default()
        .with_region("eu-west-2")
        .region(&env(&[("AWS_REGION", "us-east-1")]))
        .unwrap();
    assert_eq!(region.as_str(), "eu-west-2");
    assert!(
        AwsSettings::default()
            .region(&env(&[]))
            .unwrap_err()
            .is_region()
    );
}

#[test]
fn debug_never_shows_secrets() {
    let settings = AwsSettings::default()
        .access_key_id(KEY)
        .secret_access_key(SECRET)
        .session_token("session-secret")
        .api_key("api-key-secret");
    let debug = format!("{settings:?}");
    for secret in [KEY, SECRET, "session-secret", "api-key-secret"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

#[cfg(feature = "aws-config")]
#[test]
fn the_aws_config_chain_is_built_only_at_the_first_request() {
    use super::aws_config_chain::LazyAwsConfigChain;

    let chain = LazyAwsConfigChain::new(Some("eu-west-1".to_owned()));
    assert!(!chain.is_built());
    assert_eq!(
        format!("{chain:?}"),
        r#"LazyAwsConfigChain { region: Some("eu-west-1"), built: false }"#
    );
    // Nothing configured: the chain, not a build error, and for mantle as for Bedrock.
    let auth = AwsSettings::default().resolve(&env(&[]), None).unwrap();
    assert_eq!(
        auth.credentials_cache().unwrap().provider_name(),
        "aws-config default chain"
    );
}
