//! The fixed vocabularies of a lead: stage, channel, industry and its sub-sectors.
//! Each value has a stable code (stored in the database and URLs) and a translation key.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($(#[$vm:meta])* $v:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$v),)+ _ => None }
            }

            pub fn label_key(self) -> &'static str {
                match self { $($name::$v => concat!($prefix, ".", $code)),+ }
            }
        }
    };
}

coded_enum!(
    /// 项目阶段: the pipeline, then two side states.
    Stage, "stage" {
        /// 线索
        Clue = "clue",
        /// 接洽
        Contact = "contact",
        /// 考察
        Visit = "visit",
        /// 洽谈
        Negotiation = "negotiation",
        /// 签约
        Signed = "signed",
        /// 注册
        Registered = "registered",
        /// 拿地
        Land = "land",
        /// 开工
        Construction = "construction",
        /// 投产
        Production = "production",
        /// 搁置
        OnHold = "on_hold",
        /// 终止
        Dropped = "dropped",
    }
);

coded_enum!(
    /// 招商渠道: how the lead was found.
    Channel, "channel" {
        /// 驻点招商
        Resident = "resident",
        /// 委托招商
        Agency = "agency",
        /// 基金招商
        Fund = "fund",
        /// 以商招商
        Referral = "referral",
        /// 展会
        Exhibition = "exhibition",
        /// 网络
        Online = "online",
        Other = "other",
    }
);

coded_enum!(
    /// The "3+1" leading industries (主导产业), and the rest.
    Industry, "industry" {
        /// 节能环保及新材料
        EnergyMaterials = "energy_materials",
        /// 电子通信 — the zone's 首位产业.
        ElectronicComms = "electronic_comms",
        /// 智能制造
        SmartManufacturing = "smart_manufacturing",
        /// 现代服务业 (the "+1")
        ModernServices = "modern_services",
        /// 其他 — outside the 3+1.
        Other = "other",
    }
);

/// A sub-sector (细分领域) of one of the industries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sector {
    pub code: &'static str,
    pub industry: Industry,
}

impl Sector {
    pub fn label_key(self) -> String {
        format!("sector.{}", self.code)
    }
}

/// The seeded sub-sectors, grouped by industry.
pub const SECTORS: &[Sector] = &[
    Sector { code: "energy_saving_equipment", industry: Industry::EnergyMaterials },
    Sector { code: "environmental_protection", industry: Industry::EnergyMaterials },
    Sector { code: "new_energy", industry: Industry::EnergyMaterials },
    Sector { code: "advanced_metals", industry: Industry::EnergyMaterials },
    Sector { code: "new_chemical_materials", industry: Industry::EnergyMaterials },
    Sector { code: "5g_communications", industry: Industry::ElectronicComms },
    Sector { code: "optical_communications", industry: Industry::ElectronicComms },
    Sector { code: "semiconductors", industry: Industry::ElectronicComms },
    Sector { code: "electronic_components", industry: Industry::ElectronicComms },
    Sector { code: "smart_terminals", industry: Industry::ElectronicComms },
    Sector { code: "industrial_robots", industry: Industry::SmartManufacturing },
    Sector { code: "cnc_machine_tools", industry: Industry::SmartManufacturing },
    Sector { code: "sensors_instruments", industry: Industry::SmartManufacturing },
    Sector { code: "auto_parts", industry: Industry::SmartManufacturing },
    Sector { code: "rail_equipment", industry: Industry::SmartManufacturing },
    Sector { code: "software_it", industry: Industry::ModernServices },
    Sector { code: "logistics", industry: Industry::ModernServices },
    Sector { code: "finance_services", industry: Industry::ModernServices },
    Sector { code: "rd_design", industry: Industry::ModernServices },
    Sector { code: "other", industry: Industry::Other },
];

pub fn sector(code: &str) -> Option<Sector> {
    SECTORS.iter().copied().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.code()), Some(*s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(*c));
        }
        for i in Industry::ALL {
            assert_eq!(Industry::parse(i.code()), Some(*i));
        }
        assert_eq!(Stage::parse("bogus"), None);
        assert_eq!(Stage::Clue.label_key(), "stage.clue");
    }

    #[test]
    fn every_industry_has_a_sector_and_codes_are_unique() {
        for i in Industry::ALL {
            assert!(SECTORS.iter().any(|s| s.industry == *i), "{i:?}");
        }
        let mut codes: Vec<_> = SECTORS.iter().map(|s| s.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), SECTORS.len());
    }
}
