//! `aws-config`'s default credentials chain (feature `aws-config`).

use aws_credential_types::provider::SharedCredentialsProvider;

/// `aws-config`'s default credentials chain: environment, profiles (with SSO and assume-role),
/// web identity, ECS/EKS containers and IMDS. Put it behind a
/// [`CredentialsCache`](super::CredentialsCache) like any provider.
///
/// Unlike strata's own providers, `aws-config` reads the process environment and home
/// directory itself. `region` is the region for the STS/SSO calls some sources make.
pub async fn aws_config_default_chain(region: Option<String>) -> SharedCredentialsProvider {
    let mut builder = aws_config::default_provider::credentials::DefaultCredentialsChain::builder();
    if let Some(region) = region {
        builder = builder.region(aws_config::Region::new(region));
    }
    SharedCredentialsProvider::new(builder.build().await)
}
