//! «Запомнить пароль на этом компьютере» for the centre's server: the password goes to the OS's own password store (Windows Credential Manager, the Secret Service of GNOME/KDE on Linux, the macOS Keychain) — never into a file of the program; where no store answers, nothing is offered and the password is asked at each start.

use cpe_core::db::choice::ServerAddress;

/// Where remembered server passwords live: the OS's store, or memory (tests).
pub trait PasswordStore: Send + Sync {
    /// Whether the store answers at all (no Secret Service on a bare Linux session, say).
    fn available(&self) -> bool;
    /// The password remembered for this login on this server; `None` when there is none or the
    /// store cannot be read (then the password is simply asked).
    fn get(&self, address: &ServerAddress) -> Option<String>;
    /// Remembers the password; the store's own words when it refuses.
    fn set(&self, address: &ServerAddress, password: &str) -> Result<(), String>;
    /// Forgets the password (nothing to do when there is none).
    fn forget(&self, address: &ServerAddress);
}

/// The entry's name in the store, one per server database (the login is the entry's user): what
/// the person sees in «Диспетчер учётных данных» or «Пароли и ключи».
fn service(address: &ServerAddress) -> String {
    format!("ЦПЭ: сервер {}:{}/{}", address.host, address.port, address.database)
}

/// The OS's password store, through the keyring crate.
pub struct OsStore;

impl OsStore {
    fn entry(address: &ServerAddress) -> Option<keyring::Entry> {
        keyring::Entry::new(&service(address), &address.login).ok()
    }
}

impl PasswordStore for OsStore {
    fn available(&self) -> bool {
        // A probe that is never written: «no such entry» is the answer of a working store.
        keyring::Entry::new("ЦПЭ: проверка хранилища паролей", "cpe")
            .map(|e| matches!(e.get_password(), Err(keyring::Error::NoEntry) | Ok(_)))
            .unwrap_or(false)
    }

    fn get(&self, address: &ServerAddress) -> Option<String> {
        Self::entry(address)?.get_password().ok()
    }

    fn set(&self, address: &ServerAddress, password: &str) -> Result<(), String> {
        let entry = keyring::Entry::new(&service(address), &address.login).map_err(|e| e.to_string())?;
        entry.set_password(password).map_err(|e| e.to_string())
    }

    fn forget(&self, address: &ServerAddress) {
        if let Some(entry) = Self::entry(address) {
            // Absent already, or a store that is gone: either way nothing is remembered.
            let _ = entry.delete_credential();
        }
    }
}

/// A store in memory, for the shell's tests (the OS's store is not there on a CI machine).
#[cfg(test)]
#[derive(Default)]
pub struct MemoryStore(std::sync::Mutex<std::collections::HashMap<(String, String), String>>);

#[cfg(test)]
impl PasswordStore for MemoryStore {
    fn available(&self) -> bool {
        true
    }

    fn get(&self, address: &ServerAddress) -> Option<String> {
        let kept = self.0.lock().ok()?;
        kept.get(&(service(address), address.login.clone())).cloned()
    }

    fn set(&self, address: &ServerAddress, password: &str) -> Result<(), String> {
        let mut kept = self.0.lock().map_err(|e| e.to_string())?;
        kept.insert((service(address), address.login.clone()), password.to_owned());
        Ok(())
    }

    fn forget(&self, address: &ServerAddress) {
        if let Ok(mut kept) = self.0.lock() {
            kept.remove(&(service(address), address.login.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OS's store as the app uses it: on a desktop session (or `make test`'s throw-away
    /// gnome-keyring, `CPE_TEST_KEYRING=1`) a password is kept, read back and forgotten; without
    /// one, nothing is offered and a try to keep says it failed.
    #[test]
    fn the_os_store_keeps_reads_and_forgets_a_password_or_says_it_is_not_there() {
        let address = ServerAddress {
            host: "тест-хранилища".into(),
            port: 5432,
            database: format!("cpe_{}", std::process::id()),
            login: "petrov".into(),
            tls: Default::default(),
        };
        let store = OsStore;
        if !store.available() {
            assert!(
                std::env::var_os("CPE_TEST_KEYRING").is_none(),
                "CPE_TEST_KEYRING is set but the OS's password store does not answer"
            );
            assert_eq!(store.get(&address), None);
            assert!(store.set(&address, "Пароль-1").is_err());
            return;
        }
        assert_eq!(store.get(&address), None);
        store.set(&address, "Пароль-1").unwrap();
        store.set(&address, "Пароль-2").unwrap();
        assert_eq!(store.get(&address).as_deref(), Some("Пароль-2"));
        let other = ServerAddress {
            login: "ivanova".into(),
            ..address.clone()
        };
        assert_eq!(store.get(&other), None, "kept per login");
        store.forget(&address);
        store.forget(&address);
        assert_eq!(store.get(&address), None);
    }
}
