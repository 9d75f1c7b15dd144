-- Issue 22: safe upgrades of running pathways to a newly deployed version of the models and tables.

-- A dry run as the operator saw it (the JSON of the API), kept so that a migration names what it rested on.
create table upgrade_dry_run (
  id                   varchar(36)  primary key,
  target_definition_id varchar(64)  not null,
  target_version       integer      not null,
  requested_by         varchar(128) not null,
  requested_at         timestamptz  not null default now(),
  -- the page's apply form must send it back (a cross-site form cannot know it)
  form_token           varchar(64)  not null,
  report               text         not null
);

-- A migration the operator applied: who, when, to which version, on which dry run.
create table upgrade_run (
  id                   varchar(36)  primary key,
  dry_run_id           varchar(36)  not null references upgrade_dry_run (id),
  target_definition_id varchar(64)  not null,
  target_version       integer      not null,
  requested_by         varchar(128) not null,
  requested_at         timestamptz  not null default now()
);

-- Each pathway of a run: HELD (a red-flag escalation is open: waits for its end), SUBMITTED (in a Camunda
-- batch), MIGRATED, ENDED (the pathway ended before it could move), REFUSED (Camunda's plan does not validate
-- for it), FAILED. After the move the hard rules are re-checked at the pathway's next gate (recheck PENDING,
-- then the verdict); a pathway whose decisions the new tables take differently gets a clinician review task.
create table upgrade_item (
  run_id               varchar(36)  not null references upgrade_run (id),
  pathway_id           varchar(64)  not null,
  patient_ref          varchar(128) not null,
  source_definition_id varchar(64)  not null,
  source_version       integer      not null,
  status               varchar(16)  not null,
  batch_id             varchar(64),
  decision_changes     text,
  review_task_id       varchar(64),
  recheck              varchar(32),
  note                 varchar(1000),
  updated_at           timestamptz  not null default now(),
  primary key (run_id, pathway_id)
);
create index upgrade_item_open on upgrade_item (status) where status in ('HELD', 'SUBMITTED');
create index upgrade_item_recheck on upgrade_item (pathway_id) where recheck = 'PENDING';
