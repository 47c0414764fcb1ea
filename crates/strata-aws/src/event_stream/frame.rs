//! The incremental frame decoder: splits complete frames off a `BytesMut` buffer.

use bytes::{Buf, BytesMut};

use super::error::EventStreamError;
use super::layout::{Layout, RecentHeaders};
use super::message::Message;

/// Bytes in a frame's prelude: total length, headers length, prelude CRC32 (each 4 bytes).
pub(crate) const PRELUDE_LEN: usize = 12;
/// Bytes of the trailing message CRC32.
pub(crate) const CRC_LEN: usize = 4;
/// The smallest possible frame: a prelude and a message CRC, no headers, no payload.
pub(crate) const MIN_FRAME_LEN: usize = PRELUDE_LEN + CRC_LEN;

/// The default maximum frame size: 16 MiB, the limit of AWS's own event-stream implementations.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 16 * 1024 * 1024;

/// Lengths read from a prelude whose checksum and bounds have been checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prelude {
    /// The frame's total length, prelude and message CRC included.
    pub(crate) total: usize,
    /// The length of the header section.
    pub(crate) headers: usize,
}

/// A CRC32 hasher whose CPU feature detection is done: cloning it is a copy, where
/// `crc32fast::Hasher::new` detects the features again on every call.
pub(crate) fn crc_hasher() -> crc32fast::Hasher {
    crc32fast::Hasher::new()
}

/// The CRC32 of `data`, from a hasher made by [`crc_hasher`].
#[inline]
pub(crate) fn crc32(hasher: &crc32fast::Hasher, data: &[u8]) -> u32 {
    let mut hasher = hasher.clone();
    hasher.update(data);
    hasher.finalize()
}

/// Checks a prelude: its CRC32, then that the lengths are consistent, then the size limit.
#[inline]
pub(crate) fn check_prelude(
    prelude: &[u8; PRELUDE_LEN],
    max_frame_size: usize,
    hasher: &crc32fast::Hasher,
) -> Result<Prelude, EventStreamError> {
    let [t0, t1, t2, t3, h0, h1, h2, h3, c0, c1, c2, c3] = *prelude;
    let total = u32::from_be_bytes([t0, t1, t2, t3]);
    let headers = u32::from_be_bytes([h0, h1, h2, h3]);
    let declared = u32::from_be_bytes([c0, c1, c2, c3]);
    let computed = crc32(hasher, &prelude[..8]);
    if computed != declared {
        return Err(EventStreamError::prelude_checksum(computed, declared));
    }
    // Lossless on the 32- and 64-bit targets this crate builds for.
    let (total_len, headers_len) = (total as usize, headers as usize);
    if total_len < MIN_FRAME_LEN || headers_len > total_len - MIN_FRAME_LEN {
        return Err(EventStreamError::invalid_length(total, headers));
    }
    if total_len > max_frame_size {
        return Err(EventStreamError::frame_too_large(total, max_frame_size));
    }
    Ok(Prelude {
        total: total_len,
        headers: headers_len,
    })
}

/// An incremental decoder of event-stream frames held in a [`BytesMut`].
///
/// Append received bytes to the buffer and call [`decode`](Self::decode) until it returns
/// `Ok(None)`; each complete frame is split off the front of the buffer (no copy) and
/// validated: prelude CRC32, lengths, the configured maximum frame size, every header, and
/// the message CRC32. A frame's prelude is checked as soon as its first 12 bytes are
/// buffered, so an oversized or corrupt frame is refused before its body is awaited.
///
/// After an error the byte stream cannot be resynchronised: discard the decoder and buffer.
///
/// ```
/// use bytes::BytesMut;
/// use strata_aws::event_stream::FrameDecoder;
///
/// // The smallest frame: no headers, no payload.
/// let frame = [0, 0, 0, 16, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff];
/// let mut decoder = FrameDecoder::new();
/// let mut buf = BytesMut::new();
/// buf.extend_from_slice(&frame[..9]);
/// assert!(decoder.decode(&mut buf)?.is_none()); // waits for the rest
/// buf.extend_from_slice(&frame[9..]);
/// let message = decoder.decode(&mut buf)?.expect("a complete frame");
/// assert_eq!(message.headers().count(), 0);
/// assert!(message.payload().is_empty());
/// assert!(buf.is_empty());
/// # Ok::<(), strata_aws::event_stream::EventStreamError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: usize,
    /// The checked prelude of the frame being received, once its 12 bytes are buffered.
    pending: Option<Prelude>,
    /// Cloned for each checksum; see [`crc_hasher`].
    hasher: crc32fast::Hasher,
    /// The last valid header section, which the next frames usually repeat.
    recent: RecentHeaders,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder with the default maximum frame size, [`DEFAULT_MAX_FRAME_SIZE`].
    pub fn new() -> Self {
        Self::with_max_frame_size(DEFAULT_MAX_FRAME_SIZE)
    }

    /// A decoder that refuses frames whose declared total length exceeds `max_frame_size`
    /// bytes (prelude and checksums included).
    pub fn with_max_frame_size(max_frame_size: usize) -> Self {
        Self {
            max_frame_size,
            pending: None,
            hasher: crc_hasher(),
            recent: RecentHeaders::new(),
        }
    }

    /// The maximum frame size this decoder accepts, in bytes.
    pub fn max_frame_size(&self) -> usize {
        self.max_frame_size
    }

    /// The total length of the frame being received, once its prelude has been read and
    /// checked; `None` between frames.
    pub fn pending_frame_len(&self) -> Option<usize> {
        self.pending.map(|p| p.total)
    }

    /// Decodes the next frame at the front of `buf`.
    ///
    /// Returns `Ok(None)` when `buf` does not hold a complete frame yet (it is left as is),
    /// and `Ok(Some(message))` after splitting a complete, valid frame off the front of `buf`.
    ///
    /// # Errors
    ///
    /// Checksum mismatches, inconsistent lengths, a frame over the maximum size and malformed
    /// headers; see [`EventStreamError`].
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Message>, EventStreamError> {
        let Some(prelude) = self.complete_frame(buf)? else {
            return Ok(None);
        };
        match Layout::of_checked_frame(
            &buf[..prelude.total],
            prelude,
            &self.hasher,
            &mut self.recent,
        ) {
            Ok(layout) => Ok(Some(Message::new(
                buf.split_to(prelude.total).freeze(),
                layout,
            ))),
            Err(error) => {
                buf.advance(prelude.total);
                Err(error)
            }
        }
    }

    /// The length and layout of the frame at the front of `data`, validated in place, once all
    /// of it is there; the caller splits it off.
    #[inline]
    pub(crate) fn next_frame(
        &mut self,
        data: &[u8],
    ) -> Result<Option<(usize, Layout)>, EventStreamError> {
        let Some(prelude) = self.complete_frame(data)? else {
            return Ok(None);
        };
        let layout = Layout::of_checked_frame(
            &data[..prelude.total],
            prelude,
            &self.hasher,
            &mut self.recent,
        )?;
        Ok(Some((prelude.total, layout)))
    }

    /// The prelude of the frame at the front of `data` if all of it is there; checks the
    /// prelude as soon as its 12 bytes are.
    #[inline]
    fn complete_frame(&mut self, data: &[u8]) -> Result<Option<Prelude>, EventStreamError> {
        let prelude = match self.pending {
            Some(prelude) => prelude,
            None => {
                let Some(bytes) = data.first_chunk::<PRELUDE_LEN>() else {
                    return Ok(None);
                };
                let prelude = check_prelude(bytes, self.max_frame_size, &self.hasher)?;
                self.pending = Some(prelude);
                prelude
            }
        };
        if data.len() < prelude.total {
            return Ok(None);
        }
        self.pending = None;
        Ok(Some(prelude))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prelude(total: u32, headers: u32) -> [u8; PRELUDE_LEN] {
        let mut p = [0; PRELUDE_LEN];
        p[..4].copy_from_slice(&total.to_be_bytes());
        p[4..8].copy_from_slice(&headers.to_be_bytes());
        let crc = crc32fast::hash(&p[..8]);
        p[8..].copy_from_slice(&crc.to_be_bytes());
        p
    }

    #[test]
    fn prelude_checks_crc_before_lengths() {
        let mut p = prelude(3, 0);
        p[11] ^= 1;
        assert!(
            check_prelude(&p, 100, &crc_hasher())
                .unwrap_err()
                .is_prelude_checksum_mismatch()
        );
    }

    #[test]
    fn prelude_rejects_inconsistent_lengths() {
        for (total, headers) in [(0, 0), (15, 0), (16, 1), (20, 5), (u32::MAX, u32::MAX)] {
            let err =
                check_prelude(&prelude(total, headers), usize::MAX, &crc_hasher()).unwrap_err();
            assert!(err.is_invalid_length(), "{total} {headers}: {err}");
        }
        assert_eq!(
            check_prelude(&prelude(20, 4), 20, &crc_hasher()).unwrap(),
            Prelude {
                total: 20,
                headers: 4,
            }
        );
    }

    #[test]
    fn prelude_enforces_the_maximum_frame_size() {
        let err = check_prelude(&prelude(21, 0), 20, &crc_hasher()).unwrap_err();
        assert!(err.is_frame_too_large());
        assert_eq!(
            err.to_string(),
            "event-stream frame of 21 bytes exceeds the maximum frame size of 20 bytes"
        );
    }

    #[test]
    fn oversized_frame_is_refused_from_its_prelude_alone() {
        let mut decoder = FrameDecoder::with_max_frame_size(1024);
        let mut buf = BytesMut::from(&prelude(1025, 0)[..]);
        assert!(decoder.decode(&mut buf).unwrap_err().is_frame_too_large());
        assert_eq!(decoder.max_frame_size(), 1024);
        assert_eq!(
            FrameDecoder::default().max_frame_size(),
            DEFAULT_MAX_FRAME_SIZE
        );
    }

    #[test]
    fn remembers_the_checked_prelude_while_waiting() {
        let mut decoder = FrameDecoder::new();
        let mut buf = BytesMut::from(&prelude(20, 0)[..]);
        assert!(decoder.decode(&mut buf).unwrap().is_none());
        assert_eq!(decoder.pending_frame_len(), Some(20));
        assert_eq!(buf.len(), PRELUDE_LEN);
    }
}
