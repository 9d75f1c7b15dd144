-- Facts the hard rules read: recorded by the service itself from the events it accepted and the steps
-- it ran, never from process variables a user could write. One pathway's facts are keyed by pathway_id.

-- The enrolment as the pathway was started (the start transaction).
create table enrolment_fact (
  pathway_id         varchar(64)  primary key,
  patient_ref        varchar(128) not null,
  steroid_kind       varchar(64)  not null,
  steroid_date       date         not null,
  imaging_findings   varchar(500) not null default '',
  pain_pattern       varchar(64),
  symptom_onset_date date,
  recorded_at        timestamptz  not null default now()
);

-- Results of diagnostic tests the pathway ordered (order known, test equal to the order's code, same patient).
create table result_fact (
  order_id        varchar(64)  primary key references order_ref (order_id),
  pathway_id      varchar(64)  not null,
  test            varchar(64)  not null,
  outcome         varchar(32)  not null,
  side            varchar(16),
  level           varchar(16),
  relief_percent  integer,
  mri_finding     varchar(64),
  performed_at    timestamptz,
  received_at     timestamptz  not null default now()
);
create index result_fact_pathway on result_fact (pathway_id, received_at);

-- Outcomes of procedures the pathway ordered.
create table treatment_fact (
  order_id               varchar(64)  primary key references order_ref (order_id),
  pathway_id             varchar(64)  not null,
  treatment              varchar(64)  not null,
  pain_reduction_percent integer      not null,
  assessed_at            timestamptz,
  received_at            timestamptz  not null default now()
);
create index treatment_fact_pathway on treatment_fact (pathway_id, received_at);

-- Follow-ups after the steroid: APPLIED (the response the pathway used), EARLY (before the minimum
-- days, kept on the timeline only), UNMATCHED (before this episode's steroid or for another steroid).
create table follow_up_fact (
  id                     bigserial    primary key,
  pathway_id             varchar(64)  not null,
  status                 varchar(16)  not null,
  steroid_kind           varchar(64),
  pain_reduction_percent integer      not null,
  sustained              boolean,
  assessed_at            timestamptz  not null,
  source                 varchar(16)  not null,
  recorded_at            timestamptz  not null default now()
);
create index follow_up_fact_pathway on follow_up_fact (pathway_id, status, assessed_at);

-- Decisions confirmed at their gates: the diagnosis after its override check, the table's proposal.
create table decision_fact (
  id          bigserial    primary key,
  pathway_id  varchar(64)  not null,
  kind        varchar(32)  not null,
  value       varchar(64),
  detail      varchar(64),
  recorded_at timestamptz  not null default now()
);
create index decision_fact_pathway on decision_fact (pathway_id, kind, id);

-- The clinical settings a pathway started with (the hard rules use these, not process variables).
create table rule_settings (
  pathway_id                          varchar(64) primary key,
  relief_threshold_percent            integer     not null,
  elective_min_failed_care_days       integer     not null,
  neuromodulation_min_failed_measures integer     not null,
  sustained_relief_min_days           integer     not null,
  recorded_at                         timestamptz not null default now()
);

-- Every check at the treatment gate: proposal, choice, reason and verdict, for the clinical record.
create table rule_check (
  id                  bigserial    primary key,
  pathway_id          varchar(64)  not null,
  proposed_treatment  varchar(64),
  proposed_procedure  varchar(64),
  selected_treatment  varchar(64),
  selected_procedure  varchar(64),
  diagnosis           varchar(64),
  override_reason     text,
  rule                varchar(32)  not null,
  checked_at          timestamptz  not null default now()
);
create index rule_check_pathway on rule_check (pathway_id, id);

-- Kept inbox events remember the pathway that was active when they came, and expire when it ends.
alter table inbox add column pathway_id varchar(64);
create index inbox_pending_pathway on inbox (pathway_id) where status = 'PENDING';
