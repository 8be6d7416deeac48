//! Municipality (*gemeente*) → Veilig Thuis region, versioned by year.
//!
//! The tables are compiled in from `assets/regions/` (Bron: CBS / PDOK). A year without its own
//! table uses the latest earlier one; a year before the first table uses the first.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Attribution required by the source of the region table.
pub const ATTRIBUTION: &str = "Bron: CBS / PDOK";

/// The CSV tables, one per year: `jaar,gemeentecode,gemeentenaam,vt_code,vt_naam`.
const TABLES: &[(i32, &str)] = &[(2025, include_str!("../../assets/regions/gemeente_veiligthuis_2025.csv"))];

/// The one table of region names: each Veilig Thuis organisation as it writes its own name.
/// The CBS map layer spells some differently ("West-brabant", "Noord- en Midden Limburg"); its
/// codes are kept, its names are not shown.
pub const ORGANISATIONS: &[(&str, &str)] = &[
    ("VT01", "Veilig Thuis Amsterdam-Amstelland"),
    ("VT02", "Veilig Thuis Drenthe"),
    ("VT03", "Veilig Thuis Flevoland"),
    ("VT04", "Veilig Thuis Friesland"),
    ("VT05", "Veilig Thuis Gelderland-Midden"),
    ("VT06", "Veilig Thuis Gelderland-Zuid"),
    ("VT07", "Veilig Thuis Gooi en Vechtstreek"),
    ("VT08", "Veilig Thuis Groningen"),
    ("VT09", "Veilig Thuis Haaglanden"),
    ("VT10", "Veilig Thuis Hollands Midden"),
    ("VT11", "Veilig Thuis IJsselland"),
    ("VT12", "Veilig Thuis Kennemerland"),
    ("VT13", "Veilig Thuis Noord- en Midden-Limburg"),
    ("VT14", "Veilig Thuis Noord- en Oost-Gelderland"),
    ("VT15", "Veilig Thuis Midden-Brabant"),
    ("VT17", "Veilig Thuis Noord-Holland Noord"),
    ("VT18", "Veilig Thuis Rotterdam Rijnmond"),
    ("VT19", "Veilig Thuis Twente"),
    ("VT20", "Veilig Thuis Utrecht"),
    ("VT21", "Veilig Thuis West-Brabant"),
    ("VT22", "Veilig Thuis Zaanstreek-Waterland"),
    ("VT23", "Veilig Thuis Zeeland"),
    ("VT24", "Veilig Thuis Zuid-Holland Zuid"),
    ("VT25", "Veilig Thuis Zuid-Limburg"),
    ("VT27", "Veilig Thuis Oost-Brabant"),
];

/// The organisation's own name for a region code.
pub fn organisation_name(code: &str) -> Option<&'static str> {
    ORGANISATIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// A regional Veilig Thuis organisation (`VT01` … `VT27`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtRegion {
    pub code: String,
    /// The organisation's own name, from [`ORGANISATIONS`] ("Veilig Thuis West-Brabant").
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gemeente {
    pub code: String,
    pub name: String,
    pub vt_code: String,
}

/// One year's table.
#[derive(Debug)]
pub struct RegionTable {
    pub year: i32,
    gemeenten: BTreeMap<String, Gemeente>,
    regions: BTreeMap<String, VtRegion>,
}

impl RegionTable {
    fn parse(year: i32, csv_text: &str) -> Result<RegionTable, String> {
        let mut gemeenten = BTreeMap::new();
        let mut regions = BTreeMap::new();
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        for row in reader.records() {
            let row = row.map_err(|e| e.to_string())?;
            let field = |i: usize| {
                row.get(i)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("column {i} missing"))
            };
            let (code, name, vt_code, vt_name) = (field(1)?, field(2)?, field(3)?, field(4)?);
            let own = organisation_name(&vt_code).map_or(vt_name, str::to_owned);
            regions.entry(vt_code.clone()).or_insert_with(|| VtRegion {
                code: vt_code.clone(),
                name: own,
            });
            gemeenten.insert(code.clone(), Gemeente { code, name, vt_code });
        }
        Ok(RegionTable {
            year,
            gemeenten,
            regions,
        })
    }

    pub fn gemeente(&self, code: &str) -> Option<&Gemeente> {
        self.gemeenten.get(code)
    }

    pub fn region(&self, vt_code: &str) -> Option<&VtRegion> {
        self.regions.get(vt_code)
    }

    /// The region a municipality belongs to in this table's year.
    pub fn region_of(&self, gemeente: &str) -> Option<&VtRegion> {
        self.gemeente(gemeente).and_then(|g| self.regions.get(&g.vt_code))
    }

    pub fn regions(&self) -> impl Iterator<Item = &VtRegion> {
        self.regions.values()
    }

    pub fn gemeenten(&self) -> impl Iterator<Item = &Gemeente> {
        self.gemeenten.values()
    }
}

static REGION_TABLES: LazyLock<BTreeMap<i32, RegionTable>> = LazyLock::new(|| {
    TABLES
        .iter()
        .map(|(year, text)| {
            // The tables are compiled in and checked by tests: a parse failure is a build defect.
            let table = RegionTable::parse(*year, text).expect("compiled-in region table parses");
            (*year, table)
        })
        .collect()
});

/// The table that applies to `year`: its own, else the latest earlier one, else the first.
pub fn table_for_year(year: i32) -> &'static RegionTable {
    let tables = &*REGION_TABLES;
    tables
        .range(..=year)
        .next_back()
        .or_else(|| tables.iter().next())
        .map(|(_, t)| t)
        .expect("at least one region table is compiled in")
}

/// The newest table: for lists of regions on screens and in statistics.
pub fn latest() -> &'static RegionTable {
    table_for_year(i32::MAX)
}

/// Routing: the region of the municipality where the person lives when known and valid,
/// else the pharmacy's.
pub fn route(person_gemeente: Option<&str>, pharmacy_gemeente: &str, year: i32) -> Option<&'static VtRegion> {
    let table = table_for_year(year);
    person_gemeente
        .and_then(|g| table.region_of(g))
        .or_else(|| table.region_of(pharmacy_gemeente))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_342_gemeenten_and_25_regions() {
        let t = table_for_year(2025);
        assert_eq!(t.gemeenten().count(), 342);
        let codes: Vec<_> = t.regions().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), 25);
        assert!(!codes.contains(&"VT16") && !codes.contains(&"VT26") && codes.contains(&"VT27"));
    }

    #[test]
    fn spot_checks_from_the_source_readme() {
        let t = table_for_year(2025);
        for (gm, vt) in [
            ("GM0363", "VT01"),
            ("GM0599", "VT18"),
            ("GM0796", "VT27"),
            ("GM0772", "VT27"),
            ("GM0855", "VT15"),
            ("GM0758", "VT21"),
            ("GM0034", "VT03"),
            ("GM0014", "VT08"),
        ] {
            assert_eq!(t.region_of(gm).map(|r| r.code.as_str()), Some(vt), "{gm}");
        }
        assert_eq!(
            t.gemeente("GM0820").map(|g| g.name.as_str()),
            Some("Nuenen, Gerwen en Nederwetten")
        );
    }

    #[test]
    fn every_region_has_its_organisations_own_name() {
        let t = table_for_year(2025);
        let codes: Vec<&str> = t.regions().map(|r| r.code.as_str()).collect();
        let named: Vec<&str> = ORGANISATIONS.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, named, "one name per region of the table, in code order");
        assert!(t.regions().all(|r| r.name.starts_with("Veilig Thuis ")));
        assert_eq!(
            t.region("VT21").map(|r| r.name.as_str()),
            Some("Veilig Thuis West-Brabant")
        );
        assert_eq!(
            t.region("VT13").map(|r| r.name.as_str()),
            Some("Veilig Thuis Noord- en Midden-Limburg")
        );
    }

    #[test]
    fn a_year_without_a_table_uses_the_latest_earlier_one() {
        assert_eq!(table_for_year(2026).year, 2025);
        assert_eq!(table_for_year(2031).year, 2025);
        assert_eq!(table_for_year(2019).year, 2025, "before the first table: the first");
    }

    #[test]
    fn routing_prefers_the_person_and_falls_back_to_the_pharmacy() {
        assert_eq!(
            route(Some("GM0599"), "GM0363", 2026).map(|r| r.code.as_str()),
            Some("VT18")
        );
        assert_eq!(route(None, "GM0363", 2026).map(|r| r.code.as_str()), Some("VT01"));
        assert_eq!(
            route(Some("GM9999"), "GM0363", 2026).map(|r| r.code.as_str()),
            Some("VT01")
        );
        assert_eq!(route(None, "GM9999", 2026), None);
    }
}
