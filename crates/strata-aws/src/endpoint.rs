//! Service endpoints, resolved once at build time.
//!
//! In order: an explicit URL, `AWS_ENDPOINT_URL_<SERVICE>` (e.g.
//! `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), `AWS_ENDPOINT_URL`, the selected profile's
//! `services` section (`bedrock_runtime =` / `  endpoint_url = ...`), the profile's
//! `endpoint_url`, then the standard endpoint `https://{prefix}[-fips].{region}.{dns suffix}`
//! of the region's partition (`aws`, `aws-cn`, `aws-us-gov`, the ISO partitions, `aws-eusc`),
//! with the dual-stack suffix when asked (`AWS_USE_DUALSTACK_ENDPOINT`, profile
//! `use_dualstack_endpoint`) and the `-fips` prefix for FIPS (`AWS_USE_FIPS_ENDPOINT`, profile
//! `use_fips_endpoint`), as the services' endpoint rule sets define.
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
//! `ignore_configured_endpoint_urls = true`) skips the environment and profile URLs. As in the
//! rule sets, FIPS or dual-stack with a custom URL is an error.
//!
//! ```
//! use strata_aws::endpoint::{Endpoint, EndpointOptions, Service};
//! use strata_aws::env::Env;
//! use strata_aws::region::Region;
//!
//! let region = Region::new("cn-north-1").unwrap();
//! let env = Env::from_vars([("AWS_USE_DUALSTACK_ENDPOINT", "true")]);
//! let endpoint = Endpoint::resolve(&Service::BEDROCK_RUNTIME, &region, &EndpointOptions::default(), &env).unwrap();
//! assert_eq!(endpoint.url(), "https://bedrock-runtime.cn-north-1.api.amazonwebservices.com.cn");
//! ```

use std::fmt;

use crate::env::Env;
use crate::profile::{Profile, ProfileFiles};
use crate::region::Region;

/// An AWS service's endpoint identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    service_id: &'static str,
    endpoint_prefix: &'static str,
}

impl Service {
    /// Amazon Bedrock Runtime (Converse, InvokeModel, …).
    pub const BEDROCK_RUNTIME: Self = Self::new("Bedrock Runtime", "bedrock-runtime");
    /// Agents for Amazon Bedrock Runtime (Rerank, …).
    pub const BEDROCK_AGENT_RUNTIME: Self =
        Self::new("Bedrock Agent Runtime", "bedrock-agent-runtime");
    /// The Amazon Bedrock control plane (ListFoundationModels, …).
    pub const BEDROCK: Self = Self::new("Bedrock", "bedrock");

    /// A service by its model's `serviceId` (e.g. `Bedrock Runtime`) and endpoint prefix
    /// (e.g. `bedrock-runtime`).
    pub const fn new(service_id: &'static str, endpoint_prefix: &'static str) -> Self {
        Self {
            service_id,
            endpoint_prefix,
        }
    }

    /// The service-specific endpoint variable, e.g. `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`.
    pub fn endpoint_env_var(&self) -> String {
        let suffix: String = self
            .service_id
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        format!("AWS_ENDPOINT_URL_{suffix}")
    }

    /// The key of this service in a profile's `services` section, e.g. `bedrock_runtime`.
    pub fn profile_key(&self) -> String {
        self.endpoint_env_var()["AWS_ENDPOINT_URL_".len()..].to_ascii_lowercase()
    }
}

/// Endpoint settings; unset fields fall back to the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointOptions {
    /// An explicit endpoint URL.
    pub url: Option<String>,
    /// Use the FIPS endpoint (else `AWS_USE_FIPS_ENDPOINT`, else no).
    pub use_fips: Option<bool>,
    /// Use the dual-stack endpoint (else `AWS_USE_DUALSTACK_ENDPOINT`, else no).
    pub use_dual_stack: Option<bool>,
}

/// Where an endpoint came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointSource {
    /// [`EndpointOptions::url`].
    Explicit,
    /// `AWS_ENDPOINT_URL_<SERVICE>`.
    ServiceEnv,
    /// `AWS_ENDPOINT_URL`.
    GlobalEnv,
    /// The `endpoint_url` of this service in the profile's `services` section.
    ProfileService,
    /// The profile's `endpoint_url`.
    ProfileGlobal,
    /// The partition's standard endpoint.
    Standard,
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    uri: http::Uri,
    source: EndpointSource,
}

struct Partition {
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
}

/// From botocore's `partitions.json`: (name, region prefix parts, global pseudo-region,
/// suffixes). Every partition there supports FIPS and dual-stack.
const PARTITIONS: &[(&str, &[&str], &str, Partition)] = &[
    (
        "aws-cn",
        &["cn"],
        "aws-cn-global",
        Partition {
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        },
    ),
    (
        "aws-us-gov",
        &["us", "gov"],
        "aws-us-gov-global",
        Partition {
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
        },
    ),
    (
        "aws-iso",
        &["us", "iso"],
        "aws-iso-global",
        Partition {
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "api.aws.ic.gov",
        },
    ),
    (
        "aws-iso-b",
        &["us", "isob"],
        "aws-iso-b-global",
        Partition {
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "api.aws.scloud",
        },
    ),
    (
        "aws-iso-e",
        &["eu", "isoe"],
        "aws-iso-e-global",
        Partition {
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        },
    ),
    (
        "aws-iso-f",
        &["us", "isof"],
        "aws-iso-f-global",
        Partition {
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        },
    ),
    (
        "aws-eusc",
        &["eusc", "de"],
        "",
        Partition {
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "api.amazonwebservices.eu",
        },
    ),
];

const AWS: Partition = Partition {
    dns_suffix: "amazonaws.com",
    dual_stack_dns_suffix: "api.aws",
};

/// The partition of `region`: a global pseudo-region or a match of the partition's region
/// pattern (`prefix-\w+-\d+`); anything else is in `aws`, as in `partitions.json`.
fn partition(region: &str) -> &'static Partition {
    let parts: Vec<&str> = region.split('-').collect();
    for (_, prefix, global, partition) in PARTITIONS {
        if region == *global {
            return partition;
        }
        let n = prefix.len();
        let shaped = parts.len() == n + 2
            && parts[..n] == prefix[..]
            && !parts[n].is_empty()
            && parts[n]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !parts[n + 1].is_empty()
            && parts[n + 1].bytes().all(|b| b.is_ascii_digit());
        if shaped {
            return partition;
        }
    }
    &AWS
}

impl Endpoint {
    /// Resolves the endpoint of `service` in `region`.
    ///
    /// # Errors
    /// An invalid URL or boolean variable, or FIPS / dual-stack asked for together with a
    /// custom URL.
    pub fn resolve(
        service: &Service,
        region: &Region,
        options: &EndpointOptions,
        env: &Env,
    ) -> Result<Self, EndpointError> {
        let files = ProfileFiles::load(env).map_err(EndpointError::with_source)?;
        let profile = files.selected();
        let flag = |explicit: Option<bool>, var: &str, key: &str| -> Result<bool, EndpointError> {
            if let Some(v) = explicit {
                return Ok(v);
            }
            if let Some(v) = env.flag(var).map_err(EndpointError::with_source)? {
                return Ok(v);
            }
            profile_flag(profile, key)
        };
        let fips = flag(
            options.use_fips,
            "AWS_USE_FIPS_ENDPOINT",
            "use_fips_endpoint",
        )?;
        let dual_stack = flag(
            options.use_dual_stack,
            "AWS_USE_DUALSTACK_ENDPOINT",
            "use_dualstack_endpoint",
        )?;
        let ignore_configured = flag(
            None,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )?;
        let service_var = service.endpoint_env_var();
        let service_key = service.profile_key();
        let from_profile_services = || {
            let section = files.services(profile?.get("services")?)?;
            section.get_sub(&service_key, "endpoint_url")
        };
        let custom = match &options.url {
            Some(url) => Some((url.clone(), EndpointSource::Explicit)),
            None if ignore_configured => None,
            None => env
                .get(&service_var)
                .map(|u| (u.to_owned(), EndpointSource::ServiceEnv))
                .or_else(|| {
                    env.get("AWS_ENDPOINT_URL")
                        .map(|u| (u.to_owned(), EndpointSource::GlobalEnv))
                })
                .or_else(|| {
                    from_profile_services().map(|u| (u.to_owned(), EndpointSource::ProfileService))
                })
                .or_else(|| {
                    profile
                        .and_then(|p| p.get("endpoint_url"))
                        .map(|u| (u.to_owned(), EndpointSource::ProfileGlobal))
                }),
        };
        if let Some((url, source)) = custom {
            if fips {
                return Err(EndpointError::rule(
                    "Invalid Configuration: FIPS and custom endpoint are not supported",
                ));
            }
            if dual_stack {
                return Err(EndpointError::rule(
                    "Invalid Configuration: Dualstack and custom endpoint are not supported",
                ));
            }
            let origin = match source {
                EndpointSource::ServiceEnv => service_var,
                EndpointSource::GlobalEnv => "AWS_ENDPOINT_URL".to_owned(),
                EndpointSource::ProfileService => {
                    format!("the profile's services section (`{service_key}`)")
                }
                EndpointSource::ProfileGlobal => "the profile's `endpoint_url`".to_owned(),
                _ => "the endpoint URL".to_owned(),
            };
            return Self::custom(url, source, origin);
        }
        let partition = partition(region.as_str());
        let suffix = if dual_stack {
            partition.dual_stack_dns_suffix
        } else {
            partition.dns_suffix
        };
        let fips = if fips { "-fips" } else { "" };
        let url = format!(
            "https://{}{fips}.{region}.{suffix}",
            service.endpoint_prefix
        );
        Self::custom(
            url,
            EndpointSource::Standard,
            "the standard endpoint".to_owned(),
        )
    }

    fn custom(url: String, source: EndpointSource, origin: String) -> Result<Self, EndpointError> {
        let uri: http::Uri = url
            .parse()
            .map_err(|_| EndpointError::url(&origin, "it is not a valid URI"))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) {
            return Err(EndpointError::url(
                &origin,
                "it must start with `https://` or `http://`",
            ));
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(EndpointError::url(&origin, "it has no host"));
        }
        if uri.query().is_some() {
            return Err(EndpointError::url(&origin, "it must not have a query"));
        }
        let url = url.trim_end_matches('/').to_owned();
        Ok(Self { url, uri, source })
    }

    /// The endpoint URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The endpoint as a URI.
    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// Where the endpoint came from.
    pub fn source(&self) -> EndpointSource {
        self.source
    }
}

/// A boolean profile property: `true`/`false` in any case, absent is `false`.
fn profile_flag(profile: Option<&Profile>, key: &str) -> Result<bool, EndpointError> {
    match profile.and_then(|p| p.get(key)) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(EndpointError {
            message: format!(
                "invalid endpoint setting: profile property `{key}` must be `true` or `false`"
            ),
            source: None,
        }),
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The endpoint could not be resolved.
#[derive(Debug)]
pub struct EndpointError {
    message: String,
    source: Option<Source>,
}

impl EndpointError {
    fn rule(message: &str) -> Self {
        Self {
            message: message.to_owned(),
            source: None,
        }
    }

    fn url(origin: &str, reason: &str) -> Self {
        Self {
            message: format!("invalid endpoint URL in {origin}: {reason}"),
            source: None,
        }
    }

    fn with_source(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            message: "invalid endpoint setting in the environment or profile".to_owned(),
            source: Some(Box::new(e)),
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests;
