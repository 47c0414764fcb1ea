//! The accept loop and the per-request pipeline: read the body, answer control requests, or
//! authenticate, apply faults, route, and journal.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::api_error::{ApiError, request_id};
use crate::auth::{self, AuthConfig};
use crate::body::ResponseBody;
use crate::faults::{Fault, Faults};
use crate::journal::{AuthOutcome, Journal, JournalEntry};
use crate::openai::error::OpenAiError;
use crate::{control, openai, routes};

/// The largest request body the emulator reads.
pub(crate) const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// How long open connections get to finish once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);
/// How long to wait after a failed `accept` before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// State shared by every connection.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) auth: AuthConfig,
    pub(crate) faults: Faults,
    pub(crate) journal: Journal,
    pub(crate) routes: routes::State,
}

/// Accepts connections until `stop` flips, then drains them; connections still open after
/// [`DRAIN_TIMEOUT`] (a stalled stream, say) are dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors or similar: back off instead of spinning.
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let shared = shared.clone();
                let service = service_fn(move |request| handle(shared.clone(), request));
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection.into_owned());
                connections.spawn(async move {
                    // A client hanging up mid-response is not the server's problem.
                    let _ = connection.await;
                });
                // Reap finished connections so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await;
    connections.shutdown().await;
}

/// Which protocol family a path belongs to: it decides the accepted signing names and the
/// shape of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    /// Bedrock Runtime and Agent Runtime (rest-json errors, signing name `bedrock`).
    Bedrock,
    /// The OpenAI-compatible routes under `/openai/` (OpenAI errors, signing names
    /// `bedrock-mantle` and `bedrock`).
    OpenAi,
}

impl Surface {
    fn of(path: &str) -> Self {
        if path.starts_with(openai::PREFIX) {
            Self::OpenAi
        } else {
            Self::Bedrock
        }
    }

    fn signing_names(self) -> &'static [&'static str] {
        match self {
            Self::Bedrock => auth::BEDROCK_SIGNING_NAMES,
            Self::OpenAi => auth::OPENAI_SIGNING_NAMES,
        }
    }

    /// The response to an authentication failure, with the error code for the journal.
    fn rejected(self, error: ApiError) -> (String, http::Response<ResponseBody>) {
        match self {
            Self::Bedrock => (error.code().to_owned(), error.into_response()),
            Self::OpenAi => {
                let error = OpenAiError::unauthorized(&error);
                let code = error.code().unwrap_or_default().to_owned();
                (code, error.into_response())
            }
        }
    }

    fn too_large(self) -> http::Response<ResponseBody> {
        match self {
            Self::Bedrock => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "ValidationException",
                format!("The request body exceeds the emulator's limit of {MAX_BODY_BYTES} bytes."),
            )
            .into_response(),
            Self::OpenAi => OpenAiError::too_large(MAX_BODY_BYTES).into_response(),
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: http::Request<Incoming>,
) -> Result<http::Response<ResponseBody>, Infallible> {
    let id = request_id();
    let (parts, body) = request.into_parts();
    let surface = Surface::of(parts.uri.path());
    let mut response = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => {
            let body = collected.to_bytes();
            if parts.uri.path().starts_with(control::PREFIX) {
                control::handle(&shared, &parts, &body)
            } else {
                api(&shared, surface, &parts, body, &id).await
            }
        }
        Err(_) => surface.too_large(),
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        if surface == Surface::OpenAi {
            response.headers_mut().insert("x-request-id", value.clone());
        }
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    Ok(response)
}

async fn api(
    shared: &Shared,
    surface: Surface,
    parts: &http::request::Parts,
    body: Bytes,
    id: &str,
) -> http::Response<ResponseBody> {
    let (presented, verdict) = auth::authenticate(
        &shared.auth,
        surface.signing_names(),
        parts,
        &body,
        shared.faults.now(),
    );
    let (auth_outcome, response) = match verdict {
        Err(error) => {
            let (error_code, response) = surface.rejected(error);
            (AuthOutcome::Rejected { error_code }, response)
        }
        Ok(outcome) => {
            let response = match surface {
                Surface::Bedrock => authorized(shared, parts, &body).await,
                Surface::OpenAi => openai::serve(shared, parts, &body).await,
            };
            (outcome, response)
        }
    };
    shared.journal.record(JournalEntry {
        request_id: id.to_owned(),
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        auth: auth_outcome,
        signed_headers: presented.signed_headers,
        amz_date: presented.amz_date,
        signature: presented.signature,
        signing_name: presented.signing_name,
        body,
        status: response.status().as_u16(),
    });
    response
}

/// Plays a fault taken before answering: an error or redirect response ends the request
/// (`Err`), a delay is waited out; a stream fault (or none) is handed back for the body.
pub(crate) async fn before_answer(
    surface: Surface,
    fault: Option<Fault>,
) -> Result<Option<Fault>, http::Response<ResponseBody>> {
    match fault {
        Some(Fault::Throttle) => Err(match surface {
            Surface::Bedrock => ApiError::throttling().into_response(),
            Surface::OpenAi => OpenAiError::rate_limited().into_response(),
        }),
        Some(Fault::ServerError {
            status,
            retry_after,
        }) => Err(match surface {
            Surface::Bedrock => server_error(status)
                .with_retry_after(retry_after)
                .into_response(),
            Surface::OpenAi => OpenAiError::server(status)
                .with_retry_after(retry_after)
                .into_response(),
        }),
        Some(Fault::Redirect { location }) => Err(redirect(&location)),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            Ok(None)
        }
        other => Ok(other),
    }
}

async fn authorized(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &Bytes,
) -> http::Response<ResponseBody> {
    let route = match routes::Route::parse(&parts.method, parts.uri.path()) {
        Ok(route) => route,
        Err(error) => return error.into_response(),
    };
    let taken = shared.faults.take(route.body_kind());
    let stream_fault = match before_answer(Surface::Bedrock, taken).await {
        Ok(fault) => fault,
        Err(response) => return response,
    };
    match routes::dispatch(&shared.routes, &route, body, stream_fault) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}
fn server_error(status: u16) -> ApiError {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (code, message) = match status.as_u16() {
        502 => ("BadGatewayException", "Bad gateway."),
        503 => (
            "ServiceUnavailableException",
            "Service unavailable. Please try again later.",
        ),
        504 => ("GatewayTimeoutException", "Gateway timeout."),
        _ => (
            "InternalServerException",
            "The server encountered an internal error.",
        ),
    };
    ApiError::new(status, code, message)
}

fn redirect(location: &str) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(ResponseBody::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}
