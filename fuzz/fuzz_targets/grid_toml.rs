#![no_main]
//! The trainer's `--grid` file (`trainer::families::parse_grids`, then `plan`, which expands
//! and checks every grid point before anything is fitted) on arbitrary text: a clear error or a
//! plan whose every point its family accepts.

use libfuzzer_sys::fuzz_target;
use trainer::families::{all, parse_grids, plan};

fuzz_target!(|data: &[u8]| {
    // `trainer train --grid` reads the file with `read_to_string`: only UTF-8 gets this far.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spec = match parse_grids(text) {
        Ok(spec) => spec,
        Err(e) => {
            assert!(!format!("{e:#}").is_empty());
            return;
        }
    };
    let families = all();
    match plan(&families, &spec) {
        Ok(planned) => {
            for (family, grid) in planned {
                assert!(!grid.is_empty());
                for point in &grid {
                    family.check(point).expect("plan checked every point");
                }
            }
        }
        Err(e) => assert!(!format!("{e:#}").is_empty()),
    }
});
