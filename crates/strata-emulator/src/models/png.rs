//! A small PNG encoder (8-bit RGB / RGBA, `Sub` row filter, zlib via `miniz_oxide`) and header
//! readers for PNG and JPEG input images.
//!
//! ```
//! use strata_emulator::models::png::{self, ColorType};
//!
//! let pixels = vec![255u8; 4 * 2 * 3];
//! let bytes = png::encode(4, 2, ColorType::Rgb, &pixels).unwrap();
//! assert_eq!(png::dimensions(&bytes), Some((4, 2)));
//! ```

/// The pixel layout of [`encode`]'s input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColorType {
    /// 3 bytes per pixel.
    Rgb,
    /// 4 bytes per pixel.
    Rgba,
}

impl ColorType {
    fn bytes_per_pixel(self) -> usize {
        match self {
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }

    fn code(self) -> u8 {
        match self {
            Self::Rgb => 2,
            Self::Rgba => 6,
        }
    }
}

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Encodes `pixels` (row-major, no padding) as a PNG; `None` when the dimensions are zero or
/// don't match the buffer length.
pub fn encode(width: u32, height: u32, color: ColorType, pixels: &[u8]) -> Option<Vec<u8>> {
    let bpp = color.bytes_per_pixel();
    let stride = (width as usize).checked_mul(bpp)?;
    if width == 0 || height == 0 || stride.checked_mul(height as usize)? != pixels.len() {
        return None;
    }
    let mut filtered = Vec::with_capacity((stride + 1) * height as usize);
    for row in pixels.chunks_exact(stride) {
        filtered.push(1); // Sub: each byte minus the byte one pixel to the left.
        filtered.extend_from_slice(&row[..bpp]);
        filtered.extend(
            row[bpp..]
                .iter()
                .zip(row)
                .map(|(x, left)| x.wrapping_sub(*left)),
        );
    }
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&filtered, 6);

    let mut out = Vec::with_capacity(compressed.len() + 64);
    out.extend_from_slice(SIGNATURE);
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, color.code(), 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &compressed);
    chunk(&mut out, b"IEND", &[]);
    Some(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Width and height of a PNG (from `IHDR`) or JPEG (from the first start-of-frame marker).
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(SIGNATURE) {
        if bytes.get(12..16)? != b"IHDR" {
            return None;
        }
        let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        return (w > 0 && h > 0).then_some((w, h));
    }
    jpeg_dimensions(bytes)
}

fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(&[0xff, 0xd8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xff {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xff {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let h = u16::from_be_bytes([*bytes.get(i + 5)?, *bytes.get(i + 6)?]);
            let w = u16::from_be_bytes([*bytes.get(i + 7)?, *bytes.get(i + 8)?]);
            return (w > 0 && h > 0).then_some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Decodes an image produced by [`encode`] back to raw pixels, checking every CRC.
    pub(crate) fn decode(png: &[u8]) -> (u32, u32, u8, Vec<u8>) {
        assert!(png.starts_with(SIGNATURE));
        let mut i = 8;
        let (mut w, mut h, mut color, mut idat) = (0, 0, 0, Vec::new());
        while i < png.len() {
            let len = u32::from_be_bytes(png[i..i + 4].try_into().unwrap()) as usize;
            let kind = &png[i + 4..i + 8];
            let data = &png[i + 8..i + 8 + len];
            let crc = u32::from_be_bytes(png[i + 8 + len..i + 12 + len].try_into().unwrap());
            let mut hasher = crc32fast::Hasher::new();
            hasher.update(kind);
            hasher.update(data);
            assert_eq!(hasher.finalize(), crc);
            match kind {
                b"IHDR" => {
                    w = u32::from_be_bytes(data[0..4].try_into().unwrap());
                    h = u32::from_be_bytes(data[4..8].try_into().unwrap());
                    assert_eq!(data[4 + 4], 8);
                    color = data[9];
                }
                b"IDAT" => idat.extend_from_slice(data),
                b"IEND" => assert_eq!(i + 12 + len, png.len()),
                _ => panic!("unexpected chunk"),
            }
            i += 12 + len;
        }
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&idat).unwrap();
        let bpp = if color == 6 { 4 } else { 3 };
        let stride = w as usize * bpp;
        let mut pixels = Vec::new();
        for row in raw.chunks_exact(stride + 1) {
            assert_eq!(row[0], 1);
            let start = pixels.len();
            for (j, &b) in row[1..].iter().enumerate() {
                let left = if j >= bpp { pixels[start + j - bpp] } else { 0 };
                pixels.push(b.wrapping_add(left));
            }
        }
        (w, h, color, pixels)
    }

    #[test]
    fn round_trips() {
        let pixels: Vec<u8> = (0..5 * 3 * 4).map(|i| (i * 37 % 251) as u8).collect();
        let png = encode(5, 3, ColorType::Rgba, &pixels).unwrap();
        assert_eq!(decode(&png), (5, 3, 6, pixels));
        assert_eq!(dimensions(&png), Some((5, 3)));
        let rgb = vec![7u8; 2 * 2 * 3];
        assert_eq!(
            decode(&encode(2, 2, ColorType::Rgb, &rgb).unwrap()),
            (2, 2, 2, rgb)
        );
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(encode(0, 1, ColorType::Rgb, &[]).is_none());
        assert!(encode(2, 2, ColorType::Rgb, &[0; 11]).is_none());
    }

    #[test]
    fn reads_jpeg_and_rejects_garbage() {
        // SOI, APP0 (length 4, 2 payload bytes), SOF0 with height 480, width 640.
        let jpeg = [
            0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01,
            0xe0, 0x02, 0x80, 0x03,
        ];
        assert_eq!(dimensions(&jpeg), Some((640, 480)));
        assert_eq!(dimensions(b"GIF89a"), None);
        assert_eq!(dimensions(&jpeg[..10]), None);
        assert_eq!(dimensions(&SIGNATURE[..]), None);
    }
}
