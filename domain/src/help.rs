//! Who the portal speaks to, and the numbers to call right now.

use crate::Lang;

crate::wire_enum! {
    /// Who a page or the form is for. The wire name is the value of `?voor=` on the form.
    pub enum Audience {
        /// A child younger than 12.
        Under12 = "jonger-dan-12",
        /// A young person of 12 or older.
        TwelvePlus = "12-plus",
        /// A foster parent.
        FosterParent = "pleegouder",
        /// Someone who works with foster children (and may fill in the form with a child).
        Professional = "professional",
    }
}

impl Audience {
    /// The audience named by a form address's query (`voor=12-plus&…`), if any.
    pub fn from_query(query: &str) -> Option<Self> {
        query
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("voor="))
            .and_then(Self::from_wire)
    }

    /// The query that opens the form for this audience (`?voor=12-plus`).
    pub fn form_query(self) -> String {
        format!("?voor={}", self.as_str())
    }
}

crate::wire_enum! {
    /// A number to call right now. Numbers are written only here.
    pub enum Helpline {
        /// The emergency number.
        Emergency = "112",
        /// Veilig Thuis: domestic violence and child abuse, free, day and night.
        VeiligThuis = "veilig-thuis",
        /// De Kindertelefoon: the children's helpline, free.
        Kindertelefoon = "kindertelefoon",
    }
}

impl Helpline {
    /// The number as people write it (`0800-2000`).
    pub fn number(self) -> &'static str {
        match self {
            Helpline::Emergency => "112",
            Helpline::VeiligThuis => "0800-2000",
            Helpline::Kindertelefoon => "0800-0432",
        }
    }

    /// The `tel:` address.
    pub fn tel_href(self) -> String {
        let digits: String = self.number().chars().filter(char::is_ascii_digit).collect();
        format!("tel:{digits}")
    }

    /// In running text, in `lang` ("Veilig Thuis: 0800-2000").
    pub fn inline(self, lang: Lang) -> String {
        lang.words().helpline_inline(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_query_names_the_audience() {
        assert_eq!(
            Audience::from_query("?voor=12-plus"),
            Some(Audience::TwelvePlus)
        );
        assert_eq!(
            Audience::from_query("a=1&voor=pleegouder"),
            Some(Audience::FosterParent)
        );
        assert_eq!(Audience::from_query("voor=robot"), None);
        for a in Audience::ALL {
            assert_eq!(Audience::from_query(&a.form_query()), Some(*a));
        }
    }

    #[test]
    fn tel_links_dial_only_digits() {
        assert_eq!(Helpline::VeiligThuis.tel_href(), "tel:08002000");
        assert_eq!(Helpline::Kindertelefoon.tel_href(), "tel:08000432");
        assert_eq!(Helpline::Emergency.tel_href(), "tel:112");
    }
}
