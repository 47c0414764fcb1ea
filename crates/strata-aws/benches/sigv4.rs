//! Signing a Bedrock Converse request through `SigV4Layer` versus bare `aws-sigv4`.

use std::convert::Infallible;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::FutureExt;
use http::{Request, Response};
use strata_aws::sign::{Clock, SigV4Layer, encode_path_segment};
use strata_http::body::ReplayableBody;
use tower::{Layer, Service, service_fn};

#[derive(Debug)]
struct FixedClock(SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

const SIZES: &[(&str, usize)] = &[
    ("0.5KiB", 512),
    ("4KiB", 4 * 1024),
    ("64KiB", 64 * 1024),
    ("1MiB", 1024 * 1024),
];

fn converse_body(len: usize) -> ReplayableBody {
    let prefix = br#"{"messages":[{"role":"user","content":[{"text":""#;
    let suffix = br#""}]}],"inferenceConfig":{"maxTokens":512}}"#;
    let mut body = Vec::with_capacity(len);
    body.extend_from_slice(prefix);
    body.resize(len - suffix.len(), b'a');
    body.extend_from_slice(suffix);
    ReplayableBody::from(body)
}

fn request(uri: &str, body: &ReplayableBody, credentials: &Credentials) -> Request<ReplayableBody> {
    let mut request = Request::post(uri)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body.clone())
        .unwrap();
    request.extensions_mut().insert(credentials.clone());
    request
}

fn bench(c: &mut Criterion) {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".to_owned()),
        None,
        "bench",
    );
    let uri = format!(
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/{}/converse",
        encode_path_segment("anthropic.claude-3-5-sonnet-20240620-v1:0")
    );
    let layer = SigV4Layer::builder()
        .signing_name("bedrock")
        .region("us-east-1")
        .clock(FixedClock(time))
        .build()
        .unwrap();
    let mut signer = layer.layer(service_fn(|req: Request<ReplayableBody>| async move {
        Ok::<_, Infallible>(Response::new(req.headers().len()))
    }));

    let mut group = c.benchmark_group("sigv4_converse");
    for &(name, len) in SIZES {
        let body = converse_body(len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("layer", name), &body, |b, body| {
            b.iter(|| {
                let req = request(&uri, body, &credentials);
                signer.call(req).now_or_never().unwrap().unwrap()
            })
        });
        group.bench_with_input(
            BenchmarkId::new("bare_aws_sigv4", name),
            &body,
            |b, body| {
                b.iter(|| {
                    let mut req = request(&uri, body, &credentials);
                    let identity = credentials.clone().into();
                    let params = v4::SigningParams::builder()
                        .identity(&identity)
                        .region("us-east-1")
                        .name("bedrock")
                        .time(time)
                        .settings(SigningSettings::default())
                        .build()
                        .unwrap()
                        .into();
                    let uri = req.uri().to_string();
                    let signable = SignableRequest::new(
                        req.method().as_str(),
                        uri,
                        req.headers()
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.to_str().unwrap())),
                        SignableBody::Bytes(req.body().bytes()),
                    )
                    .unwrap();
                    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
                    instructions.apply_to_request_http1x(&mut req);
                    req
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
