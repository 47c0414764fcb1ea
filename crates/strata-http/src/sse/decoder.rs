//! The incremental, buffer-driven SSE decoder.

use std::time::Duration;

use bytes::{Buf, BytesMut};

use super::{SseError, SseEvent};

/// The default limit on one event's size (its `data` and `event` values plus the line being
/// read): 16 MiB, room for a Responses API `response.completed` event carrying a large output.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes server-sent events from a [`BytesMut`] you append body chunks to.
///
/// Follows the WHATWG HTML specification's *interpreting an event stream*: lines end with
/// CRLF, LF or CR (also when a CRLF is split across chunks); one leading byte-order mark is
/// skipped; lines starting with `:` are comments; `data` lines are joined with `\n`; a blank
/// line dispatches the event (a block without `data` dispatches nothing); `retry` takes only
/// ASCII digits; an `id` containing NUL is ignored; unknown fields are ignored.
///
/// Stricter than the specification where a client library should be: a value that is not
/// valid UTF-8 is an error (not replaced), an event or line larger than the limit is an
/// error, and [`decode_eof`](Self::decode_eof) reports a stream that ends mid-event.
///
/// Consumed bytes are advanced past in place; only field values are copied, into the event.
#[derive(Debug, Clone)]
pub struct SseDecoder {
    max_event_size: usize,
    /// Whether the byte-order-mark check at the start of the stream is done.
    started: bool,
    /// The previous line ended with CR at the end of the buffer: skip a leading LF.
    skip_lf: bool,
    /// How many bytes of the current, unterminated line were already searched.
    scanned: usize,
    /// Whether a field line of the current block was seen (the block is "open").
    in_event: bool,
    /// Bytes of values accumulated in the current block.
    pending: usize,
    data: String,
    event: String,
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SseDecoder {
    /// A decoder with the [`DEFAULT_MAX_EVENT_SIZE`] limit.
    pub fn new() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }

    /// A decoder refusing events (and lines) larger than `max_event_size` bytes.
    pub fn with_max_event_size(max_event_size: usize) -> Self {
        Self {
            max_event_size,
            started: false,
            skip_lf: false,
            scanned: 0,
            in_event: false,
            pending: 0,
            data: String::new(),
            event: String::new(),
            last_id: None,
            retry: None,
        }
    }

    /// The size limit of one event.
    pub fn max_event_size(&self) -> usize {
        self.max_event_size
    }

    /// The last event id the stream set, if any.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Decodes the next complete event from the front of `buf`, advancing past what it
    /// consumed. `Ok(None)` means more bytes are needed.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<SseEvent>, SseError> {
        if !self.started {
            let n = buf.len().min(BOM.len());
            if buf[..n] != BOM[..n] {
                self.started = true;
            } else if n == BOM.len() {
                buf.advance(n);
                self.started = true;
            } else {
                return Ok(None);
            }
        }
        loop {
            if self.skip_lf {
                match buf.first() {
                    None => return Ok(None),
                    Some(b'\n') => buf.advance(1),
                    Some(_) => {}
                }
                self.skip_lf = false;
            }
            let Some(offset) = buf[self.scanned..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
            else {
                self.scanned = buf.len();
                self.check_size(buf.len())?;
                return Ok(None);
            };
            let end = self.scanned + offset;
            self.check_size(end)?;
            let terminator = if buf[end] == b'\n' {
                1
            } else {
                match buf.get(end + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    None => {
                        self.skip_lf = true;
                        1
                    }
                }
            };
            self.scanned = 0;
            let event = self.process_line(&buf[..end]);
            buf.advance(end + terminator);
            if let Some(event) = event? {
                return Ok(Some(event));
            }
        }
    }

    /// Like [`decode`](Self::decode), for when the body has ended: returns the remaining
    /// complete events one by one, then `Ok(None)`; an unterminated field line or an event
    /// without its dispatching blank line is a [truncation](SseError::is_truncated) error.
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<SseEvent>, SseError> {
        if let Some(event) = self.decode(buf)? {
            return Ok(Some(event));
        }
        let comment_only = buf.first() == Some(&b':') && self.started;
        if self.in_event || !(buf.is_empty() || comment_only) {
            return Err(SseError::truncated());
        }
        buf.clear();
        self.scanned = 0;
        Ok(None)
    }

    fn check_size(&self, line: usize) -> Result<(), SseError> {
        if self.pending.saturating_add(line) > self.max_event_size {
            return Err(SseError::too_large(self.max_event_size));
        }
        Ok(())
    }

    fn process_line(&mut self, line: &[u8]) -> Result<Option<SseEvent>, SseError> {
        if line.is_empty() {
            return Ok(self.dispatch());
        }
        if line[0] == b':' {
            return Ok(None);
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"data" => {
                let value = utf8("data", value)?;
                self.data.reserve(value.len() + 1);
                self.data.push_str(value);
                self.data.push('\n');
                self.pending += value.len() + 1;
                self.in_event = true;
            }
            b"event" => {
                let value = utf8("event", value)?;
                self.pending = self.pending - self.event.len() + value.len();
                self.event.clear();
                self.event.push_str(value);
                self.in_event = true;
            }
            b"id" => {
                if !value.contains(&0) {
                    self.last_id = Some(utf8("id", value)?.to_owned());
                }
                self.in_event = true;
            }
            b"retry" => {
                if !value.is_empty()
                    && value.iter().all(u8::is_ascii_digit)
                    && let Ok(millis) = utf8("retry", value)?.parse::<u64>()
                {
                    self.retry = Some(Duration::from_millis(millis));
                }
                self.in_event = true;
            }
            _ => {}
        }
        Ok(None)
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        self.in_event = false;
        self.pending = 0;
        if self.data.is_empty() {
            self.event.clear();
            return None;
        }
        self.data.pop();
        let event = (!self.event.is_empty()).then(|| std::mem::take(&mut self.event));
        Some(SseEvent::from_parts(
            event,
            std::mem::take(&mut self.data),
            self.last_id.clone(),
            self.retry.take(),
        ))
    }
}

fn utf8<'a>(field: &'static str, value: &'a [u8]) -> Result<&'a str, SseError> {
    std::str::from_utf8(value).map_err(|e| SseError::invalid_utf8(field, e))
}
