//! What a plain form post left for the page it returns to (see `backend::flash`).

use crate::error::AppError;
use leptos::prelude::*;

/// Takes what this user's last plain post left under `key` (JSON; the posting server function's
/// path, e.g. a new API token), once. `None` when nothing waits.
///
/// Errors: `Unauthenticated`.
#[server(endpoint = "flash/take")]
pub async fn take_left(key: String) -> Result<Option<String>, AppError> {
    use crate::backend::context;
    context::signed_in()?;
    Ok(context::take_left(&key))
}

/// The key a refused lead form's typed values wait under, as `(lead id or None for a new
/// lead, the form)`: one per user, whichever lead it was for.
pub const LEAD_DRAFT: &str = "lead-draft";

/// The key a refused import mapping waits under, as a `wire::imports::MappingDraft`: the
/// mapping form shows what was chosen, not the saved mapping it was refused against.
pub const IMPORT_MAPPING_DRAFT: &str = "import-mapping-draft";

/// The key a refused new trip's typed values wait under, as a `wire::trips::TripForm`.
pub const TRIP_DRAFT: &str = "trip-draft";

/// The key a refused change of a trip waits under, as `(trip id, wire::trips::TripForm)`: its
/// edit form opens again with what was typed.
pub const TRIP_EDIT_DRAFT: &str = "trip-edit-draft";

/// The key a refused change of a visit waits under, as `(visit id, wire::trips::VisitForm)`.
pub const VISIT_EDIT_DRAFT: &str = "visit-edit-draft";

/// What a plain post on a trip's page did, said at its top: a message key (`trips.saved`,
/// `trips.saved_told`, `trips.published`).
pub const TRIP_SAID: &str = "trip-said";

/// A problem's state changed by plain post on /problems, as `(problem id, new state)`: said at
/// the top of the list when the problem is not on the page any more (solved under 「待办」, or
/// gone after the open ones: it left the page without a word).
pub const PROBLEM_SAID: &str = "problem-said";

/// A visit changed by plain post: its id, said at the visit on the trip's page.
pub const VISIT_SAVED: &str = "visit-saved";

/// The key a refused new visit's typed values wait under, as `(trip id, wire::trips::VisitForm)`.
pub const VISIT_DRAFT: &str = "visit-draft";

/// A refused stage move's form as typed, with its lead: `(lead_id, MoveForm)` (the lead page's
/// move form shows it again).
pub const MOVE_DRAFT: &str = "move-draft";

/// A refused 跟进记录's form as typed, with its lead: `(lead_id, ActivityForm)` (the lead page's
/// contact form shows it again beside the messages).
pub const LOG_DRAFT: &str = "log-draft";

/// A stage move done by plain post: `(lead_id, the stage's code)`, said beside the lead's stage
/// on the page the browser returns to (the lead page, the board).
pub const MOVED: &str = "moved";

/// A visit added by plain post: its id, said at the visit on the trip's page.
pub const VISIT_ADDED: &str = "visit-added";
