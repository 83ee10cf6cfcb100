//! Documents kept whole as text (a catalog version's services, a year of the production calendar) are read on almost every write but change rarely: each text is parsed and checked once per process and kept by its exact text, so a changed document is simply a new text.

use std::sync::Mutex;

use crate::Result;

/// The last few texts parsed into a `T`. Keyed by the text itself, not by a row id: one process
/// may open several databases (tests, `import-local`), and a text is never trusted for another.
pub(crate) struct ParsedTexts<T> {
    kept: Mutex<Vec<(String, T)>>,
    capacity: usize,
}

impl<T: Clone> ParsedTexts<T> {
    pub(crate) const fn new(capacity: usize) -> Self {
        ParsedTexts {
            kept: Mutex::new(Vec::new()),
            capacity,
        }
    }

    /// `parse(text)`, from the kept copy when this text was parsed before. Failures are not kept:
    /// a broken text is reported with its own message every time it is read.
    pub(crate) fn get(&self, text: &str, parse: impl FnOnce(&str) -> Result<T>) -> Result<T> {
        if let Some(value) = self.lock().iter().find(|(t, _)| t == text).map(|(_, v)| v.clone()) {
            return Ok(value);
        }
        let value = parse(text)?;
        let mut kept = self.lock();
        // Another thread may have parsed the same text meanwhile: one copy is kept.
        if !kept.iter().any(|(t, _)| t == text) {
            if kept.len() >= self.capacity {
                kept.remove(0);
            }
            kept.push((text.to_owned(), value.clone()));
        }
        Ok(value)
    }

    /// A panic elsewhere while the list was held leaves it whole (a push or a remove), so the
    /// poisoned lock is taken as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, T)>> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoreError;
    use std::cell::Cell;

    #[test]
    fn a_text_is_parsed_once_a_new_text_again_and_a_failure_never_kept() {
        let cache = ParsedTexts::<usize>::new(2);
        let calls = Cell::new(0);
        let parse = |t: &str| {
            calls.set(calls.get() + 1);
            if t == "сломан" {
                Err(CoreError::storage("сломан"))
            } else {
                Ok(t.chars().count())
            }
        };
        assert_eq!(cache.get("один", parse).unwrap(), 4);
        assert_eq!(cache.get("один", parse).unwrap(), 4);
        assert_eq!(calls.get(), 1);
        assert!(cache.get("сломан", parse).is_err());
        assert!(cache.get("сломан", parse).is_err());
        assert_eq!(calls.get(), 3);
        // Capacity 2: the oldest text goes first.
        cache.get("два", parse).unwrap();
        cache.get("три", parse).unwrap();
        assert_eq!(calls.get(), 5);
        cache.get("один", parse).unwrap();
        assert_eq!(calls.get(), 6);
        cache.get("три", parse).unwrap();
        assert_eq!(calls.get(), 6);
    }
}
