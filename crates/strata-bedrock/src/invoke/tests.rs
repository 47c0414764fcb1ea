use std::collections::BTreeMap;

use bytes::Bytes;
use http::HeaderMap;
use serde_json::json;

use super::*;

#[test]
fn default_headers_and_paths() {
    let request = InvokeRequest::new("arn:aws:bedrock:us-east-1::foundation-model/x:0", "{}");
    assert_eq!(
        request.path(false),
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fx%3A0/invoke"
    );
    let headers = request.http_headers(false).unwrap();
    assert_eq!(headers.len(), 2);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["accept"], "application/json");
    let streaming = request.http_headers(true).unwrap();
    assert_eq!(streaming.len(), 2);
    assert_eq!(streaming["x-amzn-bedrock-accept"], "application/json");
    assert!(streaming.get("accept").is_none());
}

#[test]
fn every_binding_lands_in_its_header() {
    let mut extra = HeaderMap::new();
    extra.insert("x-custom", "1".parse().unwrap());
    let request = InvokeRequest::json("m", &json!({"a": 1}))
        .with_content_type("application/x-custom")
        .with_accept("*/*")
        .with_trace(Trace::EnabledFull)
        .with_guardrail("arn:gr", "3")
        .with_performance_latency(PerformanceConfigLatency::Standard)
        .with_service_tier(ServiceTierType::Flex)
        .with_request_metadata(BTreeMap::from([("team".to_owned(), "search".to_owned())]))
        .with_headers(extra);
    assert_eq!(&request.body[..], br#"{"a":1}"#);
    let headers = request.http_headers(false).unwrap();
    let get = |name: &str| headers[name].to_str().unwrap().to_owned();
    assert_eq!(get("content-type"), "application/x-custom");
    assert_eq!(get("accept"), "*/*");
    assert_eq!(get("x-amzn-bedrock-trace"), "ENABLED_FULL");
    assert_eq!(get("x-amzn-bedrock-guardrailidentifier"), "arn:gr");
    assert_eq!(get("x-amzn-bedrock-guardrailversion"), "3");
    assert_eq!(get("x-amzn-bedrock-performanceconfig-latency"), "standard");
    assert_eq!(get("x-amzn-bedrock-service-tier"), "flex");
    assert_eq!(
        get("x-amzn-bedrock-request-metadata"),
        r#"{"team":"search"}"#
    );
    assert!(headers["x-amzn-bedrock-request-metadata"].is_sensitive());
    assert_eq!(get("x-custom"), "1");
    assert_eq!(headers.len(), 9);
}

#[test]
fn invalid_requests_are_typed_errors() {
    let err = InvokeRequest::new("", "{}")
        .http_headers(false)
        .unwrap_err();
    assert_eq!(err.argument(), Some("model_id"));
    let err = InvokeRequest::new("m", "{}")
        .with_guardrail("gr", "")
        .http_headers(false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `guardrail`: both the identifier and the version must be non-empty"
    );
    let err = InvokeRequest::new("m", "{}")
        .with_content_type("text/plain\n")
        .http_headers(false)
        .unwrap_err();
    assert_eq!(err.argument(), Some("content_type"));
    let err = InvokeRequest::new("m", "{}")
        .with_request_metadata(BTreeMap::from([("k".to_owned(), "\u{7f}".to_owned())]))
        .http_headers(false)
        .unwrap_err();
    assert_eq!(err.argument(), Some("request_metadata"));
}

#[test]
fn debug_hides_the_body_and_metadata() {
    let request = InvokeRequest::new("m", "secret prompt")
        .with_request_metadata(BTreeMap::from([("user".to_owned(), "alice".to_owned())]));
    let debug = format!("{request:?}");
    assert!(
        !debug.contains("secret") && !debug.contains("alice"),
        "{debug}"
    );
    assert!(debug.contains("body_len: 13"), "{debug}");
    let response = InvokeResponse::from_parts(HeaderMap::new(), Bytes::from("secret answer"));
    assert!(!format!("{response:?}").contains("secret"));
}

#[test]
fn response_headers_are_read() {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("content-type", "image/png"),
        ("x-amzn-bedrock-input-token-count", "7"),
        ("x-amzn-bedrock-output-token-count", "not a number"),
        ("x-amzn-bedrock-invocation-latency", "120"),
        ("x-amzn-bedrock-performanceconfig-latency", "optimized"),
        ("x-amzn-bedrock-service-tier", "priority"),
        ("x-amzn-requestid", "req-9"),
    ] {
        headers.insert(name, value.parse().unwrap());
    }
    let response = InvokeResponse::from_parts(headers.clone(), Bytes::from_static(b"\x89PNG"));
    assert_eq!(response.content_type.as_deref(), Some("image/png"));
    assert_eq!(response.input_tokens, Some(7));
    assert_eq!(response.output_tokens, None);
    assert_eq!(response.invocation_latency_ms, Some(120));
    assert_eq!(
        response.performance_latency,
        Some(PerformanceConfigLatency::Optimized)
    );
    assert_eq!(response.service_tier, Some(ServiceTierType::Priority));
    assert_eq!(response.request_id.as_deref(), Some("req-9"));
    let err = response.json().unwrap_err();
    assert!(err.is_invalid_response());
    assert_eq!(err.request_id(), Some("req-9"));
    assert_eq!(err.excerpt(), Some("\u{fffd}PNG"));
}

mod stream {
    use super::super::stream::*;

    #[test]
    fn chunks_decode_and_other_events_are_skipped() {
        let mut decoder = ChunkDecoder::new();
        assert_eq!(decoder.on_event("somethingNew", b"{}").unwrap(), None);
        assert_eq!(
            decoder
                .on_event("chunk", br#"{"bytes":"e30="}"#)
                .unwrap()
                .as_deref(),
            Some(&b"{}"[..])
        );
        assert_eq!(decoder.chunks(), 1);
        for (payload, message) in [
            (&b"[1]"[..], "a `chunk` event is not a JSON object"),
            (b"{}", "a `chunk` event has no `bytes` member"),
            (
                br#"{"bytes":"a"}"#,
                "a `chunk` event's `bytes` is not base64",
            ),
        ] {
            let err = decoder.on_event("chunk", payload).unwrap_err();
            assert!(err.is_invalid_response());
            assert!(err.to_string().contains(message), "{err}");
            assert_eq!(err.excerpt(), Some(std::str::from_utf8(payload).unwrap()));
        }
        assert_eq!(decoder.chunks(), 1);
    }
}

mod body_stream {
    use aws_smithy_eventstream::frame::write_message_to;
    use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
    use bytes::Bytes;
    use futures_util::StreamExt as _;
    use http_body::Frame;
    use http_body_util::{Full, StreamBody};
    use strata_core::Error;

    use super::super::stream::InvokeStream;

    /// Encodes one frame with string headers (aws-smithy-eventstream's encoder).
    fn frame(headers: &[(&str, &str)], payload: &str) -> Vec<u8> {
        let mut message = Message::new(payload.to_owned());
        for (name, value) in headers {
            let value = HeaderValue::String((*value).to_owned().into());
            message = message.add_header(Header::new(name.to_string(), value));
        }
        let mut out = Vec::new();
        write_message_to(&message, &mut out).unwrap();
        out
    }

    fn chunk(payload: &str) -> Vec<u8> {
        frame(
            &[(":message-type", "event"), (":event-type", "chunk")],
            payload,
        )
    }

    #[tokio::test]
    async fn chunks_in_order_unknown_events_skipped_request_id_on_errors() {
        let mut wire = chunk(r#"{"bytes":"YQ=="}"#);
        wire.extend(frame(
            &[(":message-type", "event"), (":event-type", "newKind")],
            "{}",
        ));
        wire.extend(chunk(r#"{"bytes":"Yg==","p":"pad"}"#));
        let cut = chunk(r#"{"bytes":"Yw=="}"#);
        wire.extend(&cut[..cut.len() / 2]);
        let mut stream =
            InvokeStream::new(Full::new(Bytes::from(wire))).with_request_id(Some("req-1".into()));
        assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"a");
        assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"b");
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(err.is_stream_ended(), "{err}");
        assert_eq!(err.request_id(), Some("req-1"));
        assert!(stream.next().await.is_none());
        assert_eq!(stream.chunk_count(), 2);
    }

    #[tokio::test]
    async fn body_errors_keep_their_strata_kind() {
        let frames: Vec<Result<Frame<Bytes>, Error>> = vec![
            Ok(Frame::data(Bytes::from(chunk(r#"{"bytes":"YQ=="}"#)))),
            Err(Error::timeout("no data for 30s")),
        ];
        let body = StreamBody::new(futures_util::stream::iter(frames));
        let mut stream = InvokeStream::new(body);
        assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"a");
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(err.is_timeout(), "{err}");
        assert!(stream.next().await.is_none());
    }

    #[tokio::test]
    async fn corrupt_frames_and_bad_chunks_end_the_stream() {
        let mut wire = chunk(r#"{"bytes":"YQ=="}"#);
        let last = wire.len() - 1;
        wire[last] ^= 1;
        let mut stream = InvokeStream::new(Full::new(Bytes::from(wire)));
        assert!(
            stream
                .next()
                .await
                .unwrap()
                .unwrap_err()
                .is_invalid_response()
        );
        assert!(stream.next().await.is_none());

        let mut stream = InvokeStream::new(Full::new(Bytes::from(chunk(r#"{"nope":1}"#))));
        assert!(
            stream
                .next()
                .await
                .unwrap()
                .unwrap_err()
                .is_invalid_response()
        );
        assert!(stream.next().await.is_none());
    }
}
