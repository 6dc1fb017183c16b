//! Eight bytes at a time in a `u64`, one byte to a lane (SWAR: "SIMD
//! within a register", portable to every target): the tests that find
//! words (`ascii.rs`) and the bytes a JSON string must change (`files.rs`)
//! in page text at a few instructions per eight bytes.

/// Every byte of a lane.
pub(super) const ONES: u64 = u64::MAX / 255;
/// The high bit of every lane.
pub(super) const HIGH: u64 = ONES * 0x80;

/// The high bit of each lane holding a byte in `lo..=hi` (lanes below
/// 0x80, `lo` at least 1: no lane carries into the next).
pub(super) fn in_range(lanes: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = lanes + ONES * u64::from(0x80 - lo);
    let above_hi = lanes + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & HIGH
}

/// The high bit of each lane holding `byte` (exact in every lane).
pub(super) fn equal(lanes: u64, byte: u8) -> u64 {
    let diff = lanes ^ (ONES * u64::from(byte));
    !(((diff & !HIGH) + !HIGH) | diff) & HIGH
}

/// The high bit of each lane holding an ASCII byte below `byte`, and
/// perhaps of a lane after one (a borrow): a false alarm, never a miss.
pub(super) fn maybe_below(lanes: u64, byte: u8) -> u64 {
    lanes.wrapping_sub(ONES * u64::from(byte)) & !lanes & HIGH
}

/// Eight high bits gathered into the low byte, lane `i` at bit `i`.
pub(super) fn bits(high: u64) -> u64 {
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_classify_exactly() {
        for b in 1..0x80u8 {
            let lanes = u64::from(b) << 24;
            assert_eq!(in_range(lanes, b'0', b'9') != 0, b.is_ascii_digit(), "{b}");
            assert_eq!(equal(lanes, b'_') != 0, b == b'_', "{b}");
            assert_eq!(bits(maybe_below(ONES * u64::from(b), 0x20)), if b < 0x20 { 0xff } else { 0 }, "{b}");
            assert_eq!(bits(equal(ONES * u64::from(b), b)), 0xff);
        }
    }
}
