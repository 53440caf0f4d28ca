//! The apply step: the only code that writes posts into the output tree.
//!
//! It takes a [`Planned`] post and, in write mode, places the post's image
//! copies, writes its text atomically (through the run's write guard) and
//! journals it. In check and diff modes it writes nothing and hands the
//! record back as planned. It never converts or decides: a failure here
//! only turns the planned record into a failed one, naming the file.

use super::Destination;
use super::error::BatchError;
use super::plan::{Action, Context, Planned, failed_record};
use super::write::{Guard, write_guarded};
use crate::report::PostRecord;

/// Carries out one planned post in the run's mode.
pub(crate) fn apply(planned: Planned, ctx: &Context<'_>) -> PostRecord {
    if !ctx.settings.mode.writes() {
        return planned.record;
    }
    let Planned {
        record,
        action,
        output,
        used,
        entry,
    } = planned;
    let Some(path) = output else {
        return record;
    };
    if action == Action::Nothing {
        return record;
    }
    let none = Guard::none();
    let (durable, guard) = match ctx.dest {
        Destination::InPlace => (true, &none),
        Destination::Mirror { guard, .. } => (false, guard),
    };
    // A post's own images are in place before the post that shows them
    // (also when the post itself is unchanged: a deleted copy comes back).
    if let Err(error) = ctx.images.place(&path, &used, guard) {
        return failed_record(record, &error);
    }
    let Action::Write(text) = action else {
        return record;
    };
    if let Err(source) = write_guarded(&path, text.as_bytes(), durable, guard) {
        return failed_record(record, &BatchError::Write { path, source });
    }
    if let (Some(journal), Some(entry)) = (ctx.journal, entry)
        && let Err(source) = journal.record(&entry)
    {
        let path = journal.path().to_owned();
        return failed_record(record, &BatchError::Journal { path, source });
    }
    record
}
