//! A spool of report pieces: each post's rendered piece is appended as the
//! post finishes, and read back in post order when the report is written.
//!
//! Posts finish in any order on many threads, yet reports list them in the
//! run's order. Keeping every piece in memory until the end is what made
//! reports grow with the archive; a spool keeps only an index entry per
//! piece (16 bytes) and the pieces themselves in an unnamed temporary file
//! (or in memory, for the small runs of [`crate::report::Run`]). This
//! module knows nothing of JSON or HTML.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Where the pieces are kept.
#[derive(Debug)]
enum Storage {
    Memory(Vec<u8>),
    File(File),
}

/// Pieces keyed by post index, in one append-only store.
#[derive(Debug)]
pub struct Spool {
    storage: Storage,
    /// (post index, offset, length) of every piece, in arrival order.
    pieces: Vec<(usize, u64, u64)>,
    end: u64,
}

impl Spool {
    /// A spool in memory (for runs already held in memory).
    pub fn in_memory() -> Spool {
        Spool {
            storage: Storage::Memory(Vec::new()),
            pieces: Vec::new(),
            end: 0,
        }
    }

    /// A spool in an unnamed temporary file, gone when the spool is
    /// dropped (or the process ends).
    pub fn on_disk() -> io::Result<Spool> {
        Ok(Spool {
            storage: Storage::File(tempfile::tempfile()?),
            pieces: Vec::new(),
            end: 0,
        })
    }

    /// Appends the piece of post `index`.
    pub fn push(&mut self, index: usize, bytes: &[u8]) -> io::Result<()> {
        match &mut self.storage {
            Storage::Memory(buffer) => buffer.extend_from_slice(bytes),
            Storage::File(file) => {
                file.seek(SeekFrom::Start(self.end))?;
                file.write_all(bytes)?;
            }
        }
        let len = bytes.len() as u64;
        self.pieces.push((index, self.end, len));
        self.end += len;
        Ok(())
    }

    /// How many pieces the spool holds.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Whether the spool holds no piece.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Writes every piece to `out` in post order (pieces of one post in
    /// arrival order), each followed by `separator` except the last.
    pub fn write_sorted(&mut self, out: &mut dyn Write, separator: &[u8]) -> io::Result<()> {
        self.write_first(out, separator, usize::MAX)
    }

    /// Like [`Spool::write_sorted`], only the first `limit` pieces.
    pub fn write_first(
        &mut self,
        out: &mut dyn Write,
        separator: &[u8],
        limit: usize,
    ) -> io::Result<()> {
        self.pieces
            .sort_by_key(|&(index, offset, _)| (index, offset));
        let mut buffer = Vec::new();
        for (n, &(_, offset, len)) in self.pieces.iter().take(limit).enumerate() {
            if n > 0 {
                out.write_all(separator)?;
            }
            match &mut self.storage {
                Storage::Memory(bytes) => {
                    out.write_all(&bytes[offset as usize..][..len as usize])?
                }
                Storage::File(file) => {
                    buffer.resize(len as usize, 0);
                    file.seek(SeekFrom::Start(offset))?;
                    file.read_exact(&mut buffer)?;
                    out.write_all(&buffer)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut spool: Spool) -> String {
        let mut out = Vec::new();
        spool.write_sorted(&mut out, b",").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pieces_come_back_in_post_order_from_memory_and_disk() {
        for mut spool in [Spool::in_memory(), Spool::on_disk().unwrap()] {
            spool.push(2, b"two").unwrap();
            spool.push(0, b"zero").unwrap();
            spool.push(1, b"one").unwrap();
            spool.push(0, b"zero-b").unwrap();
            assert_eq!(spool.len(), 4);
            assert_eq!(sorted(spool), "zero,zero-b,one,two");
        }
    }
}
