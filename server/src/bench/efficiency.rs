//! 亩均效益 grading at scale: a year's figures for N enterprises, graded in one run (every
//! enterprise at once: benchmarks and shares depend on all), then graded again as a rules change
//! would.

use super::fill::Rng;
use app::backend::entities::{enterprise, enterprise_figure};
use app::backend::services::efficiency_grading::regrade;
use chrono::Utc;
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use std::time::Instant;

/// Adds `n` enterprises with one year's figures and grades the year; prints the figures.
pub async fn run(db: &DatabaseConnection, n: usize, user_id: i64) -> anyhow::Result<()> {
    let mut rng = Rng(20_261_201);
    let now = Utc::now();
    let year = 2099;
    let t = Instant::now();
    let mut left = n;
    while left > 0 {
        let batch = left.min(500);
        left -= batch;
        let models = (0..batch).map(|i| enterprise::ActiveModel {
            name: Set(format!("基准测试企业{}-{i}", left)),
            uscc: Set(None),
            is_leader: Set(false),
            grade: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        let first = enterprise::Entity::insert_many(models).exec(db).await?.last_insert_id - batch as i64 + 1;
        let figures = (0..batch as i64).map(|i| {
            let land = 2.0 + rng.below(300) as f64;
            let revenue = land * (50.0 + rng.below(1500) as f64);
            enterprise_figure::ActiveModel {
                enterprise_id: Set(first + i),
                year: Set(year),
                land_mu: Set(Some(land)),
                tax_wan: Set((rng.below(20) > 0).then(|| revenue * (0.02 + rng.below(60) as f64 / 1000.0))),
                revenue_wan: Set(Some(revenue)),
                added_value_wan: Set(Some(revenue * 0.25)),
                energy_tce: Set((rng.below(10) > 0).then(|| revenue / (3.0 + rng.below(20) as f64))),
                rd_wan: Set(Some(revenue * rng.below(80) as f64 / 1000.0)),
                employees: Set(Some(land * (0.5 + rng.below(30) as f64 / 10.0))),
                batch_id: Set(None),
                updated_by: Set(user_id),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        enterprise_figure::Entity::insert_many(figures).exec(db).await?;
    }
    println!("figures of {n} enterprises stored in {:.2} s", t.elapsed().as_secs_f64());
    for label in ["first grading", "grading again (a rules change)"] {
        let t = Instant::now();
        let graded = regrade(db, year).await.map_err(super::e)?;
        println!("{label}: {graded} enterprises in {:.2} s", t.elapsed().as_secs_f64());
    }
    Ok(())
}
