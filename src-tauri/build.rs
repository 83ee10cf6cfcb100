//! Build script of the shell: tauri-build checks the configuration and capabilities and embeds them.
fn main() {
    tauri_build::build()
}
