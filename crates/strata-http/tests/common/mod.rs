//! A scripted HTTP/1.1 test server on 127.0.0.1.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) authorization: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) path: String,
}

pub(crate) type ReplyBody = BoxBody<Bytes, Infallible>;

/// The next reply; the default when the script is empty is `200 ok`.
pub(crate) enum Reply {
    Status(u16),
    Redirect(String),
    Body(ReplyBody),
    /// Wait for the sender to fire (or be dropped) before answering 200.
    After(tokio::sync::oneshot::Receiver<()>),
}

#[derive(Clone)]
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
    pub(crate) connections: Arc<AtomicUsize>,
    script: Arc<Mutex<VecDeque<Reply>>>,
}

impl TestServer {
    pub(crate) async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Self {
            addr: listener.local_addr().unwrap(),
            seen: Arc::default(),
            connections: Arc::default(),
            script: Arc::default(),
        };
        let accept = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                accept.connections.fetch_add(1, Ordering::SeqCst);
                let handler = accept.clone();
                tokio::spawn(async move {
                    let service =
                        hyper::service::service_fn(move |req| handler.clone().handle(req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        server
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) fn push(&self, reply: Reply) {
        self.script.lock().unwrap().push_back(reply);
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    async fn handle(self, request: Request<Incoming>) -> Result<Response<ReplyBody>, Infallible> {
        let authorization = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let path = request.uri().path().to_owned();
        let body = request.into_body().collect().await.unwrap().to_bytes();
        self.seen.lock().unwrap().push(Seen {
            authorization,
            body,
            path,
        });
        let reply = self.script.lock().unwrap().pop_front();
        let full = |text: &'static str| Full::new(Bytes::from_static(text.as_bytes())).boxed();
        let response = match reply {
            None => Response::new(full("ok")),
            Some(Reply::Status(code)) => Response::builder()
                .status(code)
                .body(full("status"))
                .unwrap(),
            Some(Reply::Redirect(location)) => Response::builder()
                .status(302)
                .header("location", location)
                .body(full(""))
                .unwrap(),
            Some(Reply::Body(body)) => Response::new(body),
            Some(Reply::After(signal)) => {
                let _ = signal.await;
                Response::new(full("late"))
            }
        };
        Ok(response)
    }
}

/// Waits until only `expected` tasks are alive on this runtime, or panics after 5 s.
pub(crate) async fn wait_for_alive_tasks(expected: usize) {
    let metrics = tokio::runtime::Handle::current().metrics();
    for _ in 0..500 {
        if metrics.num_alive_tasks() == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!(
        "{} tasks alive, expected {expected}",
        metrics.num_alive_tasks()
    );
}
