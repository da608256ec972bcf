//! The studio's islands: the submission form and the maintainers' review.

mod admin;
mod form;
mod submit;

pub use admin::AdminPage;
pub use submit::{SubmitForm, SubmitProps};
