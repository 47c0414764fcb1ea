//! Serde helpers shared by the public types: base64 bytes, header maps and status codes.

/// `Bytes` as a standard-alphabet, padded base64 string.
pub(crate) mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(
        bytes: &Bytes,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Bytes, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Bytes::from)
            .map_err(|e| D::Error::custom(format!("invalid base64 data: {e}")))
    }
}

/// An `http::HeaderMap` as a list of `[name, value]` pairs, in order.
///
/// Values marked sensitive (`HeaderValue::set_sensitive`) are left out, so credentials never
/// reach a log or a replay file. Values that are not UTF-8 are left out as well.
pub(crate) mod header_map {
    use http::{HeaderMap, HeaderName, HeaderValue};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::SerializeSeq};

    pub(crate) fn serialize<S: Serializer>(
        headers: &HeaderMap,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let visible: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(_, value)| !value.is_sensitive())
            .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v)))
            .collect();
        let mut seq = serializer.serialize_seq(Some(visible.len()))?;
        for pair in visible {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HeaderMap, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
        let mut headers = HeaderMap::with_capacity(pairs.len());
        for (name, value) in pairs {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| D::Error::custom(format!("invalid header name `{name}`")))?;
            let value = HeaderValue::from_str(&value)
                .map_err(|_| D::Error::custom(format!("invalid value for header `{name}`")))?;
            headers.append(name, value);
        }
        Ok(headers)
    }

    pub(crate) fn is_empty(headers: &HeaderMap) -> bool {
        headers.is_empty()
    }
}

/// An optional `http::StatusCode` as an optional number.
pub(crate) mod opt_status {
    use http::StatusCode;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(
        status: &Option<StatusCode>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match status {
            Some(status) => serializer.serialize_some(&status.as_u16()),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<StatusCode>, D::Error> {
        Option::<u16>::deserialize(deserializer)?
            .map(|code| {
                StatusCode::from_u16(code)
                    .map_err(|_| D::Error::custom(format!("invalid HTTP status {code}")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Probe {
        #[serde(with = "super::base64_bytes")]
        data: Bytes,
        #[serde(with = "super::header_map")]
        headers: HeaderMap,
    }

    #[test]
    fn base64_and_headers_round_trip_and_hide_sensitive_values() {
        let mut headers = HeaderMap::new();
        headers.append("x-a", HeaderValue::from_static("1"));
        headers.append("x-a", HeaderValue::from_static("2"));
        let mut secret = HeaderValue::from_static("Bearer s3cr3t");
        secret.set_sensitive(true);
        headers.insert("authorization", secret);
        let probe = Probe {
            data: Bytes::from_static(b"hi\x00"),
            headers,
        };
        let json = serde_json::to_string(&probe).unwrap();
        assert_eq!(
            json,
            r#"{"data":"aGkA","headers":[["x-a","1"],["x-a","2"]]}"#
        );
        let back: Probe = serde_json::from_str(&json).unwrap();
        assert_eq!(back.data, probe.data);
        assert_eq!(back.headers.get_all("x-a").iter().count(), 2);
        assert!(back.headers.get("authorization").is_none());
    }

    #[test]
    fn bad_base64_is_an_error() {
        let err = serde_json::from_str::<Probe>(r#"{"data":"!!","headers":[]}"#).unwrap_err();
        assert!(err.to_string().contains("invalid base64 data"), "{err}");
    }
}
