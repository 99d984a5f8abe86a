//! Organisations and accounts (Discord users with a role and a sign-in kind).

macro_rules! account_ops {
    ($store:ty) => {
        impl $store {
            pub async fn upsert_organisation(&self, id: &OrgId, name: &str) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO organisations (id, name) VALUES ($1, $2) \
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                )
                .bind(id.as_str())
                .bind(name)
                .execute(self.wpool())
                .await?;
                Ok(())
            }

            pub async fn upsert_account(&self, a: &Account) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO accounts (id, organisation, role, sign_in) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO UPDATE SET organisation = excluded.organisation, \
                     role = excluded.role, sign_in = excluded.sign_in",
                )
                .bind(a.id.as_str())
                .bind(a.organisation.as_str())
                .bind(a.role.as_str())
                .bind(a.sign_in.as_str())
                .execute(self.wpool())
                .await?;
                Ok(())
            }

            pub async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
                let row: Option<AccountRow> =
                    sqlx::query_as("SELECT id, organisation, role, sign_in FROM accounts WHERE id = $1")
                        .bind(id.as_str())
                        .fetch_optional(self.read())
                        .await?;
                row.map(Account::try_from).transpose()
            }
        }
    };
}
pub(crate) use account_ops;
