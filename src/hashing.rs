//! How playbook hashes: content hashes, stage keys, output fingerprints and
//! its lookup tables all use foldhash with a fixed seed. Several times
//! faster than the standard library's SipHash on page texts and short keys,
//! the same in every run of one binary, which is all these hashes need:
//! what a build writes of them (a search file's version, a long shard's
//! name) is read only by the pages that build wrote with it, and no table
//! is keyed by anything an attacker could choose to collide that is not
//! bounded by the page limits.

use std::hash::{BuildHasher, Hash};

/// The hasher's fixed state.
const HASHING: foldhash::quality::FixedState = foldhash::quality::FixedState::with_seed(0x706c_6179_626f_6f6b);

/// A 64-bit hash of `value`.
pub(crate) fn hash_of(value: &impl Hash) -> u64 {
    HASHING.hash_one(value)
}

/// A hasher making the same hashes as [`hash_of`], fed part by part.
pub(crate) fn hasher() -> foldhash::quality::FoldHasher<'static> {
    HASHING.build_hasher()
}

/// A hash map for lookups on hot paths (slugs, question ids, output paths).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
