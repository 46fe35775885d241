//! An import batch's rows kept compressed (`rows_packed`: deflate of the rows' JSON, written and
//! read as a stream) instead of as one JSON text: a 30 MB CSV's rows were a 35 MB text that the
//! upload held several times over (built, bound, written), and every preview parsed it whole.
//! Batches from before keep their `rows` text and are read as before. Going down unpacks each
//! packed batch back into `rows` first, one batch at a time, so no batch loses its rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    Id,
    Rows,
    RowsPacked,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportBatches::Table)
                .add_column(ColumnDef::new(ImportBatches::RowsPacked).blob().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        unpack_all(m).await?;
        m.alter_table(Table::alter().table(ImportBatches::Table).drop_column(ImportBatches::RowsPacked).to_owned())
            .await
    }
}

/// Writes each packed batch's rows back as the JSON text `rows` held before this migration: the
/// packed form is that text deflate-compressed, so inflating it gives the text unchanged.
/// Errors: `Custom` when a batch's packed rows do not inflate to UTF-8 text.
async fn unpack_all(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, Value};
    use std::io::Read;
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let ids = Query::select()
        .column(ImportBatches::Id)
        .from(ImportBatches::Table)
        .and_where(Expr::col(ImportBatches::RowsPacked).is_not_null())
        .to_owned();
    for row in db.query_all(backend.build(&ids)).await? {
        let id: i64 = row.try_get("", "id")?;
        let one = Query::select()
            .column(ImportBatches::RowsPacked)
            .from(ImportBatches::Table)
            .and_where(Expr::col(ImportBatches::Id).eq(id))
            .to_owned();
        let Some(found) = db.query_one(backend.build(&one)).await? else { continue };
        let packed: Vec<u8> = found.try_get("", "rows_packed")?;
        let mut text = String::new();
        flate2::read::DeflateDecoder::new(packed.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| DbErr::Custom(format!("import batch {id}: its packed rows do not read: {e}")))?;
        let write = Query::update()
            .table(ImportBatches::Table)
            .value(ImportBatches::Rows, Value::from(text))
            .and_where(Expr::col(ImportBatches::Id).eq(id))
            .to_owned();
        db.execute(backend.build(&write)).await?;
    }
    Ok(())
}
