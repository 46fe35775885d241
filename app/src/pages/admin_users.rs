use crate::api::users::{list_users, CreateUser, ResetPassword, SetUserDisabled};
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::left::LeftBy;
use crate::components::loaded::LoadedOne;
use crate::domain::lead::FieldError;
use crate::domain::role::Role;
use crate::i18n::t;
use crate::wire::users::UserRow;
use leptos::prelude::*;

/// `/admin/users` — create, disable/enable and reset users (admins only; the server checks).
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let toggle = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let users = Resource::new(
        move || (create.version().get(), toggle.version().get(), reset.version().get()),
        |_| list_users(),
    );
    let create_errors: Signal<Vec<FieldError>> = action_field_errors(create);
    let reset_errors: Signal<Vec<FieldError>> = action_field_errors(reset);
    let other_error = move || {
        [toggle.value().get().and_then(|r| r.err())]
            .into_iter()
            .flatten()
            .next()
            .map(|e| view! { <ErrorBanner error=e/> })
    };

    view! {
        <h1>{t("users.title")}</h1>
        {other_error}
        <LoadedOne resource=users content=move |list| view! {
            <table class="grid" id="user-table">
                <thead><tr>
                    <th>{t("users.username")}</th><th>{t("users.display_name")}</th><th>{t("me.email")}</th>
                    <th>{t("users.role")}</th><th>{t("users.status")}</th><th>{t("users.created_at")}</th><th></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|u| view! { <UserLine user=u toggle=toggle/> }).collect_view()}
                </tbody>
            </table>
        }/>

        <section class="card">
            <h2>{t("users.create.title")}</h2>
            <ActionForm action=create>
                <label>{t("users.username")}<input name="form[username]" id="new-username"/></label>
                <FieldErrorText errors=create_errors field="username"/>
                <label>{t("users.display_name")}<input name="form[display_name]" id="new-display-name"/></label>
                <FieldErrorText errors=create_errors field="display_name"/>
                <label>
                    {t("users.role")}
                    <select name="form[role]" id="new-role">
                        {Role::ALL.iter().map(|r| view! { <option value=r.code() selected=*r == Role::Staff>{t(r.label_key())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t("users.password")}<input name="form[password]" type="password" id="new-password" autocomplete="new-password"/></label>
                <FieldErrorText errors=create_errors field="password"/>
                // Where the trips' invitations and the weekly pack go; the user may set it later on /me.
                <label>{t("users.email")}<input name="form[email]" type="email" id="new-email" autocomplete="off"/></label>
                <FieldErrorText errors=create_errors field="email"/>
                <button type="submit" class="primary">{t("users.create.submit")}</button>
            </ActionForm>
        </section>

        <section class="card">
            <h2>{t("users.reset.title")}</h2>
            <ActionForm action=reset>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = users.await.unwrap_or_default();
                        view! {
                            <select name="id" id="reset-user">
                                {list.into_iter().map(|u| view! { <option value=u.id>{u.username}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <label>{t("users.password")}<input name="password" type="password" id="reset-password" autocomplete="new-password"/></label>
                <FieldErrorText errors=reset_errors field="password"/>
                <button type="submit">{t("users.reset.submit")}</button>
                <LeftBy action=reset view=|_| view! { <span class="ok" id="reset-done">{t("users.reset.done")}</span> }/>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserLine(user: UserRow, toggle: ServerAction<SetUserDisabled>) -> impl IntoView {
    let status = if user.disabled { t("users.disabled") } else { t("users.active") };
    let (label, target) = if user.disabled { (t("users.enable"), "false") } else { (t("users.disable"), "true") };
    view! {
        <tr class:disabled=user.disabled data-username=user.username.clone()>
            <td>{user.username.clone()}</td>
            <td>{user.display_name}</td>
            <td>{user.email}</td>
            <td>{t(user.role.label_key())}</td>
            <td>{status}</td>
            <td>{user.created_at}</td>
            <td>
                <ActionForm action=toggle>
                    <input type="hidden" name="id" value=user.id/>
                    <input type="hidden" name="disabled" value=target/>
                    <button type="submit" class="link">{label}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
