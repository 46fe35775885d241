//! Demo 亩均效益 figures: two years of figures for the demo zone's enterprises (each given a
//! USCC), a few more enterprises off the chains (one on too little land to be rated), graded
//! under the default rules.

use super::efficiency_grading::regrade;
use super::pipeline::today;
use super::ServiceError;
use crate::backend::entities::{enterprise, enterprise_figure};
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use chrono::{Datelike, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

/// Enterprises in the zone that sit on no chain: (name, land 亩, tax per 亩 in 万元).
const MORE: &[(&str, f64, f64)] = &[
    ("慈湖金属制品厂", 42.0, 3.1),
    ("雨山包装材料有限公司", 25.0, 8.5),
    ("当涂建材有限公司", 60.0, 4.2),
    ("采石小五金加工部", 2.0, 12.0),
];

/// Tax per 亩 (万元) the demo gives an enterprise of `grade` (chain map's hand-set grade).
fn tax_per_mu(grade: Option<&str>) -> f64 {
    match grade {
        Some("A") => 48.0,
        Some("B") => 22.0,
        Some("C") => 9.0,
        _ => 5.0,
    }
}

/// Adds the figures and grades both years. Errors: `Db`, `Internal`.
pub async fn seed<C: ConnectionTrait + TransactionTrait>(db: &C, manager: &SessionUser) -> Result<(), ServiceError> {
    let now = Utc::now();
    for (name, ..) in MORE {
        enterprise::ActiveModel {
            name: Set(name.to_string()),
            uscc: Set(None),
            is_leader: Set(false),
            grade: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let all = enterprise::Entity::find().order_by_asc(enterprise::Column::Id).all(db).await?;
    let year = today().year() - 1;
    for (i, e) in all.iter().enumerate() {
        if e.uscc.is_none() {
            let code = Uscc::complete(&format!("91340500MA2{:06}", 100 + e.id))
                .ok_or_else(|| ServiceError::Internal("demo uscc".into()))?;
            let mut m: enterprise::ActiveModel = e.clone().into();
            m.uscc = Set(Some(code.as_str().to_string()));
            m.update(db).await?;
        }
        let (land, tax_mu) = match MORE.iter().find(|(n, ..)| *n == e.name) {
            Some((_, land, tax)) => (*land, *tax),
            None => (80.0 + (i as f64 * 37.0) % 200.0, tax_per_mu(e.grade.as_deref())),
        };
        for (y, growth) in [(year - 1, 0.9), (year, 1.0)] {
            let tax = (land * tax_mu * growth * (1.0 + (i % 3) as f64 * 0.05) * 100.0).round() / 100.0;
            let revenue = (tax * 14.0).round();
            enterprise_figure::ActiveModel {
                enterprise_id: Set(e.id),
                year: Set(y),
                land_mu: Set(Some(land)),
                tax_wan: Set(Some(tax)),
                revenue_wan: Set(Some(revenue)),
                added_value_wan: Set(Some((revenue * 0.26).round())),
                // One reports no energy use: its indicator scores 0, marked.
                energy_tce: Set((i != 3).then(|| (revenue / (6.0 + (i % 4) as f64)).round())),
                rd_wan: Set(Some((revenue * (0.01 + (i % 5) as f64 * 0.008)).round())),
                employees: Set(Some((land * 1.5).round())),
                batch_id: Set(None),
                updated_by: Set(manager.id),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    regrade(db, year - 1).await?;
    regrade(db, year).await?;
    Ok(())
}
