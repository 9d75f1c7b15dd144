-- Every result of an order is kept (F9): a second result with another outcome or other findings is a
-- correction, not a duplicate. The hard rules read the latest result of each order; the earlier ones
-- stay for the clinical record and the timeline.
alter table result_fact drop constraint result_fact_pkey;
alter table result_fact add column id bigserial;
alter table result_fact add primary key (id);
create index result_fact_order_latest on result_fact (order_id, id);

-- Room for the longer cancel reasons (EVIDENCE_WITHDRAWN).
alter table order_ref alter column cancel_reason type varchar(32);

-- The neuropathic screen (DN4, 0-10) at enrolment: the neuromodulation gate needs a positive one, or scar on the
-- pathway's contrast MRI (F10); symptom duration alone is never a neuropathic fact.
alter table enrolment_fact add column neuropathic_score integer;

-- The block relief threshold a pathway started with (F16): a positive block confirms its root or joint only with
-- immediate relief at or above it, and the level (and, for a joint, the side) it tested.
alter table rule_settings add column block_relief_threshold_percent integer not null default 50;

-- Outcomes that happened (F12): an outcome counts only for a procedure the coordinator scheduled, and only from
-- the treatment's minimum interval after the scheduled date (fixed when the procedure is ordered); relief counts
-- as a resolution only when the outcome says it is sustained.
alter table order_ref add column scheduled_for date;
alter table order_ref add column outcome_min_interval varchar(16);
alter table treatment_fact add column sustained boolean;

-- Findings a clinician confirmed (F17): imaging findings and pain pattern a coordinator entered on the start form are
-- unverified until a clinician confirms them at the hypotheses gate; the hard rules read only verified ones. Those of a
-- hospital enrolment event are verified (the hospital's record).
alter table enrolment_fact add column findings_verified boolean not null default true;
alter table enrolment_fact add column findings_confirmed_by varchar(128);
