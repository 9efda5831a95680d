//! The bundled list of Dutch municipalities with their province (`data/gemeenten.tsv`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A Dutch province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Province {
    Groningen,
    Friesland,
    Drenthe,
    Overijssel,
    Flevoland,
    Gelderland,
    Utrecht,
    NoordHolland,
    ZuidHolland,
    Zeeland,
    NoordBrabant,
    Limburg,
}

impl Province {
    /// Every province.
    pub const ALL: [Province; 12] = [
        Province::Groningen,
        Province::Friesland,
        Province::Drenthe,
        Province::Overijssel,
        Province::Flevoland,
        Province::Gelderland,
        Province::Utrecht,
        Province::NoordHolland,
        Province::ZuidHolland,
        Province::Zeeland,
        Province::NoordBrabant,
        Province::Limburg,
    ];

    /// The key used in data and configuration files (`zuid-holland`).
    pub fn key(self) -> &'static str {
        match self {
            Province::Groningen => "groningen",
            Province::Friesland => "friesland",
            Province::Drenthe => "drenthe",
            Province::Overijssel => "overijssel",
            Province::Flevoland => "flevoland",
            Province::Gelderland => "gelderland",
            Province::Utrecht => "utrecht",
            Province::NoordHolland => "noord-holland",
            Province::ZuidHolland => "zuid-holland",
            Province::Zeeland => "zeeland",
            Province::NoordBrabant => "noord-brabant",
            Province::Limburg => "limburg",
        }
    }

    /// Parses a key such as `zuid-holland`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// A municipality from the bundled list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Municipality {
    name: &'static str,
    province: Province,
}

impl Municipality {
    /// Looks a municipality up by name, ignoring case, or by a common name
    /// (`Den Haag` for `'s-Gravenhage`).
    pub fn find(name: &str) -> Option<Self> {
        let name = name.trim();
        let official = COMMON_NAMES
            .iter()
            .find(|(common, _)| common.eq_ignore_ascii_case(name))
            .map_or(name, |(_, official)| official);
        let list = municipalities();
        list.iter()
            .copied()
            .find(|m| m.name == official)
            // ASCII case folding only: full Unicode case tables would add ~7 KB to the app.
            .or_else(|| {
                list.iter()
                    .copied()
                    .find(|m| m.name.eq_ignore_ascii_case(official))
            })
    }
    /// The official name.
    pub fn name(self) -> &'static str {
        self.name
    }
    /// The province it lies in.
    pub fn province(self) -> Province {
        self.province
    }
}

impl Serialize for Municipality {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for Municipality {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Municipality::find(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown municipality {name:?}")))
    }
}

static DATA: &str = include_str!("../data/gemeenten.tsv");

/// Names people use for municipalities whose official name differs.
const COMMON_NAMES: &[(&str, &str)] = &[
    ("Den Haag", "'s-Gravenhage"),
    ("Den Bosch", "'s-Hertogenbosch"),
    ("Bergen (Limburg)", "Bergen (L.)"),
    ("Bergen (Noord-Holland)", "Bergen (NH.)"),
    ("Nuenen", "Nuenen, Gerwen en Nederwetten"),
];

/// Every name [`Municipality::find`] knows exactly as written: the official names and the
/// common ones.
pub fn municipality_names() -> impl Iterator<Item = &'static str> {
    municipalities()
        .iter()
        .map(|m| m.name)
        .chain(COMMON_NAMES.iter().map(|(common, _)| *common))
}

/// Every municipality in the bundled list, sorted by name.
pub fn municipalities() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| {
        DATA.lines()
            .filter_map(|line| {
                let (name, province) = line.split_once('\t')?;
                Some(Municipality {
                    name,
                    province: Province::from_key(province.trim())?,
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_bundled_list_parses() {
        let lines = DATA.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(municipalities().len(), lines);
        assert!(lines > 300, "only {lines} municipalities");
    }

    #[test]
    fn vlaardingen_lies_in_zuid_holland() {
        let m = Municipality::find("Vlaardingen").unwrap();
        assert_eq!(m.province(), Province::ZuidHolland);
    }

    #[test]
    fn names_are_found_whatever_their_case_and_by_their_common_name() {
        assert_eq!(
            Municipality::find("vlaardingen").unwrap().name(),
            "Vlaardingen"
        );
        assert_eq!(
            Municipality::find("den haag").unwrap().name(),
            "'s-Gravenhage"
        );
        assert_eq!(
            Municipality::find("Den Bosch").unwrap().name(),
            "'s-Hertogenbosch"
        );
        assert!(Municipality::find("Atlantis").is_none());
    }

    #[test]
    fn every_common_name_points_at_a_listed_municipality() {
        for (common, official) in COMMON_NAMES {
            assert!(
                Municipality::find(official).is_some(),
                "{common} → {official}"
            );
        }
    }

    #[test]
    fn every_province_has_municipalities() {
        for p in Province::ALL {
            assert!(municipalities().iter().any(|m| m.province() == p), "{p:?}");
        }
    }
}
