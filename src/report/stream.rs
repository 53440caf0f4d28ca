//! Reports fed as posts finish: the batch hands each finished post to
//! [`Reports::add`] (from any worker thread); the ledger and the page
//! builders turn it into their pieces at once and let the record go, so
//! memory stays flat with `--report`. At the end the caller writes each
//! report to a `Write` of its choosing (an atomic file, in the CLI).

use std::io::{self, Write};
use std::sync::Mutex;

use crate::report::ledger::{self, Head, LedgerPost};
use crate::report::page;
use crate::report::spool::Spool;
use crate::report::{FileRecord, PostRecord, Totals};

/// The builders a run asked for, and the first error a spool gave.
#[derive(Debug, Default)]
struct Builders {
    ledger: Option<ledger::Builder>,
    page: Option<page::Builder>,
    error: Option<io::Error>,
}

/// Streaming reports of one run; see the module docs.
#[derive(Debug, Default)]
pub struct Reports {
    builders: Mutex<Builders>,
}

impl Reports {
    /// Reports with a ledger and/or a page, spooled in temporary files.
    pub fn new(ledger: bool, page: bool) -> io::Result<Reports> {
        let builders = Builders {
            ledger: if ledger {
                Some(ledger::Builder::new(Spool::on_disk()?, Spool::on_disk()?))
            } else {
                None
            },
            page: if page {
                Some(page::Builder::new(
                    Spool::on_disk()?,
                    Spool::on_disk()?,
                    Spool::on_disk()?,
                ))
            } else {
                None
            },
            error: None,
        };
        Ok(Reports {
            builders: Mutex::new(builders),
        })
    }

    /// Whether any report was asked for.
    pub fn wanted(&self) -> bool {
        let b = self.lock();
        b.ledger.is_some() || b.page.is_some()
    }

    /// Takes in post `index` of the run. The diff is computed here, on the
    /// caller's thread; only the spools' appends are serialized.
    pub fn add(&self, index: usize, record: &PostRecord) {
        if !self.wanted() {
            return;
        }
        let post = LedgerPost::from_record(record);
        let mut b = self.lock();
        let Builders {
            ledger,
            page,
            error,
        } = &mut *b;
        let result = ledger
            .as_mut()
            .map_or(Ok(()), |l| l.push(index, &post))
            .and_then(|()| page.as_mut().map_or(Ok(()), |p| p.push(index, &post)));
        if let Err(e) = result {
            error.get_or_insert(e);
        }
    }

    /// Writes the ledger (if asked for) to `out`.
    pub fn write_ledger(
        &self,
        head: &Head<'_>,
        totals: &Totals,
        files: &[FileRecord],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.write_one("ledger", |b| {
            b.ledger.as_mut().map(|l| l.write(head, totals, files, out))
        })
    }

    /// Writes the page (if asked for) to `out`.
    pub fn write_page(
        &self,
        head: &Head<'_>,
        totals: &Totals,
        files: &[FileRecord],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.write_one("page", |b| {
            b.page.as_mut().map(|p| p.write(head, totals, files, out))
        })
    }

    /// The first error met while spooling, else what `write` does with
    /// the builders (`None`: that report was not asked for).
    fn write_one(
        &self,
        what: &str,
        write: impl FnOnce(&mut Builders) -> Option<io::Result<()>>,
    ) -> io::Result<()> {
        let mut b = self.lock();
        if let Some(e) = b.error.take() {
            return Err(e);
        }
        write(&mut b).unwrap_or_else(|| Err(io::Error::other(format!("no {what} was asked for"))))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Builders> {
        self.builders.lock().unwrap_or_else(|p| p.into_inner())
    }
}
