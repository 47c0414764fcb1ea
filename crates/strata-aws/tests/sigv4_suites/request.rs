//! Parsing the suites' raw HTTP requests.

use http::{HeaderName, HeaderValue, Request};
use strata_http::body::ReplayableBody;

#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    pub(crate) method: String,
    /// Path and query as written in the request line.
    pub(crate) target: String,
    /// Headers in order; continuation lines folded into one value with single spaces.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

pub(crate) fn parse(text: &[u8]) -> RawRequest {
    let text = std::str::from_utf8(text).expect("request files are UTF-8");
    let (head, body) = match text.find("\n\n") {
        Some(i) => (&text[..i], text.as_bytes()[i + 2..].to_vec()),
        None => (text.trim_end_matches('\n'), Vec::new()),
    };
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let method_end = request_line.find(' ').expect("method");
    let target_end = request_line.rfind(" HTTP/").unwrap_or(request_line.len());
    let method = request_line[..method_end].to_owned();
    let target = request_line[method_end + 1..target_end].to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').expect("header line");
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    RawRequest {
        method,
        target,
        headers,
        body,
    }
}

impl RawRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Removes a header, returning its value.
    pub(crate) fn take_header(&mut self, name: &str) -> Option<String> {
        let i = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))?;
        Some(self.headers.remove(i).1)
    }

    /// An `http` request to `https://<Host><target>`, keeping every header (Host included).
    pub(crate) fn to_http(&self) -> Request<ReplayableBody> {
        let host = self.header("host").expect("Host header");
        let mut builder = Request::builder()
            .method(self.method.as_str())
            .uri(format!("https://{host}{}", self.target));
        for (name, value) in &self.headers {
            builder = builder.header(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        builder
            .body(ReplayableBody::from(self.body.clone()))
            .unwrap()
    }
}
