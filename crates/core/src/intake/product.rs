//! Product and version matching against the catalog, tolerant of typos.
//!
//! The catalog's names and aliases are split into tokens once ([`ProductIndex::new`]).
//! Each message token is mapped to a catalog token exactly or within a small edit
//! distance (bounded by the catalog token's length), then product names are matched
//! as token sequences, longest first. Versions ("2019", "SE") must match exactly.

use crate::catalog::Catalog;
use rustc_hash::FxHashMap;

/// Tokens longer than this are never compared fuzzily.
const MAX_FUZZY_CHARS: usize = 32;
/// How far after the product name a version may stand ("SQL Server cluster 2019").
const VERSION_WINDOW: usize = 3;

/// The catalog prepared for matching; build once at start, share by reference.
#[derive(Debug, Clone, Default)]
pub struct ProductIndex {
    tokens: Vec<CatalogToken>,
    /// Exact lookups run for every word of every message: a fast non-cryptographic hash (the
    /// keys come from the operator's catalog, not from users).
    token_ids: FxHashMap<String, usize>,
    /// The tokens open to fuzzy matching, by their length in characters.
    fuzzy_by_len: Vec<Vec<FuzzyCandidate>>,
    variants: Vec<NameVariant>,
    /// Variant indices by the id of their first token.
    by_first: Vec<Vec<usize>>,
    products: Vec<IndexedProduct>,
}

#[derive(Debug, Clone)]
struct CatalogToken {
    chars: Vec<char>,
    /// Edits tolerated when a message token is compared with this one.
    bound: usize,
}

/// What `lookup` checks before computing a distance, kept together so the scan stays in cache.
#[derive(Debug, Clone, Copy)]
struct FuzzyCandidate {
    first: char,
    second: char,
    mask: u64,
    id: usize,
}

#[derive(Debug, Clone)]
struct NameVariant {
    product: usize,
    tokens: Vec<usize>,
}

#[derive(Debug, Clone)]
struct IndexedProduct {
    key: String,
    versions: Vec<IndexedVersion>,
}

#[derive(Debug, Clone)]
struct IndexedVersion {
    name: String,
    /// The version's name and aliases, each as its tokens.
    spellings: Vec<Vec<String>>,
}

/// A product (and maybe version) found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductMatch {
    pub product_key: String,
    pub version: Option<String>,
    /// Whether the product has exactly one version (then it need not be asked for).
    pub single_version: bool,
    /// The message tokens that named the product, and the version.
    pub product_text: String,
    pub version_text: Option<String>,
}

/// Splits on anything but letters and digits, and between letters and digits
/// ("sql2019" → "sql", "2019"). One pass over the characters.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip to the next letter or digit.
        let (start, first) = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break (i, c);
            }
        };
        let digit = first.is_numeric();
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() || c.is_numeric() != digit {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some(&text[start..end])
    })
}

fn char_mask(chars: &[char]) -> u64 {
    chars.iter().fold(0, |m, &c| m | 1u64 << (c as u32 % 64))
}

/// Edits tolerated for a catalog token of `len` characters (at most 2: `lookup` relies on it).
fn bound_for(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl ProductIndex {
    pub fn new(catalog: &Catalog) -> ProductIndex {
        let mut index = ProductIndex::default();
        for (p, product) in catalog.products.iter().enumerate() {
            let names = std::iter::once(&product.name)
                .chain(&product.aliases)
                .chain(std::iter::once(&product.key));
            for name in names {
                let lower = name.to_lowercase();
                let ids: Vec<usize> = tokens(&lower).map(|t| index.intern(t)).collect();
                if let Some(&first) = ids.first() {
                    index.by_first[first].push(index.variants.len());
                    index.variants.push(NameVariant {
                        product: p,
                        tokens: ids,
                    });
                }
            }
            let versions = product
                .versions
                .iter()
                .map(|v| IndexedVersion {
                    name: v.name.clone(),
                    spellings: std::iter::once(&v.name)
                        .chain(&v.aliases)
                        .map(|s| tokens(&s.to_lowercase()).map(str::to_string).collect())
                        .filter(|t: &Vec<String>| !t.is_empty())
                        .collect(),
                })
                .collect();
            index.products.push(IndexedProduct {
                key: product.key.clone(),
                versions,
            });
        }
        index
    }

    fn intern(&mut self, token: &str) -> usize {
        if let Some(&id) = self.token_ids.get(token) {
            return id;
        }
        let chars: Vec<char> = token.chars().collect();
        let all_digits = chars.iter().all(|c| c.is_numeric());
        let bound = if all_digits { 0 } else { bound_for(chars.len()) };
        let id = self.tokens.len();
        // Fuzzy tokens have at least 4 characters (bound > 0), so `first` and `second` exist.
        if bound > 0 && chars.len() <= MAX_FUZZY_CHARS {
            if self.fuzzy_by_len.len() <= chars.len() {
                self.fuzzy_by_len.resize(chars.len() + 1, Vec::new());
            }
            self.fuzzy_by_len[chars.len()].push(FuzzyCandidate {
                first: chars[0],
                second: chars[1],
                mask: char_mask(&chars),
                id,
            });
        }
        self.tokens.push(CatalogToken { chars, bound });
        self.token_ids.insert(token.to_string(), id);
        self.by_first.push(Vec::new());
        id
    }

    /// The catalog token a message token stands for, if any (exact, else the closest
    /// within the catalog token's edit bound).
    fn lookup(&self, token: &str) -> Option<usize> {
        if let Some(&id) = self.token_ids.get(token) {
            return Some(id);
        }
        let mut buf = ['\0'; MAX_FUZZY_CHARS];
        let mut len = 0;
        for c in token.chars() {
            if len == MAX_FUZZY_CHARS || c.is_numeric() {
                return None;
            }
            buf[len] = c;
            len += 1;
        }
        if len < 4 {
            return None;
        }
        let word = &buf[..len];
        // Computed only for a word that gets past the first-letters check (most do not).
        let mut mask = None;
        let mut best: Option<(usize, usize)> = None;
        // No bound exceeds 2, so only catalog tokens within two characters of the length.
        let lengths = len.saturating_sub(2)..(len + 3).min(self.fuzzy_by_len.len());
        let candidates = self.fuzzy_by_len.get(lengths).unwrap_or_default().iter().flatten();
        for c in candidates {
            // Typos rarely hit both of the first two letters ("sever", "exchnage",
            // "windwos"); requiring one of them to agree prunes most comparisons.
            if c.first != word[0] && c.second != word[1] {
                continue;
            }
            let (id, t) = (c.id, &self.tokens[c.id]);
            if t.chars.len().abs_diff(len) > t.bound {
                continue;
            }
            // Each edit changes at most two letters' presence: a cheap pre-check.
            let mask = *mask.get_or_insert_with(|| char_mask(word));
            if ((c.mask ^ mask).count_ones() as usize) > 2 * t.bound {
                continue;
            }
            if let Some(d) = bounded_distance(word, &t.chars, t.bound) {
                // Ties go to the catalog's first token, whatever the scan order.
                if best.map_or(true, |(b, first)| (d, id) < (b, first)) {
                    best = Some((d, id));
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// The best product named in `text` (most name tokens, then earliest), with its version.
    pub fn find(&self, text: &str) -> Option<ProductMatch> {
        let words: Vec<&str> = tokens(text).collect();
        self.find_in_words(&words)
    }

    /// [`Self::find`] over a message already split by [`tokens`].
    pub fn find_in_words(&self, words: &[&str]) -> Option<ProductMatch> {
        let ids: Vec<Option<usize>> = words.iter().map(|w| self.lookup(w)).collect();
        let mut best: Option<(usize, usize, usize)> = None; // (len, start, variant)
        for start in 0..ids.len() {
            let Some(first) = ids[start] else { continue };
            for &v in &self.by_first[first] {
                let want = &self.variants[v].tokens;
                let fits = ids
                    .get(start..start + want.len())
                    .is_some_and(|got| got.iter().zip(want).all(|(g, w)| *g == Some(*w)));
                if fits && best.map_or(true, |(len, _, _)| want.len() > len) {
                    best = Some((want.len(), start, v));
                }
            }
        }
        let (len, start, v) = best?;
        let product = &self.products[self.variants[v].product];
        let version = find_version(product, words, start + len);
        // A product with one version (cloud services) needs no version named.
        let only = match product.versions.as_slice() {
            [one] => Some(one.name.clone()),
            _ => None,
        };
        Some(ProductMatch {
            product_key: product.key.clone(),
            single_version: product.versions.len() == 1,
            product_text: words[start..start + len].join(" "),
            version: version.as_ref().map(|(name, _)| name.to_string()).or(only),
            version_text: version.map(|(_, text)| text),
        })
    }
}

/// A version right after the product name, else a distinctive one (≥ 4 characters,
/// like "2019") anywhere in the message.
fn find_version<'p>(product: &'p IndexedProduct, words: &[&str], after: usize) -> Option<(&'p str, String)> {
    let window_end = (after + VERSION_WINDOW).min(words.len());
    let near = (after..window_end).find_map(|i| version_at(product, words, i, |_| true));
    near.or_else(|| {
        (0..words.len()).find_map(|i| version_at(product, words, i, |s| s.iter().map(String::len).sum::<usize>() >= 4))
    })
}

fn version_at<'p>(
    product: &'p IndexedProduct,
    words: &[&str],
    at: usize,
    accept: impl Fn(&[String]) -> bool,
) -> Option<(&'p str, String)> {
    // Newest first, so a longer spelling of a newer version wins a tie.
    product.versions.iter().rev().find_map(|v| {
        v.spellings.iter().find_map(|s| {
            let got = words.get(at..at + s.len())?;
            (accept(s) && got.iter().zip(s).all(|(g, w)| *g == w)).then(|| (v.name.as_str(), got.join(" ")))
        })
    })
}

/// Optimal-string-alignment distance (a transposition costs 1), or `None` when it
/// exceeds `bound`. Both words are at most [`MAX_FUZZY_CHARS`] long.
fn bounded_distance(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    if a.len() > MAX_FUZZY_CHARS || b.len() > MAX_FUZZY_CHARS {
        return None;
    }
    let mut prev2 = [0usize; MAX_FUZZY_CHARS + 1];
    let mut prev: [usize; MAX_FUZZY_CHARS + 1] = std::array::from_fn(|j| j);
    let mut cur = [0usize; MAX_FUZZY_CHARS + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > bound {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    let d = prev[b.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn tokens_split_letters_from_digits() {
        let got: Vec<&str> = tokens("sql2019, exchange-se m365").collect();
        assert_eq!(got, ["sql", "2019", "exchange", "se", "m", "365"]);
    }

    #[test]
    fn distance_counts_transpositions_once_and_respects_the_bound() {
        assert_eq!(bounded_distance(&chars("exchnage"), &chars("exchange"), 2), Some(1));
        assert_eq!(bounded_distance(&chars("sever"), &chars("server"), 1), Some(1));
        assert_eq!(bounded_distance(&chars("service"), &chars("server"), 1), None);
        assert_eq!(bounded_distance(&chars("same"), &chars("same"), 0), Some(0));
    }
}
