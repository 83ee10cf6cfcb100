//! Printing a PDF on a chosen printer through the operating system (CUPS `lp`/`lpstat` on Linux and macOS, PowerShell on Windows), so documents go to paper without the webview's own print of the screen.
//!
//! The programs are found on PATH like any other: a test puts stand-ins for `lp` and `lpstat`
//! there to see what would have been printed.

use std::path::Path;
use std::process::Command;

use cpe_core::{CoreError, ErrorCode, Result};

/// The most copies one print asks for (a slip of the keyboard should not empty the paper tray).
pub const MAX_COPIES: u32 = 20;

/// Printer names, the system default first. Empty when no printer is set up (or no print system).
pub fn printers() -> Result<Vec<String>> {
    if cfg!(target_os = "windows") {
        let names = powershell("Get-Printer | Select-Object -ExpandProperty Name")?;
        let default = powershell("(Get-CimInstance -ClassName Win32_Printer | Where-Object Default).Name")?;
        Ok(default_first(
            names.lines().map(str::to_owned).collect(),
            default.trim(),
        ))
    } else {
        // No CUPS client: no printers, which the dialog says in words.
        let Some(all) = run_optional("lpstat", &["-a"])? else {
            return Ok(Vec::new());
        };
        let default = run_optional("lpstat", &["-d"])?.unwrap_or_default();
        Ok(default_first(parse_lpstat_a(&all), &parse_lpstat_d(&default)))
    }
}

/// Sends the PDF at `path` to `printer`, `copies` times; `title` names the job in the queue.
pub fn print_pdf(path: &Path, printer: &str, copies: u32, title: &str) -> Result<()> {
    let printer = printer.trim();
    if printer.is_empty() {
        return Err(CoreError::field("printer", "Принтер: выберите принтер из списка"));
    }
    if !(1..=MAX_COPIES).contains(&copies) {
        return Err(CoreError::field(
            "copies",
            format!("Число экземпляров: от 1 до {MAX_COPIES}"),
        ));
    }
    if cfg!(target_os = "windows") {
        if printer.contains('"') {
            return Err(CoreError::field(
                "printer",
                "Принтер: в имени принтера не может быть кавычек",
            ));
        }
        // The PDF program registered for «PrintTo» prints one copy per call.
        for _ in 0..copies {
            let out = windows_print(path, printer)
                .output()
                .map_err(|e| CoreError::new(ErrorCode::Storage, format!("Не удалось запустить PowerShell: {e}")))?;
            if !out.status.success() {
                return Err(CoreError::new(
                    ErrorCode::Storage,
                    format!(
                        "Принтер «{printer}» не принял документ: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                ));
            }
        }
        Ok(())
    } else {
        let out = Command::new("lp")
            .args(["-d", printer, "-n", &copies.to_string(), "-t", title])
            .arg(path)
            .output()
            .map_err(|e| {
                CoreError::new(
                    ErrorCode::Storage,
                    format!("Не удалось запустить печать (lp: {e}). Откройте PDF и напечатайте из программы просмотра"),
                )
            })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(CoreError::new(
                ErrorCode::Storage,
                format!(
                    "Принтер «{printer}» не принял документ: {}. Проверьте принтер или выберите другой",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ))
        }
    }
}

/// `lpstat -a`: «NAME accepting requests since …» per printer.
fn parse_lpstat_a(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// `lpstat -d`: «system default destination: NAME» (or «no system default destination»).
fn parse_lpstat_d(out: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once("destination:").map(|(_, name)| name.trim().to_owned()))
        .unwrap_or_default()
}

fn default_first(mut names: Vec<String>, default: &str) -> Vec<String> {
    names.retain(|n| !n.trim().is_empty());
    if let Some(i) = names.iter().position(|n| n == default) {
        let d = names.remove(i);
        names.insert(0, d);
    }
    names
}

/// Output of a program that may be missing (None) or may report "no printers" by failing.
fn run_optional(program: &str, args: &[&str]) -> Result<Option<String>> {
    match Command::new(program).args(args).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CoreError::new(
            ErrorCode::Storage,
            format!("Не удалось узнать список принтеров ({program}: {e})"),
        )),
        // lpstat exits 1 with «No destinations added» when nothing is set up.
        Ok(out) if !out.status.success() => Ok(Some(String::new())),
        Ok(out) => Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned())),
    }
}

/// The PowerShell that prints `path` on `printer` (Windows). The script is fixed text; the file
/// and the printer reach it as environment variables, which PowerShell never parses as code — a
/// name with ‘ ’ ‚ ‛ ' ; $ or ` cannot end a string and run something (they are all quotes or
/// operators to PowerShell, and escaping only `'` missed most of them).
fn windows_print(path: &Path, printer: &str) -> Command {
    const SCRIPT: &str = "Start-Process -FilePath $env:CPE_PRINT_FILE -Verb PrintTo \
                          -ArgumentList ('\"' + $env:CPE_PRINT_PRINTER + '\"') -Wait";
    let mut c = Command::new("powershell");
    c.args(["-NoProfile", "-NonInteractive", "-Command", SCRIPT])
        .env("CPE_PRINT_FILE", path)
        .env("CPE_PRINT_PRINTER", printer);
    c
}

fn powershell(script: &str) -> Result<String> {
    let out = Command::new("powershell")
        .args(["-NoProfile", "-NonInteractive", "-Command", script])
        .output()
        .map_err(|e| CoreError::new(ErrorCode::Storage, format!("Не удалось запустить PowerShell: {e}")))?;
    if !out.status.success() {
        return Err(CoreError::new(
            ErrorCode::Storage,
            format!(
                "Печать через Windows не удалась: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cups_lists_are_read_with_the_default_first() {
        let all = "HP_LaserJet accepting requests since Mon 23 Nov 2026 10:00:00 AM UTC\n\
                   Kyocera-2 accepting requests since Mon 23 Nov 2026 10:01:00 AM UTC\n";
        let names = parse_lpstat_a(all);
        assert_eq!(names, ["HP_LaserJet", "Kyocera-2"]);
        let default = parse_lpstat_d("system default destination: Kyocera-2\n");
        assert_eq!(default_first(names.clone(), &default), ["Kyocera-2", "HP_LaserJet"]);
        let none = parse_lpstat_d("no system default destination\n");
        assert_eq!(default_first(names, &none), ["HP_LaserJet", "Kyocera-2"]);
        assert!(parse_lpstat_a("").is_empty());
    }

    #[test]
    fn the_windows_print_command_carries_names_as_data_never_as_script() {
        let nasty = "HP ‘Офис’ ‚x‛ 'y' ; $(Remove-Item C:\\) `whoami`";
        let path = Path::new("C:\\Users\\Анна\\Соглашение ‘1’.pdf");
        let c = windows_print(path, nasty);
        let args: Vec<String> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args.len(), 4);
        assert!(!args[3].contains("Офис") && !args[3].contains("Анна"), "{}", args[3]);
        let envs: std::collections::HashMap<String, String> = c
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.unwrap().to_string_lossy().into_owned(),
                )
            })
            .collect();
        assert_eq!(envs["CPE_PRINT_PRINTER"], nasty);
        assert_eq!(envs["CPE_PRINT_FILE"], path.display().to_string());
    }

    #[test]
    fn wrong_printer_or_copies_are_refused_before_printing() {
        let p = Path::new("/nonexistent.pdf");
        assert_eq!(print_pdf(p, " ", 1, "x").unwrap_err().field.as_deref(), Some("printer"));
        assert_eq!(print_pdf(p, "HP", 0, "x").unwrap_err().field.as_deref(), Some("copies"));
        assert_eq!(
            print_pdf(p, "HP", MAX_COPIES + 1, "x").unwrap_err().field.as_deref(),
            Some("copies")
        );
    }
}
