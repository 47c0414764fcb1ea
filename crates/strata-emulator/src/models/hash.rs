//! Fixed, version-independent hashing (FNV-1a 64) and a seeded generator (SplitMix64), so that
//! every "random-looking" value the emulator produces is the same on every run and platform.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 of `bytes`.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_with(FNV_OFFSET, bytes)
}

/// FNV-1a 64 continuing from `state` (chain several parts with a separator byte).
pub(crate) fn fnv1a_with(state: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(state, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// FNV-1a 64 over several parts, each followed by a 0xff separator (so `["ab","c"]` and
/// `["a","bc"]` differ).
pub(crate) fn fnv1a_parts(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(FNV_OFFSET, |h, part| {
        fnv1a_with(fnv1a_with(h, part), &[0xff])
    })
}

/// SplitMix64: a tiny seeded generator with good bit mixing.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `[-1, 1)`.
    pub(crate) fn next_signed_unit(&mut self) -> f64 {
        // 53 random bits -> [0, 1) -> [-1, 1)
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit * 2.0 - 1.0
    }
}

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` characters from `[A-Za-z0-9]` derived from `seed`.
pub(crate) fn alphanumeric(seed: u64, len: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    (0..len)
        .map(|_| char::from(ALPHANUMERIC[(rng.next_u64() % ALPHANUMERIC.len() as u64) as usize]))
        .collect()
}

/// `len` lowercase hex digits derived from `seed`.
pub(crate) fn hex(seed: u64, len: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[(rng.next_u64() % 16) as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_vectors() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_ne!(fnv1a_parts(&[b"ab", b"c"]), fnv1a_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn splitmix_is_stable() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        let v = SplitMix64::new(7).next_signed_unit();
        assert!((-1.0..1.0).contains(&v));
        assert_eq!(alphanumeric(1, 5), alphanumeric(1, 5));
        assert_eq!(hex(3, 8).len(), 8);
    }
}
