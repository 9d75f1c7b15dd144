-- The delivery log of the notification service. Times are written from the service's clock.

-- Every consumed event id (ce_id): a redelivered event does nothing a second time.
create table processed_event (
  event_id     varchar(200) primary key,
  event_type   varchar(100) not null,
  topic        varchar(200) not null,
  processed_at timestamptz  not null
);

-- One row per source event x recipient x channel x round. Round 0 is the first notice, round n the
-- n-th reminder of an unacknowledged one: (source_event_id, recipient, channel) is unique per round,
-- which makes intake idempotent by ce_id.
create table notification (
  id               uuid         primary key,
  source_event_id  varchar(200) not null,
  source_type      varchar(100) not null,
  patient_ref      varchar(200) not null,
  pathway_id       varchar(200),
  priority         varchar(20)  not null,
  category         varchar(60)  not null,
  headline         varchar(500) not null,
  details          text         not null,
  recipient        varchar(100) not null,
  channel          varchar(20)  not null check (channel in ('EMAIL', 'WEBHOOK')),
  round            int          not null default 0,
  escalation_level int          not null default 0,
  escalated_from   uuid         references notification (id),
  requires_ack     boolean      not null,
  alert_on_failure boolean      not null,
  status           varchar(20)  not null check (status in ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')),
  attempts         int          not null default 0,
  next_attempt_at  timestamptz,
  claim_token      uuid,
  created_at       timestamptz  not null,
  delivered_at     timestamptz,
  failed_at        timestamptz,
  last_error       varchar(500),
  acknowledged_at  timestamptz,
  acknowledged_by  varchar(100),
  constraint notification_once unique (source_event_id, recipient, channel, round)
);
create index notification_due on notification (next_attempt_at) where status = 'PENDING';
create index notification_patient on notification (patient_ref);
create index notification_status_recipient on notification (status, recipient);
create index notification_created on notification (created_at desc);

-- Every attempt to deliver, with its outcome. Errors carry a class and a scrubbed message only.
create table delivery_attempt (
  id              bigserial    primary key,
  notification_id uuid         not null references notification (id),
  attempt         int          not null,
  started_at      timestamptz  not null,
  finished_at     timestamptz  not null,
  outcome         varchar(20)  not null check (outcome in ('DELIVERED', 'FAILED')),
  error_class     varchar(200),
  error_message   varchar(500)
);
create index delivery_attempt_notification on delivery_attempt (notification_id);

-- One row per source event that needs an acknowledgement: the state of its reminder and escalation chain.
create table escalation (
  source_event_id          varchar(200) primary key,
  original_notification_id uuid         not null references notification (id),
  started_at               timestamptz  not null,
  renotify_round           int          not null default 0,
  next_renotify_at         timestamptz,
  ladder_step              int          not null default 0,
  next_step_at             timestamptz,
  acknowledged_at          timestamptz,
  acknowledged_by          varchar(100),
  acknowledged_notification_id uuid     references notification (id)
);
create index escalation_open on escalation (started_at) where acknowledged_at is null;

-- Events this service publishes, written in the same transaction as the state change and relayed to Kafka.
create table outbox (
  id          bigserial    primary key,
  event_id    varchar(200) not null unique,
  topic       varchar(200) not null,
  record_key  varchar(200) not null,
  event_type  varchar(100) not null,
  subject     varchar(200),
  occurred_at timestamptz  not null,
  payload     bytea        not null,
  created_at  timestamptz  not null
);
