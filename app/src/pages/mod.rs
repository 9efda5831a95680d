//! One file per page.

mod confirmation;
mod home;
mod not_found;
mod request;
mod rights;

pub use confirmation::Confirmation;
pub use home::Home;
pub use not_found::NotFound;
pub use request::RequestPage;
pub use rights::RightsPage;
