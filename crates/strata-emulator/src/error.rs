//! The library's error type.

use std::net::SocketAddr;

/// An error from starting or controlling the emulator.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: Kind,
}

#[derive(Debug, thiserror::Error)]
enum Kind {
    #[error("could not bind the emulator to {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    #[error("invalid fault: {0}")]
    InvalidFault(String),
}

impl Error {
    pub(crate) fn bind(addr: SocketAddr, source: std::io::Error) -> Self {
        Self {
            kind: Kind::Bind { addr, source },
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Config(message.into()),
        }
    }

    pub(crate) fn invalid_fault(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::InvalidFault(message.into()),
        }
    }

    /// Whether the listening socket could not be bound (the `source()` is the I/O error).
    pub fn is_bind(&self) -> bool {
        matches!(self.kind, Kind::Bind { .. })
    }

    /// Whether the builder was given an invalid setting (e.g. an empty region).
    pub fn is_config(&self) -> bool {
        matches!(self.kind, Kind::Config(_))
    }

    /// Whether a fault was refused as invalid.
    pub fn is_invalid_fault(&self) -> bool {
        matches!(self.kind, Kind::InvalidFault(_))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn bind_errors_chain_the_io_error() {
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let err = Error::bind(addr, std::io::Error::from(std::io::ErrorKind::AddrInUse));
        assert!(err.is_bind() && !err.is_config() && !err.is_invalid_fault());
        assert_eq!(
            err.to_string(),
            "could not bind the emulator to 127.0.0.1:1"
        );
        assert!(err.source().is_some());
        assert_eq!(
            Error::config("x").to_string(),
            "invalid emulator configuration: x"
        );
    }
}
