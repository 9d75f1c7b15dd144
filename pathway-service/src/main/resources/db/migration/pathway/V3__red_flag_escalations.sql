-- Red-flag escalations, whatever the state of the patient: inside a pathway (it interrupts it), or
-- stand-alone when the patient has no active pathway (never enrolled, or the pathway has ended).
-- An open row routes every further red flag of the patient to the escalation already under way.
create table escalation (
  escalation_id   varchar(64)  primary key,          -- process instance id of the red-flag-escalation
  patient_ref     varchar(128) not null,
  pathway_id      varchar(64),                       -- the pathway it interrupts; null when stand-alone
  adopted_by      varchar(64),                       -- the pathway enrolled while it ran, which waits for it
  previous_pathway_id varchar(64),                   -- the patient's last pathway when stand-alone
  flags           varchar(500) not null,
  observed_at     timestamptz  not null,
  started_at      timestamptz  not null default now(),
  ended_at        timestamptz,
  outcome         varchar(64)
);
create unique index escalation_one_open_per_patient on escalation (patient_ref) where ended_at is null;
create index escalation_patient on escalation (patient_ref, started_at);

-- Stand-alone escalations are listed with the patient's pathways (timeline, listing).
alter table pathway_ref add column kind varchar(16) not null default 'PATHWAY';

-- Referrals of a red-flag escalation are claimed per escalation; an urgent one upgraded to an
-- emergency is kept and marked superseded.
alter table referral_issued add column superseded_at timestamptz;

-- Orders cancelled towards the hospital when an interruption ended them: at most once each.
alter table order_ref add column cancelled_at timestamptz;
alter table order_ref add column cancel_reason varchar(16);
