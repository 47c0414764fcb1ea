//! Fuzzes the event-stream decoder: any input, delivered in chunks of any size and with any
//! maximum frame size, must decode without panicking or hanging, and to the same messages and
//! the same error as the same input delivered whole. The first three input bytes choose the
//! chunk size, the maximum frame size, and whether to fix up the frames' checksums.
#![no_main]

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body, Frame};
use libfuzzer_sys::fuzz_target;
use strata_aws::event_stream::{EventStream, FrameDecoder, Message, MessageStream};

/// A body handing out fixed-size chunks of the input, always ready.
struct Chunks {
    data: Bytes,
    size: usize,
}

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.size.min(self.data.len());
        let chunk = self.data.split_to(n);
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }
}

/// Drains a stream over an always-ready body: its items (errors as their message), checking
/// that it never returns `Pending` and ends after an error.
fn drain<T, E: ToString, S: Stream<Item = Result<T, E>>>(stream: S) -> Vec<Result<T, String>> {
    let mut stream = std::pin::pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    let mut items = Vec::new();
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(item))) => items.push(Ok(item)),
            Poll::Ready(Some(Err(e))) => {
                items.push(Err(e.to_string()));
                assert!(matches!(
                    stream.as_mut().poll_next(&mut cx),
                    Poll::Ready(None)
                ));
                return items;
            }
            Poll::Ready(None) => return items,
            Poll::Pending => panic!("pending on an always-ready body"),
        }
    }
}

/// Recomputes the checksums of every frame the input declares, so that most inputs get past
/// the CRC checks to the length and header parsing.
fn reseal(bytes: &mut [u8]) {
    let mut at = 0;
    while at + 12 <= bytes.len() {
        let crc = crc32fast::hash(&bytes[at..at + 8]);
        bytes[at + 8..at + 12].copy_from_slice(&crc.to_be_bytes());
        let total = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let total = total as usize;
        if total < 16 || bytes.len() - at < total {
            return;
        }
        let crc = crc32fast::hash(&bytes[at..at + total - 4]);
        bytes[at + total - 4..at + total].copy_from_slice(&crc.to_be_bytes());
        at += total;
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&[chunk, limit, flags], data)) = input.split_first_chunk::<3>() else {
        return;
    };
    let mut data = data.to_vec();
    if flags & 1 == 1 {
        reseal(&mut data);
    }
    let data = Bytes::from(data);
    let size = usize::from(chunk).max(1);
    // Mostly the default limit; sometimes a small one, so the size check is exercised.
    let max = if limit < 200 {
        usize::from(limit) * 8
    } else {
        16 << 20
    };

    let whole = drain(MessageStream::with_max_frame_size(
        Chunks {
            data: data.clone(),
            size: usize::MAX,
        },
        max,
    ));
    let chunked = drain(MessageStream::with_max_frame_size(
        Chunks {
            data: data.clone(),
            size,
        },
        max,
    ));
    assert_eq!(whole, chunked, "chunk size {size} changed the result");
    for message in whole.iter().flatten() {
        let _ = (
            message.headers().count(),
            message.payload(),
            message.event_type(),
        );
        let again = Message::decode(message.frame().clone());
        assert!(matches!(again, Ok(ref m) if m == message));
    }

    drain(EventStream::with_max_frame_size(
        Chunks {
            data: data.clone(),
            size,
        },
        max,
    ));
    let _ = Message::decode(data.clone());
    let mut decoder = FrameDecoder::with_max_frame_size(max);
    let mut buf = BytesMut::from(&data[..]);
    while let Ok(Some(_)) = decoder.decode(&mut buf) {}
});
