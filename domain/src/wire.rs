//! The one way closed sets are declared: the domain's choices, the API's stored states.

/// Declares a closed set whose values cross the wire or a store by a stable name: a `Copy`
/// enum with serde names, `ALL` (in declaration order, which is the order forms show), and
/// `as_str`/`from_wire`. Texts for people are not here: they live per language in
/// [`crate::i18n`], so adding a language never touches a declaration.
///
/// Callers need `serde` as a dependency (the derives name it).
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)*
        }
        impl $name {
            /// Every value, in declaration order (the order forms show them).
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stable name on the wire and in stores.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)* }
            }
            /// Parses a stable name.
            pub fn from_wire(raw: &str) -> Option<Self> {
                match raw { $($wire => Some($name::$variant),)* _ => None }
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
