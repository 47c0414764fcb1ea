//! The AWS region, resolved once at build time.
//!
//! In order: an explicit region, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the selected
//! profile's `region` in the shared config files. None of these is a build error that says how
//! to set one.
//!
//! ```
//! use strata_aws::env::Env;
//! use strata_aws::region::Region;
//!
//! let env = Env::from_vars([("AWS_DEFAULT_REGION", "eu-central-1")]);
//! assert_eq!(Region::resolve(None, &env).unwrap().as_str(), "eu-central-1");
//! assert_eq!(Region::resolve(Some("us-west-2"), &env).unwrap().as_str(), "us-west-2");
//! assert!(Region::resolve(None, &Env::default()).unwrap_err().is_missing());
//! ```

use std::fmt;

use crate::env::Env;
use crate::profile::{ProfileError, ProfileFiles};

/// A validated region name: lower-case ASCII letters, digits and `-`, starting and ending with
/// a letter or digit (it becomes part of a host name and of the signing scope).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// Validates `name`.
    ///
    /// # Errors
    /// The name is empty or holds other characters.
    pub fn new(name: impl Into<String>) -> Result<Self, RegionError> {
        let name = name.into();
        let valid = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        if valid {
            Ok(Self(name))
        } else {
            Err(RegionError {
                kind: RegionErrorKind::Invalid(name),
            })
        }
    }

    /// Resolves the region: `explicit`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the
    /// profile's `region`.
    ///
    /// # Errors
    /// No source names a region, the name is invalid, or the profile files cannot be read.
    pub fn resolve(explicit: Option<&str>, env: &Env) -> Result<Self, RegionError> {
        if let Some(name) = explicit
            .or_else(|| env.get("AWS_REGION"))
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
        {
            return Self::new(name);
        }
        let files = ProfileFiles::load(env).map_err(|e| RegionError {
            kind: RegionErrorKind::Profile(e),
        })?;
        match files.selected().and_then(|p| p.get("region")) {
            Some(name) => Self::new(name),
            None => Err(RegionError {
                kind: RegionErrorKind::Missing,
            }),
        }
    }

    /// The region's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> Self {
        region.0
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// No usable region.
#[derive(Debug)]
pub struct RegionError {
    kind: RegionErrorKind,
}

#[derive(Debug)]
enum RegionErrorKind {
    Missing,
    Invalid(String),
    Profile(ProfileError),
}

impl RegionError {
    /// No source named a region.
    pub fn is_missing(&self) -> bool {
        matches!(self.kind, RegionErrorKind::Missing)
    }

    /// A region name was invalid.
    pub fn is_invalid(&self) -> bool {
        matches!(self.kind, RegionErrorKind::Invalid(_))
    }
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RegionErrorKind::Missing => f.write_str(
                "no AWS region configured: set one explicitly, or set AWS_REGION (or \
                 AWS_DEFAULT_REGION), or add `region = ...` to the profile in ~/.aws/config",
            ),
            RegionErrorKind::Invalid(name) => write!(
                f,
                "invalid AWS region `{name}`: expected lower-case letters, digits and `-` \
                 (e.g. `us-east-1`)"
            ),
            RegionErrorKind::Profile(_) => {
                f.write_str("cannot read the region from the AWS profile files")
            }
        }
    }
}

impl std::error::Error for RegionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            RegionErrorKind::Profile(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_explicit_env_default_profile() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[profile p]\nregion = ap-northeast-1\n").unwrap();
        let cfg = config.to_str().unwrap();
        let all = Env::from_vars([
            ("AWS_REGION", "us-east-2"),
            ("AWS_DEFAULT_REGION", "eu-west-3"),
            ("AWS_CONFIG_FILE", cfg),
            ("AWS_PROFILE", "p"),
        ]);
        let r = |explicit, env: &Env| Region::resolve(explicit, env).unwrap().to_string();
        assert_eq!(r(Some("ca-central-1"), &all), "ca-central-1");
        assert_eq!(r(None, &all), "us-east-2");
        let no_region = Env::from_vars([
            ("AWS_DEFAULT_REGION", "eu-west-3"),
            ("AWS_CONFIG_FILE", cfg),
            ("AWS_PROFILE", "p"),
        ]);
        assert_eq!(r(None, &no_region), "eu-west-3");
        let profile_only = Env::from_vars([("AWS_CONFIG_FILE", cfg), ("AWS_PROFILE", "p")]);
        assert_eq!(r(None, &profile_only), "ap-northeast-1");
        let other_profile = Env::from_vars([("AWS_CONFIG_FILE", cfg)]);
        let err = Region::resolve(None, &other_profile).unwrap_err();
        assert!(err.is_missing());
        assert_eq!(
            err.to_string(),
            "no AWS region configured: set one explicitly, or set AWS_REGION (or \
             AWS_DEFAULT_REGION), or add `region = ...` to the profile in ~/.aws/config"
        );
    }

    #[test]
    fn invalid_names_are_rejected() {
        for bad in ["", "US-EAST-1", "us-east-1.evil.com", "-us", "us east"] {
            let err = Region::new(bad).unwrap_err();
            assert!(err.is_invalid(), "{bad}");
        }
        assert_eq!(
            Region::new("us/east").unwrap_err().to_string(),
            "invalid AWS region `us/east`: expected lower-case letters, digits and `-` (e.g. `us-east-1`)"
        );
    }
}
