//! The progress bar: only on a terminal, never under CI or pre-commit.

use mdmigrate::batch::Progress;
use mdmigrate::report::PostRecord;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Bar(indicatif::ProgressBar, AtomicU64);

impl Bar {
    /// A bar when one makes sense here, else `None`.
    pub fn for_terminal(quiet: bool) -> Option<Bar> {
        let wanted = !quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("PRE_COMMIT").is_none();
        if !wanted {
            return None;
        }
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} posts  {per_sec}  ETA {eta}  {wide_msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        Some(Bar(bar, AtomicU64::new(0)))
    }

    pub fn clear(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        self.0.set_length(total as u64);
    }

    fn finished(&self, record: &PostRecord) {
        self.0.set_message(record.path.clone());
        self.0.inc(1);
    }

    fn image(&self, event: &mdmigrate::assets::ProgressEvent<'_>) {
        use mdmigrate::assets::ProgressEvent;
        if let ProgressEvent::Finished {
            result,
            done,
            total,
            ..
        } = event
        {
            if let Ok(stored) = result {
                self.1.fetch_add(stored.size, Ordering::Relaxed);
            }
            let bytes = indicatif::HumanBytes(self.1.load(Ordering::Relaxed));
            self.0
                .set_message(format!("images {done}/{total}, {bytes}"));
        }
    }
}
