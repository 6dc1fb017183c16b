//! A built file as `serve` keeps it in memory: gzip-compressed. The HTML of
//! a 10,000-page playbook is 160 MB and compresses about eight times, and
//! browsers take it compressed as it is; a client that does not (or asks
//! for a range) gets it inflated on the way out.

use std::io::{Read as _, Write as _};

use bytes::Bytes;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// Files smaller than this are kept as they are: gzip's header and the
/// work of inflating would cost more than they save.
const SMALLEST_COMPRESSED: usize = 512;

/// One file's bytes, compressed when that pays.
#[derive(Debug, Clone)]
pub(crate) enum Stored {
    /// As built.
    Plain(Bytes),
    /// Gzip of the file.
    Gzip {
        /// The compressed bytes.
        data: Bytes,
        /// The length of the file.
        len: usize,
    },
}

impl Stored {
    /// Keeps `bytes`, compressed if that makes them smaller by an eighth.
    /// Kept without spare capacity: thousands of these live for the whole
    /// session.
    pub(crate) fn new(mut bytes: Vec<u8>) -> Stored {
        if bytes.len() < SMALLEST_COMPRESSED {
            bytes.shrink_to_fit();
            return Stored::Plain(Bytes::from(bytes));
        }
        let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
        let compressed = encoder.write_all(&bytes).and_then(|()| encoder.finish());
        match compressed {
            Ok(mut data) if data.len() < bytes.len() - bytes.len() / 8 => {
                data.shrink_to_fit();
                Stored::Gzip { data: Bytes::from(data), len: bytes.len() }
            }
            _ => {
                bytes.shrink_to_fit();
                Stored::Plain(Bytes::from(bytes))
            }
        }
    }

    /// Keeps `bytes` as they are, to be compressed later ([`Stored::compact`]):
    /// an edit's pages are served first and compressed after.
    pub(crate) fn plain(mut bytes: Vec<u8>) -> Stored {
        bytes.shrink_to_fit();
        Stored::Plain(Bytes::from(bytes))
    }

    /// This file compressed, if it is kept plain and compressing may pay.
    pub(crate) fn compact(&self) -> Option<Stored> {
        match self {
            Stored::Plain(bytes) if bytes.len() >= SMALLEST_COMPRESSED => Some(Stored::new(bytes.to_vec())),
            _ => None,
        }
    }

    /// The file's bytes.
    pub(crate) fn bytes(&self) -> Bytes {
        match self {
            Stored::Plain(bytes) => bytes.clone(),
            Stored::Gzip { data, len } => {
                let mut out = Vec::with_capacity(*len);
                // Inflating what this process deflated cannot fail; if it
                // somehow did, a short file is served, not a panic.
                let _ = GzDecoder::new(&data[..]).read_to_end(&mut out);
                Bytes::from(out)
            }
        }
    }

    /// The gzip of the file, if it is kept compressed.
    pub(crate) fn gzip(&self) -> Option<Bytes> {
        match self {
            Stored::Plain(_) => None,
            Stored::Gzip { data, .. } => Some(data.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_text_is_compressed_and_comes_back_whole() {
        let html = "<li><a href=\"../page/index.html\">A page</a></li>\n".repeat(500).into_bytes();
        let stored = Stored::new(html.clone());
        let gzip = stored.gzip().expect("repetitive HTML compresses");
        assert!(gzip.len() * 8 < html.len(), "{} of {}", gzip.len(), html.len());
        assert_eq!(stored.bytes(), html);
    }

    #[test]
    fn small_or_incompressible_files_are_kept_as_they_are() {
        assert!(Stored::new(b"tiny".to_vec()).gzip().is_none());
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let stored = Stored::new(noise.clone());
        assert!(stored.gzip().is_none());
        assert_eq!(stored.bytes(), noise);
    }
}
