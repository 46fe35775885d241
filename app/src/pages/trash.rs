use crate::api::lead_admin::{trash, RestoreLead};
use crate::components::loaded::Loaded;
use crate::i18n::t;
use leptos::prelude::*;

/// `/trash` — 回收站: deleted leads, restorable by managers and admins.
#[component]
pub fn TrashPage() -> impl IntoView {
    let restore = ServerAction::<RestoreLead>::new();
    let rows = Resource::new(move || restore.version().get(), |_| trash());
    view! {
        <h1>{t("trash.title")}</h1>
        <Loaded resource=rows empty="trash.empty" content={move |list| view! {
                        <table class="grid" id="trash-table">
                            <thead><tr><th>{t("lead.company_name")}</th><th>{t("trash.deleted_by")}</th><th>{t("trash.deleted_at")}</th><th></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr data-id=r.id>
                                        <td>{r.company_name}</td><td>{r.deleted_by}</td><td>{r.deleted_at}</td>
                                        <td>
                                            <ActionForm action=restore>
                                                <input type="hidden" name="id" value=r.id/>
                                                <button type="submit" class="link">{t("trash.restore")}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }}/>
    }
}
