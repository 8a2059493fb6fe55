//! The monthly bill of a customer, derived from its cameras: each camera records on its own plan
//! or, without one, on the customer's recording plan, and costs that plan's price. One function
//! computes it for every screen (wizard, Account Profile and its edit form), so they agree.

use crate::domain::{Id, Plan, format_money};

/// The cameras of one plan in a bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    pub plan: String,
    pub cameras: i64,
    pub price_cents: i64,
    pub currency: String,
}

/// What a customer's cameras cost a month.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bill {
    /// By plan name.
    pub lines: Vec<BillLine>,
    /// Cameras with no plan at all (neither their own nor the customer's): not billed.
    pub unplanned: i64,
    pub total_cents: i64,
    /// The currency of the plans (the first line's; plans are priced in one currency).
    pub currency: String,
}

impl Bill {
    /// `cameras`: each camera's own plan (`None`: it follows `recording_plan`).
    pub fn of(plans: &[Plan], recording_plan: Option<Id>, cameras: &[Option<Id>]) -> Bill {
        let mut bill = Bill::default();
        for own in cameras {
            let plan = own
                .or(recording_plan)
                .and_then(|id| plans.iter().find(|p| p.id == id));
            let Some(plan) = plan else {
                bill.unplanned += 1;
                continue;
            };
            bill.total_cents = bill.total_cents.saturating_add(plan.price_cents);
            match bill.lines.iter_mut().find(|l| l.plan == plan.name) {
                Some(line) => line.cameras += 1,
                None => bill.lines.push(BillLine {
                    plan: plan.name.clone(),
                    cameras: 1,
                    price_cents: plan.price_cents,
                    currency: plan.currency.clone(),
                }),
            }
        }
        bill.lines.sort_by_key(|l| l.plan.to_lowercase());
        bill.currency = bill
            .lines
            .first()
            .map(|l| l.currency.clone())
            .or_else(|| {
                recording_plan
                    .and_then(|id| plans.iter().find(|p| p.id == id))
                    .map(|p| p.currency.clone())
            })
            .unwrap_or_else(|| "USD".into());
        bill
    }

    pub fn cameras(&self) -> i64 {
        self.lines.iter().map(|l| l.cameras).sum::<i64>() + self.unplanned
    }

    /// "39.96 USD for 4 cameras".
    pub fn total(&self) -> String {
        let n = self.cameras();
        format!(
            "{} for {n} camera{}",
            format_money(self.total_cents, &self.currency),
            if n == 1 { "" } else { "s" }
        )
    }

    /// One term per plan, "4 × Standard 30" (`with_price`: "4 × Standard 30 at 9.99 USD"), then
    /// "1 without a plan".
    pub fn terms(&self, with_price: bool) -> Vec<String> {
        let mut terms: Vec<String> = self
            .lines
            .iter()
            .map(|l| {
                let price = format_money(l.price_cents, &l.currency);
                match with_price {
                    true => format!("{} × {} at {price}", l.cameras, l.plan),
                    false => format!("{} × {}", l.cameras, l.plan),
                }
            })
            .collect();
        if self.unplanned > 0 {
            terms.push(format!("{} without a plan", self.unplanned));
        }
        terms
    }

    /// "39.96 USD (4 × Standard 30 at 9.99 USD)", one term per plan; "0.00 USD (no cameras)".
    pub fn summary(&self) -> String {
        let total = format_money(self.total_cents, &self.currency);
        let terms = self.terms(true);
        if terms.is_empty() {
            return format!("{total} (no cameras)");
        }
        format!("{total} ({})", terms.join(" + "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordingMode;

    fn plan(id: Id, name: &str, cents: i64) -> Plan {
        Plan {
            id,
            name: name.into(),
            retention_days: 30,
            mode: RecordingMode::Continuous,
            price_cents: cents,
            currency: "USD".into(),
            version: 1,
        }
    }

    #[test]
    fn the_bill_is_the_sum_over_the_cameras_of_each_cameras_plan() {
        let plans = [plan(1, "Standard 30", 999), plan(2, "Pro 90", 1999)];
        let bill = Bill::of(&plans, Some(1), &[None, None, Some(2), None]);
        assert_eq!(bill.total_cents, 3 * 999 + 1999);
        assert_eq!(bill.cameras(), 4);
        assert_eq!(
            bill.summary(),
            "49.96 USD (1 × Pro 90 at 19.99 USD + 3 × Standard 30 at 9.99 USD)"
        );
        let none = Bill::of(&plans, None, &[None, Some(1)]);
        assert_eq!(
            none.summary(),
            "9.99 USD (1 × Standard 30 at 9.99 USD + 1 without a plan)"
        );
        assert_eq!(
            Bill::of(&plans, Some(1), &[]).summary(),
            "0.00 USD (no cameras)"
        );
    }
}
