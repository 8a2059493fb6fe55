//! Times the demo fill at the benchmark size (100,000 customers, 1,000,000 cameras) once and
//! prints the file size: a one-shot measure of about a minute, so an example, not a test or a
//! criterion benchmark. The store is written in a temporary folder and removed afterwards.
//!
//! ```text
//! cargo run --release --example demo_fill
//! ```

use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};

fn main() -> color_eyre::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("big.db");
    let mut store = Store::open(&path, OpenMode::Create)?;
    let spec = DemoSpec {
        customers: 100_000,
        cameras: 1_000_000,
        seed: 1,
    };
    let report = store.fill_demo(&spec, &mut |line| eprintln!("{line}"))?;
    println!("{}", report.summary());
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
    let size = std::fs::metadata(&path)?.len() + wal;
    println!("file: {} MB", size / 1_000_000);
    Ok(())
}
