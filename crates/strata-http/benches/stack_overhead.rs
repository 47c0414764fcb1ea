//! The full strata-http stack's overhead per request on the success path, against a bare
//! `service_fn` backend (no network).

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use http::{Request, Response};
use strata_http::bearer::BearerAuthLayer;
use strata_http::body::{ReplayBodyLayer, ReplayableBody};
use strata_http::redirect::RefuseRedirectsLayer;
use strata_http::retry::{RetryConfig, RetryLayer};
use strata_http::timeout::{IdleTimeoutLayer, TimeoutLayer};
use strata_http::trace::TraceLayer;
use strata_http::user_agent::UserAgentLayer;
use tower::{Service, ServiceBuilder, ServiceExt};

fn backend()
-> impl Service<Request<ReplayableBody>, Response = Response<Bytes>, Error = Infallible> + Clone {
    tower::service_fn(|req: Request<ReplayableBody>| async move {
        Ok::<_, Infallible>(Response::new(req.into_body().into_bytes()))
    })
}

fn request() -> Request<ReplayableBody> {
    Request::post("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke")
        .header("content-type", "application/json")
        .body(ReplayableBody::from(
            &b"{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"[..],
        ))
        .unwrap()
}

fn stack_overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("stack_overhead");

    let bare = backend();
    group.bench_function("bare_service_fn", |b| {
        b.iter(|| runtime.block_on(bare.clone().oneshot(request())).unwrap());
    });

    let _guard = runtime.enter();
    let full = ServiceBuilder::new()
        .layer(TraceLayer::new())
        .layer(UserAgentLayer::new())
        .layer(ReplayBodyLayer::strict())
        .layer(RetryLayer::new(RetryConfig::default()))
        .layer(BearerAuthLayer::from_static("sk-bench-token").unwrap())
        .layer(RefuseRedirectsLayer::new())
        .layer(IdleTimeoutLayer::new(Duration::from_secs(60)))
        .layer(TimeoutLayer::new(Duration::from_secs(30)))
        .service(backend());
    group.bench_function("full_stack", |b| {
        b.iter(|| runtime.block_on(full.clone().oneshot(request())).unwrap());
    });
    group.finish();
}

criterion_group!(benches, stack_overhead);
criterion_main!(benches);
