-- F20: an issued referral that a red flag or a withdrawal stands down is cancelled towards the surgeon's office
-- (pathway.referral.cancelled.v1), at most once: the row records when and why.
alter table referral_issued add column cancelled_at timestamptz;
alter table referral_issued add column cancel_reason varchar(32);
