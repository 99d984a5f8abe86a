//! What a test reads to count posts itself: the messages of a channel with their nonce, content,
//! author and attachments, counts per nonce and per content, and the bytes of an upload.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use super::events::id_of;
use super::{FakeDiscord, TestkitError};

/// An attachment stored on a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostAttachment {
    pub id: u64,
    pub filename: String,
    pub size: u64,
    pub content_type: Option<String>,
    pub url: String,
}

/// A stored message, typed for assertions.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    /// The `nonce` the sender gave (numbers as their decimal text).
    pub nonce: Option<String>,
    pub attachments: Vec<PostAttachment>,
    /// Roles the message really pinged (allowed, and mentionable or Mention Everyone).
    pub mention_roles: Vec<u64>,
    pub mention_everyone: bool,
    /// The whole message object.
    pub message: Value,
}

impl Post {
    pub fn from_message(message: &Value) -> Self {
        let nonce = match message.get("nonce") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let list = |key: &str| message.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        Post {
            id: id_of(message, "id"),
            channel_id: id_of(message, "channel_id"),
            author_id: id_of(&message["author"], "id"),
            content: message["content"].as_str().unwrap_or_default().to_string(),
            nonce,
            attachments: list("attachments").iter().map(attachment).collect(),
            mention_roles: list("mention_roles")
                .iter()
                .filter_map(|r| r.as_str()?.parse().ok())
                .collect(),
            mention_everyone: message["mention_everyone"].as_bool().unwrap_or(false),
            message: message.clone(),
        }
    }
}

fn attachment(value: &Value) -> PostAttachment {
    PostAttachment {
        id: id_of(value, "id"),
        filename: value["filename"].as_str().unwrap_or_default().to_string(),
        size: value["size"].as_u64().unwrap_or(0),
        content_type: value["content_type"].as_str().map(str::to_string),
        url: value["url"].as_str().unwrap_or_default().to_string(),
    }
}

fn count<K: Ord>(keys: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let mut counts = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

impl FakeDiscord {
    /// The messages of a channel or thread (users' and the bot's), oldest first.
    pub fn posts(&self, channel_id: u64) -> Vec<Post> {
        let mut posts: Vec<Post> = self.messages(channel_id).iter().map(Post::from_message).collect();
        posts.sort_by_key(|p| p.id);
        posts
    }

    /// The bot's own messages in a channel or thread, oldest first.
    pub fn bot_posts(&self, channel_id: u64) -> Vec<Post> {
        let bot = self.scene().bot_user_id;
        self.posts(channel_id)
            .into_iter()
            .filter(|p| p.author_id == bot)
            .collect()
    }

    /// Every message in every channel and thread, oldest first.
    pub fn all_posts(&self) -> Vec<Post> {
        let mut posts: Vec<Post> = self.shared.read(|inner| {
            inner
                .channels
                .values()
                .flat_map(|c| c.messages.iter().map(Post::from_message))
                .collect()
        });
        posts.sort_by_key(|p| p.id);
        posts
    }

    /// How many messages in the channel carry each nonce.
    pub fn posts_per_nonce(&self, channel_id: u64) -> BTreeMap<String, usize> {
        count(self.posts(channel_id).into_iter().filter_map(|p| p.nonce))
    }

    /// How many messages in the channel have each exact content.
    pub fn posts_per_content(&self, channel_id: u64) -> BTreeMap<String, usize> {
        count(self.posts(channel_id).into_iter().map(|p| p.content))
    }

    /// Waits until the channel holds at least `n` messages; returns them, oldest first.
    pub async fn wait_for_posts(
        &self,
        channel_id: u64,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<Post>, TestkitError> {
        self.shared
            .wait_until(&format!("{n} messages in channel {channel_id}"), timeout, |inner| {
                let messages = &inner.channels.get(&channel_id)?.messages;
                (messages.len() >= n).then_some(())
            })
            .await?;
        Ok(self.posts(channel_id))
    }

    /// The uploaded bytes of an attachment (to check a PNG or CSV).
    pub fn attachment_data(&self, attachment_id: u64) -> Option<Vec<u8>> {
        self.shared
            .read(|inner| inner.files.get(&attachment_id).map(|b| b.to_vec()))
    }
}
