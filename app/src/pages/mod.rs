//! The two views of the form page.

mod confirmation;
mod request;

pub use confirmation::Confirmation;
pub use request::RequestPage;
