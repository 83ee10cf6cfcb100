//! Results that stay true until the data changes: a costly reading (the year's budget usage, summed over thousands of acts) kept per connection with the change stamp it was read at, and read again as soon as anything was written, by this connection or a colleague's.
//!
//! The cofinancing check runs on every change of an agreement's form; on the server summing the
//! year's acts was most of its time, though between two checks nothing had usually been
//! written. A kept value is used only when [`Db::change_stamp`] is what it was when the value was
//! read, and never inside a transaction: a change sees its own uncommitted rows, which the stamp
//! of the server does not show (its snapshot leaves out the session's own transaction), and a
//! value read inside a change that is then rolled back must not outlive it.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

use super::conn::Db;
use crate::error::Result;

/// The kept values of one connection, by key.
#[derive(Default)]
pub(super) struct Memo {
    values: RefCell<HashMap<String, Kept>>,
}

struct Kept {
    stamp: (i64, u64),
    value: Box<dyn Any + Send>,
}

/// Keys kept at most: a connection reads the budget of a few years, not of hundreds.
const KEPT: usize = 16;

impl Db {
    /// `read()`'s value for `key` as of the data now: the kept one if nothing has been written
    /// since it was read, else read again (and kept, outside a transaction).
    pub fn memo<T: Clone + Send + 'static>(&self, key: &str, read: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        if self.in_transaction() {
            return read(self);
        }
        let stamp = self.change_stamp()?;
        let memo = &self.memo;
        if let Some(kept) = memo.values.borrow().get(key) {
            if kept.stamp == stamp {
                if let Some(value) = kept.value.downcast_ref::<T>() {
                    return Ok(value.clone());
                }
            }
        }
        let value = read(self)?;
        let mut values = memo.values.borrow_mut();
        if values.len() >= KEPT {
            values.clear();
        }
        values.insert(
            key.to_owned(),
            Kept {
                stamp,
                value: Box::new(value.clone()),
            },
        );
        Ok(value)
    }

    /// Forgets every kept value, as a colleague's change would: what the first check after a
    /// change costs (the benchmarks measure both).
    pub fn forget_kept(&self) {
        self.memo.values.borrow_mut().clear();
    }
}
