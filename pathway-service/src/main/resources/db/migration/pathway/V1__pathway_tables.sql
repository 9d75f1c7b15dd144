-- Pathway's own tables. Camunda keeps its tables in the default schema; these live in "pathway".

-- Every inbound event applied, by CloudEvents id: a redelivered or duplicated event changes nothing.
create table processed_event (
  ce_id        varchar(200) primary key,
  ce_type      varchar(100) not null,
  topic        varchar(200) not null,
  pathway_id   varchar(64),
  outcome      varchar(32)  not null,
  processed_at timestamptz  not null default now()
);
create index processed_event_pathway on processed_event (pathway_id);

-- One row per pathway (episode): fast lookups by referral and patient without engine variable queries.
create table pathway_ref (
  pathway_id   varchar(64)  primary key,
  referral_id  varchar(128) not null unique,
  patient_ref  varchar(128) not null,
  started_at   timestamptz  not null default now(),
  ended_at     timestamptz,
  outcome      varchar(64),
  stage        varchar(64)
);
create index pathway_ref_active_patient on pathway_ref (patient_ref) where ended_at is null;
create index pathway_ref_patient on pathway_ref (patient_ref);

-- Orders placed by the pathway, to route results and outcomes to the step that waits for them.
create table order_ref (
  order_id            varchar(64) primary key,
  pathway_id          varchar(64) not null,
  process_instance_id varchar(64) not null,
  patient_ref         varchar(128) not null,
  kind                varchar(32) not null,
  code                varchar(64) not null,
  ordered_at          timestamptz not null default now()
);
create index order_ref_pathway on order_ref (pathway_id);

-- Referrals issued: at most one per pathway and urgency.
create table referral_issued (
  pathway_id   varchar(64) not null,
  urgency      varchar(16) not null,
  ce_id        varchar(200),
  issued_at    timestamptz not null default now(),
  primary key (pathway_id, urgency)
);

-- Transactional outbox: written in the engine's transaction, relayed to Kafka in id order.
create table outbox (
  id           bigserial primary key,
  topic        varchar(200) not null,
  record_key   varchar(128) not null,
  ce_id        varchar(200) not null unique,
  ce_type      varchar(100) not null,
  ce_subject   varchar(200),
  ce_time      timestamptz  not null,
  payload      bytea        not null,
  created_at   timestamptz  not null default now(),
  published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;

-- Events whose pathway or step is not there yet: kept and matched when it is.
create table inbox (
  id              bigserial primary key,
  ce_id           varchar(200) not null unique,
  ce_type         varchar(100) not null,
  topic           varchar(200) not null,
  record_key      varchar(128),
  ce_source       varchar(500),
  ce_subject      varchar(200),
  ce_time         timestamptz,
  payload         bytea        not null,
  status          varchar(16)  not null default 'PENDING',
  attempts        integer      not null default 0,
  last_error      varchar(500),
  received_at     timestamptz  not null default now(),
  last_attempt_at timestamptz,
  alerted_at      timestamptz,
  resolved_at     timestamptz,
  resolved_by     varchar(128)
);
create index inbox_pending on inbox (id) where status = 'PENDING';

create table inbox_audit (
  id        bigserial primary key,
  inbox_id  bigint       not null references inbox (id),
  action    varchar(16)  not null,
  actor     varchar(128) not null,
  note      varchar(500),
  at        timestamptz  not null default now()
);

-- The journey as events: what came in and what went out, per pathway, for the timeline.
create table journal (
  id          bigserial primary key,
  pathway_id  varchar(64),
  patient_ref varchar(128) not null,
  direction   varchar(8)   not null,
  ce_type     varchar(100) not null,
  ce_id       varchar(200) not null,
  summary     text         not null,
  at          timestamptz  not null default now()
);
create index journal_pathway on journal (pathway_id, at);
create index journal_patient on journal (patient_ref, at);
