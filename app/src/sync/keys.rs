//! Fetching the region key list on every sync (`GET /api/v1/region-keys`, with `If-None-Match`)
//! and keeping it only when it verifies with the pinned scheme key and is not a downgrade.

use meldcode::sealed::SignedList;

use super::{Client, SyncError, blocking};
use crate::store::{Store, keys};

/// The server's answer about the list.
#[derive(Debug, Clone, PartialEq)]
pub enum KeysAnswer {
    Fresh {
        list: SignedList,
        etag: Option<String>,
    },
    /// 304: the list held is the one in force.
    Unchanged,
    /// 404: the server has no list (no region is sealed yet).
    NoList,
    /// No answer, or one the app cannot read: try again next sync.
    Later,
}

impl Client {
    /// `GET /api/v1/region-keys` with the `ETag` held.
    pub async fn region_keys(&self, etag: Option<&str>) -> KeysAnswer {
        let mut req = self
            .http
            .get(self.base.join("/api/v1/region-keys"))
            .bearer_auth(&self.token);
        if let Some(etag) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let Ok(resp) = req.send().await else {
            return KeysAnswer::Later;
        };
        let status = resp.status().as_u16();
        let etag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match status {
            304 => KeysAnswer::Unchanged,
            404 => KeysAnswer::NoList,
            200 => match resp.bytes().await.ok().and_then(|b| serde_json::from_slice(&b).ok()) {
                Some(list) => KeysAnswer::Fresh { list, etag },
                None => KeysAnswer::Later,
            },
            _ => KeysAnswer::Later,
        }
    }
}

/// Refresh the list held (when a scheme key is pinned). A list that fails its signature or would
/// lower the version is refused and noted; the one held stays.
pub async fn refresh(store: &Store, client: &Client) -> Result<(), SyncError> {
    let held = blocking(store, |s| {
        Ok((
            s.setting(keys::SCHEME_KEY)?,
            s.setting(keys::KEY_LIST)?,
            s.setting(keys::KEY_LIST_ETAG)?,
        ))
    })
    .await?;
    let (Some(scheme), list_json, etag) = held else {
        return Ok(());
    };
    let held: Option<SignedList> = list_json.as_deref().and_then(|j| serde_json::from_str(j).ok());
    // Without a list held, ask for it whole.
    let etag = etag.filter(|_| held.is_some());
    match client.region_keys(etag.as_deref()).await {
        KeysAnswer::Fresh { list, etag } => {
            let verdict = crate::seal::accept_list(held.as_ref(), &list, &scheme);
            blocking(store, move |s| {
                match verdict {
                    Ok(()) => {
                        let json = serde_json::to_string(&list)
                            .map_err(|e| crate::store::StoreError::Damaged(e.to_string()))?;
                        s.set_setting(keys::KEY_LIST, &json)?;
                        s.set_setting(keys::KEY_LIST_ETAG, etag.as_deref().unwrap_or(""))?;
                        s.set_setting(keys::KEY_LIST_ABSENT, "0")?;
                        s.set_setting(keys::KEY_LIST_PROBLEM, "")?;
                    }
                    Err(refused) => s.set_setting(keys::KEY_LIST_PROBLEM, &refused.0)?,
                }
                Ok(())
            })
            .await
        }
        // A server that no longer shows a list never takes back the one held.
        KeysAnswer::NoList if held.is_none() => blocking(store, |s| s.set_setting(keys::KEY_LIST_ABSENT, "1")).await,
        KeysAnswer::NoList | KeysAnswer::Unchanged | KeysAnswer::Later => Ok(()),
    }
}
