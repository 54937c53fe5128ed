//! Seeded, stateless randomness and ids.
//!
//! Every draw is a pure function of `(seed, stream, keys)`: there is no generator state to
//! advance, so adding a draw in one place never shifts the values drawn anywhere else. Streams
//! are named after what they decide (`"execution-suffix"`, `"task-duration"`, …) and keys say
//! which instance is meant (an execution counter, a task index, an attempt number).
//!
//! The mixing uses only fixed-width `u64` arithmetic (FNV-1a for the stream name, the SplitMix64
//! finalizer for the rest), so results are identical on every platform, wasm32 included.

/// Golden-ratio increment of SplitMix64, used to separate successive inputs of the mix.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finalizer: a fast bijective avalanche of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a of the stream name's UTF-8 bytes: a fixed, platform-independent string hash.
/// A `const fn`, so that the engine's constant stream names are hashed at compile time
/// ([`Stream::named`]).
const fn fnv1a(s: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
        i += 1;
    }
    h
}

/// A stream name, hashed: what [`draw_in`] takes. The draws of every attempt (and the id of
/// every event) name a constant stream; hashing it at compile time instead of per draw saves
/// its loop over the name's bytes (BENCHMARKS.md, "Issue 10 — engine speed, fifth pass").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stream(u64);

impl Stream {
    /// The stream with that name.
    pub const fn named(name: &str) -> Stream {
        Stream(fnv1a(name))
    }
}

/// The one source of randomness of the engine: 64 uniformly mixed bits determined only by the
/// scenario seed, the stream name and the keys, so every random choice is reproducible.
pub fn draw(seed: u64, stream: &str, keys: &[u64]) -> u64 {
    draw_in(seed, Stream::named(stream), keys)
}

/// [`draw`] in a stream whose name is already hashed.
pub fn draw_in(seed: u64, stream: Stream, keys: &[u64]) -> u64 {
    keys.iter().fold(Partial::start(seed, stream), |p, &k| p.key(k)).finish()
}

/// A draw under way: the seed, the stream and the keys so far mixed in. `draw_in(seed, stream,
/// &[a, b])` is `Partial::start(seed, stream).key(a).key(b).finish()`; a caller whose draws share
/// their first keys (the attempts of one execution) keeps the partial draw instead of mixing them
/// again for every draw (BENCHMARKS.md, "Issue 10 — engine speed, fifth pass").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    h: u64,
    keys: u64,
}

impl Partial {
    /// The seed and the stream mixed in, no key yet.
    pub fn start(seed: u64, stream: Stream) -> Partial {
        Partial { h: mix(mix(seed.wrapping_add(GOLDEN)) ^ stream.0), keys: 0 }
    }

    /// The next key mixed in.
    pub fn key(self, k: u64) -> Partial {
        Partial { h: mix(self.h.wrapping_add(GOLDEN) ^ k), keys: self.keys.wrapping_add(1) }
    }

    /// The draw: the key count mixed in last separates `[]` from `[0]` and `[k]` from `[k, 0]`.
    pub fn finish(self) -> u64 {
        mix(self.h ^ self.keys)
    }

    /// [`unit`] of the draw.
    pub fn unit(self) -> f64 {
        (self.finish() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// A uniform `f64` in `[0, 1)` from the top 53 bits of [`draw`], for probabilities and jitter.
pub fn unit(seed: u64, stream: &str, keys: &[u64]) -> f64 {
    unit_in(seed, Stream::named(stream), keys)
}

/// [`unit`] in a stream whose name is already hashed.
pub fn unit_in(seed: u64, stream: Stream, keys: &[u64]) -> f64 {
    keys.iter().fold(Partial::start(seed, stream), |p, &k| p.key(k)).unit()
}

/// Lowercase hexadecimal digits for [`uuid4`].
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A lowercase UUID version 4 (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`) drawn from the seed,
/// for `metadata.uid` (R7); `n` numbers the uuids of one stream.
pub fn uuid4(seed: u64, stream: &str, n: u64) -> String {
    let hi = draw(seed, stream, &[n, 0]).to_be_bytes();
    let lo = draw(seed, stream, &[n, 1]).to_be_bytes();
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hi);
    b[8..].copy_from_slice(&lo);
    b[6] = (b[6] & 0x0F) | 0x40; // version 4
    b[8] = (b[8] & 0x3F) | 0x80; // RFC 4122 variant
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0F)]));
    }
    out
}

/// The Kubernetes `utilrand` alphabet that every observed execution-name suffix uses (R3):
/// no vowels, no `0 1 3`, so generated names never spell words.
pub const SUFFIX_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

/// The 5-character suffix of an execution name from `jobs.run` (`etl-x7k2p`, R3); callers pass a
/// counter as `n` and bump it to redraw on a name collision.
pub fn execution_suffix(seed: u64, n: u64) -> String {
    let alphabet = SUFFIX_ALPHABET.as_bytes();
    let base = alphabet.len() as u64;
    // 27^5 ≈ 1.4e7 is far below 2^64, so one draw gives five nearly unbiased base-27 digits.
    let mut x = draw(seed, "execution-suffix", &[n]);
    let mut out = String::with_capacity(5);
    for _ in 0..5 {
        out.push(char::from(alphabet[(x % base) as usize]));
        x /= base;
    }
    out
}

/// The largest millisecond timestamp a ULID can hold (48 bits).
const ULID_MAX_TIME_MS: u64 = (1 << 48) - 1;

/// Crockford's base32 alphabet, as ULIDs spell it.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A 26-character ULID (Crockford base32) for ids that must sort by time, e.g. operation ids:
/// the time part is `time_ms` (clamped to 48 bits), the 80 random bits come from the seed.
/// Encoded here rather than by the `ulid` crate, which on wasm32 depends on `web-time` and so on
/// `js-sys`/`wasm-bindgen`: the core depends on no JS crate (`scripts/check-core-deps.sh`).
pub fn ulid(time_ms: u64, seed: u64, n: u64) -> String {
    let mut buf = [0u8; ULID_LEN];
    String::from(encode_ulid(ulid_bits(time_ms, seed, n), &mut buf))
}

/// The length of a ULID's text form.
pub const ULID_LEN: usize = 26;

/// Writes a ULID's 128 bits as its 26 Crockford base32 characters into `buf` (no allocation).
pub fn encode_ulid(value: u128, buf: &mut [u8; ULID_LEN]) -> &str {
    // 26 digits of 5 bits, most significant first (the first digit holds the top 3 of 128 bits).
    for (i, slot) in buf.iter_mut().enumerate() {
        *slot = CROCKFORD[((value >> (5 * (ULID_LEN - 1 - i))) & 31) as usize];
    }
    // Every byte is one of CROCKFORD's ASCII letters and digits.
    std::str::from_utf8(buf).unwrap_or_default()
}

/// Reads the canonical text form of a ULID (26 uppercase Crockford characters, the first at
/// most `7`); `None` for anything else, so that what is read is written back byte for byte.
pub fn decode_ulid(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.len() != ULID_LEN || bytes[0] > b'7' {
        return None;
    }
    bytes.iter().try_fold(0u128, |acc, b| {
        let digit = CROCKFORD.iter().position(|c| c == b)?;
        Some((acc << 5) | digit as u128)
    })
}

/// The 128 bits of [`ulid`], for holders that keep the id inline and format it on write
/// (the event log's envelopes).
pub fn ulid_bits(time_ms: u64, seed: u64, n: u64) -> u128 {
    ulid_bits_from(UlidSeed::new(seed), time_ms, n)
}

/// The part of every [`ulid_bits`] of one seed that does not depend on the id's time or
/// number (the mixing of the seed and the stream name): the event log computes it once per
/// seed instead of once per event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UlidSeed {
    seed: u64,
    mixed: u64,
}

impl UlidSeed {
    /// The seed's share of its ids.
    pub fn new(seed: u64) -> UlidSeed {
        const ULID: Stream = Stream::named("ulid");
        UlidSeed { seed, mixed: mix(mix(seed.wrapping_add(GOLDEN)) ^ ULID.0) }
    }

    /// The seed it was made for.
    pub fn seed(self) -> u64 {
        self.seed
    }
}

/// [`ulid_bits`] from the seed's share of it.
pub fn ulid_bits_from(seed: UlidSeed, time_ms: u64, n: u64) -> u128 {
    // `draw(seed, "ulid", &[n, 0])` and `draw(seed, "ulid", &[n, 1])`, sharing the mixing of
    // the seed, the stream and `n` (one per event: BENCHMARKS.md, "Issue 10 — engine speed,
    // third pass"); `ulid_bits_are_two_draws` pins the equality.
    let stem = mix(seed.mixed.wrapping_add(GOLDEN) ^ n);
    let last = |k: u64| mix(mix(stem.wrapping_add(GOLDEN) ^ k) ^ 2);
    let hi = u128::from(last(0));
    let lo = u128::from(last(1));
    let random = ((hi << 64) | lo) & ((1 << 80) - 1);
    (u128::from(time_ms.min(ULID_MAX_TIME_MS)) << 80) | random
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulid_bits_are_two_draws() {
        for (t, seed, n) in [(0, 0, 0), (1_767_225_600_000, 42, 1), (u64::MAX, u64::MAX, u64::MAX), (5, 7, 1 << 40)] {
            let hi = u128::from(draw(seed, "ulid", &[n, 0]));
            let lo = u128::from(draw(seed, "ulid", &[n, 1]));
            let random = ((hi << 64) | lo) & ((1 << 80) - 1);
            assert_eq!(ulid_bits(t, seed, n), (u128::from(t.min(ULID_MAX_TIME_MS)) << 80) | random);
        }
    }

    #[test]
    fn draws_are_pinned() {
        // Computed once; a change here changes every scenario's output.
        assert_eq!(draw(0, "", &[]), 0x9b83_da7d_9a52_4ca6);
        assert_eq!(draw(42, "execution-suffix", &[0]), 0xb52b_8a53_4e8f_4ac1);
        assert_eq!(draw(42, "task-duration", &[3, 1, 2]), 0xb6de_5aeb_431a_0ad8);
        assert_eq!(execution_suffix(42, 0), "jh5d2");
        assert_eq!(uuid4(42, "uid", 0), "21ac4c1d-91cd-4d90-8aa2-bedd6e777afe");
        assert_eq!(ulid(1_767_225_600_000, 42, 0), "01KDVDNA00J500TN2PK63FAKFC");
    }

    /// Issue 10, fifth pass: a stream hashed at compile time draws what its name draws, and an
    /// id from a seed's precomputed share is the id from the seed.
    #[test]
    fn hashed_streams_and_ulid_seeds_draw_the_same() {
        const FAILURE: Stream = Stream::named("attempt-failure");
        for seed in [0, 42, u64::MAX] {
            let name = String::from("attempt-failure");
            assert_eq!(draw_in(seed, FAILURE, &[1, 2, 3, 4]), draw(seed, &name, &[1, 2, 3, 4]));
            assert_eq!(unit_in(seed, FAILURE, &[9]), unit(seed, &name, &[9]));
            for n in [0, 1, 1 << 40] {
                assert_eq!(ulid_bits_from(UlidSeed::new(seed), 5, n), ulid_bits(5, seed, n));
            }
        }
        assert_eq!(fnv1a(""), 0xCBF2_9CE4_8422_2325);
        // A partial draw kept and continued draws what the whole draw does.
        let kept = Partial::start(42, FAILURE).key(7).key(1);
        assert_eq!(kept.key(3).key(0).finish(), draw(42, "attempt-failure", &[7, 1, 3, 0]));
        assert_eq!(kept.key(3).key(0).unit(), unit(42, "attempt-failure", &[7, 1, 3, 0]));
        assert_eq!(Partial::start(42, FAILURE).finish(), draw(42, "attempt-failure", &[]));
        assert_ne!(Stream::named("attempt-failure"), Stream::named("attempt-jitter"));
    }

    #[test]
    fn draws_are_pure() {
        for seed in [0, 1, u64::MAX] {
            assert_eq!(draw(seed, "s", &[1, 2]), draw(seed, "s", &[1, 2]));
            assert_eq!(unit(seed, "s", &[7]), unit(seed, "s", &[7]));
        }
    }

    #[test]
    fn inputs_separate_draws() {
        let base = draw(1, "a", &[1, 2]);
        assert_ne!(base, draw(1, "b", &[1, 2]));
        assert_ne!(base, draw(2, "a", &[1, 2]));
        assert_ne!(base, draw(1, "a", &[2, 1]));
        assert_ne!(base, draw(1, "a", &[1, 2, 0]));
        assert_ne!(draw(1, "a", &[]), draw(1, "a", &[0]));
        assert_ne!(draw(1, "ab", &[]), draw(1, "ba", &[]));
        assert_ne!(uuid4(1, "uid", 0), uuid4(1, "other", 0));
        assert_ne!(uuid4(1, "uid", 0), uuid4(1, "uid", 1));
        // Many draws of one stream do not collide.
        let mut seen: Vec<u64> = (0..10_000).map(|i| draw(9, "x", &[i])).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 10_000);
    }

    #[test]
    fn unit_is_in_range_and_roughly_uniform() {
        let n = 10_000u64;
        let mut sum = 0.0;
        let mut low = 0;
        for i in 0..n {
            let u = unit(5, "uniformity", &[i]);
            assert!((0.0..1.0).contains(&u), "{u}");
            sum += u;
            if u < 0.1 {
                low += 1;
            }
        }
        let mean = sum / n as f64;
        assert!((0.45..0.55).contains(&mean), "{mean}");
        assert!((800..1200).contains(&low), "{low}");
    }

    #[test]
    fn uuid4_format() {
        for n in 0..200 {
            let u = uuid4(77, "uid", n);
            assert_eq!(u.len(), 36, "{u}");
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{u}");
            assert!(u.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
            assert!(parts[2].starts_with('4'), "{u}");
            assert!(parts[3].starts_with(['8', '9', 'a', 'b']), "{u}");
        }
    }

    #[test]
    fn suffixes_use_the_alphabet() {
        let mut seen_chars = std::collections::BTreeSet::new();
        for n in 0..500 {
            let s = execution_suffix(3, n);
            assert_eq!(s.len(), 5, "{s}");
            assert!(s.chars().all(|c| SUFFIX_ALPHABET.contains(c)), "{s}");
            seen_chars.extend(s.chars());
        }
        assert_eq!(seen_chars.len(), SUFFIX_ALPHABET.len());
        assert_ne!(execution_suffix(3, 0), execution_suffix(3, 1));
        assert_ne!(execution_suffix(3, 0), execution_suffix(4, 0));
    }

    #[test]
    fn ulids_sort_by_time_and_parse() {
        let a = ulid(1_000, 1, 0);
        let b = ulid(2_000, 1, 0);
        assert_eq!(a.len(), 26);
        assert!(a < b);
        let parsed = ulid::Ulid::from_string(&a).unwrap();
        assert_eq!(parsed.timestamp_ms(), 1_000);
        // Clamped, not wrapped: the maximum time still sorts last.
        let max = ulid(u64::MAX, 1, 0);
        assert_eq!(ulid::Ulid::from_string(&max).unwrap().timestamp_ms(), ULID_MAX_TIME_MS);
        assert!(max > b);
        assert_ne!(ulid(1_000, 1, 0), ulid(1_000, 1, 1));
        assert_ne!(ulid(1_000, 1, 0), ulid(1_000, 2, 0));
    }

    #[test]
    fn ulids_are_spelt_as_the_ulid_crate_spells_them() {
        // The encoding moved from the `ulid` crate into this file (no JS crate in the core on
        // wasm32); every event id must stay byte-identical.
        for (time_ms, seed, n) in [(0, 0, 0), (1_767_225_600_000, 42, 7), (ULID_MAX_TIME_MS, u64::MAX, u64::MAX)] {
            let random = (u128::from(draw(seed, "ulid", &[n, 0])) << 64) | u128::from(draw(seed, "ulid", &[n, 1]));
            let mut buf = [0u8; ulid::ULID_LEN];
            let reference = ulid::Ulid::from_parts(time_ms, random).array_to_str(&mut buf).to_string();
            assert_eq!(ulid(time_ms, seed, n), reference);
            // Read back (event ids are kept as bits): the canonical text only.
            assert_eq!(decode_ulid(&reference), Some(ulid::Ulid::from_string(&reference).unwrap().0));
            let lower = reference.to_lowercase();
            assert_eq!(decode_ulid(&lower).is_some(), lower == reference, "lowercase is not canonical");
        }
        for bad in [
            "",
            "01ARZ3NDEKTSV4RRFFQ69G5FA",
            "01ARZ3NDEKTSV4RRFFQ69G5FAVV",
            "81ARZ3NDEKTSV4RRFFQ69G5FAV",
            "01ARZ3NDEKTSV4RRFFQ69G5FAU",
        ] {
            assert_eq!(decode_ulid(bad), None, "{bad}");
        }
    }
}
