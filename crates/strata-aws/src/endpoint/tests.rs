use std::collections::BTreeSet;

use super::*;

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/aws-models");

fn resolve(
    service: &Service,
    region: &str,
    options: EndpointOptions,
    env: &[(&str, &str)],
) -> Result<Endpoint, EndpointError> {
    Endpoint::resolve(
        service,
        &Region::new(region).unwrap(),
        &options,
        &Env::from_vars(env.iter().copied()),
    )
}

fn url(service: &Service, region: &str, env: &[(&str, &str)]) -> String {
    resolve(service, region, EndpointOptions::default(), env)
        .unwrap()
        .url()
        .to_owned()
}

/// The URL templates and error messages of a service's endpoint rule set.
fn rule_set(path: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let full = format!("{MODELS}/{path}/endpoint-rule-set-1.json");
    let text = std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("shared AWS models missing at {full}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (mut urls, mut errors) = (BTreeSet::new(), BTreeSet::new());
    fn walk(v: &serde_json::Value, urls: &mut BTreeSet<String>, errors: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(u)) =
                    map.get("endpoint").and_then(|e| e.get("url"))
                {
                    urls.insert(u.clone());
                }
                if let Some(serde_json::Value::String(e)) = map.get("error") {
                    errors.insert(e.clone());
                }
                map.values().for_each(|v| walk(v, urls, errors));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, urls, errors)),
            _ => {}
        }
    }
    walk(&json, &mut urls, &mut errors);
    (urls, errors)
}

#[test]
fn templates_and_custom_endpoint_errors_match_the_rule_sets() {
    for (service, path) in [
        (Service::BEDROCK_RUNTIME, "bedrock-runtime/2023-09-30"),
        (
            Service::BEDROCK_AGENT_RUNTIME,
            "bedrock-agent-runtime/2023-07-26",
        ),
        (Service::BEDROCK, "bedrock/2023-04-20"),
    ] {
        let (urls, errors) = rule_set(path);
        let p = service.endpoint_prefix;
        let expected: BTreeSet<String> = [
            format!("https://{p}-fips.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"),
            format!("https://{p}-fips.{{Region}}.{{PartitionResult#dnsSuffix}}"),
            format!("https://{p}.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"),
            format!("https://{p}.{{Region}}.{{PartitionResult#dnsSuffix}}"),
        ]
        .into();
        assert_eq!(urls, expected, "{path}");
        // Our four variants fill those templates.
        let d = |fips: bool, dual: bool| {
            resolve(
                &service,
                "us-west-2",
                EndpointOptions {
                    use_fips: Some(fips),
                    use_dual_stack: Some(dual),
                    ..Default::default()
                },
                &[],
            )
            .unwrap()
            .url()
            .to_owned()
        };
        assert_eq!(d(true, true), format!("https://{p}-fips.us-west-2.api.aws"));
        assert_eq!(
            d(true, false),
            format!("https://{p}-fips.us-west-2.amazonaws.com")
        );
        assert_eq!(d(false, true), format!("https://{p}.us-west-2.api.aws"));
        assert_eq!(
            d(false, false),
            format!("https://{p}.us-west-2.amazonaws.com")
        );
        for (fips, dual) in [(true, false), (false, true)] {
            let err = resolve(
                &service,
                "us-west-2",
                EndpointOptions {
                    url: Some("https://localhost:8080".into()),
                    use_fips: Some(fips),
                    use_dual_stack: Some(dual),
                },
                &[],
            )
            .unwrap_err();
            assert!(errors.contains(&err.to_string()), "{path}: {err}");
        }
    }
}

#[test]
fn partitions() {
    let s = &Service::BEDROCK_RUNTIME;
    assert_eq!(
        url(s, "us-east-1", &[]),
        "https://bedrock-runtime.us-east-1.amazonaws.com"
    );
    assert_eq!(
        url(s, "cn-north-1", &[]),
        "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        url(s, "us-gov-west-1", &[("AWS_USE_FIPS_ENDPOINT", "true")]),
        "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(
        url(
            s,
            "us-gov-east-1",
            &[("AWS_USE_DUALSTACK_ENDPOINT", "true")]
        ),
        "https://bedrock-runtime.us-gov-east-1.api.aws"
    );
    assert_eq!(
        url(s, "us-isob-east-1", &[]),
        "https://bedrock-runtime.us-isob-east-1.sc2s.sgov.gov"
    );
    assert_eq!(
        url(s, "eusc-de-east-1", &[]),
        "https://bedrock-runtime.eusc-de-east-1.amazonaws.eu"
    );
    assert_eq!(
        url(s, "aws-cn-global", &[]),
        "https://bedrock-runtime.aws-cn-global.amazonaws.com.cn"
    );
    // Unknown shapes fall back to the aws partition.
    assert_eq!(
        url(s, "moon-base-1", &[]),
        "https://bedrock-runtime.moon-base-1.amazonaws.com"
    );
}

#[test]
fn configured_urls_in_order_and_ignorable() {
    let s = &Service::BEDROCK_AGENT_RUNTIME;
    assert_eq!(
        s.endpoint_env_var(),
        "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME"
    );
    assert_eq!(
        Service::BEDROCK_RUNTIME.endpoint_env_var(),
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"
    );
    let env = [
        (
            "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME",
            "http://127.0.0.1:4000/",
        ),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
    ];
    let e = resolve(s, "us-east-1", EndpointOptions::default(), &env).unwrap();
    assert_eq!(
        (e.url(), e.source()),
        ("http://127.0.0.1:4000", EndpointSource::ServiceEnv)
    );
    let e = resolve(s, "us-east-1", EndpointOptions::default(), &env[1..]).unwrap();
    assert_eq!(
        (e.url(), e.source()),
        ("http://127.0.0.1:5000", EndpointSource::GlobalEnv)
    );
    let explicit = EndpointOptions {
        url: Some("https://proxy.example".into()),
        ..Default::default()
    };
    let e = resolve(s, "us-east-1", explicit.clone(), &env).unwrap();
    assert_eq!(
        (e.url(), e.source()),
        ("https://proxy.example", EndpointSource::Explicit)
    );

    let mut ignoring = env.to_vec();
    ignoring.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
    let e = resolve(s, "us-east-1", EndpointOptions::default(), &ignoring).unwrap();
    assert_eq!(
        (e.url(), e.source()),
        (
            "https://bedrock-agent-runtime.us-east-1.amazonaws.com",
            EndpointSource::Standard
        )
    );
    // An explicit URL is not a "configured" one: still used.
    assert_eq!(
        resolve(s, "us-east-1", explicit, &ignoring).unwrap().url(),
        "https://proxy.example"
    );
}

#[test]
fn bad_urls_and_flags_are_errors_naming_the_source() {
    let s = &Service::BEDROCK_RUNTIME;
    let err = resolve(
        s,
        "us-east-1",
        EndpointOptions::default(),
        &[("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "localhost:4000")],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid endpoint URL in AWS_ENDPOINT_URL_BEDROCK_RUNTIME: it must start with `https://` or `http://`"
    );
    let err = resolve(
        s,
        "us-east-1",
        EndpointOptions::default(),
        &[("AWS_ENDPOINT_URL", "https://x/?a=b")],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid endpoint URL in AWS_ENDPOINT_URL: it must not have a query"
    );
    let err = resolve(
        s,
        "us-east-1",
        EndpointOptions::default(),
        &[("AWS_USE_FIPS_ENDPOINT", "yes")],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid endpoint setting in the environment or profile"
    );
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "environment variable `AWS_USE_FIPS_ENDPOINT` must be `true` or `false`"
    );
    let err = resolve(
        s,
        "us-east-1",
        EndpointOptions::default(),
        &[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
}

#[test]
fn profile_endpoints_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile local]\nservices = emu\nendpoint_url = http://127.0.0.1:7000\n\
         [services emu]\nbedrock_runtime =\n  endpoint_url = http://127.0.0.1:7001\n\
         [profile fips]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\n\
         [profile ignoring]\nendpoint_url = http://127.0.0.1:7000\nignore_configured_endpoint_urls = true\n\
         [profile bad]\nuse_fips_endpoint = yes\n",
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let with = |profile: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut vars = vec![("AWS_CONFIG_FILE", cfg), ("AWS_PROFILE", profile)];
        vars.extend_from_slice(extra);
        vars
    };
    assert_eq!(Service::BEDROCK_RUNTIME.profile_key(), "bedrock_runtime");
    let e = resolve(
        &Service::BEDROCK_RUNTIME,
        "us-east-1",
        EndpointOptions::default(),
        &with("local", &[]),
    )
    .unwrap();
    assert_eq!(
        (e.url(), e.source()),
        ("http://127.0.0.1:7001", EndpointSource::ProfileService)
    );
    let e = resolve(
        &Service::BEDROCK,
        "us-east-1",
        EndpointOptions::default(),
        &with("local", &[]),
    )
    .unwrap();
    assert_eq!(
        (e.url(), e.source()),
        ("http://127.0.0.1:7000", EndpointSource::ProfileGlobal)
    );
    // The environment comes before the profile.
    let e = resolve(
        &Service::BEDROCK,
        "us-east-1",
        EndpointOptions::default(),
        &with("local", &[("AWS_ENDPOINT_URL", "http://127.0.0.1:7002")]),
    )
    .unwrap();
    assert_eq!(e.source(), EndpointSource::GlobalEnv);
    assert_eq!(
        url(&Service::BEDROCK_RUNTIME, "us-east-1", &with("fips", &[])),
        "https://bedrock-runtime-fips.us-east-1.api.aws"
    );
    assert_eq!(
        url(
            &Service::BEDROCK_RUNTIME,
            "us-east-1",
            &with("fips", &[("AWS_USE_FIPS_ENDPOINT", "false")])
        ),
        "https://bedrock-runtime.us-east-1.api.aws"
    );
    assert_eq!(
        url(
            &Service::BEDROCK_RUNTIME,
            "us-east-1",
            &with("ignoring", &[])
        ),
        "https://bedrock-runtime.us-east-1.amazonaws.com"
    );
    let err = resolve(
        &Service::BEDROCK_RUNTIME,
        "us-east-1",
        EndpointOptions::default(),
        &with("bad", &[]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid endpoint setting: profile property `use_fips_endpoint` must be `true` or `false`"
    );
}
