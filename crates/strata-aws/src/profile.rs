//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! Read once, at build time, from the paths an [`Env`] names: `AWS_CONFIG_FILE` and
//! `AWS_SHARED_CREDENTIALS_FILE`, else `.aws/config` and `.aws/credentials` under the home
//! directory. The profile is `AWS_PROFILE`, else `default`. A missing file counts as empty;
//! where both files set a property of one profile, the credentials file wins.
//!
//! ```
//! use strata_aws::profile::ProfileFiles;
//!
//! let config = "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-west-1\n";
//! let credentials = "[dev]\naws_access_key_id = AKIDEXAMPLE\n";
//! let files = ProfileFiles::parse(config, credentials, "dev").unwrap();
//! let dev = files.selected().unwrap();
//! assert_eq!(dev.get("region"), Some("eu-west-1"));
//! assert_eq!(dev.get("aws_access_key_id"), Some("AKIDEXAMPLE"));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::env::Env;

/// The profiles of the shared config and credentials files, with the selected profile's name.
#[derive(Clone)]
pub struct ProfileFiles {
    selected: String,
    profiles: HashMap<String, Profile>,
    /// `[services name]` sections of the config file.
    services: HashMap<String, Profile>,
}

/// One profile: its properties (keys lower-cased).
///
/// `Debug` shows property names, never values.
#[derive(Clone)]
pub struct Profile {
    name: String,
    properties: HashMap<String, String>,
}

impl Profile {
    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property's value (`key` is matched case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A sub-property: `sub` in the indented `sub = value` lines under `key`.
    pub fn get_sub(&self, key: &str, sub: &str) -> Option<&str> {
        self.get(key)?.lines().find_map(|line| {
            let (k, v) = line.split_once('=')?;
            k.trim().eq_ignore_ascii_case(sub).then(|| v.trim())
        })
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &keys)
            .finish()
    }
}

impl fmt::Debug for ProfileFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut services: Vec<&str> = self.services.keys().map(String::as_str).collect();
        services.sort_unstable();
        f.debug_struct("ProfileFiles")
            .field("selected", &self.selected)
            .field("profiles", &names)
            .field("services", &services)
            .finish()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

impl ProfileFiles {
    /// Reads the files `env` points at.
    ///
    /// # Errors
    /// A file exists but cannot be read, or has a line that is not a section header,
    /// property, continuation or comment.
    pub fn load(env: &Env) -> Result<Self, ProfileError> {
        let home = env.home_dir();
        let path = |var: &str, default: &str| -> Option<PathBuf> {
            match env.get(var) {
                Some(p) => Some(expand_home(p, home.as_deref())),
                None => home.as_ref().map(|h| h.join(".aws").join(default)),
            }
        };
        let selected = env.get("AWS_PROFILE").unwrap_or("default").to_owned();
        let mut files = Self {
            selected,
            profiles: HashMap::new(),
            services: HashMap::new(),
        };
        if let Some(p) = path("AWS_CONFIG_FILE", "config") {
            files.merge_file(&p, FileKind::Config)?;
        }
        if let Some(p) = path("AWS_SHARED_CREDENTIALS_FILE", "credentials") {
            files.merge_file(&p, FileKind::Credentials)?;
        }
        Ok(files)
    }

    /// Parses the two files' contents, selecting profile `selected`.
    ///
    /// # Errors
    /// A line that is not a section header, property, continuation or comment.
    pub fn parse(
        config: &str,
        credentials: &str,
        selected: impl Into<String>,
    ) -> Result<Self, ProfileError> {
        let mut files = Self {
            selected: selected.into(),
            profiles: HashMap::new(),
            services: HashMap::new(),
        };
        files.merge(config, FileKind::Config, Path::new("<config>"))?;
        files.merge(
            credentials,
            FileKind::Credentials,
            Path::new("<credentials>"),
        )?;
        Ok(files)
    }

    /// The selected profile's name.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// The profile called `name`.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The `[services name]` section of the config file called `name`.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    fn merge_file(&mut self, path: &Path, kind: FileKind) -> Result<(), ProfileError> {
        match std::fs::read_to_string(path) {
            Ok(text) => self.merge(&text, kind, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(ProfileError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    fn merge(&mut self, text: &str, kind: FileKind, path: &Path) -> Result<(), ProfileError> {
        // `None` while inside a section this crate ignores (e.g. `[sso-session x]`).
        let mut section: Option<(Section, String)> = None;
        let mut in_section = false;
        let mut last_key: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let bad = |reason: &'static str| ProfileError::Syntax {
                path: path.to_owned(),
                line: index + 1,
                reason,
            };
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if trimmed.starts_with('[') {
                let end = trimmed
                    .find(']')
                    .ok_or_else(|| bad("section header without `]`"))?;
                let rest = trimmed[end + 1..].trim_start();
                if !(rest.is_empty() || rest.starts_with('#') || rest.starts_with(';')) {
                    return Err(bad("text after a section header"));
                }
                section = section_of(trimmed[1..end].trim(), kind);
                in_section = true;
                last_key = None;
                if let Some((which, name)) = &section {
                    self.map(*which)
                        .entry(name.clone())
                        .or_insert_with(|| Profile {
                            name: name.clone(),
                            properties: HashMap::new(),
                        });
                }
                continue;
            }
            if !in_section {
                return Err(bad("property outside of a section"));
            }
            let continuation = raw.starts_with([' ', '\t']);
            if let (true, Some(key)) = (continuation, &last_key) {
                if let Some(profile) = self.section_mut(&section) {
                    let value = profile.properties.entry(key.clone()).or_default();
                    value.push('\n');
                    value.push_str(trimmed);
                }
                continue;
            }
            let (key, value) = trimmed
                .split_once('=')
                .ok_or_else(|| bad("expected `key = value`"))?;
            let key = key.trim().to_ascii_lowercase();
            if key.is_empty() {
                return Err(bad("property without a name"));
            }
            if let Some(profile) = self.section_mut(&section) {
                profile
                    .properties
                    .insert(key.clone(), value.trim().to_owned());
            }
            last_key = Some(key);
        }
        Ok(())
    }

    fn map(&mut self, which: Section) -> &mut HashMap<String, Profile> {
        match which {
            Section::Profile => &mut self.profiles,
            Section::Services => &mut self.services,
        }
    }

    fn section_mut(&mut self, section: &Option<(Section, String)>) -> Option<&mut Profile> {
        let (which, name) = section.as_ref()?;
        self.map(*which).get_mut(name)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Profile,
    Services,
}

/// The profile or services section a header names, or `None` for sections this crate ignores.
fn section_of(header: &str, kind: FileKind) -> Option<(Section, String)> {
    if kind == FileKind::Credentials {
        return Some((Section::Profile, header.to_owned()));
    }
    if header == "default" {
        return Some((Section::Profile, "default".to_owned()));
    }
    let named = |prefix: &str| -> Option<String> {
        let rest = header.strip_prefix(prefix)?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        Some(rest.trim().to_owned()).filter(|n| !n.is_empty())
    };
    named("profile")
        .map(|n| (Section::Profile, n))
        .or_else(|| named("services").map(|n| (Section::Services, n)))
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (
        path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")),
        home,
    ) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// The shared config or credentials file could not be read or parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file exists but could not be read.
    #[error("cannot read AWS profile file `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A line could not be parsed.
    #[error("AWS profile file `{}` line {line}: {reason}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_comments_continuations_and_precedence() {
        let config = "# comment\n[default]\nregion=us-east-1\n; other\n[profile  dev ] # c\n\
                      region = eu-west-1\nS3 =\n  max_concurrent_requests = 10\n\
                      [sso-session x]\nsso_region = us-east-1\n[plain]\nregion = ignored\n";
        let credentials = "[dev]\nregion = ap-south-1\naws_secret_access_key = s#e;c\n";
        let files = ProfileFiles::parse(config, credentials, "dev").unwrap();
        let dev = files.selected().unwrap();
        assert_eq!(dev.name(), "dev");
        assert_eq!(dev.get("region"), Some("ap-south-1"));
        assert_eq!(dev.get("s3"), Some("\nmax_concurrent_requests = 10"));
        assert_eq!(dev.get("aws_secret_access_key"), Some("s#e;c"));
        assert_eq!(
            files.profile("default").unwrap().get("REGION"),
            Some("us-east-1")
        );
        assert!(files.profile("plain").is_none());
        assert!(files.profile("x").is_none());
        assert_eq!(dev.get_sub("s3", "MAX_concurrent_requests"), Some("10"));
        assert_eq!(dev.get_sub("s3", "other"), None);
        assert_eq!(
            format!("{dev:?}"),
            "Profile { name: \"dev\", properties: [\"aws_secret_access_key\", \"region\", \"s3\"] }"
        );
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let err = ProfileFiles::parse("region = x\n", "", "default").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS profile file `<config>` line 1: property outside of a section"
        );
        let err = ProfileFiles::parse("[default]\nno equals\n", "", "default").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS profile file `<config>` line 2: expected `key = value`"
        );
        let err = ProfileFiles::parse("", "[a\n", "default").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS profile file `<credentials>` line 1: section header without `]`"
        );
    }

    #[test]
    fn load_reads_the_files_env_names_and_skips_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("cfg");
        std::fs::write(&config, "[profile p]\nregion = us-west-1\n").unwrap();
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("missing").to_str().unwrap(),
            ),
            ("AWS_PROFILE", "p"),
        ]);
        let files = ProfileFiles::load(&env).unwrap();
        assert_eq!(files.selected_name(), "p");
        assert_eq!(files.selected().unwrap().get("region"), Some("us-west-1"));

        let home = Env::from_vars([("HOME", dir.path().to_str().unwrap())]);
        std::fs::create_dir(dir.path().join(".aws")).unwrap();
        std::fs::write(
            dir.path().join(".aws/credentials"),
            "[default]\naws_access_key_id = A\n",
        )
        .unwrap();
        let files = ProfileFiles::load(&home).unwrap();
        assert_eq!(
            files.selected().unwrap().get("aws_access_key_id"),
            Some("A")
        );
        assert!(
            ProfileFiles::load(&Env::default())
                .unwrap()
                .selected()
                .is_none()
        );
    }
}
