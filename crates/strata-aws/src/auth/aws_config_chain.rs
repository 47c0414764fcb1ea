//! The `aws-config` feature: `aws-config`'s default credentials chain as the last step of the
//! default chain, built on first use.

use std::fmt;

use crate::credentials::aws_config_default_chain;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use tokio::sync::OnceCell;

/// The provider name the credentials cache (and its errors) report.
pub(crate) const NAME: &str = "aws-config default chain";

/// `aws-config`'s default chain (environment, profiles with SSO and assume-role, web identity,
/// containers, IMDS), built inside the credentials cache on the first call: building it is
/// async and reads the process environment and files, which a provider's synchronous `build`
/// must not do. Concurrent first calls build it once.
pub(crate) struct LazyAwsConfigChain {
    region: Option<String>,
    chain: OnceCell<SharedCredentialsProvider>,
}

impl LazyAwsConfigChain {
    /// A chain whose STS / SSO calls use `region` (aws-config's own resolution if `None`).
    pub(crate) fn new(region: Option<String>) -> Self {
        Self {
            region,
            chain: OnceCell::new(),
        }
    }

    /// Whether the chain was built (a credentials call happened).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.chain.initialized()
    }
}

impl fmt::Debug for LazyAwsConfigChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyAwsConfigChain")
            .field("region", &self.region)
            .field("built", &self.chain.initialized())
            .finish()
    }
}

impl ProvideCredentials for LazyAwsConfigChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let chain = self
                .chain
                .get_or_init(|| aws_config_default_chain(self.region.clone()))
                .await;
            chain.provide_credentials().await
        })
    }
}
