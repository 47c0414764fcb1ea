//! Property tests of the event-stream decoder: random valid messages (encoded by
//! aws-smithy-eventstream) split at random boundaries decode to the same messages; random bytes
//! and mutated streams never panic or hang; and on random streams our decoder and
//! aws-smithy-eventstream's `MessageFrameDecoder` agree message for message and on which
//! inputs are errors.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder, write_message_to};
use aws_smithy_types::DateTime;
use aws_smithy_types::event_stream::{Header, HeaderValue as SValue, Message as SMessage};
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body, Frame};
use proptest::collection::vec;
use proptest::prelude::*;
use strata_aws::event_stream::{EventStream, FrameDecoder, HeaderValue, Message, MessageStream};

/// A header value in a form both decoders' values convert to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    String(String),
    Timestamp(i64),
    Uuid(u128),
}

/// A decoded message: headers in order, and the payload.
type Decoded = (Vec<(String, Value)>, Vec<u8>);

fn ours(m: &Message) -> Decoded {
    let headers = m
        .headers()
        .map(|h| {
            let v = match h.value() {
                HeaderValue::Bool(b) => Value::Bool(b),
                HeaderValue::Byte(n) => Value::Byte(n),
                HeaderValue::Int16(n) => Value::Int16(n),
                HeaderValue::Int32(n) => Value::Int32(n),
                HeaderValue::Int64(n) => Value::Int64(n),
                HeaderValue::ByteArray(b) => Value::Bytes(b.to_vec()),
                HeaderValue::String(s) => Value::String(s.to_owned()),
                HeaderValue::Timestamp(ms) => Value::Timestamp(ms),
                HeaderValue::Uuid(u) => Value::Uuid(u128::from_be_bytes(u)),
                other => panic!("unexpected {other:?}"),
            };
            (h.name().to_owned(), v)
        })
        .collect();
    // The located headers agree with the first string header of their name.
    let first = |name: &str| {
        m.headers()
            .find(|h| h.name() == name && h.value().as_str().is_some())
            .and_then(|h| h.value().as_str())
    };
    assert_eq!(m.message_type(), first(":message-type"));
    assert_eq!(m.event_type(), first(":event-type"));
    assert_eq!(m.content_type(), first(":content-type"));
    assert_eq!(m.exception_type(), first(":exception-type"));
    (headers, m.payload().to_vec())
}

fn smithy(m: &SMessage) -> Decoded {
    let headers = m
        .headers()
        .iter()
        .map(|h| {
            let v = match h.value() {
                SValue::Bool(b) => Value::Bool(*b),
                SValue::Byte(n) => Value::Byte(*n),
                SValue::Int16(n) => Value::Int16(*n),
                SValue::Int32(n) => Value::Int32(*n),
                SValue::Int64(n) => Value::Int64(*n),
                SValue::ByteArray(b) => Value::Bytes(b.to_vec()),
                SValue::String(s) => Value::String(s.as_str().to_owned()),
                SValue::Timestamp(t) => Value::Timestamp(t.to_millis().unwrap()),
                SValue::Uuid(u) => Value::Uuid(*u),
                other => panic!("unexpected {other:?}"),
            };
            (h.name().as_str().to_owned(), v)
        })
        .collect();
    (headers, m.payload().to_vec())
}

fn header_value() -> impl Strategy<Value = SValue> {
    prop_oneof![
        any::<bool>().prop_map(SValue::Bool),
        any::<i8>().prop_map(SValue::Byte),
        any::<i16>().prop_map(SValue::Int16),
        any::<i32>().prop_map(SValue::Int32),
        any::<i64>().prop_map(SValue::Int64),
        vec(any::<u8>(), 0..24).prop_map(|b| SValue::ByteArray(b.into())),
        "\\PC{0,12}".prop_map(|s| SValue::String(s.into())),
        (-(1i64 << 50)..(1i64 << 50)).prop_map(|ms| SValue::Timestamp(DateTime::from_millis(ms))),
        any::<u128>().prop_map(SValue::Uuid),
    ]
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(":message-type".to_owned()),
        Just(":event-type".to_owned()),
        Just(":content-type".to_owned()),
        Just(":exception-type".to_owned()),
        "\\PC{0,10}",
    ]
}

fn message() -> impl Strategy<Value = SMessage> {
    let headers = vec((header_name(), header_value()), 0..6);
    (headers, vec(any::<u8>(), 0..120)).prop_map(|(headers, payload)| {
        headers
            .into_iter()
            .fold(SMessage::new(payload), |m, (name, value)| {
                m.add_header(Header::new(name, value))
            })
    })
}

/// Messages that draw their headers from a few header sets, so that most frames repeat an
/// earlier frame's header section byte for byte (as the events of a real stream do).
fn repeating_messages() -> impl Strategy<Value = Vec<SMessage>> {
    let header_set = vec((header_name(), header_value()), 0..4);
    let picks = vec(
        (any::<prop::sample::Index>(), vec(any::<u8>(), 0..40)),
        2..10,
    );
    (vec(header_set, 1..3), picks).prop_map(|(sets, picks)| {
        picks
            .into_iter()
            .map(|(index, payload)| {
                index
                    .get(&sets)
                    .iter()
                    .fold(SMessage::new(payload), |m, (name, value)| {
                        m.add_header(Header::new(name.clone(), value.clone()))
                    })
            })
            .collect()
    })
}

fn encode(messages: &[SMessage]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        write_message_to(m, &mut out).unwrap();
    }
    out
}

/// Chunk lengths: all 1-byte, or random lengths cycled over the input.
fn chunking() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![Just(vec![1]), vec(1usize..64, 1..8), vec(1usize..600, 1..4)]
}

fn split(bytes: &[u8], lengths: &[usize]) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut at = 0;
    for len in lengths.iter().cycle() {
        if at >= bytes.len() {
            break;
        }
        let end = bytes.len().min(at + len);
        out.push(Bytes::copy_from_slice(&bytes[at..end]));
        at = end;
    }
    out
}

struct Chunks(std::vec::IntoIter<Bytes>);

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.next().map(|c| Ok(Frame::data(c))))
    }
}

/// Drains a stream over an always-ready body: messages until the end or the first error
/// (`true`). Fails on `Pending` (a hang), on items after an error, and on more items than the
/// input could hold.
fn drain<T, S: Stream<Item = Result<T, E>>, E>(stream: S, input_len: usize) -> (Vec<T>, bool) {
    let mut stream = std::pin::pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    let mut items = Vec::new();
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(item))) => items.push(item),
            Poll::Ready(Some(Err(_))) => {
                assert!(matches!(
                    stream.as_mut().poll_next(&mut cx),
                    Poll::Ready(None)
                ));
                return (items, true);
            }
            Poll::Ready(None) => return (items, false),
            Poll::Pending => panic!("pending on an always-ready body"),
        }
        assert!(
            items.len() <= input_len / 16,
            "more messages than the input holds"
        );
    }
}

fn decode_ours(bytes: &[u8], lengths: &[usize]) -> (Vec<Decoded>, bool) {
    let stream = MessageStream::new(Chunks(split(bytes, lengths).into_iter()));
    let (messages, failed) = drain(stream, bytes.len());
    (messages.iter().map(ours).collect(), failed)
}

/// aws-smithy-eventstream's streaming decoder, fed the same chunks. Input left over at the
/// end (buffered bytes, or a prelude the decoder has consumed) is a truncation error.
fn decode_smithy(bytes: &[u8], lengths: &[usize]) -> (Vec<Decoded>, bool) {
    let mut decoder = MessageFrameDecoder::new();
    let mut buf = BytesMut::new();
    let mut prelude_held = false;
    let mut out = Vec::new();
    for chunk in split(bytes, lengths) {
        buf.extend_from_slice(&chunk);
        loop {
            let before = buf.len();
            match decoder.decode_frame(&mut buf) {
                Ok(DecodedFrame::Complete(m)) => {
                    prelude_held = false;
                    out.push(smithy(&m));
                }
                Ok(DecodedFrame::Incomplete) => {
                    prelude_held |= buf.len() < before;
                    break;
                }
                Err(_) => return (out, true),
            }
        }
    }
    (out, prelude_held || !buf.is_empty())
}

/// A random change to a valid stream.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Truncate { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Remove { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (at, any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        at.prop_map(|at| Mutation::Truncate { at }),
        (at, vec(any::<u8>(), 1..8)).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, 1usize..20).prop_map(|(at, len)| Mutation::Remove { at, len }),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at, bit } if !bytes.is_empty() => bytes[at % n] ^= 1 << bit,
            Mutation::Set { at, byte } if !bytes.is_empty() => bytes[at % n] = *byte,
            Mutation::Truncate { at } => bytes.truncate(at % n),
            Mutation::Insert { at, bytes: extra } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, extra.iter().copied());
            }
            Mutation::Remove { at, len } if !bytes.is_empty() => {
                let at = at % n;
                let end = bytes.len().min(at + len);
                bytes.drain(at..end);
            }
            _ => {}
        }
    }
    bytes
}

/// Recomputes the checksums of every frame the (mutated) bytes declare, so that mutations
/// reach the header and length checks instead of stopping at a checksum.
fn reseal(bytes: &mut [u8]) {
    let mut at = 0;
    while at + 12 <= bytes.len() {
        let crc = crc32fast::hash(&bytes[at..at + 8]);
        bytes[at + 8..at + 12].copy_from_slice(&crc.to_be_bytes());
        let total = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        if total < 16 || at + total > bytes.len() {
            return;
        }
        let crc = crc32fast::hash(&bytes[at..at + total - 4]);
        bytes[at + total - 4..at + total].copy_from_slice(&crc.to_be_bytes());
        at += total;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_messages_decode_identically_at_any_chunking(
        messages in vec(message(), 1..8),
        lengths in chunking(),
    ) {
        let bytes = encode(&messages);
        let expected: Vec<Decoded> = messages.iter().map(smithy).collect();
        let (decoded, failed) = decode_ours(&bytes, &lengths);
        prop_assert!(!failed);
        prop_assert_eq!(&decoded, &expected);
        // Byte by byte too, whatever the random chunking was.
        prop_assert_eq!(decode_ours(&bytes, &[1]), (expected, false));
    }

    #[test]
    fn agrees_with_smithy_on_mutated_streams(
        messages in vec(message(), 1..5),
        mutations in vec(mutation(), 0..3),
        resealed in any::<bool>(),
        lengths in chunking(),
    ) {
        let mut bytes = mutate(encode(&messages), &mutations);
        if resealed {
            reseal(&mut bytes);
        }
        let ours = decode_ours(&bytes, &lengths);
        let reference = decode_smithy(&bytes, &lengths);
        prop_assert_eq!(ours, reference);
    }

    #[test]
    fn repeated_header_sections_decode_identically_and_mutations_agree_with_smithy(
        messages in repeating_messages(),
        mutations in vec(mutation(), 0..3),
        resealed in any::<bool>(),
        lengths in chunking(),
    ) {
        let bytes = encode(&messages);
        let expected: Vec<Decoded> = messages.iter().map(smithy).collect();
        prop_assert_eq!(decode_ours(&bytes, &lengths), (expected, false));
        let mut bytes = mutate(bytes, &mutations);
        if resealed {
            reseal(&mut bytes);
        }
        prop_assert_eq!(decode_ours(&bytes, &lengths), decode_smithy(&bytes, &lengths));
    }

    #[test]
    fn agrees_with_smithy_on_random_bytes(
        bytes in vec(any::<u8>(), 0..200),
        lengths in chunking(),
    ) {
        prop_assert_eq!(decode_ours(&bytes, &lengths), decode_smithy(&bytes, &lengths));
    }

    #[test]
    fn never_panics_or_hangs(
        messages in vec(message(), 0..4),
        mutations in vec(mutation(), 0..6),
        noise in vec(any::<u8>(), 0..64),
        lengths in chunking(),
        max in prop_oneof![Just(usize::MAX), 0usize..400],
    ) {
        let mut bytes = mutate(encode(&messages), &mutations);
        bytes.extend(noise);
        let body = || Chunks(split(&bytes, &lengths).into_iter());
        drain(MessageStream::with_max_frame_size(body(), max), bytes.len());
        drain(EventStream::with_max_frame_size(body(), max), bytes.len());
        let _ = Message::decode(Bytes::copy_from_slice(&bytes));
        let mut decoder = FrameDecoder::with_max_frame_size(max);
        let mut buf = BytesMut::from(&bytes[..]);
        while let Ok(Some(_)) = decoder.decode(&mut buf) {}
    }
}
