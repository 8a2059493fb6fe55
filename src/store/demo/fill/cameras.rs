//! The demo cameras: linked ones per customer, the unlinked inventory, MACs and serials.

use super::{CustomerCtx, Filler};
use crate::domain::Id;
use crate::store::Result;
use crate::store::demo::HISTORY_SECS;
use crate::store::demo::random::*;
use crate::store::demo::sink::{CameraRow, Sink};
use crate::store::demo::words::*;

impl Filler {
    /// Writes the customer's cameras, linked from the start; returns their ids.
    pub(in crate::store::demo) fn linked_cameras(
        &mut self,
        sink: &mut dyn Sink,
        ctx: &CustomerCtx,
        n: u64,
    ) -> Result<Vec<Id>> {
        let mut ids = Vec::with_capacity(n as usize);
        let start = self.rng.below(CAMERA_NAMES.len() as u64) as usize;
        for j in 0..n as usize {
            let round = j / CAMERA_NAMES.len();
            let base = CAMERA_NAMES[(start + j) % CAMERA_NAMES.len()];
            let name = if round == 0 {
                base.to_string()
            } else {
                format!("{base} {}", round + 1)
            };
            let vendor = if self.rng.percent(70) {
                ctx.vendor
            } else {
                self.rng.below(VENDORS.len() as u64) as usize
            };
            // Most cameras follow their customer's recording plan; one in ten has its own.
            let plan = if self.rng.percent(10) {
                Some(*self.rng.pick(&self.plan_ids))
            } else {
                None
            };
            let recording = self.rng.percent(95);
            let (recording, before) = if ctx.disabled {
                (false, Some(recording))
            } else {
                (recording, None)
            };
            let location = *self.rng.pick(LOCATIONS);
            let cam = Cam {
                name: &name,
                location,
                customer: Some(ctx.id),
                plan,
                recording,
                before,
                at: &ctx.created_at,
            };
            ids.push(self.insert_camera(sink, vendor, &cam)?);
        }
        self.report.linked += n;
        Ok(ids)
    }

    /// Unlinked cameras of the integrator's own inventory.
    pub(in crate::store::demo) fn inventory(&mut self, sink: &mut dyn Sink, n: u64) -> Result<()> {
        for _ in 0..n {
            let vendor = self.rng.below(VENDORS.len() as u64) as usize;
            let name = *self.rng.pick(CAMERA_NAMES);
            let location = *self.rng.pick(STOCK_LOCATIONS);
            let back = self.rng.below(HISTORY_SECS as u64) as i64;
            let at = self.timestamp(self.now - back);
            let cam = Cam {
                name,
                location,
                customer: None,
                plan: None,
                recording: false,
                before: None,
                at: &at,
            };
            self.insert_camera(sink, vendor, &cam)?;
        }
        Ok(())
    }

    fn insert_camera(&mut self, sink: &mut dyn Sink, vendor: usize, cam: &Cam<'_>) -> Result<Id> {
        let (mac, serial) = self.mac_and_serial(vendor);
        let model = *self.rng.pick(VENDORS[vendor].models);
        let id = sink.camera(&CameraRow {
            name: cam.name,
            mac: &mac,
            serial: &serial,
            model,
            location: cam.location,
            customer: cam.customer,
            plan: cam.plan,
            recording: cam.recording,
            before: cam.before,
            at: cam.at,
        })?;
        self.report.cameras += 1;
        Ok(id)
    }

    /// A fresh MAC from one of the vendor's OUIs (counting up, so the index grows at a few
    /// points instead of everywhere) and a serial in the vendor's style.
    fn mac_and_serial(&mut self, vendor: usize) -> (String, String) {
        loop {
            let v = &VENDORS[vendor];
            let oui_index = v.ouis[self.rng.below(v.ouis.len() as u64) as usize];
            let step = 1 + self.rng.below(2) as u32;
            let suffix = self.mac_next[oui_index];
            self.mac_next[oui_index] = suffix + step;
            let mac = (u64::from(OUIS[oui_index]) << 24) | u64::from(suffix & 0xFF_FFFF);
            let mac_text = format_mac(mac);
            let serial = match v.serial {
                SerialStyle::Mac => format!("{mac:012X}"),
                SerialStyle::Prefixed(prefix, digits) => {
                    let n = self.serial_next[vendor];
                    self.serial_next[vendor] += 1;
                    format!("{prefix}{n:0digits$}")
                }
            };
            if self.taken_macs.is_empty()
                || (!self.taken_macs.contains(&mac_text)
                    && !self.taken_serials.contains(&serial.to_lowercase()))
            {
                return (mac_text, serial);
            }
        }
    }
}

/// One camera row to write.
struct Cam<'a> {
    pub(super) name: &'a str,
    pub(super) location: &'a str,
    pub(super) customer: Option<Id>,
    pub(super) plan: Option<Id>,
    pub(super) recording: bool,
    pub(super) before: Option<bool>,
    pub(super) at: &'a str,
}
